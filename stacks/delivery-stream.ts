import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream/index.js";
import { Construct } from "constructs";
import { attributeOf, REMOVED_AFTER_COLLECTOR_MOVES } from "./counted.ts";
import type { DeliveryLogGroup } from "./delivery-log-group.ts";
import { ERRORS_PREFIX, RAW_PREFIX } from "./event-store.ts";
import { type PolicyStatement, policyDocument, serviceTrustPolicy } from "./policy.ts";

/** Hive-style folders by arrival hour (UTC), the layout DuckDB and Athena read. */
export const RAW_OBJECT_PREFIX = `${RAW_PREFIX}year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/`;
/** Firehose requires the error type in the error prefix once the prefix uses expressions. */
export const ERROR_OBJECT_PREFIX = `${ERRORS_PREFIX}!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/`;

export interface DeliveryStreamProps {
  /** Delivery stream name; also the start of every object it writes. */
  readonly name: string;
  /** The event bucket. */
  readonly bucketArn: string;
  /** Where delivery errors are logged; this stream gets its own log stream there. */
  readonly logGroup: DeliveryLogGroup;
  /** The account allowed to make Firehose assume this stream's role. */
  readonly accountId: string;
  /** Seconds before a buffer is flushed (0-900). @default 300 */
  readonly bufferSeconds?: number;
  /** MiB before a buffer is flushed (1-128). @default 128 */
  readonly bufferMb?: number;
  /** Read from this Kinesis stream instead of taking direct puts. @default undefined (DirectPut) */
  readonly kinesisSource?: { readonly streamArn: string };
  /** `count` of every resource here (a token); leave unset for a stream that always exists. @default undefined */
  readonly count?: number;
}

/**
 * A Firehose stream that batches events into gzip NDJSON objects under raw/, with its own role
 * (only this bucket's documented Firehose S3 actions, its log stream, and its source stream).
 */
export class DeliveryStream extends Construct {
  readonly deliveryStream: KinesisFirehoseDeliveryStream;
  readonly name: string;
  /** ARN of the delivery stream; valid only where the same `count` gates the reader. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: DeliveryStreamProps) {
    super(scope, id);
    const counted = props.count !== undefined;
    const count = props.count;
    this.name = props.name;

    const logStream = new CloudwatchLogStream(this, "log-stream", {
      count,
      name: `${props.name}-s3-delivery`,
      logGroupName: props.logGroup.group.name,
    });

    // The trust policy names no counted resource, so it needs no count of its own.
    const role = new IamRole(this, "role", {
      count,
      name: `${props.name}-firehose`,
      description: `Firehose stream ${props.name}: write raw events to S3`,
      assumeRolePolicy: serviceTrustPolicy(this, "trust", "firehose.amazonaws.com", props.accountId, {
        externalIdIsAccount: true,
      }),
    });

    const statements: PolicyStatement[] = [
      {
        sid: "FindBucket",
        effect: "Allow",
        actions: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
        resources: [props.bucketArn],
      },
      {
        sid: "WriteEventObjects",
        effect: "Allow",
        actions: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
        resources: [`${props.bucketArn}/${RAW_PREFIX}*`, `${props.bucketArn}/${ERRORS_PREFIX}*`],
      },
      {
        sid: "LogDeliveryErrors",
        effect: "Allow",
        actions: ["logs:PutLogEvents"],
        resources: [props.logGroup.logStreamArn(`${props.name}-s3-delivery`)],
      },
    ];
    if (props.kinesisSource) {
      statements.push({
        sid: "ReadSourceStream",
        effect: "Allow",
        actions: [
          "kinesis:DescribeStream",
          "kinesis:GetShardIterator",
          "kinesis:GetRecords",
          "kinesis:ListShards",
        ],
        resources: [props.kinesisSource.streamArn],
      });
    }
    const policy = new IamRolePolicy(this, "policy", {
      count,
      name: "deliver-events",
      role: attributeOf(role, "id", counted),
      policy: policyDocument(this, "permissions", statements, count),
    });

    const roleArn = attributeOf(role, "arn", counted);
    this.deliveryStream = new KinesisFirehoseDeliveryStream(this, "stream", {
      count,
      name: props.name,
      destination: "extended_s3",
      kinesisSourceConfiguration: props.kinesisSource
        ? { kinesisStreamArn: props.kinesisSource.streamArn, roleArn }
        : undefined,
      // A Kinesis-sourced stream cannot encrypt on its side; its source stream is encrypted instead.
      serverSideEncryption: props.kinesisSource ? undefined : { enabled: true, keyType: "AWS_OWNED_CMK" },
      extendedS3Configuration: {
        bucketArn: props.bucketArn,
        roleArn,
        prefix: RAW_OBJECT_PREFIX,
        errorOutputPrefix: ERROR_OBJECT_PREFIX,
        compressionFormat: "GZIP",
        // Every reader (the models' source glob, sync's partial names) takes only *.gz objects: the
        // extension is set rather than left to Firehose's default.
        fileExtension: ".gz",
        bufferingInterval: props.bufferSeconds ?? 300,
        bufferingSize: props.bufferMb ?? 128,
        cloudwatchLoggingOptions: {
          enabled: true,
          logGroupName: props.logGroup.group.name,
          logStreamName: attributeOf(logStream, "name", counted),
        },
      },
      // Firehose checks its role's permissions when the stream is created.
      dependsOn: [policy],
      // A stream that comes and goes is removed only once the collector no longer writes past it.
      lifecycle: counted ? REMOVED_AFTER_COLLECTOR_MOVES : undefined,
    });
    this.arn = attributeOf(this.deliveryStream, "arn", counted);
  }
}
