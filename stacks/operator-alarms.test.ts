import { describe, expect, it } from "vitest";
import { DELIVERY_LATE_SECONDS, STREAM_BEHIND_MS } from "./operator-alarms.ts";
import { type Block, onlyResource, resourcesOf, statementsOf, synthesizeStack } from "./synthesized.ts";

const { tf } = synthesizeStack();

const KINESIS_COUNT = "${var.kinesis_stream_enabled ? 1 : 0}";
const alarms = Object.values(resourcesOf(tf, "aws_cloudwatch_metric_alarm"));
const topicArn = `\${aws_sns_topic.${Object.keys(resourcesOf(tf, "aws_sns_topic"))[0]}.arn}`;
const alarmOn = (namespace: string, metric: string) =>
  alarms.filter((a) => a.namespace === namespace && a.metric_name === metric);
const reference = (type: string, nameHint: string, attribute: string) =>
  `\${${type}.${Object.keys(resourcesOf(tf, type)).find((n) => n.includes(nameHint))}.${attribute}}`;

/** CloudWatch acting for an alarm of this stack, in this account and region (confused-deputy protection). */
const fromTheStacksAlarms = [
  { test: "StringEquals", variable: "aws:SourceAccount", values: [expect.stringContaining("), 4)}")] },
  {
    test: "ArnLike",
    variable: "aws:SourceArn",
    values: [
      expect.stringMatching(/^arn:\$\{.*\}:cloudwatch:\$\{.*, 3\)\}:\$\{.*, 4\)\}:alarm:ownstats-\*$/),
    ],
  },
];

