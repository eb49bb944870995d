import { join } from "node:path";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { App, AssetType, Fn, type ITerraformDependable, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { bundleCollector, COLLECTOR_ENTRY, COLLECTOR_HANDLER } from "./collector-bundle.ts";
import { REMOVED_AFTER_COLLECTOR_MOVES } from "./counted.ts";
import { policyDocument, serviceTrustPolicy } from "./policy.ts";

export interface CollectorFunctionProps {
  /** Function name; its log group is `/aws/lambda/<name>`. @default "ownstats-collector" */
  readonly name?: string;
  /** The Lambda adapter to bundle. @default functions/collect/lambda.ts */
  readonly entry?: string;
  /** The account allowed to make Lambda assume the function's role. */
  readonly accountId: string;
  /** `SINK`: "kinesis" or "firehose" (a token from `kinesis_stream_enabled`). */
  readonly sink: string;
  /**
   * The Kinesis stream the function may write to, gated by the same count as the stream, and the
   * Firehose stream that reads it: a Kinesis-fed Firehose stream starts reading at the stream's
   * latest record, so the function is pointed at the stream only once its reader exists.
   */
  readonly kinesis: {
    readonly name: string;
    readonly arn: string;
    readonly count: number;
    readonly reader: ITerraformDependable;
  };
  /** The always-present DirectPut delivery stream. */
  readonly delivery: { readonly name: string; readonly arn: string };
  /** Origins allowed to send events, passed as the comma list `ALLOWED_ORIGINS`. */
  readonly allowedOrigins: string[];
  /** A path taking events besides /v1/events, passed as `COLLECT_API_ENDPOINT` ("" for none). @default "" */
  readonly collectPath?: string;
  /** Most concurrent instances, a cost guard; -1 for none. @default 10 */
  readonly reservedConcurrency?: number;
  /** Memory in MB; the collector validates and forwards, so the minimum suffices. @default 128 */
  readonly memoryMb?: number;
  /** Seconds before an invocation is stopped, covering the sink's retries. @default 10 */
  readonly timeoutSeconds?: number;
  /** Days the function's logs are kept. @default 14 */
  readonly logRetentionDays?: number;
}

/** The collector Lambda (Node 22, arm64): validates, sanitizes and enriches events, then hands them to the sink. */
export class CollectorFunction extends Construct {
  readonly function: LambdaFunction;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: CollectorFunctionProps) {
    super(scope, id);
    const name = props.name ?? "ownstats-collector";

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${name}`,
      retentionInDays: props.logRetentionDays ?? 14,
    });

    const role = new IamRole(this, "role", {
      name: `${name}-lambda`,
      description: `Lambda ${name}: write events to the stream or delivery stream, and its own logs`,
      assumeRolePolicy: serviceTrustPolicy(this, "trust", "lambda.amazonaws.com", props.accountId),
    });
    const basePolicy = new IamRolePolicy(this, "policy", {
      name: "collect-events",
      role: role.id,
      policy: policyDocument(this, "permissions", [
        {
          sid: "WriteOwnLogs",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          // Log streams are named by Lambda at run time; the grant stays inside this function's group.
          resources: [`${this.logGroup.arn}:log-stream:*`],
        },
        {
          sid: "PutToDeliveryStream",
          effect: "Allow",
          // The sinks only ever put batches (PutRecordBatch, PutRecords): no single-record grant.
          actions: ["firehose:PutRecordBatch"],
          resources: [props.delivery.arn],
        },
      ]),
    });
    // A separate policy, so it exists exactly when the stream does.
    const kinesisPolicy = new IamRolePolicy(this, "kinesis-policy", {
      count: props.kinesis.count,
      name: "put-to-stream",
      role: role.id,
      policy: policyDocument(
        this,
        "kinesis-permissions",
        [
          {
            sid: "PutToStream",
            effect: "Allow",
            actions: ["kinesis:PutRecords"],
            resources: [props.kinesis.arn],
          },
        ],
        props.kinesis.count,
      ),
      // Revoked only after the function has turned to the DirectPut stream.
      lifecycle: REMOVED_AFTER_COLLECTOR_MOVES,
    });

    const bundleDir = join(App.of(this).outdir, "bundles", name);
    const bundle = new TerraformAsset(this, "bundle", {
      path: bundleCollector(props.entry ?? COLLECTOR_ENTRY, bundleDir),
      type: AssetType.ARCHIVE,
    });

    this.function = new LambdaFunction(this, "function", {
      functionName: name,
      description: "ownstats collector: POST /v1/events",
      role: role.arn,
      runtime: "nodejs22.x",
      // Graviton: about 20% cheaper per GB-second than x86 for the same work.
      architectures: ["arm64"],
      handler: COLLECTOR_HANDLER,
      filename: bundle.path,
      // What Lambda reports as CodeSha256 and the provider stores: the asset's own hash would differ
      // from it, and every plan would update the function.
      sourceCodeHash: Fn.filebase64sha256(bundle.path),
      memorySize: props.memoryMb ?? 128,
      timeout: props.timeoutSeconds ?? 10,
      reservedConcurrentExecutions: props.reservedConcurrency ?? 10,
      environment: {
        variables: {
          SINK: props.sink,
          KINESIS_STREAM_NAME: props.kinesis.name,
          FIREHOSE_STREAM_NAME: props.delivery.name,
          ALLOWED_ORIGINS: Fn.join(",", props.allowedOrigins),
          COLLECT_API_ENDPOINT: props.collectPath ?? "",
        },
      },
      loggingConfig: {
        logFormat: "JSON",
        logGroup: this.logGroup.name,
        // Warnings and errors only: a log line per request would cost more than the request.
        applicationLogLevel: "WARN",
        systemLogLevel: "WARN",
      },
      dependsOn: [basePolicy, kinesisPolicy, props.kinesis.reader],
    });
  }
}
