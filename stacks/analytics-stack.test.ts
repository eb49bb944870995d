// Stack-wide contracts: Terraform version, variables, outputs, the README's example, the
// collector archive and the reviewed snapshot. Each construct's resources are tested in
// analytics-stack-resources.test.ts.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { onlyResource, synthesizeStack, withFullSynth } from "./synthesized.ts";

// One synth for the whole file: it bundles the collector, which is the slow part.
const { text, tf } = synthesizeStack();

const sorted = (values: string[]) => [...values].sort();
describe("terraform settings", () => {
  it("requires the Terraform the README asks for, so an older one stops at init saying which it needs", () => {
    expect(tf.terraform.required_version).toBe(">= 1.10");
  });
});

describe("variables", () => {
  it("declares every input with its default, and requires the two that have no safe one", () => {
    const defaults = Object.fromEntries(Object.entries(tf.variable).map(([name, v]) => [name, v.default]));
    expect(defaults).toEqual({
      kinesis_stream_enabled: true,
      kinesis_shard_count: 1,
      kinesis_stream_mode: "PROVISIONED",
      firehose_buffer_seconds: 300,
      firehose_buffer_mb: 128,
      raw_retention_days: 395,
      allowed_origins: undefined,
      collect_api_endpoint: "",
      api_throttle_rate: 50,
      api_throttle_burst: 100,
      lambda_reserved_concurrency: 10,
      github_repository: undefined,
      github_branch: "main",
      create_github_oidc_provider: true,
      alarm_email: "",
      encrypt_alarm_topic: false,
      tags: {},
    });
    expect(tf.variable.kinesis_stream_enabled?.type).toBe("bool");
    expect(tf.variable.allowed_origins?.type).toBe("list(string)");
  });

  it("describes github_repository by the branch github_branch names, not always main", () => {
    // Terraform shows this text when it asks for the variable; a master-branch site must not read "main".
    const description = String(tf.variable.github_repository?.description);
    expect(description).toContain("github_branch");
    expect(description).not.toMatch(/whose main branch/);
  });

  it("validates ranges and formats where Terraform can", () => {
    const validated = Object.entries(tf.variable)
      .filter(([, v]) => Array.isArray(v.validation) && v.validation.length > 0)
      .map(([name]) => name);
    expect(sorted(validated)).toEqual(
      sorted([
        "kinesis_shard_count",
        "kinesis_stream_mode",
        "firehose_buffer_seconds",
        "firehose_buffer_mb",
        "raw_retention_days",
        "allowed_origins",
        "collect_api_endpoint",
        "api_throttle_rate",
        "api_throttle_burst",
        "lambda_reserved_concurrency",
        "github_repository",
        "github_branch",
        "alarm_email",
        "tags",
      ]),
    );
    const bufferCheck = (tf.variable.firehose_buffer_seconds?.validation as { condition: string }[])[0];
    expect(bufferCheck?.condition).toContain("var.firehose_buffer_seconds <= 900");
  });
});

describe("outputs", () => {
  it("tells the user where to send events, where they land and how to read them", () => {
    expect(Object.keys(tf.output).sort()).toEqual([
      "alarm_topic_arn",
      "athena_workgroup",
      "bucket_name",
      "direct_delivery_stream_name",
      "events_endpoint",
      "glue_table",
      "kinesis_delivery_stream_name",
      "kinesis_stream_name",
      "raw_retention_days",
      "region",
      "report_role_arn",
      "report_role_subjects",
    ]);
    expect(tf.output.events_endpoint?.value).toMatch(/\.api_endpoint\}\/v1\/events$/);
    // The report workflow's AWS_REGION: the deploy set it at synth time, the output keeps it.
    expect(tf.output.region?.value).toBe("eu-west-1");
    expect(tf.output.raw_retention_days?.value).toBe("${var.raw_retention_days}");
    expect(tf.output.kinesis_stream_name?.value).toMatch(/^\$\{var\.kinesis_stream_enabled \? .* : ""\}$/);
  });

  it("are each named in both of the README's lists of outputs", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const lists = [
      ...readme.matchAll(/^(?:\*\*Outputs:\*\*|The outputs \(also[^)]*\):)([\s\S]*?)(?:\n\n)/gm),
    ];
    expect(lists).toHaveLength(2);
    for (const [, list] of lists) {
      const named = [...(list ?? "").matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).sort();
      expect(named).toEqual(Object.keys(tf.output).sort());
    }
  });
});

describe("README", () => {
  it("asks for deploy credentials allowed to create every kind of resource the stack has", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const prerequisite = /- An AWS account and credentials[\s\S]*?\n- /.exec(readme)?.[0] ?? "";
    const serviceOf: [RegExp, string][] = [
      [/^aws_apigatewayv2_/, "API Gateway"],
      [/^aws_athena_/, "Athena"],
      [/^aws_cloudwatch_log_/, "CloudWatch Logs"],
      [/^aws_cloudwatch_metric_alarm$/, "alarms"],
      [/^aws_glue_/, "Glue"],
      [/^aws_iam_/, "IAM"],
      [/^aws_kinesis_firehose_/, "Firehose"],
      [/^aws_kinesis_stream$/, "Kinesis"],
      [/^aws_kms_/, "KMS"],
      [/^aws_lambda_/, "Lambda"],
      [/^aws_s3_/, "S3"],
      [/^aws_sns_/, "SNS"],
    ];
    for (const type of Object.keys(tf.resource)) {
      const service = serviceOf.find(([pattern]) => pattern.test(type))?.[1];
      expect(service, `${type} has no service named here`).toBeDefined();
      expect(prerequisite.replace(/\s+/g, " "), type).toContain(service);
    }
  });

  it("runs its Athena example in the stack's workgroup, which holds the result location, on the stack's table", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const example =
      /aws athena start-query-execution --work-group (\S+) \\\n\s*--query-string "([^"]+)"/.exec(readme);
    const workgroup = onlyResource(tf, "aws_athena_workgroup");
    expect(example?.[1]).toBe(workgroup.name);
    expect(workgroup.configuration).toMatchObject({ enforce_workgroup_configuration: true });
    const database = onlyResource(tf, "aws_glue_catalog_database").name;
    const table = onlyResource(tf, "aws_glue_catalog_table").name;
    expect(example?.[2]).toContain(`FROM ${database}.${table} WHERE year = `);
  });
});

describe("collector archive", () => {
  const archiveDigest = () =>
    withFullSynth((stackDir) => {
      const filename = String(
        onlyResource(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")), "aws_lambda_function")
          .filename,
      );
      return createHash("sha256")
        .update(readFileSync(join(stackDir, filename)))
        .digest("base64");
    });

  it("is the same bytes on every synth of the same code, so a deploy does not replace unchanged code", async () => {
    const first = archiveDigest();
    // Zip entries carry a file time with two-second steps: let the clock move past one.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(archiveDigest()).toBe(first);
  }, 60_000);
});

describe("snapshot", () => {
  it("matches the reviewed Terraform, with volatile values scrubbed", async () => {
    const scrubbed = text
      .replace(/collector_bundle_([0-9A-F]+)\/[0-9A-F]{32}\//g, "collector_bundle_$1/<ASSET_HASH>/")
      .replace(/"path": "[^"]*terraform\.ownstats\.tfstate"/g, '"path": "<STATE_FILE>"');
    expect(scrubbed).not.toMatch(/[0-9A-F]{32}/);
    await expect(`${scrubbed}\n`).toMatchFileSnapshot("__snapshots__/ownstats.cdk.tf.json");
  });
});
