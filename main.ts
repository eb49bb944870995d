// The CDKTF app: `npm run synth` writes cdktf.out/stacks/ownstats/cdk.tf.json, `npx cdktf deploy` applies it.
import { App } from "cdktf";
import { AnalyticsStack } from "./stacks/analytics-stack.ts";
import { configureStateBackend, deployRegion } from "./stacks/state-backend.ts";

/** Reads a setting the user typed: a bad one is said in one line, without a stack trace. */
function fromEnvironment<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

const app = new App();
const region = fromEnvironment(() => deployRegion(process.env));
const stack = new AnalyticsStack(app, "ownstats", { region });

// Without a state bucket the state stays in a local file next to this one; a team shares it in S3.
fromEnvironment(() => configureStateBackend(stack, process.env, region));

app.synth();
