// The AWS Lambda entry (API Gateway HTTP API v2 and REST v1 events): the same app, with the sink
// chosen by SINK (kinesis | firehose) and the stream names from the environment.
import { type APIGatewayProxyResult, handle, type LambdaContext, type LambdaEvent } from "hono/aws-lambda";
import { parseAllowedOrigins } from "./allowed-origins.ts";
import { createApp } from "./app.ts";
import { customPathsFromEnv } from "./custom-paths.ts";
import { jsonError, whyUnreadable, withAsciiHeaders, withoutHonoRequestLog } from "./lambda-event.ts";
import { sinkFromEnv } from "./sink-from-env.ts";

export const app = createApp({
  sink: sinkFromEnv(process.env),
  allowedOrigins: parseAllowedOrigins(process.env.ALLOWED_ORIGINS),
  // The stack's collect_api_endpoint, checked by Terraform before it gets here.
  collectPath: customPathsFromEnv(process.env).collectPath,
});

const handleWithApp = handle(app);

/**
 * Hono's own answers to an event it cannot turn into a Request, plain text unlike every other
 * error: a TypeError (a bad method, host or header) is its 400, anything else its 500 (a header or
 * query parameter holding a lone surrogate, whose percent-encoding throws a URIError). The app's own
 * 500 is JSON, so these two bodies are only ever Hono's.
 */
const HONO_INVALID_REQUEST = "Invalid request";
const HONO_INTERNAL_ERROR = "Internal Server Error";

export async function handler(event: LambdaEvent, context?: LambdaContext): Promise<APIGatewayProxyResult> {
  const unreadable = whyUnreadable(event);
  if (unreadable) return jsonError(event, unreadable);
  const result = await withoutHonoRequestLog(() => handleWithApp(withAsciiHeaders(event), context));
  const unbuilt =
    (result.statusCode === 400 && result.body === HONO_INVALID_REQUEST) ||
    (result.statusCode === 500 && result.body === HONO_INTERNAL_ERROR);
  if (unbuilt)
    return jsonError(
      event,
      "the Lambda event is not a valid HTTP request: its method, host, path, query string or a header is malformed",
    );
  return result;
}
