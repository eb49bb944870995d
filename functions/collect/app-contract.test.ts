// The app's answers to what a client sends (design §4): the 202 with the rejected indexes, every
// 400 with its message, 413, 503 when the sink fails, 405 and 404 — and what reaches the sink.
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.ts";
import { event, now, post, spoolPerTest } from "./app-test-kit.ts";

const collector = spoolPerTest();

describe("POST /v1/events", () => {
  it("lands the good events of a batch and names each rejected index and why", async () => {
    const app = createApp({ sink: collector.spool, now });
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
    expect((await collector.stored()).map((e) => e.event_id)).toEqual(good.map((e) => e.event_id));
  });
  it("rejects an event whose time is far from the collector's clock, naming the limit", async () => {
    const app = createApp({ now, sink: collector.spool });
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
    expect((await collector.stored()).map((e) => e.event_id)).toEqual(inside.map((e) => e.event_id));
  });
  it("answers 400 when every event is rejected, with the reasons", async () => {
    const res = await post(createApp({ now, sink: collector.spool }), {
      events: [{ event_type: "page_view" }],
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      accepted: 0,
      rejected: [{ index: 0, error: expect.stringMatching(/event_id is required/) }],
    });
    expect(await collector.stored()).toEqual([]);
  });
  it("takes an event that carries a field named events as that one event: a batch has no event_type", async () => {
    const app = createApp({ now, sink: collector.spool });
    const single = [event({ events: 3 }), event({ events: [event()] }), event({ events: "all" })];
    for (const body of single) expect((await post(app, body)).json).toEqual({ accepted: 1, rejected: [] });
    // Unknown fields are stripped: the field is not stored, nor are the events it held.
    const stored = await collector.stored();
    expect(stored.map((e) => e.event_id)).toEqual(single.map((e) => e.event_id));
    expect(stored.some((e) => "events" in e)).toBe(false);
  });
  it.each([
    ["", /empty body/],
    ["{nope", /body is not valid JSON/],
    ["[1,2]", /expected an event object or \{"events":\[…\]\}, got an array/],
    ['"text"', /got a string/],
    ['{"events":{}}', /"events" must be an array, got an object/],
    ['{"events":[]}', /"events" is empty/],
  ])("answers 400 with a clear message for %j", async (body, message) => {
    const res = await post(createApp({ now, sink: collector.spool }), body);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(message);
  });
  it("answers 400 for more than 50 events and for invalid UTF-8", async () => {
    const app = createApp({ now, sink: collector.spool });
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
    const app = createApp({ now, sink: collector.spool });
    const res = await app.request("/v1/events", {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify(event())),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "Content-Encoding gzip is not supported: send the body uncompressed",
    });
    expect(await collector.stored()).toEqual([]);
    expect((await post(app, event(), { "content-encoding": "identity" })).status).toBe(202);
  });
  it("answers 413 above 64 KiB", async () => {
    const res = await post(createApp({ now, sink: collector.spool }), {
      events: [event({ page_title: "x".repeat(70_000) })],
    });
    expect(res.status).toBe(413);
    expect(res.json.error).toMatch(/larger than 65536 bytes/);
  });
  it("answers 503 when the sink fails, and logs no event content", async () => {
    const logged: string[] = [];
    await collector.spool.close();
    const app = createApp({ now, sink: collector.spool, logError: (m) => logged.push(m) });
    const res = await post(app, event({ page_title: "private title" }));
    expect(res.status).toBe(503);
    expect(res.json.error).toMatch(/send them again later/);
    expect(logged.join("\n")).toMatch(/events not stored/);
    expect(logged.join("\n")).not.toContain("private title");
  });
  it("logs a sink that stays down once, and once when it is back, not at every request", async () => {
    const logged: string[] = [];
    let down = true;
    const sink = {
      put: (events: Parameters<typeof collector.spool.put>[0]) =>
        down ? Promise.reject(new Error("ENOSPC: no space left on device")) : collector.spool.put(events),
    };
    const app = createApp({ now, sink, logError: (m) => logged.push(m) });
    for (let i = 0; i < 5; i++) expect((await post(app, event())).status).toBe(503);
    down = false;
    for (let i = 0; i < 2; i++) expect((await post(app, event())).status).toBe(202);
    expect(logged).toEqual([
      "collect: events not stored: ENOSPC: no space left on device",
      "collect: events are stored again",
    ]);
  });
});

describe("other routes", () => {
  it("has a health check and JSON 404s", async () => {
    const app = createApp({ now, sink: collector.spool });
    expect(await (await app.request("/v1/health")).json()).toEqual({ ok: true });
    const missing = await app.request("/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "no route for GET /nope" });
  });
  it("answers 405 naming POST to another method on /v1/events, such as a browser's GET", async () => {
    const app = createApp({ now, sink: collector.spool });
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
