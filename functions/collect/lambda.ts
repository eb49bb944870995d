// The AWS Lambda entry (API Gateway HTTP API v2 and REST v1 events): the same app, with the sink
// chosen by SINK (kinesis | firehose) and the stream names from the environment.
import { handle } from "hono/aws-lambda";
import { createApp, parseAllowedOrigins } from "./app.ts";
import { sinkFromEnv } from "./sink-from-env.ts";

export const app = createApp({
  sink: sinkFromEnv(process.env),
  allowedOrigins: parseAllowedOrigins(process.env.ALLOWED_ORIGINS),
});

export const handler = handle(app);
