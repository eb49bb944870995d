import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { configureStateBackend, deployRegion, type StateBackendEnv } from "./state-backend.ts";

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

/** Runs main.ts as `npm run synth` does, with `env` over the test's own environment (`undefined` unsets). */
async function synthMain(env: Record<string, string | undefined>) {
  const outdir = mkdtempSync(join(tmpdir(), "ownstats-synth-"));
  const root = fileURLToPath(new URL("..", import.meta.url));
  const vars = Object.fromEntries(
    Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined),
  );
  try {
    return await promisify(execFile)("npx", ["tsx", "main.ts"], {
      cwd: root,
      env: { ...vars, CDKTF_OUTDIR: outdir },
    }).then(
      () => {
        const tf = JSON.parse(readFileSync(join(outdir, "stacks", "ownstats", "cdk.tf.json"), "utf8"));
        return { code: 0, stderr: "", region: tf.provider.aws[0].region, output: tf.output.region.value };
      },
      (e: { code: number; stderr: string }) => ({ ...e, region: undefined, output: undefined }),
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** `npm run synth` under `env` exits 1 printing `message` alone, no stack trace. */
async function expectSynthStopsWith(env: Record<string, string>, message: string) {
  const result = await synthMain(env);
  expect(result.code).toBe(1);
  expect(result.stderr.trim()).toBe(message);
}

describe("deploy region", () => {
  it("takes AWS_REGION, and an empty one as unset, as the AWS tools do", () => {
    expect(deployRegion({ AWS_REGION: "eu-central-1" })).toBe("eu-central-1");
    expect(deployRegion({ AWS_REGION: "", AWS_DEFAULT_REGION: "ap-south-1" })).toBe("ap-south-1");
    expect(deployRegion({ AWS_REGION: "", AWS_DEFAULT_REGION: "" })).toBe("us-east-1");
    // Every partition's regions, the AWS European Sovereign Cloud's (partition aws-eusc) included.
    for (const region of ["us-gov-west-1", "cn-northwest-1", "eu-isoe-west-1", "eusc-de-east-1"])
      expect(deployRegion({ AWS_REGION: region }), region).toBe(region);
    expect(() => deployRegion({ AWS_REGION: "eu-west1" })).toThrow(
      'AWS_REGION must be an AWS region such as "eu-west-1", not "eu-west1".',
    );
  });

  it("synthesizes for us-east-1 under an empty AWS_REGION, not for an empty region", async () => {
    const result = await synthMain({
      AWS_REGION: "",
      AWS_DEFAULT_REGION: undefined,
      OWNSTATS_STATE_BUCKET: "",
    });
    expect(result).toMatchObject({ code: 0, region: "us-east-1", output: "us-east-1" });
  }, 60_000);

  it(
    "stops `npm run synth` on a region name with a typo, naming the variable",
    () =>
      expectSynthStopsWith(
        { AWS_REGION: "eu-west1" },
        'AWS_REGION must be an AWS region such as "eu-west-1", not "eu-west1".',
      ),
    60_000,
  );
});

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

  it(
    "stops `npm run synth` with that message alone, no stack trace",
    () =>
      expectSynthStopsWith(
        { OWNSTATS_STATE_BUCKET: "s3://acme-terraform-state" },
        'OWNSTATS_STATE_BUCKET must be the name of an S3 bucket, such as "my-terraform-state" (no s3://, no path), not "s3://acme-terraform-state".',
      ),
    60_000,
  );
});
