// The synthesized stack checked by the real terraform binary and AWS provider, offline: validate,
// and plans of both Kinesis modes and of the settings that change what is created.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  created,
  type OfflineTerraform,
  openOfflineTerraform,
  type Plan,
  pluginDir,
  REQUIRED_VARS,
  slow,
  warnWhenSkipped,
} from "./offline-terraform.ts";

warnWhenSkipped("stacks/terraform.test.ts");

describe.skipIf(!pluginDir)("terraform validate and plan (offline)", () => {
  let tf: OfflineTerraform;
  let workdir = "";
  const terraform = (...args: string[]) => tf.terraform(...args);
  const planOnly = (...args: string[]) => tf.planOnly(...args);
  const plan = (name: string, vars: string[]) => tf.plan(name, vars);
  const addresses = (p: Plan) => new Set(created(p).map((c) => c.address));
  const lambdaEnv = (p: Plan) => {
    const lambda = p.planned_values.root_module.resources.find((r) => r.type === "aws_lambda_function");
    return (lambda?.values.environment as { variables: Record<string, string> }[])[0]?.variables ?? {};
  };

  let kinesisOn: Plan;
  let kinesisOff: Plan;

  beforeAll(async () => {
    tf = await openOfflineTerraform();
    workdir = tf.workdir;
    kinesisOn = await plan("kinesis-on", ["-var", "kinesis_stream_enabled=true", ...REQUIRED_VARS]);
    kinesisOff = await plan("kinesis-off", ["-var", "kinesis_stream_enabled=false", ...REQUIRED_VARS]);
  }, slow);

  afterAll(() => tf?.close());

  it("is valid Terraform for the AWS provider", async () => {
    const { stdout } = await terraform("validate", "-json");
    const result = JSON.parse(stdout) as { valid: boolean; error_count: number; diagnostics: unknown[] };
    expect(result.diagnostics).toEqual([]);
    expect(result).toMatchObject({ valid: true, error_count: 0 });
  });

  it("plans only creations, and the whole pipeline in both modes", () => {
    for (const p of [kinesisOn, kinesisOff]) {
      expect(created(p).every((c) => c.change.actions.join() === "create")).toBe(true);
      const types = new Set(created(p).map((c) => c.type));
      for (const type of [
        "aws_s3_bucket",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_lifecycle_configuration",
        "aws_kinesis_firehose_delivery_stream",
        "aws_lambda_function",
        "aws_lambda_permission",
        "aws_apigatewayv2_api",
        "aws_apigatewayv2_route",
        "aws_apigatewayv2_stage",
        "aws_iam_openid_connect_provider",
        "aws_glue_catalog_table",
        "aws_athena_workgroup",
        "aws_cloudwatch_metric_alarm",
        "aws_sns_topic",
      ]) {
        expect(types, type).toContain(type);
      }
    }
  });

  it("adds the Kinesis stream and its Firehose stream only when enabled, and everything else in both", () => {
    const on = addresses(kinesisOn);
    const off = addresses(kinesisOff);
    for (const address of off) expect(on, address).toContain(address);
    const onlyWhenEnabled = [...on].filter((a) => !off.has(a)).sort();
    expect(onlyWhenEnabled).toEqual([
      expect.stringMatching(/^aws_cloudwatch_log_stream\.stream-delivery_.*\[0\]$/),
      expect.stringMatching(/^aws_cloudwatch_metric_alarm\.alarms_stream-delivery-late_.*\[0\]$/),
      expect.stringMatching(/^aws_cloudwatch_metric_alarm\.alarms_stream-throttled_.*\[0\]$/),
      expect.stringMatching(/^aws_cloudwatch_metric_alarm\.alarms_stream-unread_.*\[0\]$/),
      expect.stringMatching(/^aws_iam_role\.stream-delivery_.*\[0\]$/),
      expect.stringMatching(/^aws_iam_role_policy\.collector_kinesis-policy_.*\[0\]$/),
      expect.stringMatching(/^aws_iam_role_policy\.stream-delivery_.*\[0\]$/),
      expect.stringMatching(/^aws_kinesis_firehose_delivery_stream\.stream-delivery_.*\[0\]$/),
      expect.stringMatching(/^aws_kinesis_stream\.event-stream_.*\[0\]$/),
    ]);
    expect(created(kinesisOff).filter((c) => c.type === "aws_kinesis_firehose_delivery_stream")).toHaveLength(
      1,
    );
  });

  it("points the collector at the sink the switch selects", () => {
    expect(lambdaEnv(kinesisOn)).toMatchObject({ SINK: "kinesis", KINESIS_STREAM_NAME: "ownstats-events" });
    expect(lambdaEnv(kinesisOff)).toMatchObject({ SINK: "firehose", KINESIS_STREAM_NAME: "" });
    for (const p of [kinesisOn, kinesisOff]) {
      expect(lambdaEnv(p)).toMatchObject({
        FIREHOSE_STREAM_NAME: "ownstats-direct",
        ALLOWED_ORIGINS: "https://example.com",
      });
    }
    expect(kinesisOff.planned_values.outputs.kinesis_stream_name?.value).toBe("");
    expect(kinesisOn.planned_values.outputs.kinesis_delivery_stream_name?.value).toBe("ownstats-from-stream");
  });

  it(
    "plans an on-demand stream with no shard count, read, written to, watched and named as a provisioned one",
    async () => {
      const kinesisStream = (p: Plan) =>
        p.planned_values.root_module.resources.find((r) => r.type === "aws_kinesis_stream")?.values;
      const onDemand = await plan("kinesis-on-demand", [
        ...REQUIRED_VARS,
        "-var",
        "kinesis_stream_mode=ON_DEMAND",
      ]);
      // The provider refuses the plan outright if a shard count is set on an on-demand stream.
      expect(kinesisStream(onDemand)).toMatchObject({
        stream_mode_details: [{ stream_mode: "ON_DEMAND" }],
        shard_count: null,
      });
      expect(kinesisStream(kinesisOn)).toMatchObject({
        stream_mode_details: [{ stream_mode: "PROVISIONED" }],
        shard_count: 1,
      });
      expect(addresses(onDemand)).toEqual(addresses(kinesisOn));
      expect(lambdaEnv(onDemand)).toMatchObject({ SINK: "kinesis", KINESIS_STREAM_NAME: "ownstats-events" });
      expect(onDemand.planned_values.outputs.kinesis_stream_name?.value).toBe("ownstats-events");
      expect(onDemand.planned_values.outputs.kinesis_delivery_stream_name?.value).toBe(
        "ownstats-from-stream",
      );
    },
    slow,
  );

  it("plans the collector's code hash as Lambda reports it, so an unchanged collector plans no update", () => {
    // Lambda reports CodeSha256, the base64 SHA-256 of the zip, and the provider stores it as
    // source_code_hash: any other value in the configuration is a change on every plan.
    const lambda = kinesisOn.planned_values.root_module.resources.find(
      (r) => r.type === "aws_lambda_function",
    );
    const archive = readFileSync(join(workdir, String(lambda?.values.filename)));
    expect(lambda?.values.source_code_hash).toBe(createHash("sha256").update(archive).digest("base64"));
  });

  it(
    "mails the alarms to alarm_email only when one is given",
    async () => {
      const subscriptions = (p: Plan) =>
        p.planned_values.root_module.resources.filter((r) => r.type === "aws_sns_topic_subscription");
      expect(subscriptions(kinesisOff)).toEqual([]);
      const mailed = await plan("alarm-email", [...REQUIRED_VARS, "-var", "alarm_email=ops@example.com"]);
      expect(subscriptions(mailed).map((r) => r.values)).toEqual([
        expect.objectContaining({ protocol: "email", endpoint: "ops@example.com" }),
      ]);
    },
    slow,
  );

  it(
    "encrypts the alarm topic with a key of its own only when encrypt_alarm_topic asks",
    async () => {
      const ofType = (p: Plan, type: string) =>
        p.planned_values.root_module.resources.filter((r) => r.type === type);
      expect(ofType(kinesisOff, "aws_kms_key")).toEqual([]);
      const encrypted = await plan("alarm-key", [...REQUIRED_VARS, "-var", "encrypt_alarm_topic=true"]);
      expect(ofType(encrypted, "aws_kms_key").map((r) => r.values)).toEqual([
        expect.objectContaining({ enable_key_rotation: false, deletion_window_in_days: 7 }),
      ]);
      expect(ofType(encrypted, "aws_kms_alias").map((r) => r.values.name)).toEqual(["alias/ownstats-alarms"]);
    },
    slow,
  );

  it(
    "puts the operator's tags on every taggable resource, beside application, and refuses AWS's reserved keys",
    async () => {
      const tagged = await plan("tags", [...REQUIRED_VARS, "-var", 'tags={"cost-center"="web"}']);
      const taggable = tagged.planned_values.root_module.resources.filter(
        (r) => "tags_all" in (r.values ?? {}),
      );
      expect(taggable.map((r) => r.type)).toContain("aws_s3_bucket");
      for (const r of taggable) {
        expect(r.values.tags_all, r.type).toEqual({ application: "ownstats", "cost-center": "web" });
      }
      const reserved = planOnly(...REQUIRED_VARS, "-var", 'tags={"aws:owner"="me"}');
      await expect(reserved).rejects.toThrow(/tags must map keys of 1-128 characters/);
    },
    slow,
  );

  it(
    "deletes failed deliveries and query results no later than raw events, when raw_retention_days is short",
    async () => {
      const expiryDays = async (rawDays: number) => {
        const p = await plan(`retention-${rawDays}`, [
          ...REQUIRED_VARS,
          "-var",
          `raw_retention_days=${rawDays}`,
        ]);
        const lifecycle = p.planned_values.root_module.resources.find(
          (r) => r.type === "aws_s3_bucket_lifecycle_configuration",
        );
        const rules = lifecycle?.values.rule as {
          filter: { prefix: string }[];
          expiration: { days: number }[];
        }[];
        return Object.fromEntries(
          rules
            .filter((r) => r.expiration.length > 0)
            .map((r) => [r.filter[0]?.prefix, r.expiration[0]?.days]),
        );
      };
      expect(await expiryDays(3)).toEqual({ "raw/": 3, "errors/": 3, "athena-results/": 3 });
      expect(await expiryDays(395)).toEqual({ "raw/": 395, "errors/": 30, "athena-results/": 7 });
    },
    slow,
  );

  it(
    "leaves an existing GitHub OIDC provider alone when told the account has one",
    async () => {
      const existing = await plan("existing-oidc", [
        "-var",
        "create_github_oidc_provider=false",
        ...REQUIRED_VARS,
      ]);
      const types = created(existing).map((c) => c.type);
      expect(types).not.toContain("aws_iam_openid_connect_provider");
      expect(created(existing).map((c) => c.address)).toContainEqual(
        expect.stringMatching(/^aws_iam_role\.report-access_/),
      );
    },
    slow,
  );
});
