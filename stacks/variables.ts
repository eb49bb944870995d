import { Fn, type IResolvable, Op, TerraformIterator, TerraformVariable, Token, VariableType } from "cdktf";
import type { Construct } from "constructs";

/** Typed handles on the stack's input variables (all created at stack scope, so their names stay plain). */
export interface AnalyticsVariables {
  /** `var.kinesis_stream_enabled` as a boolean token. */
  readonly kinesisStreamEnabled: IResolvable;
  /** `1` when the Kinesis stream is enabled, else `0`: the `count` of every Kinesis-only resource. */
  readonly kinesisCount: number;
  /** Provisioned shards of the Kinesis stream. */
  readonly kinesisShardCount: number;
  /** `true` when `kinesis_stream_mode` is ON_DEMAND: capacity follows traffic and no shard count is set. */
  readonly kinesisOnDemand: IResolvable;
  readonly firehoseBufferSeconds: number;
  readonly firehoseBufferMb: number;
  readonly rawRetentionDays: number;
  readonly allowedOrigins: string[];
  /** `collect_api_endpoint`: a path taking events besides /v1/events, or "" for none. */
  readonly collectApiEndpoint: string;
  /** `1` when collect_api_endpoint is set, else `0`: the `count` of its route and permission. */
  readonly collectRouteCount: number;
  readonly apiThrottleRate: number;
  readonly apiThrottleBurst: number;
  readonly lambdaReservedConcurrency: number;
  readonly githubRepository: string;
  readonly githubBranch: string;
  readonly createGithubOidcProvider: IResolvable;
  /** `1` when this stack creates the account's GitHub OIDC provider, else `0`. */
  readonly githubOidcProviderCount: number;
  /** Address the alarms mail, or "" for none. */
  readonly alarmEmail: string;
  /** `var.encrypt_alarm_topic` as a boolean token. */
  readonly encryptAlarmTopic: IResolvable;
  /** `1` when the alarm topic gets a KMS key of its own, else `0`. */
  readonly alarmTopicKeyCount: number;
  /** Tags for every resource (a map token from `tags`), beside `application`. */
  readonly tags: Record<string, string>;
}

/** AWS's pattern for tag keys and values, as an HCL string literal (Unicode letters, spaces, digits). */
const TAG_TEXT = "^[\\\\p{L}\\\\p{Z}\\\\p{N}_.:/=+@-]*$";

// A variable's validation may only refer to the variable itself, by its Terraform name.
const check = (condition: string, errorMessage: string) => [{ condition: `\${${condition}}`, errorMessage }];

