// The GitHub workflows: valid against GitHub's workflow schema (action-validator), and carrying the
// keys the scheduled reports and CI depend on.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";

const require = createRequire(import.meta.url);
const { validateWorkflow } = require("@action-validator/core") as typeof import("@action-validator/core");

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  "runs-on": string;
  container?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  environment?: { name: string; url?: string };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const source = (name: string) =>
  readFileSync(new URL(`../.github/workflows/${name}`, import.meta.url), "utf8");
const load = (name: string) => parse(source(name)) as Workflow;

function job(workflow: Workflow, name: string): Job {
  const found = workflow.jobs[name];
  if (!found) throw new Error(`no job ${name}`);
  return found;
}

function stepIndex(steps: Step[], match: (s: Step) => boolean, what: string): number {
  const index = steps.findIndex(match);
  if (index < 0) throw new Error(`no step ${what}`);
  return index;
}

const uses = (prefix: string) => (s: Step) => s.uses?.startsWith(`${prefix}@`) ?? false;
const runs = (command: string) => (s: Step) => s.run?.includes(command) ?? false;

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
    for (const ref of all) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
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

  it("asks for an OIDC token, read access to the code and Pages deployment", () => {
    expect(workflow.permissions).toEqual({ "id-token": "write", contents: "read", pages: "write" });
  });

  it("assumes the report role from the repository variables", () => {
    const credentials = steps[stepIndex(steps, uses("aws-actions/configure-aws-credentials"), "credentials")];
    expect(credentials?.with).toEqual({
      "role-to-assume": "${{ vars.OWNSTATS_REPORT_ROLE_ARN }}",
      "aws-region": "${{ vars.AWS_REGION }}",
    });
  });

  it("caches the data folder across runs", () => {
    const cache = steps[stepIndex(steps, uses("actions/cache"), "cache")];
    expect(cache?.with?.path).toBe("data");
    expect(String(cache?.with?.key)).toContain("${{ github.run_id }}");
    expect(String(cache?.with?.["restore-keys"]).trim()).toBe("ownstats-data-");
  });

  it("syncs the bucket named by the repository variable, then builds, then uploads data/site", () => {
    const cache = stepIndex(steps, uses("actions/cache"), "cache");
    const credentials = stepIndex(steps, uses("aws-actions/configure-aws-credentials"), "credentials");
    const sync = stepIndex(steps, runs("npx ownstats sync --bucket"), "sync");
    const buildStep = stepIndex(steps, runs("npx ownstats build"), "build");
    const upload = stepIndex(steps, uses("actions/upload-pages-artifact"), "upload");
    expect(cache).toBeLessThan(sync);
    expect(credentials).toBeLessThan(sync);
    expect(sync).toBeLessThan(buildStep);
    expect(buildStep).toBeLessThan(upload);
    expect(steps[sync]?.run).toBe('npx ownstats sync --bucket "$OWNSTATS_BUCKET"');
    expect(build.env?.OWNSTATS_BUCKET).toBe("${{ vars.OWNSTATS_BUCKET }}");
    expect(steps[upload]?.with).toEqual({ path: "data/site" });
  });

  it("installs the Node version the package supports, pinned exactly", () => {
    const setup = steps[stepIndex(steps, uses("actions/setup-node"), "setup-node")];
    const version = String(setup?.with?.["node-version"]);
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const engines = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).engines
      .node;
    const [major, minor] = String(engines).replace(">=", "").split(".").map(Number);
    const [vMajor, vMinor] = version.split(".").map(Number);
    expect(vMajor).toBe(major);
    expect(vMinor).toBeGreaterThanOrEqual(minor ?? 0);
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

  it("installs Terraform at an exact version, without the output wrapper", () => {
    const setup = job(workflow, "test").steps.find(uses("hashicorp/setup-terraform"));
    expect(String(setup?.with?.terraform_version)).toMatch(/^\d+\.\d+\.\d+$/);
    expect(setup?.with?.terraform_wrapper).toBe(false);
  });

  it("runs in a Debian Node image pinned to an exact version, as root for apt-get", () => {
    expect(job(workflow, "test").container).toMatch(/^node:\d+\.\d+\.\d+-bookworm$/);
  });
});
