// IAM of the synthesized stack: every grant is named, narrow, and bound to this account.
import { describe, expect, it } from "vitest";
import {
  onlyResource,
  policyDocuments,
  resourcesOf,
  type Statement,
  statementsOf,
  synthesizeStack,
} from "./synthesized.ts";

const { text, tf } = synthesizeStack();

const KINESIS_COUNT = "${var.kinesis_stream_enabled ? 1 : 0}";
const kinesisStream = Object.keys(resourcesOf(tf, "aws_kinesis_stream"))[0] as string;
const rolePolicy = (nameHint: string) =>
  statementsOf(tf, onlyResource(tf, "aws_iam_role_policy", nameHint).policy);
const trustOf = (nameHint: string) =>
  statementsOf(tf, onlyResource(tf, "aws_iam_role", nameHint).assume_role_policy);
const sorted = (values: string[]) => [...values].sort();

describe("least privilege", () => {
  const allStatements = policyDocuments(tf).flatMap(([name, statements]) =>
    statements.map((s) => ({ name, s })),
  );

  it("grants no wildcard action and no wildcard resource", () => {
    expect(allStatements.length).toBeGreaterThan(10);
    // A key policy sits on one KMS key, and there "*" names that key: its principals are what bound it.
    const isKeyPolicy = (name: string) => name.includes("key-policy");
    for (const { name, s } of allStatements.filter(({ s }) => s.effect === "Allow")) {
      for (const action of s.actions) expect(action, `${name}: ${action}`).not.toMatch(/^\*$|:\*$/);
      if (isKeyPolicy(name)) {
        expect(s.resources, name).toEqual(["*"]);
        for (const principal of s.principals ?? []) expect(principal.identifiers, name).not.toContain("*");
      } else {
        for (const resource of s.resources ?? []) expect(resource, `${name}: ${resource}`).not.toBe("*");
      }
    }
    // The only Deny statements are the bucket's TLS guard.
    const denies = allStatements.filter(({ s }) => s.effect === "Deny").map(({ name }) => name);
    expect(new Set(denies)).toEqual(new Set([expect.stringContaining("tls-only")]));
  });

  it("lets the collector put only to its delivery stream, its stream (when enabled) and its own logs", () => {
    const base = rolePolicy("collector_policy");
    // Only the batch calls its sinks make (functions/collect/*-sink.ts): no single-record puts.
    expect(base.map((s) => sorted(s.actions))).toEqual([
      ["logs:CreateLogStream", "logs:PutLogEvents"],
      ["firehose:PutRecordBatch"],
    ]);
    expect(base[0]?.resources).toEqual([
      expect.stringMatching(/aws_cloudwatch_log_group\.collector_logs_[^.]+\.arn\}:log-stream:\*$/),
    ]);
    expect(base[1]?.resources).toEqual([
      expect.stringMatching(/^\$\{aws_kinesis_firehose_delivery_stream\.direct-delivery_[^.]+\.arn\}$/),
    ]);

    const kinesisPolicy = onlyResource(tf, "aws_iam_role_policy", "collector_kinesis-policy");
    expect(kinesisPolicy.count).toBe(KINESIS_COUNT);
    expect(statementsOf(tf, kinesisPolicy.policy)).toEqual([
      expect.objectContaining({
        actions: ["kinesis:PutRecords"],
        resources: [`\${aws_kinesis_stream.${kinesisStream}.0.arn}`],
      }),
    ]);
  });

  it("gives each Firehose role only the documented S3 actions on this bucket, its log stream and its source", () => {
    for (const hint of ["direct-delivery", "stream-delivery"]) {
      const statements = rolePolicy(`${hint}_policy`);
      const bySid = Object.fromEntries(statements.map((s) => [s.sid, s]));
      expect(
        sorted([...(bySid.FindBucket?.actions ?? []), ...(bySid.WriteEventObjects?.actions ?? [])]),
      ).toEqual([
        "s3:AbortMultipartUpload",
        "s3:GetBucketLocation",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:ListBucketMultipartUploads",
        "s3:PutObject",
      ]);
      expect(bySid.WriteEventObjects?.resources).toEqual([
        expect.stringMatching(/\.arn\}\/raw\/\*$/),
        expect.stringMatching(/\.arn\}\/errors\/\*$/),
      ]);
      expect(bySid.LogDeliveryErrors?.actions).toEqual(["logs:PutLogEvents"]);
      // The one log stream this Firehose stream logs to, which Terraform creates: no CreateLogStream, no wildcard.
      const firehose = Object.values(resourcesOf(tf, "aws_kinesis_firehose_delivery_stream")).find(
        (f) => f.name === (hint === "direct-delivery" ? "ownstats-direct" : "ownstats-from-stream"),
      );
      const options = (firehose?.extended_s3_configuration as Record<string, Record<string, string>>)
        .cloudwatch_logging_options;
      const streamName = resourcesOf(tf, "aws_cloudwatch_log_stream")[
        /aws_cloudwatch_log_stream\.([^.}]+)/.exec(String(options?.log_stream_name))?.[1] as string
      ]?.name;
      expect(bySid.LogDeliveryErrors?.resources).toEqual([
        `\${aws_cloudwatch_log_group.${Object.keys(resourcesOf(tf, "aws_cloudwatch_log_group")).find((n) => n.startsWith("delivery-logs"))}.arn}:log-stream:${streamName}`,
      ]);
    }
    expect(rolePolicy("direct-delivery_policy").some((s) => s.sid === "ReadSourceStream")).toBe(false);
    const read = rolePolicy("stream-delivery_policy").find((s) => s.sid === "ReadSourceStream") as Statement;
    expect(sorted(read.actions)).toEqual([
      "kinesis:DescribeStream",
      "kinesis:GetRecords",
      "kinesis:GetShardIterator",
      "kinesis:ListShards",
    ]);
    expect(read.resources).toEqual([`\${aws_kinesis_stream.${kinesisStream}.0.arn}`]);
  });

  it("binds every service role to this account", () => {
    const account = (variable: string) => [
      { test: "StringEquals", variable, values: [expect.stringContaining("), 4)}")] },
    ];
    // Firehose's guide binds its role by the external id it passes (the stream owner's account);
    // Lambda's by aws:SourceAccount. Either statement admits only this account.
    for (const [hint, service, keys] of [
      ["collector_role", "lambda.amazonaws.com", ["aws:SourceAccount"]],
      ["direct-delivery_role", "firehose.amazonaws.com", ["aws:SourceAccount", "sts:ExternalId"]],
      ["stream-delivery_role", "firehose.amazonaws.com", ["aws:SourceAccount", "sts:ExternalId"]],
    ] as const) {
      const trust = trustOf(hint);
      expect(trust.map((s) => s.condition)).toEqual(keys.map(account));
      for (const s of trust) {
        expect(s.principals).toEqual([{ type: "Service", identifiers: [service] }]);
        expect(s.actions).toEqual(["sts:AssumeRole"]);
      }
    }
  });

  it("lets an AWS service act under any grant only for this account", () => {
    // Roles' trust, and the alarm topic and its key that CloudWatch publishes with: each names the
    // account, or another account's alarm or delivery stream could make the service act with it.
    const serviceGrants = allStatements.filter(({ s }) => s.principals?.some((p) => p.type === "Service"));
    expect([...new Set(serviceGrants.map(({ name }) => name))].sort()).toEqual([
      expect.stringContaining("alarms_key_key-policy"),
      expect.stringContaining("alarms_topic-policy-document"),
      expect.stringContaining("collector_trust"),
      expect.stringContaining("direct-delivery_trust"),
      expect.stringContaining("stream-delivery_trust"),
    ]);
    for (const { name, s } of serviceGrants) {
      const accountKeys = (s.condition ?? [])
        .filter((c) => c.test === "StringEquals" && String(c.values).includes("), 4)}"))
        .map((c) => c.variable);
      expect(accountKeys, name).toSatisfy((keys: string[]) =>
        keys.some((k) => k === "aws:SourceAccount" || k === "sts:ExternalId"),
      );
    }
    // Invoking the collector is the one grant a service gets outside a policy document.
    for (const permission of Object.values(resourcesOf(tf, "aws_lambda_permission"))) {
      expect(permission.source_arn).toMatch(/^\$\{aws_apigatewayv2_api\.[^.]+\.execution_arn\}\/\*\/POST/);
    }
  });

  it("refers to counted resources only through an instance index", () => {
    const counted = Object.entries(tf.resource).flatMap(([type, blocks]) =>
      Object.entries(blocks)
        .filter(([, b]) => b.count !== undefined)
        .map(([name]) => `${type}.${name}`),
    );
    expect(counted.length).toBeGreaterThanOrEqual(6);
    for (const address of counted) {
      const bareAttribute = new RegExp(`${address.replace(/[.]/g, "\\.")}\\.[a-z_]`);
      expect(text, address).not.toMatch(bareAttribute);
    }
  });
});

