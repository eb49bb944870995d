import { S3Backend, type TerraformStack } from "cdktf";

/** Where the Terraform state goes, from the environment at synth time. */
export interface StateBackendEnv {
  /** An existing S3 bucket for the state; without it the state stays in a local file. */
  readonly OWNSTATS_STATE_BUCKET?: string;
  /** The bucket's region, when it is not the region the stack is deployed to. */
  readonly OWNSTATS_STATE_REGION?: string;
}

// S3's rules for bucket names (3–63 characters; lower-case letters, digits, dots, hyphens; a letter or
// digit at each end). A URL or a path in the variable would otherwise surface only at `terraform init`.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// A region starts with its area: two letters, or more in a partition of its own (eusc-de-east-1).
const REGION_NAME = /^[a-z]{2,}(-[a-z]+)+-\d+$/;

/** The region variables the AWS tools read, at synth time. */
export interface DeployRegionEnv {
  readonly AWS_REGION?: string;
  readonly AWS_DEFAULT_REGION?: string;
}

/**
 * The region to deploy to: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1. An empty variable
 * counts as unset, as the AWS CLI and SDKs take it; a value that is no region name stops the synth
 * naming the variable, instead of an empty provider region and `region` output.
 */
export function deployRegion(env: DeployRegionEnv): string {
  const [name, value] = env.AWS_REGION
    ? ["AWS_REGION", env.AWS_REGION]
    : env.AWS_DEFAULT_REGION
      ? ["AWS_DEFAULT_REGION", env.AWS_DEFAULT_REGION]
      : ["", "us-east-1"];
  return checkedRegion(name, value);
}

/** `value`, when it is a region name; else an error naming the variable `name` it came from. */
function checkedRegion(name: string, value: string): string {
  if (!REGION_NAME.test(value))
    throw new Error(`${name} must be an AWS region such as "eu-west-1", not ${JSON.stringify(value)}.`);
  return value;
}

/**
 * Keeps the stack's state in S3 when OWNSTATS_STATE_BUCKET names a bucket. The S3 backend must be
 * told the bucket's own region: that is `region` (the deploy region) unless OWNSTATS_STATE_REGION
 * says otherwise, and `terraform init` fails on a bucket that lives elsewhere.
 */
export function configureStateBackend(stack: TerraformStack, env: StateBackendEnv, region: string): void {
  const bucket = env.OWNSTATS_STATE_BUCKET;
  if (!bucket) return;
  if (!BUCKET_NAME.test(bucket)) {
    throw new Error(
      `OWNSTATS_STATE_BUCKET must be the name of an S3 bucket, such as "my-terraform-state" (no s3://, no path), not ${JSON.stringify(bucket)}.`,
    );
  }
  const stateRegion = env.OWNSTATS_STATE_REGION
    ? checkedRegion("OWNSTATS_STATE_REGION", env.OWNSTATS_STATE_REGION)
    : region;
  new S3Backend(stack, { bucket, key: "ownstats/terraform.tfstate", region: stateRegion, encrypt: true });
  // S3-native locking (Terraform 1.10+); the typed backend config predates it.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
