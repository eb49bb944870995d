import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleCollector, COLLECTOR_ENTRY } from "./collector-bundle.ts";

type Handler = (
  event: unknown,
  context?: unknown,
) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;

/** An API Gateway HTTP API (payload 2.0) request, as Lambda receives it. */
function httpApiEvent(origin: string, body: string) {
  return {
    version: "2.0",
    routeKey: "POST /v1/events",
    rawPath: "/v1/events",
    rawQueryString: "",
    headers: { origin, "content-type": "text/plain" },
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.execute-api.eu-west-1.amazonaws.com",
      http: {
        method: "POST",
        path: "/v1/events",
        protocol: "HTTP/1.1",
        sourceIp: "192.0.2.1",
        userAgent: "test",
      },
      requestId: "request",
      routeKey: "POST /v1/events",
      stage: "$default",
      time: "26/Nov/2026:08:00:00 +0000",
      timeEpoch: 0,
    },
  };
}

describe("collector bundle", () => {
  const outdir = mkdtempSync(join(tmpdir(), "ownstats-bundle-test-"));
  const saved = { ...process.env };
  let handler: Handler;

  beforeAll(async () => {
    bundleCollector(COLLECTOR_ENTRY, outdir);
    // The Lambda's environment as the stack sets it with the Kinesis stream off.
    Object.assign(process.env, {
      SINK: "firehose",
      FIREHOSE_STREAM_NAME: "ownstats-direct",
      KINESIS_STREAM_NAME: "",
      ALLOWED_ORIGINS: "https://example.com",
      AWS_REGION: "eu-west-1",
    });
    ({ handler } = (await import(pathToFileURL(join(outdir, "index.mjs")).href)) as { handler: Handler });
  });
  afterAll(() => {
    process.env = saved;
    rmSync(outdir, { recursive: true, force: true });
  });

  it("is one self-contained ESM file", () => {
    expect(readdirSync(outdir)).toEqual(["index.mjs"]);
    expect(statSync(join(outdir, "index.mjs")).size).toBeGreaterThan(10_000);
  });

  it("answers an API Gateway event: a bad body is a 400 with CORS for an allowed origin", async () => {
    const response = await handler(httpApiEvent("https://example.com", ""), {});
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).error).toMatch(/empty/);
    expect(response.headers?.["access-control-allow-origin"]).toBe("https://example.com");
  });

  it("refuses an origin outside ALLOWED_ORIGINS before touching the sink", async () => {
    const response = await handler(httpApiEvent("https://elsewhere.example", "{}"), {});
    expect(response.statusCode).toBe(403);
  });

  it("names a missing entry clearly", () => {
    expect(() => bundleCollector(join(outdir, "missing.ts"), join(outdir, "never"))).toThrow(
      /collector entry not found/,
    );
  });
});
