// The GitHub workflows: valid against GitHub's workflow schema (action-validator), carrying the keys
// the scheduled reports and CI depend on. The report job's commands run in workflows-reports-run.test.ts.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { synthesizeStack } from "../stacks/synthesized.ts";
import { tempFolder } from "./temp-folders.ts";
import {
  type Job,
  job,
  load,
  runs,
  type Step,
  source,
  stepIndex,
  uses,
  type Workflow,
} from "./workflow-kit.ts";

const require = createRequire(import.meta.url);
const { validateWorkflow } = require("@action-validator/core") as typeof import("@action-validator/core");

const majorOf = (version: string) => Number(version.split(".")[0]);
/** "20.19" from package.json's `engines.node` of ">=20.19". */
const enginesFloor = () =>
  String(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).engines.node).replace(
    ">=",
    "",
  );
/** The Node versions CI's test job runs in. */
const ciNodeVersions = () =>
  (
    (load("ci.yml").jobs.test as Job & { strategy?: { matrix?: { node?: string[] } } }).strategy?.matrix
      ?.node ?? []
  ).map(String);

describe.each(["reports.yml", "ci.yml"])("%s", (name) => {
  it("parses as YAML without warnings", () => {
    const doc = parseDocument(source(name));
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
  });

  it("passes GitHub's workflow schema", () => {
    expect(validateWorkflow(source(name)).errors).toEqual([]);
  });

  it("pins every action to an exact release or commit", () => {
    const all = Object.values(load(name).jobs).flatMap((j) => j.steps.map((s) => s.uses).filter(Boolean));
    expect(all.length).toBeGreaterThan(0);
    for (const ref of all)
      expect(ref).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w.-]+)*@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
  });
});

describe("the schema check", () => {
  it("rejects a job without runs-on", () => {
    const broken = source("ci.yml").replace(/^ {4}runs-on: .*\n/m, "");
    expect(broken).not.toContain("runs-on");
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });
});

