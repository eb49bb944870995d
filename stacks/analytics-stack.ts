import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { Fn, propertyAccess, TerraformOutput, TerraformStack, Token } from "cdktf";
import type { Construct } from "constructs";
import { CollectorFunction } from "./collector-function.ts";
import { DeliveryLogGroup } from "./delivery-log-group.ts";
import { DeliveryStream } from "./delivery-stream.ts";
import { EventStore } from "./event-store.ts";
import { EventStream } from "./event-stream.ts";
import { IngestApi } from "./ingest-api.ts";
import { OperatorAlarms } from "./operator-alarms.ts";
import { identityFromArn } from "./policy.ts";
import { QueryCatalog } from "./query-catalog.ts";
import { ReportAccess } from "./report-access.ts";
import { declareVariables, defaultTags } from "./variables.ts";

/**
 * Oldest Terraform the stack is tested with and documented for: S3-native state locking
 * (`use_lockfile`) arrived in 1.10. Declared, an older binary stops at `init` naming the version
 * it needs, instead of failing on an unknown backend argument or planning with no lock.
 */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.10";

export interface AnalyticsStackProps {
  /** AWS region of every resource. @default "us-east-1" */
  readonly region?: string;
  /** Start of every resource name, so two installations can share an account. @default "ownstats" */
  readonly namePrefix?: string;
  /** The collector's Lambda adapter to bundle. @default functions/collect/lambda.ts */
  readonly collectorEntry?: string;
}

/**
 * The whole AWS pipeline: HTTP API → collector Lambda → (Kinesis stream →) Firehose → S3 raw/,
 * plus read access for the report build and an Athena catalog over the same files.
 */
export class AnalyticsStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: AnalyticsStackProps = {}) {
    super(scope, id);
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
    const prefix = props.namePrefix ?? "ownstats";
    const region = props.region ?? "us-east-1";
    const vars = declareVariables(this);
    new AwsProvider(this, "aws", {
      region,
      // The operator's tags win over `application`, so a tag policy that dictates its value can be met.
      defaultTags: [{ tags: defaultTags(prefix, vars.tags) }],
    });

    const deliveryLogs = new DeliveryLogGroup(this, "delivery-logs", {
      name: `/aws/kinesisfirehose/${prefix}`,
    });
    const identity = identityFromArn(deliveryLogs.group.arn);

    const store = new EventStore(this, "event-store", {
      bucketPrefix: `${prefix}-events-`,
      rawRetentionDays: vars.rawRetentionDays,
    });
    const bucketArn = store.bucket.arn;

    const stream = new EventStream(this, "event-stream", {
      name: `${prefix}-events`,
      count: vars.kinesisCount,
      shardCount: vars.kinesisShardCount,
      onDemand: vars.kinesisOnDemand,
    });

    const buffering = { bufferSeconds: vars.firehoseBufferSeconds, bufferMb: vars.firehoseBufferMb };
    // Always present and free while idle: the collector's sink when the Kinesis stream is off.
    const directDelivery = new DeliveryStream(this, "direct-delivery", {
      name: `${prefix}-direct`,
      bucketArn,
      logGroup: deliveryLogs,
      accountId: identity.accountId,
      ...buffering,
    });
    // A Firehose stream's source cannot change in place, so the Kinesis-fed one is a second stream.
    const streamDelivery = new DeliveryStream(this, "stream-delivery", {
      name: `${prefix}-from-stream`,
      bucketArn,
      logGroup: deliveryLogs,
      accountId: identity.accountId,
      kinesisSource: { streamArn: stream.arn },
      count: vars.kinesisCount,
      ...buffering,
    });

    const whenStreamEnabled = (value: unknown, otherwise: unknown) =>
      Token.asString(Fn.conditional(vars.kinesisStreamEnabled, value, otherwise));
    const streamName = whenStreamEnabled(propertyAccess(stream.stream.fqn, [0, "name"]), "");

