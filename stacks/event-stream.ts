import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream/index.js";
import { Fn, type IResolvable, propertyAccess, Token } from "cdktf";
import { Construct } from "constructs";
import { REMOVED_AFTER_COLLECTOR_MOVES } from "./counted.ts";

export interface EventStreamProps {
  /** Stream name, chosen at synth time so the collector can be told it without a reference. */
  readonly name: string;
  /** `count` of the stream: 1 to create it, 0 to leave it out (a token from `kinesis_stream_enabled`). */
  readonly count: number;
  /** Provisioned shards; each takes 1 MiB/s or 1,000 records/s of writes, far above most sites' traffic. @default 1 */
  readonly shardCount?: number;
  /**
   * `true` for on-demand capacity, which follows traffic and takes no shard count (a token from
   * `kinesis_stream_mode`). @default false (provisioned)
   */
  readonly onDemand?: IResolvable | boolean;
  /** Hours a record stays readable, the window for `ownstats live` and `replay`. @default 24 */
  readonly retentionHours?: number;
}

/** The optional Kinesis Data Stream between the collector and Firehose. */
export class EventStream extends Construct {
  readonly stream: KinesisStream;
  readonly name: string;
  /** ARN of the stream's single instance; valid only where the same `count` gates the reader. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: EventStreamProps) {
    super(scope, id);
    this.name = props.name;
    const onDemand = props.onDemand ?? false;
    this.stream = new KinesisStream(this, "stream", {
      count: props.count,
      name: props.name,
      // Provisioned by default: one shard costs about $11 a month, on-demand about $29 plus data.
      streamModeDetails: { streamMode: Token.asString(Fn.conditional(onDemand, "ON_DEMAND", "PROVISIONED")) },
      // The provider refuses any shard count, even 1, on an on-demand stream.
      shardCount: Token.asNumber(Fn.conditional(onDemand, Token.nullValue(), props.shardCount ?? 1)),
      retentionPeriod: props.retentionHours ?? 24,
      encryptionType: "KMS",
      // The AWS-managed key costs nothing; a customer key would add a monthly fee.
      kmsKeyId: "alias/aws/kinesis",
      // Deleted only after the collector has turned to the DirectPut stream.
      lifecycle: REMOVED_AFTER_COLLECTOR_MOVES,
    });
    // A counted resource has instances, not attributes: address the first one explicitly.
    this.arn = Token.asString(propertyAccess(this.stream.fqn, [0, "arn"]));
  }
}
