// The CDKTF app: `npm run synth` writes cdktf.out/stacks/ownstats/cdk.tf.json, `npx cdktf deploy` applies it.
import { App, S3Backend } from "cdktf";
import { AnalyticsStack } from "./stacks/analytics-stack.ts";

const app = new App();
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
const stack = new AnalyticsStack(app, "ownstats", { region });

// Without a state bucket the state stays in a local file next to this one; a team shares it in S3.
const stateBucket = process.env.OWNSTATS_STATE_BUCKET;
if (stateBucket) {
  new S3Backend(stack, { bucket: stateBucket, key: "ownstats/terraform.tfstate", region, encrypt: true });
  // S3-native locking (Terraform 1.10+); the typed backend config predates it.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}

app.synth();