    const collector = new CollectorFunction(this, "collector", {
      name: `${prefix}-collector`,
      entry: props.collectorEntry,
      accountId: identity.accountId,
      sink: whenStreamEnabled("kinesis", "firehose"),
      kinesis: {
        name: streamName,
        arn: stream.arn,
        count: vars.kinesisCount,
        reader: streamDelivery.deliveryStream,
      },
      delivery: { name: directDelivery.deliveryStream.name, arn: directDelivery.arn },
      allowedOrigins: vars.allowedOrigins,
      collectPath: vars.collectApiEndpoint,
      reservedConcurrency: vars.lambdaReservedConcurrency,
    });

    const api = new IngestApi(this, "ingest-api", {
      name: `${prefix}-events`,
      handler: collector.function,
      collectRoute: { path: vars.collectApiEndpoint, count: vars.collectRouteCount },
      allowedOrigins: vars.allowedOrigins,
      throttleRate: vars.apiThrottleRate,
      throttleBurst: vars.apiThrottleBurst,
    });

    const alarms = new OperatorAlarms(this, "alarms", {
      prefix,
      email: vars.alarmEmail,
      apiId: api.api.id,
      functionName: collector.function.functionName,
      directDeliveryName: directDelivery.name,
      kinesis: {
        streamName: stream.name,
        deliveryName: streamDelivery.name,
        count: vars.kinesisCount,
        onDemand: vars.kinesisOnDemand,
      },
      encryption: { enabled: vars.encryptAlarmTopic, count: vars.alarmTopicKeyCount },
      identity,
    });

    const reports = new ReportAccess(this, "report-access", {
      name: `${prefix}-report-reader`,
      identity,
      githubRepository: vars.githubRepository,
      branch: vars.githubBranch,
      oidcProviderCount: vars.githubOidcProviderCount,
      createOidcProvider: vars.createGithubOidcProvider,
      bucketArn,
    });

    const catalog = new QueryCatalog(this, "query-catalog", {
      bucketName: store.bucket.bucket,
      databaseName: prefix.replace(/[^a-z0-9_]/g, "_"),
      workgroupName: prefix,
    });

    const output = (id: string, value: string, description: string) =>
      new TerraformOutput(this, id, { value, description });
    output("events_endpoint", api.eventsUrl, "URL the tracker posts events to");
    output(
      "region",
      region,
      "AWS region of every resource (the report workflow's AWS_REGION, and `ownstats sync`'s region)",
    );
    output(
      "bucket_name",
      store.bucket.bucket,
      "S3 bucket holding raw/ events (for `ownstats sync --bucket`)",
    );
    output(
      "kinesis_stream_name",
      streamName,
      "Kinesis stream name, empty when kinesis_stream_enabled is false",
    );
    output("direct_delivery_stream_name", directDelivery.deliveryStream.name, "DirectPut Firehose stream");
    output(
      "kinesis_delivery_stream_name",
      whenStreamEnabled(propertyAccess(streamDelivery.deliveryStream.fqn, [0, "name"]), ""),
      "Kinesis-sourced Firehose stream, empty when kinesis_stream_enabled is false",
    );
    output("report_role_arn", reports.role.arn, "Role the report workflow assumes through GitHub OIDC");
    // Outputs and variables have names of their own in Terraform, but constructs share one scope.
    output(
      "raw_retention_days_output",
      Token.asString(vars.rawRetentionDays),
      "Days before raw events expire (the report workflow's OWNSTATS_RAW_RETENTION_DAYS, `ownstats sync --raw-retention-days`)",
    ).overrideLogicalId("raw_retention_days");
    new TerraformOutput(this, "report_role_subjects", {
      value: reports.trustedSubjects,
      description:
        "OIDC subjects the report role trusts; a workflow run refused by AWS has another (case matters)",
    });
    output("alarm_topic_arn", alarms.topic.arn, "SNS topic every alarm publishes to (subscribe more there)");
    output("athena_workgroup", catalog.workgroup.name, "Athena workgroup for queries over raw/");
    output(
      "glue_table",
      `${catalog.database.name}.${catalog.table.name}`,
      "Glue table over raw/ (database.table)",
    );
  }
}