describe("scheduled reports", () => {
  const workflow = load("reports.yml");
  const build = job(workflow, "build");
  const steps = build.steps;

  it("runs hourly, not at minute 0, and on demand", () => {
    const schedule = workflow.on.schedule as { cron: string }[];
    expect(schedule).toHaveLength(1);
    const [minute, ...rest] = (schedule[0]?.cron ?? "").split(/\s+/);
    expect(rest).toEqual(["*", "*", "*", "*"]);
    expect(minute).toMatch(/^\d+$/);
    expect(Number(minute)).toBeGreaterThanOrEqual(1);
    expect(Number(minute)).toBeLessThanOrEqual(59);
    expect(workflow.on).toHaveProperty("workflow_dispatch");
  });

  it("gives the build an OIDC token and read access to the code, and only the deploy the right to publish", () => {
    expect(workflow.permissions).toEqual({});
    expect(build.permissions).toEqual({ "id-token": "write", contents: "read" });
    expect(job(workflow, "deploy").permissions).toEqual({ pages: "write", "id-token": "write" });
  });

  it("assumes the report role from the repository variables", () => {
    const credentials = steps[stepIndex(steps, uses("aws-actions/configure-aws-credentials"), "credentials")];
    expect(credentials?.with).toEqual({
      "role-to-assume": "${{ vars.OWNSTATS_REPORT_ROLE_ARN }}",
      "aws-region": "${{ vars.AWS_REGION }}",
    });
  });

  it("names the run's repository and branch when AWS refuses the role, and only then", async () => {
    const credentials = stepIndex(steps, uses("aws-actions/configure-aws-credentials"), "credentials");
    const explain = steps[credentials + 1];
    expect(steps[credentials]?.id).toBe("credentials");
    expect(explain?.if).toBe("failure() && steps.credentials.outcome == 'failure'");
    expect(explain?.env).toEqual({ REPOSITORY: "${{ github.repository }}", REF: "${{ github.ref }}" });
    const result = await promisify(execFile)("bash", ["-e", "-c", explain?.run ?? ""], {
      env: { ...process.env, REPOSITORY: "Octo-Cat/My-Site", REF: "refs/heads/main" },
    }).then(
      () => ({ code: 0, stdout: "" }),
      (e: { code: number; stdout: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::AWS did not let this run (Octo-Cat/My-Site, refs/heads/main)");
    expect(result.stdout).toContain(
      "repo:Octo-Cat/My-Site:ref:refs/heads/main with the report_role_subjects output",
    );
    expect(result.stdout).toContain("github_repository=Octo-Cat/My-Site");
  });

  it("caches the data folder across runs, saving what sync fetched even when the build fails", () => {
    const restore = steps[stepIndex(steps, uses("actions/cache/restore"), "cache restore")];
    expect(restore?.with?.path).toBe("data");
    expect(String(restore?.with?.key)).toContain("${{ github.run_id }}");
    expect(String(restore?.with?.["restore-keys"]).trim()).toBe("ownstats-data-");
    const saveAt = stepIndex(steps, uses("actions/cache/save"), "cache save");
    expect(saveAt).toBeGreaterThan(stepIndex(steps, runs("npx ownstats build"), "build"));
    const save = steps[saveAt];
    expect(save?.with).toEqual({ path: "data", key: restore?.with?.key });
    // A failed step skips every later step that has no `if`; this one runs after a failed sync or build.
    expect(save?.if).toBe(
      "${{ !cancelled() && (steps.sync.outcome == 'success' || steps.sync.outcome == 'failure') }}",
    );
    expect(steps.find(runs("npx ownstats sync"))?.id).toBe("sync");
    // The commands (and the build's reading of needs-full-refresh) use the folder that is cached.
    expect(build.env?.OWNSTATS_DATA).toBe(restore?.with?.path);
  });

  it("sends the alerts after the build and before the cache save, without stopping the publish", () => {
    const alertsAt = stepIndex(steps, runs("npx ownstats alerts"), "alerts");
    expect(alertsAt).toBeGreaterThan(stepIndex(steps, runs("npx ownstats build"), "build"));
    // DATA/alerts.json, which keeps an alert from being sent twice, is saved with the data folder.
    expect(alertsAt).toBeLessThan(stepIndex(steps, uses("actions/cache/save"), "cache save"));
    const alerts = steps[alertsAt] as Step & { "continue-on-error"?: boolean };
    expect(alerts["continue-on-error"]).toBe(true);
    expect(alerts.if).toBeUndefined();
    expect(alerts.env).toEqual({ OWNSTATS_ALERT_WEBHOOK: "${{ secrets.OWNSTATS_ALERT_WEBHOOK }}" });
  });

  it("stops a long first sync before the job times out, so the cache save keeps what it fetched for the next run", () => {
    const sync = steps[stepIndex(steps, runs("npx ownstats sync"), "sync")] as Step & {
      "timeout-minutes"?: number;
    };
    const jobTimeout = (build as Job & { "timeout-minutes"?: number })["timeout-minutes"] ?? 360;
    // A job past its timeout is cancelled, and `!cancelled()` then skips the save; a step past its own fails.
    expect(sync["timeout-minutes"]).toBeGreaterThan(0);
    expect(sync["timeout-minutes"]).toBeLessThanOrEqual(jobTimeout - 10);
    const save = steps[stepIndex(steps, uses("actions/cache/save"), "cache save")];
    expect(save?.if).toContain("steps.sync.outcome == 'failure'");
  });

  it("syncs the bucket named by the repository variable, then builds, then uploads data/site", () => {
    const cache = stepIndex(steps, uses("actions/cache/restore"), "cache");
    const credentials = stepIndex(steps, uses("aws-actions/configure-aws-credentials"), "credentials");
    const sync = stepIndex(steps, runs("npx ownstats sync --bucket"), "sync");
    const buildStep = stepIndex(steps, runs("npx ownstats build"), "build");
    const upload = stepIndex(steps, uses("actions/upload-pages-artifact"), "upload");
    expect(cache).toBeLessThan(sync);
    expect(credentials).toBeLessThan(sync);
    expect(sync).toBeLessThan(buildStep);
    expect(buildStep).toBeLessThan(upload);
    expect(steps[sync]?.run).toBe(
      'npx ownstats sync --bucket "$OWNSTATS_BUCKET" --raw-retention-days "$OWNSTATS_RAW_RETENTION_DAYS"',
    );
    expect(build.env?.OWNSTATS_BUCKET).toBe("${{ vars.OWNSTATS_BUCKET }}");
    expect(build.env?.OWNSTATS_RAW_RETENTION_DAYS).toBe("${{ vars.OWNSTATS_RAW_RETENTION_DAYS }}");
    expect(steps[upload]?.with).toEqual({ path: "data/site" });
  });

  it("installs a Node version pinned exactly, the newest one CI tests and one the package supports", () => {
    const setup = steps[stepIndex(steps, uses("actions/setup-node"), "setup-node")];
    const version = String(setup?.with?.["node-version"]);
    const tested = ciNodeVersions();
    expect(tested).toContain(version);
    expect(majorOf(version)).toBe(Math.max(...tested.map(majorOf)));
    expect(majorOf(version)).toBeGreaterThanOrEqual(majorOf(enginesFloor()));
  });

  it("deploys the artifact to the github-pages environment in a second job", () => {
    const deploy = job(workflow, "deploy");
    expect(deploy.needs).toBe("build");
    expect(deploy.environment?.name).toBe("github-pages");
    expect(deploy.environment?.url).toBe("${{ steps.deployment.outputs.page_url }}");
    expect(deploy.permissions).toEqual({ pages: "write", "id-token": "write" });
    const step = deploy.steps.find(uses("actions/deploy-pages"));
    expect(step?.id).toBe("deployment");
  });
});

describe("CI", () => {
  const workflow = load("ci.yml");

  it("runs the CI script on every push and pull request", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push"]);
    const test = job(workflow, "test");
    expect(test.steps.some((s) => s.run === "bash .ci/run")).toBe(true);
  });

  it("cancels superseded runs of branches and pull requests, never a run of main", () => {
    const { concurrency } = workflow as Workflow & { concurrency?: Record<string, unknown> };
    expect(concurrency).toEqual({
      group: "ci-${{ github.ref }}",
      "cancel-in-progress": "${{ github.ref != 'refs/heads/main' }}",
    });
  });

  it("installs Terraform at an exact version, without the output wrapper", () => {
    const setup = job(workflow, "test").steps.find(uses("hashicorp/setup-terraform"));
    expect(String(setup?.with?.terraform_version)).toMatch(/^\d+\.\d+\.\d+$/);
    expect(setup?.with?.terraform_wrapper).toBe(false);
  });

  it("runs in Debian Node images pinned to exact versions, as root for apt-get", () => {
    expect(job(workflow, "test").container).toBe("node:${{ matrix.node }}-bookworm");
    for (const version of ciNodeVersions()) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("tests the oldest Node the package supports", () => {
    const [floorMajor, floorMinor] = enginesFloor().split(".").map(Number);
    const oldest = ciNodeVersions().find((v) => majorOf(v) === floorMajor);
    expect(oldest).toBeDefined();
    expect(Number(oldest?.split(".")[1])).toBeGreaterThanOrEqual(floorMinor ?? 0);
  });

  it.skipIf(!process.env.TF_PLUGIN_DIR)(
    "fetches the AWS provider the stack pins into TF_PLUGIN_DIR before the tests, so they validate and plan it",
    async () => {
      const steps = job(workflow, "test").steps;
      const fetch = stepIndex(steps, runs("TF_PLUGIN_DIR="), "fetching the provider");
      expect(fetch).toBeLessThan(stepIndex(steps, runs("bash .ci/run"), "the CI script"));
      expect(fetch).toBeGreaterThan(stepIndex(steps, uses("hashicorp/setup-terraform"), "setup-terraform"));

      // This machine has no registry access: a CLI config installs from the local mirror instead.
      const scratch = tempFolder("ownstats-ci-provider-");
      const cliConfig = join(scratch, "cli.tfrc");
      writeFileSync(
        cliConfig,
        `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(process.env.TF_PLUGIN_DIR)}\n  }\n}\n`,
      );
      const githubEnv = join(scratch, "github_env");
      writeFileSync(githubEnv, "");
      const env = {
        ...process.env,
        RUNNER_TEMP: scratch,
        GITHUB_ENV: githubEnv,
        TF_CLI_CONFIG_FILE: cliConfig,
      };
      await promisify(execFile)("bash", ["-e", "-c", steps[fetch]?.run ?? ""], { cwd: scratch, env });

      const exported = /^TF_PLUGIN_DIR=(.+)$/m.exec(readFileSync(githubEnv, "utf8"))?.[1];
      expect(exported).toBeDefined();
      // The synthesized stack's provider requirement initializes from that folder alone, as the tests do.
      const stack = join(scratch, "stack");
      mkdirSync(stack);
      const { text } = synthesizeStack();
      const required = { terraform: { required_providers: JSON.parse(text).terraform.required_providers } };
      writeFileSync(join(stack, "main.tf.json"), JSON.stringify(required));
      await promisify(execFile)(
        "terraform",
        ["init", "-backend=false", "-input=false", "-no-color", `-plugin-dir=${exported}`],
        { cwd: stack, env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" } },
      );
    },
    120_000,
  );
});
