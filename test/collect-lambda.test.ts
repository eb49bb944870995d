// The Lambda entry as deployed: lambda.ts with SINK=kinesis pointed at kinesalite, invoked with
// API Gateway HTTP API (v2) and REST API (v1) events.
import { GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-kinesis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { pageView } from "./collect-helpers.ts";
import { createStream, kinesaliteForFile, readStream } from "./kinesalite.ts";

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;

const kinesis = kinesaliteForFile();
let handler: Handler;
const saved = { ...process.env };

beforeAll(async () => {
  await createStream(kinesis.client, "lambda-events");
  Object.assign(process.env, {
    SINK: "kinesis",
    KINESIS_STREAM_NAME: "lambda-events",
    AWS_ENDPOINT_URL: kinesis.endpoint,
    ALLOWED_ORIGINS: "https://example.com",
    // As the stack sets it from collect_api_endpoint.
    COLLECT_API_ENDPOINT: "/api/e",
  });
  ({ handler } = (await import("../functions/collect/lambda.ts")) as unknown as { handler: Handler });
});
afterAll(async () => {
  process.env = saved;
});

async function streamIds(): Promise<string[]> {
  const { ShardIterator } = await kinesis.client.send(
    new GetShardIteratorCommand({
      StreamName: "lambda-events",
      ShardId: "shardId-000000000000",
      ShardIteratorType: "TRIM_HORIZON",
    }),
  );
  const { Records = [] } = await kinesis.client.send(new GetRecordsCommand({ ShardIterator }));
  return Records.map((r) => (JSON.parse(new TextDecoder().decode(r.Data)) as { event_id: string }).event_id);
}

const headers = {
  "content-type": "text/plain",
  origin: "https://example.com",
  "user-agent": "Mozilla/5.0 Firefox/120.0",
};

/** An HTTP API (v2) event: a POST of `body` at `path`, as API Gateway hands it to the function. */
const httpApiPost = (path: string, body: string) => ({
  version: "2.0",
  routeKey: `POST ${path}`,
  rawPath: path,
  rawQueryString: "",
  headers,
  requestContext: { http: { method: "POST", path, sourceIp: "203.0.113.9" }, stage: "$default" },
  body,
  isBase64Encoded: false,
});

describe("lambda.ts", () => {
  it("handles an HTTP API (v2) event and puts the events on the stream", async () => {
    const events = [pageView(), pageView()];
    const result = await handler(httpApiPost("/v1/events", JSON.stringify({ events })), {});
    expect(result.statusCode).toBe(202);
    expect(JSON.parse(result.body)).toEqual({ accepted: 2, rejected: [] });
    expect(await streamIds()).toEqual(expect.arrayContaining(events.map((e) => e.event_id)));
  });

  it("takes events at COLLECT_API_ENDPOINT, the route a proxy on the site's own domain forwards", async () => {
    const event = pageView();
    const result = await handler(httpApiPost("/api/e", JSON.stringify(event)), {});
    expect(result.statusCode).toBe(202);
    expect(await streamIds()).toContain(event.event_id);
  });

  it("handles a REST API (v1) event, base64 body included", async () => {
    const event = pageView();
    const result = await handler(
      {
        httpMethod: "POST",
        path: "/v1/events",
        resource: "/v1/events",
        headers,
        multiValueHeaders: {},
        requestContext: {
          httpMethod: "POST",
          path: "/prod/v1/events",
          stage: "prod",
          identity: { sourceIp: "203.0.113.9" },
        },
        body: Buffer.from(JSON.stringify(event)).toString("base64"),
        isBase64Encoded: true,
      },
      {},
    );
    expect(result.statusCode).toBe(202);
    expect(await streamIds()).toContain(event.event_id);
  });

  it("answers 400 with a JSON error to a body marked base64 that is not base64, in v1 and v2 events", async () => {
    const body = "{not base64!}";
    const v2 = await handler(
      {
        version: "2.0",
        rawPath: "/v1/events",
        rawQueryString: "",
        headers,
        requestContext: { http: { method: "POST", path: "/v1/events" } },
        body,
        isBase64Encoded: true,
      },
      {},
    );
    const v1 = await handler(
      {
        httpMethod: "POST",
        path: "/v1/events",
        headers,
        multiValueHeaders: {},
        requestContext: { httpMethod: "POST", path: "/prod/v1/events", stage: "prod" },
        body,
        isBase64Encoded: true,
      },
      {},
    );
    for (const result of [v2, v1]) {
      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body)).toEqual({
        error: "the event's body is marked isBase64Encoded but is not valid base64",
      });
    }
    expect(v2.headers?.["content-type"]).toMatch(/^application\/json/);
  });

  it("answers 400 with a JSON error to a hand-made event without a method, or one that is no HTTP request", async () => {
    const body = JSON.stringify(pageView());
    const noMethod =
      "the Lambda event has no HTTP method: requestContext.http.method in an HTTP API (v2) event, httpMethod in a REST API (v1) event";
    const malformed =
      "the Lambda event is not a valid HTTP request: its method, host, path, query string or a header is malformed";
    const cases: [unknown, string][] = [
      [
        {
          version: "2.0",
          rawPath: "/v1/events",
          headers,
          requestContext: { http: { path: "/v1/events" } },
          body,
        },
        noMethod,
      ],
      // Without a body Hono would take it as a GET, and the answer would be a 405 "not by GET".
      [{ path: "/v1/events", headers, multiValueHeaders: {}, requestContext: { stage: "prod" } }, noMethod],
      [{ httpMethod: "PO ST", path: "/v1/events", headers, body }, malformed],
      [{ httpMethod: "POST", path: "/v1/events", headers: { ...headers, host: "a b" }, body }, malformed],
      [null, "the Lambda event must be an API Gateway request object, got null"],
      ["POST /v1/events", "the Lambda event must be an API Gateway request object, got a string"],
    ];
    for (const [event, error] of cases) {
      const result = await handler(event, {});
      expect(result.statusCode, JSON.stringify(event)).toBe(400);
      expect(JSON.parse(result.body)).toEqual({ error });
    }
    const v1 = (await handler(cases[1]?.[0], {})) as { multiValueHeaders?: Record<string, string[]> };
    expect(v1.multiValueHeaders?.["content-type"]).toEqual(["application/json"]);
    expect((await handler(cases[0]?.[0], {})).headers?.["content-type"]).toBe("application/json");
  });

  it("answers 400 with a JSON error, not a 500, to a header or query parameter holding half a UTF-16 pair", async () => {
    // JSON can write a lone surrogate ("\ud800"); Hono's percent-encoding of the value then throws.
    const body = JSON.stringify(pageView());
    const v2 = {
      version: "2.0",
      rawPath: "/v1/events",
      rawQueryString: "",
      headers: { ...headers, "user-agent": "Mozilla/5.0 \ud800" },
      requestContext: { http: { method: "POST", path: "/v1/events" } },
      body,
      isBase64Encoded: false,
    };
    const v1 = {
      httpMethod: "POST",
      path: "/v1/events",
      headers,
      multiValueHeaders: {},
      queryStringParameters: { "ref\udc00": "x" },
      requestContext: { httpMethod: "POST", path: "/prod/v1/events", stage: "prod" },
      body,
      isBase64Encoded: false,
    };
    for (const event of [v2, v1]) {
      const result = await handler(event, {});
      expect(result.statusCode, JSON.stringify(event)).toBe(400);
      expect(JSON.parse(result.body)).toEqual({
        error:
          "the Lambda event is not a valid HTTP request: its method, host, path, query string or a header is malformed",
      });
    }
  });

  it("logs no cookie, header value or query string of an event that is no valid HTTP request", async () => {
    const body = JSON.stringify(pageView());
    const v2 = (extra: object) => ({
      version: "2.0",
      rawPath: "/v1/events",
      rawQueryString: "",
      headers,
      requestContext: { http: { method: "POST", path: "/v1/events" } },
      body,
      isBase64Encoded: false,
      ...extra,
    });
    const events = [
      v2({ cookies: ["sid=secret-cookie\u0000x"] }),
      v2({ headers: { ...headers, cookie: "sid=secret-cookie\nx" } }),
      v2({
        rawQueryString: "email=alice@example.com",
        requestContext: { domainName: "a b", http: { method: "POST", path: "/v1/events" } },
      }),
      {
        httpMethod: "POST",
        path: "/v1/events",
        headers,
        multiValueHeaders: { Cookie: ["sid=secret-cookie\rx"] },
        requestContext: { httpMethod: "POST", path: "/prod/v1/events", stage: "prod" },
        body,
      },
    ];
    const logged: unknown[][] = [];
    const spies = (["error", "warn", "log", "info"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args)),
    );
    try {
      for (const event of events) expect((await handler(event, {})).statusCode).toBe(400);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const text = logged.map((args) =>
      args.map((a) => (a instanceof Error ? a.message : String(a))).join(" "),
    );
    expect(text.join("\n")).not.toMatch(/secret-cookie|alice@example\.com/);
  });

  it("reads a user agent holding a non-ASCII character as the local collector does, not as a bot", async () => {
    // A device model or an in-app browser's name can hold one. Hono percent-encodes such a header
    // value whole ("Mozilla%2F5.0%20(Linux%3B…"), which neither bowser nor isbot can read.
    const userAgent =
      "Mozilla/5.0 (Linux; Android 12; Téléphone X) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
    const [v2Event, v1Event] = [pageView(), pageView()];
    const v2 = await handler(
      {
        ...httpApiPost("/v1/events", JSON.stringify(v2Event)),
        headers: { ...headers, "user-agent": userAgent },
      },
      {},
    );
    const v1 = await handler(
      {
        httpMethod: "POST",
        path: "/v1/events",
        headers: {},
        multiValueHeaders: {
          "Content-Type": ["text/plain"],
          Origin: ["https://example.com"],
          "User-Agent": [userAgent],
        },
        requestContext: { httpMethod: "POST", path: "/prod/v1/events", stage: "prod" },
        body: JSON.stringify(v1Event),
        isBase64Encoded: false,
      },
      {},
    );
    expect([v2.statusCode, v1.statusCode]).toEqual([202, 202]);
    const stored = (await readStream(kinesis.client, "lambda-events")).map((r) => r.data);
    for (const { event_id } of [v2Event, v1Event])
      expect(stored.find((e) => e.event_id === event_id)).toMatchObject({
        browser: "Chrome",
        browser_version: 120,
        os: "Android",
        device_type: "mobile",
        is_bot: false,
      });
  });

  it("answers 400 naming the path to a hand-made event without one, not a 404 for another method or path", async () => {
    const body = JSON.stringify(pageView());
    const noPath =
      "the Lambda event has no path: rawPath in an HTTP API (v2) event, path in a REST API (v1) event";
    const relative = 'the Lambda event\'s path must start with "/"';
    const v2 = { version: "2.0", headers, requestContext: { http: { method: "POST", path: "/v1/events" } } };
    const v1 = { httpMethod: "POST", headers, multiValueHeaders: {}, requestContext: { stage: "prod" } };
    const cases: [unknown, string][] = [
      // Without rawPath Hono reads it as a REST event: no httpMethod, so a GET ("no route for GET /").
      [v2, noPath],
      [{ ...v2, body }, noPath],
      [{ ...v1, body }, noPath],
      [{ ...v1, path: "v1/events", body }, relative],
      [{ ...v2, rawPath: "v1/events", body }, relative],
    ];
    for (const [event, error] of cases) {
      const result = await handler(event, {});
      expect(result.statusCode, JSON.stringify(event)).toBe(400);
      expect(JSON.parse(result.body)).toEqual({ error });
    }
  });

  it("answers 403 to an origin outside ALLOWED_ORIGINS", async () => {
    const result = await handler(
      {
        version: "2.0",
        rawPath: "/v1/events",
        rawQueryString: "",
        headers: { ...headers, origin: "https://evil.example" },
        requestContext: { http: { method: "POST", path: "/v1/events" } },
        body: JSON.stringify(pageView()),
        isBase64Encoded: false,
      },
      {},
    );
    expect(result.statusCode).toBe(403);
  });
});
