// The /live page after a restart of `dev`: the last hour's counts and latest events, read from the
// end of the spool back to the hour, however large the segments before it are.
import { appendFileSync, mkdirSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { LiveFeed } from "./live-feed.ts";

const line = (path: string, at: number) =>
  `${JSON.stringify({ event_type: "page_view", session_id: "a-session-id", page_path: path, ingest_ts: new Date(at).toISOString() })}\n`;
const lines = (prefix: string, count: number, at: number) =>
  Array.from({ length: count }, (_, i) => line(`${prefix}/${i}`, at)).join("");
const minuteOf = (at: number) => new Date(at - (at % 60_000)).toISOString();

it("counts the last hour and lists its latest events, reading back no further than the hour", async () => {
  const data = tempFolder("ownstats-live-backlog-");
  const spool = join(data, "spool");
  mkdirSync(spool);
  const now = Date.now();
  const twoHoursAgo = now - 2 * 3_600_000;
  const halfHourAgo = now - 30 * 60_000;
  const fiveMinutesAgo = now - 5 * 60_000;

  const old = join(spool, "0000001777000000-000000.ndjson");
  writeFileSync(old, lines("/old", 3, twoHoursAgo));
  utimesSync(old, new Date(twoHoursAgo), new Date(twoHoursAgo));
  // 16 GiB (a hole: no disk used) of what came before the hour, then one event from before it, then
  // the hour's: a feed that read this segment from its start would never get to the hour.
  const large = join(spool, "0000001777000001-000000.ndjson");
  writeFileSync(large, "");
  truncateSync(large, 16 * 1024 ** 3);
  appendFileSync(large, `\n${line("/before-the-hour", twoHoursAgo)}${lines("/b", 30, halfHourAgo)}`);
  const head = join(spool, "0000001777000002-000000.ndjson");
  const inProgress = line("/in-progress", fiveMinutesAgo);
  writeFileSync(head, lines("/c", 40, fiveMinutesAgo) + inProgress.slice(0, 20));

  const feed = await new LiveFeed(data, 60_000).start();
  const counts = new Map(feed.minutes(now).map((m) => [m.minute, m.events]));
  expect(counts.get(minuteOf(halfHourAgo))).toBe(30);
  expect(counts.get(minuteOf(fiveMinutesAgo))).toBe(40);
  expect([...counts.values()].reduce((a, b) => a + b)).toBe(70);
  const latest = feed.latest();
  expect(latest.map(({ event }) => event.page_path)).toEqual([
    ...Array.from({ length: 10 }, (_, i) => `/b/${20 + i}`),
    ...Array.from({ length: 40 }, (_, i) => `/c/${i}`),
  ]);
  expect(JSON.stringify(latest)).not.toContain("a-session-id");
  // A page that reconnects from before the latest 50 is told it missed some; one that has them is not.
  expect(feed.missedAfter((latest[0] as { position: string }).position)).toBe(false);
  expect(feed.missedAfter("0")).toBe(true);

  // The line being written when the feed started comes once it is whole.
  const seen: (string | null)[] = [];
  feed.subscribe((event) => seen.push(event.page_path));
  appendFileSync(head, inProgress.slice(20));
  await feed.poll();
  feed.stop();
  expect(seen).toEqual(["/in-progress"]);
});

it("counts every line of an hour that spans many reads, lines of any length cut at any place", async () => {
  const data = tempFolder("ownstats-live-backlog-");
  const spool = join(data, "spool");
  mkdirSync(spool);
  const now = Date.now();
  const expected = new Map<string, number>();
  let text = "";
  for (let i = 0; i < 20_000; i++) {
    const at = now - 50 * 60_000 + i * 120;
    text += line(`/p/${i}/${"x".repeat(i % 97)}`, at);
    expected.set(minuteOf(at), (expected.get(minuteOf(at)) ?? 0) + 1);
  }
  writeFileSync(join(spool, "0000001777000000-000000.ndjson"), text);
  const feed = await new LiveFeed(data, 60_000).start();
  feed.stop();
  const counts = feed.minutes(now).filter((m) => m.events > 0);
  expect(new Map(counts.map((m) => [m.minute, m.events]))).toEqual(expected);
  expect(feed.latest().map(({ event }) => event.page_path?.split("/")[2])).toEqual(
    Array.from({ length: 50 }, (_, i) => String(19_950 + i)),
  );
});
