// The synthesized stack under the real terraform binary and AWS provider, offline: init from the
// provider mirror in TF_PLUGIN_DIR, then validate and plan with credential checks skipped.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { withFullSynth } from "./synthesized.ts";

const run = promisify(execFile);
const terraformBinary = process.env.TERRAFORM_BINARY_NAME ?? "terraform";

/** The folder holding registry.terraform.io/hashicorp/aws/5.100.0; the tests skip without it. */
export const pluginDir = process.env.TF_PLUGIN_DIR;
/** Timeout of a test that plans. */
export const slow = 300_000;

/** Tells why the Terraform tests of `file` are skipped, when they are. */
export function warnWhenSkipped(file: string): void {
  if (pluginDir) return;
  console.warn(
    `\n*** SKIPPED ${file}: TF_PLUGIN_DIR is not set. Point it at the folder holding ` +
      "registry.terraform.io/hashicorp/aws/5.100.0 (.ci/run finds it) to validate and plan the stack. ***\n",
  );
}

export const REQUIRED_VARS = [
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
export function iamStringLike(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`).test(value);
}

export interface PlannedChange {
  address: string;
  type: string;
  mode: "managed" | "data";
  change: { actions: string[] };
}
export interface Plan {
  resource_changes: PlannedChange[];
  planned_values: {
    outputs: Record<string, { value?: unknown }>;
    root_module: { resources: { address: string; type: string; values: Record<string, unknown> }[] };
  };
}

/** The managed resources a plan creates or changes. */
export const created = (p: Plan) => p.resource_changes.filter((c) => c.mode === "managed");

export interface OfflineTerraform {
  /** The folder holding the stack's copy. */
  readonly workdir: string;
  terraform(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** A plan with no state or lock, as validation of the variables needs no more. */
  planOnly(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** A saved plan, as `terraform show -json` reads it. */
  plan(name: string, vars: string[]): Promise<Plan>;
  /** Removes the copy. */
  close(): void;
}

/** Synthesizes the stack into a temporary folder without its backend, and runs `terraform init` there. */
export async function openOfflineTerraform(): Promise<OfflineTerraform> {
  const workdir = mkdtempSync(join(tmpdir(), "ownstats-terraform-"));
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
  const planOnly = (...args: string[]) =>
    terraform("plan", "-refresh=false", "-lock=false", "-no-color", ...args);
  const plan = async (name: string, vars: string[]): Promise<Plan> => {
    await planOnly(`-out=${name}.tfplan`, ...vars);
    const { stdout } = await terraform("show", "-json", `${name}.tfplan`);
    return JSON.parse(stdout) as Plan;
  };

  withFullSynth((stackDir) => cpSync(stackDir, workdir, { recursive: true }));
  // The copy plans without a backend: Terraform falls back to a local state nobody writes.
  const stackFile = join(workdir, "cdk.tf.json");
  const config = JSON.parse(readFileSync(stackFile, "utf8"));
  delete config.terraform.backend;
  writeFileSync(stackFile, JSON.stringify(config));
  writeFileSync(join(workdir, "offline_override.tf.json"), JSON.stringify(OFFLINE_PROVIDER));
  await terraform("init", "-backend=false", `-plugin-dir=${pluginDir}`, "-no-color");

  return {
    workdir,
    terraform,
    planOnly,
    plan,
    close: () => rmSync(workdir, { recursive: true, force: true }),
  };
}
