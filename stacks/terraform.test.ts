// The synthesized stack checked by the real terraform binary and AWS provider, offline:
// init from the provider mirror in TF_PLUGIN_DIR, validate, and plan with credential checks skipped.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withFullSynth } from "./synthesized.ts";

const run = promisify(execFile);
const pluginDir = process.env.TF_PLUGIN_DIR;
const terraformBinary = process.env.TERRAFORM_BINARY_NAME ?? "terraform";
const slow = 300_000;

if (!pluginDir) {
  console.warn(
    "\n*** SKIPPED stacks/terraform.test.ts: TF_PLUGIN_DIR is not set. Point it at the folder holding " +
      "registry.terraform.io/hashicorp/aws/5.100.0 (.ci/run finds it) to validate and plan the stack. ***\n",
  );
}

const REQUIRED_VARS = [
  "-var",
  'allowed_origins=["https://example.com"]',
  "-var",
  "github_repository=octocat/site",
];

/** Provider settings that let a plan run without an AWS account; written only into the test's copy. */
const OFFLINE_PROVIDER = {
  provider: {
    aws: {
      access_key: "AKIAIOSFODNN7EXAMPLE",
      secret_key: "offline-plan-only",
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: "true",
      skip_region_validation: true,
    },
  },
};

/** IAM's StringLike: case-sensitive, `*` any run of characters, `?` any one character. */
function iamStringLike(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`).test(value);
}

interface PlannedChange {
  address: string;
  type: string;
  mode: "managed" | "data";
  change: { actions: string[] };
}
interface Plan {
  resource_changes: PlannedChange[];
  planned_values: {
    outputs: Record<string, { value?: unknown }>;
    root_module: { resources: { type: string; values: Record<string, unknown> }[] };
  };
}

describe.skipIf(!pluginDir)("terraform validate and plan (offline)", () => {
  let workdir = "";
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: "/dev/null",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
  };
  const terraform = async (...args: string[]) => {
    try {
      return await run(terraformBinary, args, { cwd: workdir, env, maxBuffer: 256 * 1024 * 1024 });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`terraform ${args[0]} failed:\n${stderr || stdout || String(error)}`);
    }
  };
  /** A plan with no state or lock, as validation of the variables needs no more. */
  const planOnly = (...args: string[]) =>
    terraform("plan", "-refresh=false", "-lock=false", "-no-color", ...args);
  const plan = async (name: string, vars: string[]): Promise<Plan> => {
    await planOnly(`-out=${name}.tfplan`, ...vars);
    const { stdout } = await terraform("show", "-json", `${name}.tfplan`);
    return JSON.parse(stdout) as Plan;
  };
  const created = (p: Plan) => p.resource_changes.filter((c) => c.mode === "managed");
  const addresses = (p: Plan) => new Set(created(p).map((c) => c.address));
  const lambdaEnv = (p: Plan) => {
    const lambda = p.planned_values.root_module.resources.find((r) => r.type === "aws_lambda_function");
    return (lambda?.values.environment as { variables: Record<string, string> }[])[0]?.variables ?? {};
  };

  let kinesisOn: Plan;
  let kinesisOff: Plan;

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), "ownstats-terraform-"));
    withFullSynth((stackDir) => cpSync(stackDir, workdir, { recursive: true }));
    // The copy plans without a backend: Terraform falls back to a local state nobody writes.
    const stackFile = join(workdir, "cdk.tf.json");
    const config = JSON.parse(readFileSync(stackFile, "utf8"));
    delete config.terraform.backend;
    writeFileSync(stackFile, JSON.stringify(config));
    writeFileSync(join(workdir, "offline_override.tf.json"), JSON.stringify(OFFLINE_PROVIDER));
    await terraform("init", "-backend=false", `-plugin-dir=${pluginDir}`, "-no-color");
    kinesisOn = await plan("kinesis-on", ["-var", "kinesis_stream_enabled=true", ...REQUIRED_VARS]);
    kinesisOff = await plan("kinesis-off", ["-var", "kinesis_stream_enabled=false", ...REQUIRED_VARS]);
  }, slow);

  afterAll(() => {
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });

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

  it(
    "trusts the run of the repository's main branch in both of GitHub's subject formats, and no other",
    async () => {
      const p = await plan("subjects", [
        "-var",
        'allowed_origins=["https://example.com"]',
        "-var",
        "github_repository=Octo-Cat/My.Site",
      ]);
      const patterns = p.planned_values.outputs.report_role_subjects?.value as string[];
      const trusts = (subject: string) => patterns.some((pattern) => iamStringLike(pattern, subject));
      // Repositories from before mid-2026 carry the names alone; newer ones (and renamed ones) carry ids too.
      expect(trusts("repo:Octo-Cat/My.Site:ref:refs/heads/main")).toBe(true);
      expect(trusts("repo:Octo-Cat@5417/My.Site@90210:ref:refs/heads/main")).toBe(true);
      for (const other of [
        "repo:Octo-Cat/My.Site:ref:refs/heads/feature",
        "repo:Octo-Cat/My.Site:pull_request",
        "repo:Octo-Cat/My.Site:environment:github-pages",
        "repo:Octo-Cat/My.Site2:ref:refs/heads/main",
        "repo:Octo-Cat@5417/My.Site-fork@1:ref:refs/heads/main",
        "repo:Octo-Cat@5417/My.Site@90210:ref:refs/heads/mainline",
        "repo:Other@1/My.Site@2:ref:refs/heads/main",
        // IAM's StringLike is case-sensitive: the README says to spell the name as GitHub does.
        "repo:octo-cat/my.site:ref:refs/heads/main",
      ]) {
        expect(trusts(other), other).toBe(false);
      }
    },
    slow,
  );

  it(
    "rejects out-of-range and malformed variables with a message naming them",
    async () => {
      const attempt = planOnly(
        "-var",
        "firehose_buffer_seconds=901",
        "-var",
        'allowed_origins=["https://example.com/"]',
        "-var",
        "github_repository=not-a-repository",
        "-var",
        "alarm_email=ops at example.com",
      );
      await expect(attempt).rejects.toThrow(/firehose_buffer_seconds must be a whole number from 0 to 900/);
      await expect(attempt).rejects.toThrow(/allowed_origins must list at least one origin/);
      await expect(attempt).rejects.toThrow(/github_repository must be "owner\/name"/);
      await expect(attempt).rejects.toThrow(/alarm_email must be an email address/);
    },
    slow,
  );

  it(
    "trusts the branch github_branch names, for a repository whose default branch is not main",
    async () => {
      const p = await plan("branch", [...REQUIRED_VARS, "-var", "github_branch=master"]);
      expect(p.planned_values.outputs.report_role_subjects?.value).toEqual([
        "repo:octocat/site:ref:refs/heads/master",
        "repo:octocat@*/site@*:ref:refs/heads/master",
      ]);
      for (const branch of ["*", "ma?n", "main:environment", "/main", "release//site"]) {
        const attempt = planOnly(...REQUIRED_VARS, "-var", `github_branch=${branch}`);
        await expect(attempt, branch).rejects.toThrow(/github_branch must be a branch name such as "main"/);
      }
    },
    slow,
  );

  it(
    "refuses a github_repository that would widen the role's trust through IAM's wildcards",
    async () => {
      // The trust condition is a StringLike: a `*` or `?` typed here would let other repositories in.
      for (const repository of ["octocat/*", "*/*", "octocat/site?", "octocat/site:ref:refs/heads/dev"]) {
        const attempt = planOnly(
          "-var",
          'allowed_origins=["https://example.com"]',
          "-var",
          `github_repository=${repository}`,
        );
        await expect(attempt, repository).rejects.toThrow(/github_repository must be "owner\/name"/);
      }
    },
    slow,
  );

  it(
    "rejects an origin that API Gateway's CORS would never match against a browser's Origin header",
    async () => {
      // Browsers send the scheme and host in lower case and leave out the default port; the API's
      // CORS compares the list as written, so such an entry leaves its site's requests unanswered.
      for (const origin of ["https://Example.com", "https://example.com:443", "http://example.com:80"]) {
        const attempt = planOnly(
          "-var",
          `allowed_origins=["${origin}"]`,
          "-var",
          "github_repository=octocat/site",
        );
        await expect(attempt, origin).rejects.toThrow(/allowed_origins must list at least one origin/);
      }
      const accepted = await plan("origins-with-ports", [
        "-var",
        'allowed_origins=["https://example.com:8443","http://localhost:3000"]',
        "-var",
        "github_repository=octocat/site",
      ]);
      expect(created(accepted).length).toBeGreaterThan(0);
    },
    slow,
  );
});
