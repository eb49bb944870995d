import { connect, type Socket } from "node:net";
import { Hono } from "hono";
import { afterEach, expect, it } from "vitest";
import { serveApp } from "../functions/collect/server.ts";
import { LiveFeed } from "../local/live-feed.ts";
import { mountLive } from "../local/live-routes.ts";
import { tempFolder } from "./temp-folders.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const turn = () => new Promise((resolve) => setImmediate(resolve));
const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

/** /live on a real HTTP server, over an empty data folder's feed; stopped after the test. */
async function serveLive(): Promise<{ feed: LiveFeed; port: number }> {
  const feed = await new LiveFeed(tempFolder("ownstats-live-server-"), 60_000).start();
  cleanup.push(() => feed.stop());
  const app = new Hono();
  const routes = mountLive(app, feed);
  const server = await serveApp(app, { port: 0 });
  cleanup.push(() => server.close());
  cleanup.push(() => routes.closeStreams());
  return { feed, port: server.port };
}

interface Message {
  event: string;
  data: string;
}

function parse(text: string): Message[] {
  return text
    .split("\n\n")
    .filter((block) => /^event: /m.test(block))
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)?.[1] as string,
      data: /^data: (.*)$/m.exec(block)?.[1] as string,
    }));
}

it("holds a bounded number of messages for a reader that stopped, then tells it how many it missed", async () => {
  const { feed, port } = await serveLive();

  const socket: Socket = connect(port, "127.0.0.1");
  cleanup.push(() => void socket.destroy());
  let received = "";
  socket.on("data", (chunk: Buffer) => {
    received += chunk.toString("latin1");
  });
  socket.write(`GET /live/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  while (!received.includes("event: minutes")) await pause();
  // The reader stops reading: what the server writes piles up in the socket buffers, then on the server.
  socket.pause();

  // Large events (a long page path), so the socket buffers fill after a few thousand of them.
  const total = 30_000;
  const path = `/${"p".repeat(1_999)}`;
  const now = new Date().toISOString();
  for (let i = 0; i < total; i++) {
    const event = { time: now, event_type: "page_view", site: "example.com", page_path: path } as const;
    feed.publish(
      { ...event, detail: `n${i}`, browser: null, device_type: null, country: null, is_bot: false },
      `p-${String(i).padStart(15, "0")}`,
    );
    if (i % 500 === 0) await turn();
  }

  // The reader reads again: everything the server still held comes, then the stream goes on.
  socket.resume();
  const messages = () => parse(received);
  while (!messages().some((m) => m.event === "event" && m.data.includes(`"n${total - 1}"`))) await pause();

  const all = messages();
  const missed = all.filter((m) => m.event === "missed").reduce((sum, m) => sum + Number(m.data), 0);
  const listed = all.filter((m) => m.event === "event" || m.event === "backlog").length;
  expect(missed).toBeGreaterThan(0);
  expect(missed + listed).toBe(total);
  // Of some 60 MB of events, the reader got what the socket buffers took and the server's bound
  // (2 MiB) held: far from all of them.
  expect(listed).toBeLessThan(total / 2);
  // The page counts as the last counts sent say, plus each "event" after them (a "backlog" event is
  // in the counts already): every event, those it missed included.
  const last = all.findLastIndex((m) => m.event === "minutes");
  const minutes = JSON.parse((all[last] as Message).data) as { events: number }[];
  const countedAfter = all.slice(last).filter((m) => m.event === "event").length;
  expect(minutes.reduce((sum, m) => sum + m.events, 0) + countedAfter).toBe(total);
}, 60_000);

it("follows the feed only for readers of the stream, not for HEAD requests (a monitor's checks)", async () => {
  const { feed, port } = await serveLive();
  const url = `http://127.0.0.1:${port}/live/events`;

  for (let i = 0; i < 5; i++) {
    const res = await fetch(url, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
  }
  await pause();
  expect(feed.watchers).toBe(0);

  const reader = new AbortController();
  const res = await fetch(url, { signal: reader.signal });
  await (res.body as ReadableStream<Uint8Array>).getReader().read();
  expect(feed.watchers).toBe(1);
  reader.abort();
  while (feed.watchers > 0) await pause();
});
