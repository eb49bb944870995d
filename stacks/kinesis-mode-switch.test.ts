// Switching a deployed Kinesis stream between provisioned and on-demand capacity (kinesis_stream_mode),
// planned by the real terraform binary and AWS provider, offline, from a state holding the stream.
import { writeFileSync } from "node:fs";
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
import { resourcesOf, synthesizeStack } from "./synthesized.ts";

warnWhenSkipped("stacks/kinesis-mode-switch.test.ts");

const streamName = Object.keys(resourcesOf(synthesizeStack().tf, "aws_kinesis_stream"))[0] as string;
const streamAddress = `aws_kinesis_stream.${streamName}[0]`;
const STREAM_ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/ownstats-events";

/**
 * A Terraform state holding only the deployed stream, as the provider reads one back: a provisioned
 * stream has its open shards as shard_count, an on-demand one none.
 */
function streamState(mode: "PROVISIONED" | "ON_DEMAND", shardCount: number | null) {
  return {
    version: 4,
    terraform_version: "1.10.0",
    serial: 1,
    lineage: "00000000-0000-4000-8000-000000000000",
    outputs: {},
    resources: [
      {
        mode: "managed",
        type: "aws_kinesis_stream",
        name: streamName,
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [
          {
            index_key: 0,
            schema_version: 1,
            attributes: {
              arn: STREAM_ARN,
              id: STREAM_ARN,
              name: "ownstats-events",
              encryption_type: "KMS",
              kms_key_id: "alias/aws/kinesis",
              enforce_consumer_deletion: false,
              retention_period: 24,
              shard_count: shardCount,
              shard_level_metrics: [],
              stream_mode_details: [{ stream_mode: mode }],
              tags: {},
              tags_all: { application: "ownstats" },
              timeouts: null,
            },
            sensitive_attributes: [],
          },
        ],
      },
    ],
  };
}

describe.skipIf(!pluginDir)("switching the Kinesis stream's capacity mode (offline plan)", () => {
  let tf: OfflineTerraform;

  /** The plan of deploying with `vars` over a stack whose stream is deployed in `deployed` mode. */
  const planOver = (name: string, deployed: ReturnType<typeof streamState>, vars: string[]) => {
    writeFileSync(join(tf.workdir, `${name}.tfstate`), JSON.stringify(deployed));
    return tf.plan(name, [`-state=${name}.tfstate`, ...REQUIRED_VARS, ...vars]);
  };
  /** Plans deploying `mode` (with `shards` when provisioned) over `deployed`; expects the stream updated in place. */
  const expectSwitchedInPlace = async (
    deployed: ReturnType<typeof streamState>,
    mode: "PROVISIONED" | "ON_DEMAND",
    shards: number | null,
  ) => {
    const from = deployed.resources[0]?.instances[0]?.attributes;
    const name = `${from?.stream_mode_details[0]?.stream_mode}-${from?.shard_count}-to-${mode}-${shards}`;
    const vars = ["-var", `kinesis_stream_mode=${mode}`];
    if (shards !== null) vars.push("-var", `kinesis_shard_count=${shards}`);
    const p = await planOver(name, deployed, vars);
    expect(created(p).find((c) => c.address === streamAddress)?.change.actions, name).toEqual(["update"]);
    // The same stream, so its unread records stay; only its capacity changes.
    expect(
      p.planned_values.root_module.resources.find((r) => r.type === "aws_kinesis_stream")?.values,
    ).toMatchObject({
      name: "ownstats-events",
      stream_mode_details: [{ stream_mode: mode }],
      shard_count: shards,
    });
  };

  beforeAll(async () => {
    tf = await openOfflineTerraform();
  }, slow);
  afterAll(() => tf?.close());

  it(
    "turns a provisioned stream on-demand in place, keeping its records and its name",
    () => expectSwitchedInPlace(streamState("PROVISIONED", 1), "ON_DEMAND", null),
    slow,
  );

  it(
    "turns an on-demand stream back to kinesis_shard_count provisioned shards in place",
    async () => {
      // The provider reads an on-demand stream back with no shard count, or with its open shards.
      await expectSwitchedInPlace(streamState("ON_DEMAND", null), "PROVISIONED", 1);
      await expectSwitchedInPlace(streamState("ON_DEMAND", 4), "PROVISIONED", 2);
    },
    slow,
  );

  it(
    "leaves everything but the stream and its throttle alarm's advice as a stack deployed in the other mode has it",
    async () => {
      const fresh = (mode: string) =>
        tf.plan(`fresh-${mode}`, [...REQUIRED_VARS, "-var", `kinesis_stream_mode=${mode}`]);
      const [provisioned, onDemand] = [await fresh("PROVISIONED"), await fresh("ON_DEMAND")];
      const byAddress = (p: Plan) =>
        Object.fromEntries(p.planned_values.root_module.resources.map((r) => [r.address, r.values]));
      const [a, b] = [byAddress(provisioned), byAddress(onDemand)];
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      const differing = Object.keys(a)
        .filter((address) => JSON.stringify(a[address]) !== JSON.stringify(b[address]))
        .sort();
      expect(differing).toEqual([
        expect.stringMatching(/^aws_cloudwatch_metric_alarm\.alarms_stream-throttled_.*\[0\]$/),
        streamAddress,
      ]);
      expect(provisioned.planned_values.outputs).toEqual(onDemand.planned_values.outputs);
    },
    slow,
  );
});