describe("operator alarms", () => {
  it("tell the alarm topic when each goes off and clears, and stay quiet on a site without traffic", () => {
    expect(alarms.length).toBeGreaterThanOrEqual(7);
    for (const alarm of alarms) {
      expect(alarm.alarm_actions, String(alarm.alarm_name)).toEqual([topicArn]);
      expect(alarm.ok_actions, String(alarm.alarm_name)).toEqual([topicArn]);
      expect(alarm.treat_missing_data).toBe("notBreaching");
      expect(alarm.comparison_operator).toBe("GreaterThanThreshold");
    }
  });

  it("watch the API's 5xx answers and the collector's errors and throttles", () => {
    const [api5xx] = alarmOn("AWS/ApiGateway", "5xx");
    expect(api5xx?.dimensions).toEqual({ ApiId: reference("aws_apigatewayv2_api", "ingest-api", "id") });
    const functionName = reference("aws_lambda_function", "collector", "function_name");
    for (const metric of ["Errors", "Throttles"]) {
      const [alarm] = alarmOn("AWS/Lambda", metric);
      expect(alarm, metric).toMatchObject({ dimensions: { FunctionName: functionName }, statistic: "Sum" });
      expect(alarm?.threshold).toBe(0);
    }
  });

  it("watch every Firehose stream's delivery to S3, and the Kinesis stream's reader only with the stream", () => {
    const late = alarmOn("AWS/Firehose", "DeliveryToS3.DataFreshness");
    const byStream = Object.fromEntries(
      late.map((a) => [(a.dimensions as Record<string, string>).DeliveryStreamName, a]),
    );
    expect(Object.keys(byStream).sort()).toEqual(
      Object.values(resourcesOf(tf, "aws_kinesis_firehose_delivery_stream"))
        .map((s) => s.name)
        .sort(),
    );
    expect(byStream["ownstats-direct"]?.count).toBeUndefined();
    expect(byStream["ownstats-from-stream"]?.count).toBe(KINESIS_COUNT);
    // Longer than the longest buffer Firehose may hold events for (900 s), or it would cry wolf.
    for (const alarm of late) expect(alarm.threshold).toBe(DELIVERY_LATE_SECONDS);
    expect(DELIVERY_LATE_SECONDS).toBeGreaterThan(900);

    const [unread] = alarmOn("AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds");
    expect(unread).toMatchObject({
      count: KINESIS_COUNT,
      dimensions: { StreamName: onlyResource(tf, "aws_kinesis_stream").name },
      statistic: "Maximum",
      threshold: STREAM_BEHIND_MS,
    });
    expect(STREAM_BEHIND_MS).toBeLessThan(
      Number(onlyResource(tf, "aws_kinesis_stream").retention_period) * 3_600_000,
    );
  });

  it("watch the Kinesis stream's writes being throttled, only with the stream, naming the way out", () => {
    const [throttled] = alarmOn("AWS/Kinesis", "WriteProvisionedThroughputExceeded");
    expect(throttled).toMatchObject({
      count: KINESIS_COUNT,
      dimensions: { StreamName: onlyResource(tf, "aws_kinesis_stream").name },
      statistic: "Sum",
      threshold: 0,
    });
    expect(throttled?.alarm_description).toContain("kinesis_shard_count");
    expect(onlyResource(tf, "aws_kinesis_stream").shard_count).toContain("var.kinesis_shard_count");
  });

  it("name the way out that the stream's capacity mode has: more shards, or on-demand's own scaling", () => {
    const [throttled] = alarmOn("AWS/Kinesis", "WriteProvisionedThroughputExceeded");
    const description = /^\$\{\(var\.kinesis_stream_mode == "ON_DEMAND"\) \? "(.*)" : "(.*)"\}$/.exec(
      String(throttled?.alarm_description),
    );
    const [, onDemand, provisioned] = description ?? [];
    expect(provisioned).toContain("deploy with a higher kinesis_shard_count");
    // An on-demand stream has no shard count: telling its operator to raise one would mislead.
    expect(onDemand).toContain("on-demand");
    expect(onDemand).not.toContain("kinesis_shard_count");
  });

  it("mail alarm_email only when one is given, and name the topic for other subscribers", () => {
    const subscription = onlyResource(tf, "aws_sns_topic_subscription") as Block;
    expect(subscription).toMatchObject({
      count: "${length(compact([var.alarm_email]))}",
      protocol: "email",
      endpoint: "${var.alarm_email}",
      topic_arn: topicArn,
    });
    expect(tf.output.alarm_topic_arn?.value).toBe(topicArn);
  });

  it("let only the stack's alarms publish to the topic, not any service acting for the account", () => {
    const policy = onlyResource(tf, "aws_sns_topic_policy");
    expect(policy.arn).toBe(topicArn);
    expect(statementsOf(tf, policy.policy)).toEqual([
      {
        sid: "CloudWatchPublishesAlarms",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
        actions: ["sns:Publish"],
        resources: [topicArn],
        condition: fromTheStacksAlarms,
      },
    ]);
    for (const alarm of alarms) expect(alarm.alarm_name).toMatch(/^ownstats-/);
  });

  it("encrypt the topic, when encrypt_alarm_topic asks, with a key of its own that lets CloudWatch publish", () => {
    expect(tf.variable.encrypt_alarm_topic).toMatchObject({ type: "bool", default: false });
    const keyCount = "${var.encrypt_alarm_topic ? 1 : 0}";
    const keyName = Object.keys(resourcesOf(tf, "aws_kms_key"))[0];
    const key = onlyResource(tf, "aws_kms_key");
    expect(key.count).toBe(keyCount);
    expect(onlyResource(tf, "aws_kms_alias")).toMatchObject({
      count: keyCount,
      name: "alias/ownstats-alarms",
    });
    // The AWS-managed alias/aws/sns key would take the alarms' messages and drop them.
    expect(onlyResource(tf, "aws_sns_topic").kms_master_key_id).toBe(
      `\${var.encrypt_alarm_topic ? aws_kms_key.${keyName}.0.arn : null}`,
    );

    const statements = statementsOf(tf, key.policy);
    const services = statements.flatMap((s) =>
      (s.principals ?? []).filter((p) => p.type === "Service").flatMap((p) => p.identifiers),
    );
    expect(services).toEqual(["cloudwatch.amazonaws.com"]);
    const cloudwatch = statements.find((s) => s.principals?.[0]?.type === "Service");
    expect([...(cloudwatch?.actions ?? [])].sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
    // Only for this account's alarms of this stack, named like the ones above.
    expect(cloudwatch?.condition).toEqual(fromTheStacksAlarms);
    // The account manages the key but reads nothing with it.
    const account = statements.find((s) => s.principals?.[0]?.type === "AWS");
    expect(account?.principals?.[0]?.identifiers).toEqual([expect.stringMatching(/^arn:.*:iam::.*:root$/)]);
    for (const action of account?.actions ?? [])
      expect(action).not.toMatch(/^kms:(\*|Decrypt|Encrypt|GenerateDataKey|ReEncrypt)/);
  });
});
