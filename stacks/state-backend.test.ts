import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { configureStateBackend, type StateBackendEnv } from "./state-backend.ts";

/** The `terraform` block a stack synthesizes with the given environment, deployed to eu-west-1. */
function terraformBlock(env: StateBackendEnv): { backend?: { s3?: Record<string, unknown> } } {
  const app = Testing.app();
  const stack = new TerraformStack(app, "ownstats");
  try {
    configureStateBackend(stack, env, "eu-west-1");
    return JSON.parse(Testing.synth(stack)).terraform ?? {};
  } finally {
    rmSync(app.outdir, { recursive: true, force: true });
  }
}

describe("state backend", () => {
  it("keeps the state in a local file without a state bucket", () => {
    expect(terraformBlock({}).backend?.s3).toBeUndefined();
  });

  it("looks for the state bucket in the deploy region, encrypted and locked", () => {
    expect(terraformBlock({ OWNSTATS_STATE_BUCKET: "acme-terraform-state" }).backend?.s3).toEqual({
      bucket: "acme-terraform-state",
      key: "ownstats/terraform.tfstate",
      region: "eu-west-1",
      encrypt: true,
      use_lockfile: true,
    });
  });

  it("takes the bucket's own region when it lives in another", () => {
    const env = { OWNSTATS_STATE_BUCKET: "acme-terraform-state", OWNSTATS_STATE_REGION: "us-east-2" };
    expect(terraformBlock(env).backend?.s3).toMatchObject({ region: "us-east-2" });
  });

  it("refuses a URL, a path or a malformed region, naming the variable", () => {
    for (const bucket of ["s3://acme-terraform-state", "acme-terraform-state/ownstats", "Acme_State"]) {
      expect(() => terraformBlock({ OWNSTATS_STATE_BUCKET: bucket }), bucket).toThrow(
        `OWNSTATS_STATE_BUCKET must be the name of an S3 bucket, such as "my-terraform-state" (no s3://, no path), not "${bucket}".`,
      );
    }
    expect(() =>
      terraformBlock({ OWNSTATS_STATE_BUCKET: "acme-terraform-state", OWNSTATS_STATE_REGION: "Ireland" }),
    ).toThrow('OWNSTATS_STATE_REGION must be an AWS region such as "eu-west-1", not "Ireland".');
  });

  it("stops `npm run synth` with that message alone, no stack trace", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "ownstats-synth-"));
    const root = fileURLToPath(new URL("..", import.meta.url));
    const result = await promisify(execFile)("npx", ["tsx", "main.ts"], {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: outdir, OWNSTATS_STATE_BUCKET: "s3://acme-terraform-state" },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    rmSync(outdir, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'OWNSTATS_STATE_BUCKET must be the name of an S3 bucket, such as "my-terraform-state" (no s3://, no path), not "s3://acme-terraform-state".',
    );
  }, 60_000);
});
