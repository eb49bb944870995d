import { join } from "node:path";
import { Hono } from "hono";
import { afterEach, expect, it } from "vitest";
import type { StoredEvent } from "../functions/collect/event.ts";
import { tempFolder } from "../test/temp-folders.ts";
import { LiveFeed } from "./live-feed.ts";
import { mountLive } from "./live-routes.ts";
import { Spool } from "./spool.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const pageView = (page_path: string) =>
  ({ event_type: "page_view", page_path, ingest_ts: new Date().toISOString() }) as StoredEvent;

interface Message {
  event: string;
  id?: string;
  data: string;
}

/** The messages of one connection, up to the first live event, which the test sends once connected. */
async function connect(app: Hono, sendLive: () => Promise<void>, lastEventId?: string): Promise<Message[]> {
  const res = await app.request("/live/events", {
    headers: lastEventId ? { "last-event-id": lastEventId } : {},
  });
  await sendLive();
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!/^event: event$/m.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => {
      const field = (name: string) => new RegExp(`^${name}: (.*)$`, "m").exec(block)?.[1];
      return { event: field("event") as string, id: field("id"), data: field("data") as string };
    });
}

it("sends a page that reconnects only the events after the last one it shows, so none shows twice", async () => {
  const data = tempFolder("ownstats-live-routes-");
  const spool = await Spool.open(join(data, "spool"));
  cleanup.push(() => spool.close());
  await spool.put(["/a", "/b", "/c"].map(pageView));
  const feed = await new LiveFeed(data, 60_000).start();
  cleanup.push(() => feed.stop());
  const app = new Hono();
  const routes = mountLive(app, feed);
  cleanup.push(() => routes.closeStreams());
  let live = 0;
  const sendLive = async () => {
    await spool.put([pageView(`/live-${++live}`)]);
    await feed.poll();
  };

  const first = await connect(app, sendLive);
  expect(first.map((m) => [m.event, m.data && JSON.parse(m.data).page_path])).toEqual([
    ["zone", undefined],
    ["minutes", undefined],
    ["backlog", "/a"],
    ["backlog", "/b"],
    ["backlog", "/c"],
    ["event", "/live-1"],
  ]);
  // The zone the page shows times in comes first, so a page that reconnects after it changed follows.
  expect(first[0]?.data).toBe('"UTC"');
  const ids = first.filter((m) => m.event === "backlog" || m.event === "event").map((m) => m.id);
  expect(new Set(ids).size).toBe(4);
  expect(ids.every((id) => typeof id === "string" && !/[\r\n]/.test(id))).toBe(true);

  // The page showed everything up to /b when the connection dropped.
  const again = await connect(app, sendLive, ids[1]);
  expect(again.map((m) => [m.event, m.data && JSON.parse(m.data).page_path])).toEqual([
    ["zone", undefined],
    ["minutes", undefined],
    ["backlog", "/c"],
    ["backlog", "/live-1"],
    ["event", "/live-2"],
  ]);
});

it("tells a page that reconnects after more events than the recent ones kept that it missed some", async () => {
  const data = tempFolder("ownstats-live-routes-");
  const spool = await Spool.open(join(data, "spool"));
  cleanup.push(() => spool.close());
  await spool.put(["/seen"].map(pageView));
  const feed = await new LiveFeed(data, 60_000).start();
  cleanup.push(() => feed.stop());
  const app = new Hono();
  const routes = mountLive(app, feed);
  cleanup.push(() => routes.closeStreams());
  const sendLive = async () => {
    await spool.put([pageView("/live")]);
    await feed.poll();
  };
  const first = await connect(app, sendLive);
  const seen = first.find((m) => m.event === "backlog")?.id as string;

  // The page is away (a laptop asleep) while more events arrive than the server keeps to resend.
  await spool.put(Array.from({ length: 80 }, (_, i) => pageView(`/while-away-${i}`)));
  await feed.poll();
  const again = await connect(app, sendLive, seen);
  expect(again.slice(0, 4).map((m) => [m.event, JSON.parse(m.data)?.page_path])).toEqual([
    ["zone", undefined],
    ["minutes", undefined],
    ["missed", undefined],
    ["backlog", "/while-away-30"],
  ]);
  expect(again[2]?.data).toBe("null");

  // A page that was away for fewer events than that gets all of them, and no such note.
  const last = again.filter((m) => m.event === "backlog").at(-1)?.id as string;
  const third = await connect(app, sendLive, last);
  expect(third.map((m) => m.event)).toEqual(["zone", "minutes", "backlog", "event"]);
});
