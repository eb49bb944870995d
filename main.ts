// The CDKTF app: `npm run synth` writes cdktf.out/stacks/ownstats/cdk.tf.json, `npx cdktf deploy` applies it.
import { App } from "cdktf";
import { AnalyticsStack } from "./stacks/analytics-stack.ts";
import { configureStateBackend } from "./stacks/state-backend.ts";

const app = new App();
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
const stack = new AnalyticsStack(app, "ownstats", { region });

// Without a state bucket the state stays in a local file next to this one; a team shares it in S3.
try {
  configureStateBackend(stack, process.env, region);
} catch (error) {
  // A setting the user typed: say what is wrong, without a stack trace.
  console.error((error as Error).message);
  process.exit(1);
}

app.synth();
