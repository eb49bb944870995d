// What the Lambda entry does around Hono's adapter for events API Gateway never sends but a test in
// the Lambda console can (no method or path, bad base64), and for what the adapter does to an event
// on its way into a Request (header values, its own log line), so that every answer is the
// collector's own and nothing a visitor sent is logged.
import type { APIGatewayProxyResult, LambdaEvent } from "hono/aws-lambda";
import type { ErrorResponse } from "./event.ts";
import { isPlainObject, kindOf } from "./parse-body.ts";

const NON_ASCII = /[^\x00-\x7F]/;
const NON_ASCII_RUNS = /[^\x00-\x7F]+/g;

/**
 * The event with each header value's non-ASCII characters percent-encoded. Hono percent-encodes a
 * value that holds one as a whole ("Mozilla%2F5.0%20(Linux%3B…"), and a user agent naming a device
 * or an in-app browser with such a character then reads as a bot, without a browser version, and is
 * left out of every report. Encoding only those characters keeps the rest readable, as the local
 * collector reads it. A value it cannot encode (a lone surrogate) is left for Hono to refuse.
 */
export function withAsciiHeaders(event: LambdaEvent): LambdaEvent {
  const { headers, multiValueHeaders } = event as { headers?: unknown; multiValueHeaders?: unknown };
  const fixed: { headers?: Record<string, unknown>; multiValueHeaders?: Record<string, unknown> } = {};
  if (isPlainObject(headers) && Object.values(headers).some(needsAscii))
    fixed.headers = mapValues(headers, asciiValue);
  if (
    isPlainObject(multiValueHeaders) &&
    Object.values(multiValueHeaders).some((values) => Array.isArray(values) && values.some(needsAscii))
  )
    fixed.multiValueHeaders = mapValues(multiValueHeaders, (values) =>
      Array.isArray(values) ? values.map(asciiValue) : values,
    );
  return fixed.headers || fixed.multiValueHeaders ? ({ ...event, ...fixed } as LambdaEvent) : event;
}

const needsAscii = (value: unknown) => typeof value === "string" && NON_ASCII.test(value);

function asciiValue(value: unknown): unknown {
  if (!needsAscii(value)) return value;
  try {
    return (value as string).replace(NON_ASCII_RUNS, (run) => encodeURIComponent(run));
  } catch {
    return value;
  }
}

const mapValues = (record: Record<string, unknown>, map: (value: unknown) => unknown) =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));

/** The line Hono logs, with its error, for an event it cannot turn into a Request. */
const HONO_REQUEST_LOG = "Error processing request:";

/**
 * Runs `start` with Hono's log of an unreadable event left out. Its error quotes what it could not
 * take: a header's value (a cookie), the URL with its query string. The collector answers such an
 * event with its own 400 and logs nothing of it. Hono builds the Request, and logs, before its first
 * await, so the synchronous call covers it and no other request's lines.
 */
export function withoutHonoRequestLog<T>(start: () => T): T {
  const log = console.error;
  console.error = (...args: unknown[]) => {
    if (args[0] !== HONO_REQUEST_LOG) log(...args);
  };
  try {
    return start();
  } finally {
    console.error = log;
  }
}

/**
 * What keeps an event (one made by hand, say, in the Lambda console) from being read, in the
 * collector's words. Without a method or a path Hono would take it as a GET (of "/"), and the app
 * would answer a misleading 405 or 404; a relative path would be read as part of the host; with an
 * undecodable base64 body Hono would answer a 500.
 */
export function whyUnreadable(event: unknown): string | undefined {
  if (!isPlainObject(event))
    return `the Lambda event must be an API Gateway request object, got ${kindOf(event)}`;
  const {
    httpMethod,
    method: latticeMethod,
    requestContext,
    rawPath,
    path: restPath,
    body,
    isBase64Encoded,
  } = event as {
    httpMethod?: unknown;
    method?: unknown;
    requestContext?: { http?: { method?: unknown } };
    rawPath?: unknown;
    path?: unknown;
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  const method = requestContext?.http ? requestContext.http.method : (httpMethod ?? latticeMethod);
  if (typeof method !== "string" || method === "")
    return "the Lambda event has no HTTP method: requestContext.http.method in an HTTP API (v2) event, httpMethod in a REST API (v1) event";
  // Without rawPath Hono reads an HTTP API event as a REST one, without its method: a GET of "/".
  const path = requestContext?.http ? rawPath : restPath;
  if (typeof path !== "string" || path === "")
    return "the Lambda event has no path: rawPath in an HTTP API (v2) event, path in a REST API (v1) event";
  if (!path.startsWith("/")) return 'the Lambda event\'s path must start with "/"';
  if (isBase64Encoded && body && !isBase64(body as string))
    return "the event's body is marked isBase64Encoded but is not valid base64";
  return undefined;
}

function isBase64(text: string): boolean {
  try {
    atob(text);
    return true;
  } catch {
    return false;
  }
}

/** A 400 with the collector's JSON error, in the result shape the event's kind expects (v1 or v2). */
export function jsonError(event: unknown, error: string): APIGatewayProxyResult {
  const result = {
    statusCode: 400,
    body: JSON.stringify({ error } satisfies ErrorResponse),
    isBase64Encoded: false,
  };
  const contentType = "application/json";
  const multiValue =
    typeof event === "object" && event !== null && "multiValueHeaders" in event && event.multiValueHeaders;
  return multiValue
    ? { ...result, multiValueHeaders: { "content-type": [contentType] } }
    : { ...result, headers: { "content-type": contentType } };
}