export function declareVariables(scope: Construct): AnalyticsVariables {
  const kinesis = new TerraformVariable(scope, "kinesis_stream_enabled", {
    type: VariableType.BOOL,
    default: true,
    nullable: false,
    description:
      "Put a Kinesis Data Stream (about $11 a month) between the collector and Firehose, for live tailing and replay. " +
      "false: the collector writes to a DirectPut Firehose stream (no hourly cost).",
  });
  const shards = new TerraformVariable(scope, "kinesis_shard_count", {
    type: VariableType.NUMBER,
    default: 1,
    nullable: false,
    description:
      "Provisioned shards of the Kinesis stream, each taking 1 MiB/s or 1,000 records/s of writes (about $11 a month each). " +
      "Raise it when the stream-throttled alarm goes off; AWS allows at most doubling it in one apply. " +
      "Unused when kinesis_stream_mode is ON_DEMAND.",
    validation: check(
      "var.kinesis_shard_count >= 1 && floor(var.kinesis_shard_count) == var.kinesis_shard_count",
      "kinesis_shard_count must be a whole number of shards, at least 1.",
    ),
  });
  const streamMode = new TerraformVariable(scope, "kinesis_stream_mode", {
    type: VariableType.STRING,
    default: "PROVISIONED",
    nullable: false,
    description:
      "Capacity mode of the Kinesis stream. PROVISIONED: kinesis_shard_count shards (about $11 a month each). " +
      "ON_DEMAND: capacity follows traffic, for spiky sites that would rather not size shards (about $29 a month " +
      "plus $0.08 per GB written and $0.04 per GB read); kinesis_shard_count is then unused. AWS allows two switches a day.",
    validation: check(
      'contains(["PROVISIONED", "ON_DEMAND"], var.kinesis_stream_mode)',
      'kinesis_stream_mode must be "PROVISIONED" (kinesis_shard_count shards) or "ON_DEMAND" (no shards to size), in capitals.',
    ),
  });
  const bufferSeconds = new TerraformVariable(scope, "firehose_buffer_seconds", {
    type: VariableType.NUMBER,
    default: 300,
    nullable: false,
    description:
      "Firehose flushes a file to S3 after this many seconds (0-900); fewer files means fewer S3 PUTs.",
    validation: check(
      "var.firehose_buffer_seconds >= 0 && var.firehose_buffer_seconds <= 900 && floor(var.firehose_buffer_seconds) == var.firehose_buffer_seconds",
      "firehose_buffer_seconds must be a whole number from 0 to 900.",
    ),
  });
  const bufferMb = new TerraformVariable(scope, "firehose_buffer_mb", {
    type: VariableType.NUMBER,
    default: 128,
    nullable: false,
    description: "Firehose flushes a file to S3 once this many MiB are buffered (1-128).",
    validation: check(
      "var.firehose_buffer_mb >= 1 && var.firehose_buffer_mb <= 128 && floor(var.firehose_buffer_mb) == var.firehose_buffer_mb",
      "firehose_buffer_mb must be a whole number from 1 to 128.",
    ),
  });
  const retention = new TerraformVariable(scope, "raw_retention_days", {
    type: VariableType.NUMBER,
    default: 395,
    nullable: false,
    description:
      "Raw events under raw/ are deleted after this many days (395: thirteen months, for year-over-year).",
    validation: check(
      "var.raw_retention_days >= 1 && floor(var.raw_retention_days) == var.raw_retention_days",
      "raw_retention_days must be a whole number of days, at least 1.",
    ),
  });
  const origins = new TerraformVariable(scope, "allowed_origins", {
    type: VariableType.list(VariableType.STRING),
    nullable: false,
    description:
      'Origins of the sites allowed to send events, e.g. ["https://example.com", "https://*.example.com"] (scheme and host, no path; *. takes every subdomain).',
    // The API's CORS compares these with the browser's Origin header as written, and browsers send
    // the scheme and host in lower case without a default port: any other spelling never matches.
    validation: check(
      'length(var.allowed_origins) > 0 && alltrue([for o in var.allowed_origins : can(regex("^https?://([*][.])?[a-z0-9.-]+(:[0-9]+)?$", o)) && !can(regex("^(https://.*:443|http://.*:80)$", o))])',
      'allowed_origins must list at least one origin as browsers send it, such as "https://example.com" (or "https://*.example.com" for every subdomain): scheme and host in lower case, no default port (:443, :80), no path, no trailing slash.',
    ),
  });
  const collectEndpoint = new TerraformVariable(scope, "collect_api_endpoint", {
    type: VariableType.STRING,
    default: "",
    nullable: false,
    description:
      'A path the API takes events at besides /v1/events, e.g. "/e": for a proxy on the site\'s own domain ' +
      "that forwards its path unchanged (a CloudFront behavior). Empty: none.",
    // The collector checks the same (functions/collect/custom-paths.ts) as COLLECT_API_ENDPOINT.
    validation: check(
      'var.collect_api_endpoint == "" || (can(regex("^(/[A-Za-z0-9._~-]+)+$", var.collect_api_endpoint)) && !can(regex("(^|/)[.][.]?(/|$)", var.collect_api_endpoint)) && !startswith(var.collect_api_endpoint, "/v1/") && var.collect_api_endpoint != "/analytics.js")',
      'collect_api_endpoint must be empty or a path such as "/e": letters, digits and - . _ ~ between single slashes, no query string, no trailing slash, not under /v1/ and not /analytics.js.',
    ),
  });
  const throttleRate = new TerraformVariable(scope, "api_throttle_rate", {
    type: VariableType.NUMBER,
    default: 50,
    nullable: false,
    description:
      "Steady requests per second the events API accepts before answering 429 (abuse and cost guard).",
    validation: check("var.api_throttle_rate > 0", "api_throttle_rate must be greater than 0."),
  });
  const throttleBurst = new TerraformVariable(scope, "api_throttle_burst", {
    type: VariableType.NUMBER,
    default: 100,
    nullable: false,
    description: "Requests the events API accepts in a burst above the steady rate.",
    validation: check(
      "var.api_throttle_burst >= 1 && floor(var.api_throttle_burst) == var.api_throttle_burst",
      "api_throttle_burst must be a whole number, at least 1.",
    ),
  });
  const concurrency = new TerraformVariable(scope, "lambda_reserved_concurrency", {
    type: VariableType.NUMBER,
    default: 10,
    nullable: false,
    description:
      "Most collector instances running at once (cost guard); past it API Gateway answers 500 (Lambda throttled), " +
      "which the tracker resends once. -1 removes the limit, for accounts whose " +
      "concurrency quota is still the new-account 10 and cannot reserve any.",
    validation: check(
      "var.lambda_reserved_concurrency == -1 || (var.lambda_reserved_concurrency >= 1 && floor(var.lambda_reserved_concurrency) == var.lambda_reserved_concurrency)",
      "lambda_reserved_concurrency must be -1 (no limit) or a whole number, at least 1.",
    ),
  });
  const repository = new TerraformVariable(scope, "github_repository", {
    type: VariableType.STRING,
    nullable: false,
    description:
      "owner/name of the GitHub repository whose github_branch (default main) may read raw/ to build the reports, spelled " +
      "exactly as GitHub shows it, capitals included: AWS compares it case-sensitively with the run's identity.",
    validation: check(
      'can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))',
      'github_repository must be "owner/name", e.g. "octocat/my-site".',
    ),
  });
  const branch = new TerraformVariable(scope, "github_branch", {
    type: VariableType.STRING,
    default: "main",
    nullable: false,
    description:
      "Branch of github_repository whose runs may assume the report role: its default branch, the only one " +
      "GitHub runs scheduled workflows from.",
    // The role's trust is an IAM StringLike: a `*` or `?` here would let other branches in.
    validation: check(
      'can(regex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$", var.github_branch))',
      'github_branch must be a branch name such as "main" or "release/site": letters, digits, ".", "_", "-" and "/" between parts, no wildcards.',
    ),
  });
  const createOidc = new TerraformVariable(scope, "create_github_oidc_provider", {
    type: VariableType.BOOL,
    default: true,
    nullable: false,
    description:
      "Create the account's GitHub Actions OIDC provider. An account holds one; set false if it exists already.",
  });
  const alarmEmail = new TerraformVariable(scope, "alarm_email", {
    type: VariableType.STRING,
    default: "",
    nullable: false,
    description:
      "Email address told when an alarm goes off or clears (AWS asks it to confirm once); empty: alarms only show in CloudWatch.",
    validation: check(
      'var.alarm_email == "" || can(regex("^[^@ ]+@[^@ ]+[.][^@ ]+$", var.alarm_email))',
      'alarm_email must be an email address such as "ops@example.com", or empty for none.',
    ),
  });
  const encryptAlarms = new TerraformVariable(scope, "encrypt_alarm_topic", {
    type: VariableType.BOOL,
    default: false,
    nullable: false,
    description:
      "Encrypt the alarm topic with a customer-managed KMS key that only CloudWatch may use (about $1 a month), " +
      "for policies that require every SNS topic encrypted; false: unencrypted (alarms carry no event data).",
  });

  const tags = new TerraformVariable(scope, "tags", {
    type: VariableType.map(VariableType.STRING),
    default: {},
    nullable: false,
    description:
      'Tags put on every resource besides application, e.g. {"cost-center" = "web", "owner" = "marketing"}: ' +
      "for cost allocation and for tag policies that refuse untagged resources.",
    // AWS's limits on a tag, checked before the plan rather than by the first resource AWS refuses
    // halfway through an apply: the characters are those every tagged service here takes (S3 and
    // IAM refuse "R&D"), and 50 tags a resource, application included.
    validation: check(
      `alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:") && can(regex("${TAG_TEXT}", k)) && can(regex("${TAG_TEXT}", v))]) && length(merge(var.tags, { application = "" })) <= 50`,
      'tags must map keys of 1-128 characters, not starting with "aws:", to values of at most 256 characters, ' +
        "written with letters, digits, spaces and _ . : / = + - @ only (no &, comma or *), at most 49 tags besides application.",
    ).concat(
      // IAM takes tag keys without regard to case and refuses a role that carries two such keys.
      check(
        "length(distinct([for k in keys(var.tags) : lower(k)])) == length(var.tags)",
        'tags must not hold two keys that differ only in case, such as "Owner" and "owner": IAM takes them as one key and refuses the roles.',
      ),
    ),
  });

  return {
    kinesisStreamEnabled: kinesis.booleanValue,
    kinesisCount: Token.asNumber(Fn.conditional(kinesis.booleanValue, 1, 0)),
    kinesisShardCount: shards.numberValue,
    kinesisOnDemand: Op.eq(streamMode.stringValue, "ON_DEMAND"),
    firehoseBufferSeconds: bufferSeconds.numberValue,
    firehoseBufferMb: bufferMb.numberValue,
    rawRetentionDays: retention.numberValue,
    allowedOrigins: origins.listValue,
    collectApiEndpoint: collectEndpoint.stringValue,
    // CDKTF writes an "" operand as undefined; compact() drops the empty string instead.
    collectRouteCount: Token.asNumber(Fn.lengthOf(Fn.compact([collectEndpoint.stringValue]))),
    apiThrottleRate: throttleRate.numberValue,
    apiThrottleBurst: throttleBurst.numberValue,
    lambdaReservedConcurrency: concurrency.numberValue,
    githubRepository: repository.stringValue,
    githubBranch: branch.stringValue,
    createGithubOidcProvider: createOidc.booleanValue,
    githubOidcProviderCount: Token.asNumber(Fn.conditional(createOidc.booleanValue, 1, 0)),
    alarmEmail: alarmEmail.stringValue,
    encryptAlarmTopic: encryptAlarms.booleanValue,
    alarmTopicKeyCount: Token.asNumber(Fn.conditional(encryptAlarms.booleanValue, 1, 0)),
    tags: Token.asStringMap(tags.value),
  };
}

/**
 * The tags every resource gets: `application = <name>` and the operator's. An operator's key that
 * differs from `application` only in case ("Application") replaces it rather than joining it, since
 * IAM takes the two as one key and would refuse the roles.
 */
export function defaultTags(application: string, tags: Record<string, string>): Record<string, string> {
  const operatorKeys = TerraformIterator.fromList(Fn.keys(tags)).forExpressionForList("lower(val)");
  return Token.asStringMap(
    Fn.conditional(
      Fn.contains(Token.asList(operatorKeys), "application"),
      tags,
      Fn.merge([{ application }, tags]),
    ),
  );
}
