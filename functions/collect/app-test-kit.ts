// Shared by the app's tests: a real spool per test as the sink, events around a fixed collector
// clock, and a POST as the tracker sends it (text/plain, an Origin and a browser's user agent).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { readSpoolLines, Spool } from "../../local/spool.ts";
import type { createApp } from "./app.ts";
import type { WireEventInput } from "./event.ts";

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

/** The collector's clock in these tests: the events' times lie around it. */
export const now = () => new Date("2026-03-01T08:00:05.000Z");

/** A fresh spool in its own folder for each test, closed and removed after it. */
export function spoolPerTest() {
  const current = { dir: "", spool: undefined as unknown as Spool };
  beforeEach(async () => {
    current.dir = await mkdtemp(join(tmpdir(), "ownstats-app-"));
    current.spool = await Spool.open(current.dir);
  });
  afterEach(async () => {
    await current.spool.close();
    await rm(current.dir, { recursive: true, force: true });
  });
  return {
    get spool() {
      return current.spool;
    },
    /** The spool's lines as written, to search for what must never be stored. */
    lines: () => readSpoolLines(current.dir),
    /** The stored records, parsed. */
    stored: async () =>
      (await readSpoolLines(current.dir)).map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

let counter = 0;
/** A valid page view around `now`, with a unique id; overrides may make it anything else. */
export function event(overrides: Record<string, unknown> = {}): WireEventInput {
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

export async function post(
  app: ReturnType<typeof createApp>,
  body: unknown,
  headers: Record<string, string> = {},
) {
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
