// The AWS Lambda entry (API Gateway HTTP API v2 and REST v1 events): the same app, with the sink
// chosen by SINK (kinesis | firehose) and the stream names from the environment.
import { Hono } from "hono";
import { handle } from "hono/aws-lambda";
import { createApp, parseAllowedOrigins } from "./app.ts";
import type { ErrorResponse } from "./event.ts";
import { sinkFromEnv } from "./sink-from-env.ts";

export const app = createApp({
  sink: sinkFromEnv(process.env),
  allowedOrigins: parseAllowedOrigins(process.env.ALLOWED_ORIGINS),
});

const handleWithApp = handle(app);

// Hono decodes a base64 body before the app sees the request, and answers a 500 when it cannot. The
// client sent that body, so it gets a 400 instead, shaped by Hono for the event's kind (v1 or v2).
const notBase64 = new Hono().all("*", (c) =>
  c.json<ErrorResponse>({ error: "the event's body is marked isBase64Encoded but is not valid base64" }, 400),
);
const handleNotBase64 = handle(notBase64);

type LambdaEvent = Parameters<typeof handleWithApp>[0];

export const handler = (event: LambdaEvent, context: Parameters<typeof handleWithApp>[1]) =>
  isUndecodable(event)
    ? handleNotBase64({ ...event, body: null, isBase64Encoded: false } as LambdaEvent, context)
    : handleWithApp(event, context);

function isUndecodable(event: LambdaEvent): boolean {
  const { body, isBase64Encoded } = event as { body?: unknown; isBase64Encoded?: unknown };
  if (!isBase64Encoded || !body) return false;
  try {
    atob(body as string);
    return false;
  } catch {
    return true;
  }
}
