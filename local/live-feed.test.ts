import { appendFileSync, mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { StoredEvent } from "../functions/collect/event.ts";
import { tempFolder } from "../test/temp-folders.ts";
import { type LiveEvent, LiveFeed, toLiveEvent } from "./live-feed.ts";
import { Spool } from "./spool.ts";

const line = (fields: Record<string, unknown>) =>
  `${JSON.stringify({
    event_id: "00000000-0000-4000-8000-000000000001",
    session_id: "a-session-id",
    visitor_id: "a-visitor-id",
    event_type: "page_view",
    page_path: "/",
    ingest_ts: "2026-05-01T10:00:30.000Z",
    site: "example.com",
    is_bot: false,
    ...fields,
  })}\n`;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("live feed", () => {
  it("publishes what is appended to the spool after it started, whole lines only", async () => {
    const data = tempFolder("ownstats-live-");
    const spool = join(data, "spool");
    mkdirSync(spool);
    const segment = join(spool, "0000001777000000-000000.ndjson");
    writeFileSync(segment, line({ page_path: "/before-start" }));
    // Last written two hours ago: nothing in it belongs to the last hour the feed reads back.
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(segment, twoHoursAgo, twoHoursAgo);
    const feed = await new LiveFeed(data, 60_000).start();
    const seen: LiveEvent[] = [];
    feed.subscribe((event) => seen.push(event));

    const half = line({ event_type: "cta_click", element: "book_call", page_path: "/pricing" });
    appendFileSync(segment, half.slice(0, 40));
    await feed.poll();
    expect(seen).toEqual([]);
    appendFileSync(segment, half.slice(40));
    writeFileSync(
      join(spool, "0000001777000001-000001.ndjson"),
      line({ event_type: "scroll_depth", scroll_pct: 75 }),
    );
    await feed.poll();
    feed.stop();

    expect(seen.map((e) => [e.event_type, e.page_path, e.detail])).toEqual([
      ["cta_click", "/pricing", "book_call"],
      ["scroll_depth", "/", "75 %"],
    ]);
    expect(JSON.stringify(seen)).not.toMatch(/a-session-id|a-visitor-id|00000000-/);
    const minutes = feed.minutes(Date.parse("2026-05-01T10:05:00Z"));
    expect(minutes).toHaveLength(60);
    expect(minutes.find((m) => m.minute === "2026-05-01T10:00:00.000Z")?.events).toBe(2);
  });

  it("starts with the spool's last hour, so a restarted dev server still shows its counts and latest events", async () => {
    const data = tempFolder("ownstats-live-");
    const spool = await Spool.open(join(data, "spool"));
    const now = Date.now();
    const minuteAgo = new Date(now - 60_000).toISOString();
    await spool.put([
      { event_type: "page_view", page_path: "/a", ingest_ts: minuteAgo },
      { event_type: "cta_click", element: "book_call", page_path: "/pricing", ingest_ts: minuteAgo },
    ] as StoredEvent[]);
    await spool.close();

    const feed = await new LiveFeed(data, 60_000).start();
    feed.stop();
    const minute = new Date(Date.parse(minuteAgo) - (Date.parse(minuteAgo) % 60_000)).toISOString();
    expect(feed.minutes(now).find((m) => m.minute === minute)?.events).toBe(2);
    expect(feed.latest().map(({ event }) => [event.page_path, event.detail])).toEqual([
      ["/a", null],
      ["/pricing", "book_call"],
    ]);
  });

  it("ignores lines that are not events", () => {
    expect(toLiveEvent("not json")).toBeUndefined();
    expect(toLiveEvent('{"no_type":1}')).toBeUndefined();
    expect(toLiveEvent(line({ event_type: "time_on_page", seconds: 30 }).trim())?.detail).toBe("30 s");
  });

  it("passes over a folder named like a segment, and says once, not at every poll, that the spool cannot be read", async () => {
    const data = tempFolder("ownstats-live-");
    const spool = join(data, "spool");
    mkdirSync(spool);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const feed = await new LiveFeed(data, 60_000).start();
    const seen: LiveEvent[] = [];
    feed.subscribe((event) => seen.push(event));
    mkdirSync(join(spool, "0000001777000000-000000.ndjson"));
    writeFileSync(join(spool, "0000001777000001-000000.ndjson"), line({ page_path: "/after" }));
    await feed.poll();
    expect(seen.map((e) => e.page_path)).toEqual(["/after"]);
    expect(errors).not.toHaveBeenCalled();

    rmSync(spool, { recursive: true });
    writeFileSync(spool, "");
    for (let i = 0; i < 5; i++) await feed.poll();
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]?.[0])).toMatch(/^live: reading the spool failed, will retry: ENOTDIR/);
    rmSync(spool);
    mkdirSync(spool);
    await feed.poll();
    feed.stop();
    expect(errors.mock.calls.map((call) => call[0])).toEqual([
      expect.stringMatching(/^live: reading the spool failed/),
      "live: reading the spool works again",
    ]);
  });
});