describe("report access", () => {
  it("creates the GitHub OIDC provider only when asked", () => {
    expect(onlyResource(tf, "aws_iam_openid_connect_provider")).toMatchObject({
      count: "${var.create_github_oidc_provider ? 1 : 0}",
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
  });

  it("can be assumed only by the configured branch of the configured repository", () => {
    const [trust] = trustOf("report-access_role");
    expect(trust?.actions).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(trust?.principals?.[0]?.type).toBe("Federated");
    expect(trust?.principals?.[0]?.identifiers[0]).toMatch(
      /oidc-provider\/token\.actions\.githubusercontent\.com/,
    );
    expect(trust?.condition).toEqual([
      {
        test: "StringEquals",
        variable: "token.actions.githubusercontent.com:aud",
        values: ["sts.amazonaws.com"],
      },
      {
        test: "StringLike",
        variable: "token.actions.githubusercontent.com:sub",
        values: [
          "repo:${var.github_repository}:ref:refs/heads/${var.github_branch}",
          'repo:${element(split("/", var.github_repository), 0)}@*/${element(split("/", var.github_repository), 1)}@*:ref:refs/heads/${var.github_branch}',
        ],
      },
    ]);
  });

  it("may list raw/ and read raw/ objects, nothing else", () => {
    const statements = rolePolicy("report-access_read-raw");
    expect(statements.map((s) => s.actions)).toEqual([["s3:ListBucket"], ["s3:GetObject"]]);
    expect(statements[0]?.condition).toEqual([
      { test: "StringLike", variable: "s3:prefix", values: ["raw/", "raw/*"] },
    ]);
    expect(statements[1]?.resources).toEqual([expect.stringMatching(/\.arn\}\/raw\/\*$/)]);
  });
});
