// The app through app.request(), with the real spool as its sink: status codes and response
// shapes of design §4, CORS, origins, limits, and what reaches the sink (and what never does).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readSpoolLines, Spool } from "../../local/spool.ts";
import { createApp, parseAllowedOrigins } from "./app.ts";
import type { WireEventInput } from "./event.ts";

let dir: string;
let spool: Spool;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ownstats-app-"));
  spool = await Spool.open(dir);
});
afterEach(async () => {
  await spool.close();
  await rm(dir, { recursive: true, force: true });
});

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
let counter = 0;
function event(overrides: Record<string, unknown> = {}): WireEventInput {
  counter++;
  return {
    event_type: "page_view",
    event_id: `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    session_id: "session_0001",
    event_ts: "2026-03-01T10:00:00+02:00",
    page_path: "/pricing?plan=pro",
    timezone: "Europe/Paris",
    ...overrides,
  } as WireEventInput;
}

async function post(app: ReturnType<typeof createApp>, body: unknown, headers: Record<string, string> = {}) {
  const res = await app.request("/v1/events", {
    method: "POST",
    headers: {
      "content-type": "text/plain",
      origin: "https://example.com",
      "user-agent": CHROME,
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}
const stored = async () =>
  (await readSpoolLines(dir)).map((line) => JSON.parse(line) as Record<string, unknown>);

/** The collector's clock in these tests: the events' times lie around it. */
const now = () => new Date("2026-03-01T08:00:05.000Z");

describe("POST /v1/events", () => {
  it("accepts one event, enriches it and hands it to the sink before answering 202", async () => {
    const app = createApp({ sink: spool, now });
    const one = event({ referrer: "https://www.google.com/search?q=me" });
    const res = await post(app, one);
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ accepted: 1, rejected: [] });
    expect(await stored()).toEqual([
      {
        event_type: "page_view",
        event_id: one.event_id,
        session_id: "session_0001",
        event_ts: "2026-03-01T08:00:00.000Z",
        page_path: "/pricing",
        referrer: "https://www.google.com/search",
        timezone: "Europe/Paris",
        ingest_ts: "2026-03-01T08:00:05.000Z",
        site: "example.com",
        browser: "Chrome",
        browser_version: 124,
        os: "Windows",
        device_type: "desktop",
        is_bot: false,
        country: "FR",
        schema_version: 1,
      },
    ]);
  });

  it("normalizes ids, times and strings in the stored record", async () => {
    const app = createApp({ sink: spool, now });
    const upper = "3F2504E0-4F89-41D3-9A0C-0305E82C3301";
    await post(
      app,
      event({
        event_id: upper,
        event_ts: "2026-03-01T05:30:00-04:00",
        page_title: "a\ud800b",
        props: { k: "x\udc00" },
      }),
    );
    const [record] = await stored();
    expect(record).toMatchObject({
      event_id: upper.toLowerCase(),
      event_ts: "2026-03-01T09:30:00.000Z",
      page_title: "a\ufffdb",
      props: { k: "x\ufffd" },
    });
  });

  it("lands the good events of a batch and names each rejected index and why", async () => {
    const app = createApp({ sink: spool, now });
    const good = [event(), event()];
    const res = await post(app, { events: [good[0], { ...event(), session_id: "x" }, good[1], 42] });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({
      accepted: 2,
      rejected: [
        { index: 1, error: expect.stringMatching(/session_id must be 8–64/) },
        { index: 3, error: "event must be a JSON object, got a number" },
      ],
    });
    expect((await stored()).map((e) => e.event_id)).toEqual(good.map((e) => e.event_id));
  });

  it("rejects an event whose time is far from the collector's clock, naming the limit", async () => {
    const app = createApp({ now, sink: spool });
    const inside = [event({ event_ts: "2026-02-26T08:01:00Z" }), event({ event_ts: "2026-03-02T08:00:00Z" })];
    const res = await post(app, {
      events: [
        ...inside,
        event({ event_ts: "2026-02-26T07:59:00Z" }),
        event({ event_ts: "2026-03-02T08:01:00+00:00" }),
        // Valid ISO, but past year 9999 once put in UTC; and year 0.
        event({ event_ts: "9999-12-31T23:59:59-23:59" }),
        event({ event_ts: "0000-01-01T00:00:00+00:00" }),
      ],
    });
    expect(res.status).toBe(202);
    const before = "event_ts: more than 72 hours before the collector's clock";
    const after = "event_ts: more than 24 hours after the collector's clock";
    expect(res.json).toEqual({
      accepted: 2,
      rejected: [
        { index: 2, error: before },
        { index: 3, error: after },
        { index: 4, error: after },
        { index: 5, error: before },
      ],
    });
    expect((await stored()).map((e) => e.event_id)).toEqual(inside.map((e) => e.event_id));
  });

  it("answers 400 when every event is rejected, with the reasons", async () => {
    const res = await post(createApp({ now, sink: spool }), { events: [{ event_type: "page_view" }] });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      accepted: 0,
      rejected: [{ index: 0, error: expect.stringMatching(/event_id is required/) }],
    });
    expect(await stored()).toEqual([]);
  });

  it.each([
    ["", /empty body/],
    ["{nope", /body is not valid JSON/],
    ["[1,2]", /expected an event object or \{"events":\[…\]\}, got an array/],
    ['"text"', /got a string/],
    ['{"events":{}}', /"events" must be an array, got an object/],
    ['{"events":[]}', /"events" is empty/],
  ])("answers 400 with a clear message for %j", async (body, message) => {
    const res = await post(createApp({ now, sink: spool }), body);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(message);
  });

  it("answers 400 for more than 50 events and for invalid UTF-8", async () => {
    const app = createApp({ now, sink: spool });
    const many = await post(app, { events: Array.from({ length: 51 }, () => event()) });
    expect(many.status).toBe(400);
    expect(many.json.error).toMatch(/holds 51 events; at most 50/);
    const res = await app.request("/v1/events", {
      method: "POST",
      body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "body is not valid UTF-8" });
  });

  it("names a compressed body as such, and takes one sent with Content-Encoding: identity", async () => {
    const app = createApp({ now, sink: spool });
    const res = await app.request("/v1/events", {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify(event())),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "Content-Encoding gzip is not supported: send the body uncompressed",
    });
    expect(await stored()).toEqual([]);
    expect((await post(app, event(), { "content-encoding": "identity" })).status).toBe(202);
  });

  it("answers 413 above 64 KiB", async () => {
    const res = await post(createApp({ now, sink: spool }), {
      events: [event({ page_title: "x".repeat(70_000) })],
    });
    expect(res.status).toBe(413);
    expect(res.json.error).toMatch(/larger than 65536 bytes/);
  });

  it("never stores the IP, the user agent or a cookie", async () => {
    const app = createApp({ now, sink: spool });
    await post(app, event({ ip: "203.0.113.9" }), {
      cookie: "session=secret",
      "x-forwarded-for": "203.0.113.9",
    });
    const line = (await readSpoolLines(dir)).join("\n");
    expect(line).not.toContain("203.0.113.9");
    expect(line).not.toContain("secret");
    expect(line).not.toContain("Mozilla");
  });

  it("redacts an email address in the title, the UTM values and the props' keys and values, as in the path", async () => {
    const app = createApp({ now, sink: spool });
    const email = "jane.doe@example.com";
    await post(app, {
      events: [
        event({ page_title: `Inbox – ${email}`, utm_term: email, utm_content: "jane%40example.com" }),
        event({ event_type: "custom", name: "signup", props: { who: `${email} `, plan: "pro", [email]: 3 } }),
      ],
    });
    const [view, custom] = await stored();
    expect(view).toMatchObject({
      page_title: "[redacted]",
      utm_term: "[redacted]",
      utm_content: "[redacted]",
    });
    expect(custom?.props).toEqual({ who: "[redacted]", plan: "pro", "[redacted]": 3 });
    expect((await readSpoolLines(dir)).join("\n")).not.toMatch(/jane/);
  });

  it("answers 503 when the sink fails, and logs no event content", async () => {
    const logged: string[] = [];
    await spool.close();
    const app = createApp({ now, sink: spool, logError: (m) => logged.push(m) });
    const res = await post(app, event({ page_title: "private title" }));
    expect(res.status).toBe(503);
    expect(res.json.error).toMatch(/send them again later/);
    expect(logged.join("\n")).toMatch(/events not stored/);
    expect(logged.join("\n")).not.toContain("private title");
  });
});

describe("CORS and origins", () => {
  it("answers the preflight and allows any origin when none is configured", async () => {
    const app = createApp({ now, sink: spool });
    const res = await app.request("/v1/events", {
      method: "OPTIONS",
      headers: { origin: "https://anywhere.example", "access-control-request-method": "POST" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(
      (await post(app, event(), { origin: "https://anywhere.example" })).headers.get(
        "access-control-allow-origin",
      ),
    ).toBe("*");
  });

  it("answers 403 for an origin outside ALLOWED_ORIGINS, and echoes allowed ones", async () => {
    const app = createApp({
      now,
      sink: spool,
      allowedOrigins: parseAllowedOrigins("https://example.com, blog.example.org"),
    });
    const allowed = await post(app, event());
    expect(allowed.status).toBe(202);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://example.com");
    expect((await post(app, event(), { origin: "http://blog.example.org" })).status).toBe(202);
    const denied = await post(app, event(), { origin: "https://evil.example" });
    expect(denied.status).toBe(403);
    expect(denied.json.error).toMatch(/origin not allowed/);
    const withoutOrigin = await app.request("/v1/events", { method: "POST", body: JSON.stringify(event()) });
    expect(withoutOrigin.status).toBe(403);
  });

  it("puts the CORS headers on every answer under /v1, also errors and 404s", async () => {
    const open = createApp({ now, sink: spool });
    const restricted = createApp({ now, sink: spool, allowedOrigins: ["https://example.com"] });
    const answers = [
      (await post(open, event())).headers,
      (await post(open, "not json")).headers,
      (await post(restricted, event())).headers,
      (await post(restricted, { events: [] })).headers,
      (await restricted.request("/v1/nope", { headers: { origin: "https://example.com" } })).headers,
    ];
    expect(answers.map((h) => h.get("access-control-allow-origin"))).toEqual([
      "*",
      "*",
      "https://example.com",
      "https://example.com",
      "https://example.com",
    ]);
    for (const headers of answers) {
      expect(headers.get("vary")).toBe("Origin");
      expect(headers.get("content-type")).toBe("application/json");
    }
    const denied = await post(restricted, event(), { origin: "https://evil.example" });
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("reads ALLOWED_ORIGINS leniently", () => {
    expect(parseAllowedOrigins(undefined)).toEqual([]);
    expect(parseAllowedOrigins("*")).toEqual([]);
    expect(parseAllowedOrigins(" https://A.com/ ,b.org,")).toEqual(["https://a.com", "b.org"]);
    // As browsers send them: punycode hosts, no default port.
    expect(parseAllowedOrigins("https://münchen.de:443, bücher.example")).toEqual([
      "https://xn--mnchen-3ya.de",
      "xn--bcher-kva.example",
    ]);
  });
});

describe("other routes", () => {
  it("has a health check and JSON 404s", async () => {
    const app = createApp({ now, sink: spool });
    expect(await (await app.request("/v1/health")).json()).toEqual({ ok: true });
    const missing = await app.request("/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "no route for GET /nope" });
  });

  it("answers 405 naming POST to another method on /v1/events, such as a browser's GET", async () => {
    const app = createApp({ now, sink: spool });
    for (const method of ["GET", "PUT", "DELETE"]) {
      const res = await app.request("/v1/events", { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("allow")).toBe("POST, OPTIONS");
      expect(await res.json()).toEqual({
        error: `/v1/events takes events by POST (a JSON event or {"events":[…]}), not by ${method}`,
      });
    }
  });
});
