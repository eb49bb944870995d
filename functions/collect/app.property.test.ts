// Property-based: thousands of random and malformed bodies, sent over HTTP to the real server
// with the real spool, never get a 5xx or crash it, and every valid event among them is accepted.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSpoolLines, Spool } from "../../local/spool.ts";
import { createApp } from "./app.ts";
import { EVENT_TYPES, MAX_BODY_BYTES } from "./event.ts";
import { type RunningServer, serveApp } from "./server.ts";

/** The collector's clock: fixed, so that the generated event times lie around it. */
const clock = new Date("2026-06-01T12:00:00Z");
let dir: string;
let spool: Spool;
let server: RunningServer;
let url: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ownstats-property-"));
  spool = await Spool.open(dir);
  server = await serveApp(createApp({ sink: spool, now: () => clock, logError: () => {} }), { port: 0 });
  url = `http://127.0.0.1:${server.port}/v1/events`;
});
afterAll(async () => {
  await server.close();
  await spool.close();
  await rm(dir, { recursive: true, force: true });
});

const identifier = fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/);
const shortText = (max: number) => fc.string({ maxLength: max, unit: "binary" });

/** An event that the contract accepts, with the fields its type requires. */
const validEvent = fc
  .record(
    {
      event_type: fc.constantFrom(...EVENT_TYPES),
      event_id: fc.uuid(),
      session_id: identifier,
      visitor_id: identifier,
      // Any time the contract accepts around the collector's clock (72 hours before to 24 after).
      event_ts: fc
        .date({
          min: new Date(clock.getTime() - 72 * 3_600_000),
          max: new Date(clock.getTime() + 24 * 3_600_000),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString()),
      page_path: fc.webPath().map((p) => `/${p.replace(/^\/+/, "")}`.slice(0, 2000)),
      page_title: shortText(300),
      referrer: fc.webUrl({ withQueryParameters: true, withFragments: true }).filter((u) => u.length <= 2000),
      utm_source: shortText(200),
      screen_width: fc.integer({ min: 0, max: 20_000 }),
      language: shortText(35),
      timezone: fc.constantFrom("Europe/Berlin", "UTC", "America/Sao_Paulo", "Nowhere/Else"),
      props: fc.dictionary(
        // "__proto__" is a reserved prop name, rejected by the contract.
        fc.string({ maxLength: 50 }).filter((key) => key !== "__proto__"),
        fc.oneof(shortText(200), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()),
        { maxKeys: 20 },
      ),
    },
    { requiredKeys: ["event_type", "event_id", "session_id", "event_ts", "page_path"] },
  )
  .map((event) => ({
    ...event,
    ...(event.event_type === "scroll_depth" ? { scroll_pct: 50 } : {}),
    ...(event.event_type === "time_on_page" ? { seconds: 30 } : {}),
    ...(event.event_type === "experiment_exposure" ? { experiment: "cta_copy", variant: "b" } : {}),
    ...(event.event_type === "custom" ? { name: "signup" } : {}),
  }));

const dangerousKey = fc.constantFrom(
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "events",
  "event_id",
);
/** Anything JSON can hold, deeply nested, with keys that have tripped up parsers before. */
const junk = fc.anything({
  maxDepth: 6,
  key: fc.oneof(fc.string(), dangerousKey),
  withBigInt: false,
  withMap: false,
  withSet: false,
  withTypedArray: false,
  withSparseArray: false,
});
const deeplyNested = fc.integer({ min: 1, max: 5_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth));
const hugeString = fc
  .integer({ min: 60_000, max: 80_000 })
  .map((n) => JSON.stringify({ page_title: "x".repeat(n) }));
const protoBody = fc.constantFrom(
  '{"__proto__":{"polluted":true},"event_type":"page_view"}',
  '{"events":[{"__proto__":{"polluted":true}}],"__proto__":{"events":[]}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
);

/** A body and the indices of the valid events it carries (in a batch), if any. */
type Case = { body: string | Uint8Array; valid: { index: number; event_id: string }[] };

const batchCase: fc.Arbitrary<Case> = fc
  .array(fc.oneof({ arbitrary: validEvent, weight: 3 }, { arbitrary: junk, weight: 1 }), {
    minLength: 1,
    maxLength: 50,
  })
  .map((items) => ({
    body: JSON.stringify({ events: items }),
    valid: items.flatMap((item, index) =>
      typeof item === "object" &&
      item !== null &&
      "event_id" in item &&
      "session_id" in item &&
      typeof item.event_id === "string"
        ? [{ index, event_id: item.event_id.toLowerCase() }]
        : [],
    ),
  }));
const singleCase: fc.Arbitrary<Case> = validEvent.map((e) => ({
  body: JSON.stringify(e),
  valid: [{ index: 0, event_id: e.event_id.toLowerCase() }],
}));
const junkCase: fc.Arbitrary<Case> = fc
  .oneof(
    junk.map((j) => JSON.stringify(j) ?? "undefined"),
    fc.string({ unit: "binary", maxLength: 500 }),
    fc.uint8Array({ maxLength: 2_000 }),
    deeplyNested,
    hugeString,
    protoBody,
  )
  .map((body) => ({ body, valid: [] }));

async function send(body: string | Uint8Array) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "text/plain", origin: "https://example.com" },
    body: body as BodyInit,
  });
  return {
    status: res.status,
    json: (await res.json()) as { accepted?: number; rejected?: { index: number }[] },
  };
}

describe("any body", () => {
  it("never gets a 5xx, and every valid event is accepted", async () => {
    const accepted = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.oneof(batchCase, singleCase, junkCase), async ({ body, valid }) => {
        const { status, json } = await send(body);
        expect([202, 400, 413]).toContain(status);
        const size = typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
        if (valid.length > 0 && size <= MAX_BODY_BYTES) {
          expect(status).toBe(202);
          const rejected = new Set((json.rejected ?? []).map((r) => r.index));
          for (const v of valid) expect(rejected.has(v.index), JSON.stringify(json.rejected)).toBe(false);
          expect(json.accepted).toBeGreaterThanOrEqual(valid.length);
          for (const v of valid) accepted.add(v.event_id);
        }
      }),
      { numRuns: 2_000 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The server is still up, and everything it acknowledged is in the spool.
    expect((await send(JSON.stringify({ events: [] }))).status).toBe(400);
    const spooled = new Set(
      (await readSpoolLines(dir)).map((line) => (JSON.parse(line) as { event_id: string }).event_id),
    );
    for (const id of accepted) expect(spooled.has(id)).toBe(true);
  }, 300_000);
});
