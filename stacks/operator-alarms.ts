import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy/index.js";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription/index.js";
import { Fn, type IResolvable, Token } from "cdktf";
import { Construct } from "constructs";
import { AlarmTopicKey } from "./alarm-topic-key.ts";
import { type AccountIdentity, onBehalfOf, policyDocument } from "./policy.ts";

export interface OperatorAlarmsProps {
  /** Start of the topic's and every alarm's name. */
  readonly prefix: string;
  /** Address told of every alarm; "" for none (a token from `alarm_email`). */
  readonly email: string;
  /** The events API's id. */
  readonly apiId: string;
  /** The collector function's name. */
  readonly functionName: string;
  /** The always-present DirectPut Firehose stream's name. */
  readonly directDeliveryName: string;
  /**
   * The Kinesis stream and the Firehose stream reading it, with the `count` that gates both, and whether
   * the stream is on-demand (a token from `kinesis_stream_mode`).
   */
  readonly kinesis: {
    readonly streamName: string;
    readonly deliveryName: string;
    readonly count: number;
    readonly onDemand: IResolvable | boolean;
  };
  /** Whether the topic is encrypted with a key of its own (`encrypt_alarm_topic`), and `count` of that key. */
  readonly encryption: {
    readonly enabled: IResolvable;
    readonly count: number;
  };
  /** Where the stack is deployed: only its alarms there may publish to the topic. */
  readonly identity: AccountIdentity;
}

/** Seconds events may wait in Firehose before it counts as stuck: the longest buffer (900 s) and then some. */
export const DELIVERY_LATE_SECONDS = 3600;
/** How far the Firehose stream may fall behind the Kinesis stream; records expire after 24 h. */
export const STREAM_BEHIND_MS = 3_600_000;

/**
 * Alarms for what loses or delays events without anyone seeing it: the API answering 5xx (events
 * refused), the collector failing or throttled, Firehose not delivering to S3, the Kinesis stream
 * not being read or refusing writes. They publish to one SNS topic, which mails `email` when one is set.
 */
export class OperatorAlarms extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: OperatorAlarmsProps) {
    super(scope, id);
    const name = `${props.prefix}-alarms`;
    const { partition, region, accountId } = props.identity;
    // Every alarm below is named `${prefix}-…`.
    const alarmArns = `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${props.prefix}-*`;
    // CloudWatch cannot publish to a topic under the AWS-managed SNS key, so encryption takes a key
    // of its own, at $1 a month: opt-in, since an alarm carries no event data.
    const key = new AlarmTopicKey(this, "key", {
      name,
      count: props.encryption.count,
      identity: props.identity,
      alarmArns,
    });
    this.topic = new SnsTopic(this, "topic", {
      name,
      kmsMasterKeyId: Token.asString(Fn.conditional(props.encryption.enabled, key.arn, Token.nullValue())),
    });
    // In place of SNS's default policy, which lets any AWS service publish for any resource of the
    // account (an S3 bucket's events, another stack's alarms): only these alarms may.
    new SnsTopicPolicy(this, "topic-policy", {
      arn: this.topic.arn,
      policy: policyDocument(this, "topic-policy-document", [
        {
          sid: "CloudWatchPublishesAlarms",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["sns:Publish"],
          resources: [this.topic.arn],
          condition: onBehalfOf(accountId, alarmArns),
        },
      ]),
    });
    new SnsTopicSubscription(this, "email", {
      // compact() drops an empty string: one subscription for an address, none without.
      count: Token.asNumber(Fn.lengthOf(Fn.compact([props.email]))),
      topicArn: this.topic.arn,
      protocol: "email",
      endpoint: props.email,
    });

    const actions = [this.topic.arn];
    const alarm = (
      id: string,
      spec: {
        description: string;
        namespace: string;
        metric: string;
        dimensions: Record<string, string>;
        statistic: "Sum" | "Maximum";
        threshold: number;
        count?: number;
      },
    ) =>
      new CloudwatchMetricAlarm(this, id, {
        count: spec.count,
        alarmName: `${props.prefix}-${id}`,
        alarmDescription: spec.description,
        namespace: spec.namespace,
        metricName: spec.metric,
        dimensions: spec.dimensions,
        statistic: spec.statistic,
        period: 300,
        evaluationPeriods: 1,
        threshold: spec.threshold,
        comparisonOperator: "GreaterThanThreshold",
        // No traffic is no trouble: a quiet site must not sit in alarm.
        treatMissingData: "notBreaching",
        alarmActions: actions,
        okActions: actions,
      });

    alarm("api-5xx", {
      description:
        "The events API answered 5xx: the collector failed, was throttled or its sink refused events",
      namespace: "AWS/ApiGateway",
      metric: "5xx",
      dimensions: { ApiId: props.apiId },
      statistic: "Sum",
      threshold: 0,
    });
    alarm("collector-errors", {
      description: "The collector Lambda failed or timed out",
      namespace: "AWS/Lambda",
      metric: "Errors",
      dimensions: { FunctionName: props.functionName },
      statistic: "Sum",
      threshold: 0,
    });
    alarm("collector-throttles", {
      description: "The collector Lambda hit its reserved concurrency: visitors got 500s",
      namespace: "AWS/Lambda",
      metric: "Throttles",
      dimensions: { FunctionName: props.functionName },
      statistic: "Sum",
      threshold: 0,
    });
    const deliveryLate = (id: string, deliveryName: string, count?: number) =>
      alarm(id, {
        description: `Firehose stream ${deliveryName} holds events older than ${DELIVERY_LATE_SECONDS} s: delivery to S3 is failing`,
        namespace: "AWS/Firehose",
        metric: "DeliveryToS3.DataFreshness",
        dimensions: { DeliveryStreamName: deliveryName },
        statistic: "Maximum",
        threshold: DELIVERY_LATE_SECONDS,
        count,
      });
    deliveryLate("direct-delivery-late", props.directDeliveryName);
    deliveryLate("stream-delivery-late", props.kinesis.deliveryName, props.kinesis.count);
    alarm("stream-unread", {
      description: `Kinesis stream ${props.kinesis.streamName} is read more than an hour behind; records expire after 24 h`,
      namespace: "AWS/Kinesis",
      metric: "GetRecords.IteratorAgeMilliseconds",
      dimensions: { StreamName: props.kinesis.streamName },
      statistic: "Maximum",
      threshold: STREAM_BEHIND_MS,
      count: props.kinesis.count,
    });
    // Caught before events are lost: the collector retries throttled records for up to 8 s, and
    // only what is still refused then reaches visitors as a 503 (and the api-5xx alarm).
    alarm("stream-throttled", {
      // An on-demand stream has no shard count to raise: the way out differs with the mode.
      description: Token.asString(
        Fn.conditional(
          props.kinesis.onDemand,
          `Kinesis stream ${props.kinesis.streamName} (on-demand) refused writes: it takes at once up to twice its peak of the last 30 days, so a steeper surge is throttled while it scales`,
          `Kinesis stream ${props.kinesis.streamName} refused writes over its shards' limit (1 MiB/s or 1,000 records/s each): deploy with a higher kinesis_shard_count, or kinesis_stream_mode ON_DEMAND`,
        ),
      ),
      namespace: "AWS/Kinesis",
      metric: "WriteProvisionedThroughputExceeded",
      dimensions: { StreamName: props.kinesis.streamName },
      statistic: "Sum",
      threshold: 0,
      count: props.kinesis.count,
    });
  }
}
