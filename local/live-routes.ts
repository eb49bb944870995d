// GET /live (the real-time page) and GET /live/events (its Server-Sent Events): each accepted event
// as it arrives, and the per-minute counts of the last hour every few seconds.
import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { LiveEvent, LiveFeed, SpoolPosition } from "./live-feed.ts";
import { livePage } from "./live-page.ts";
import { liveWorker, liveWorkerPath } from "./live-worker.ts";

export interface LiveRoutes {
  /** Ends every open stream, so the server can close at once. */
  closeStreams(): void;
}

export function mountLive(app: Hono, feed: LiveFeed): LiveRoutes {
  const closers = new Set<() => void>();

  app.get("/live", (c) => c.html(livePage));
  app.get(liveWorkerPath, (c) =>
    c.body(liveWorker, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "no-cache",
    }),
  );

  app.get("/live/events", (c) =>
    streamSSE(c, async (stream) => {
      let closed = false;
      let wake: () => void = () => {};
      const finished = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const close = () => {
        closed = true;
        wake();
      };
      closers.add(close);
      stream.onAbort(close);

      // Writes are chained so messages never interleave.
      let queue = Promise.resolve();
      const send = (event: string, data: unknown, id?: SpoolPosition) => {
        queue = queue
          .then(() => (closed ? undefined : stream.writeSSE({ event, data: JSON.stringify(data), id })))
          .catch(close);
      };
      send("minutes", feed.minutes());
      // Recent events fill the table; they are in the counts already. A page that reconnects (to a
      // restarted dev server, say) sends the id of the last event it has, and gets only later ones.
      const shown = c.req.header("last-event-id") || undefined;
      for (const { event, position } of feed.latest(shown)) send("backlog", event, position);
      const unsubscribe = feed.subscribe((event: LiveEvent, position) => send("event", event, position));
      // Counts move on with the clock even when nothing arrives; the write also keeps proxies from timing out.
      const ticker = setInterval(() => send("minutes", feed.minutes()), 5_000);
      try {
        await finished;
      } finally {
        clearInterval(ticker);
        unsubscribe();
        closers.delete(close);
        await queue;
      }
    }),
  );

  return {
    closeStreams() {
      for (const close of [...closers]) close();
    },
  };
}
