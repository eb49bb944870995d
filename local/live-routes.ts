// GET /live (the real-time page) and GET /live/events (its Server-Sent Events): each accepted event
// as it arrives, and the per-minute counts of the last hour every few seconds.
import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { LiveEvent, LiveFeed } from "./live-feed.ts";
import { LiveOutbox } from "./live-outbox.ts";
import { livePage } from "./live-page.ts";
import { liveWorker, liveWorkerPath } from "./live-worker.ts";

export interface LiveRoutes {
  /** Ends every open stream, so the server can close at once. */
  closeStreams(): void;
}

/**
 * `zone` is the time zone the reports show times in, asked at each page load and at each tick of an
 * open stream: the reports move to another zone when a build with another --vars timezone (or
 * project.yml's) has rendered them, and an open page follows without a reload.
 */
export function mountLive(app: Hono, feed: LiveFeed, zone: () => string = () => "UTC"): LiveRoutes {
  const closers = new Set<() => void>();

  app.get("/live", (c) => c.html(livePage(zone())));
  // As a static host answers a folder's path with or without its slash.
  app.get("/live/", (c) => c.redirect("/live", 301));
  app.get(liveWorkerPath, (c) =>
    c.body(liveWorker, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "no-cache",
    }),
  );

  app.get("/live/events", (c) => {
    // Hono answers HEAD with the GET handler's headers and drops its body without cancelling it: a
    // stream started here would stay subscribed, holding messages for nobody, for as long as dev runs.
    if (c.req.method === "HEAD") return c.body(null, 200, { "Content-Type": "text/event-stream" });
    return streamSSE(c, async (stream) => {
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

      // One writer at a time, so messages never interleave; what waits is bounded (see live-outbox.ts).
      const outbox = new LiveOutbox(() => feed.minutes());
      let writing: Promise<void> = Promise.resolve();
      let writerRunning = false;
      const write = () => {
        if (writerRunning || closed) return;
        writerRunning = true;
        writing = (async () => {
          try {
            for (let message = outbox.take(); message && !closed; message = outbox.take())
              await stream.writeSSE(message);
          } catch {
            close();
          } finally {
            writerRunning = false;
          }
        })();
      };
      let toldZone = zone();
      outbox.addZone(toldZone);
      outbox.addMinutes();
      // Recent events fill the table; they are in the counts already. A page that reconnects (to a
      // restarted dev server, say) sends the id of the last event it has, and gets only later ones.
      const shown = c.req.header("last-event-id") || undefined;
      if (shown !== undefined && feed.missedAfter(shown)) outbox.addGap();
      for (const { event, position } of feed.latest(shown)) outbox.addEvent("backlog", event, position);
      write();
      const unsubscribe = feed.subscribe((event: LiveEvent, position) => {
        outbox.addEvent("event", event, position);
        write();
      });
      // Counts move on with the clock even when nothing arrives; the write also keeps proxies from timing out.
      const ticker = setInterval(() => {
        const now = zone();
        if (now !== toldZone) outbox.addZone((toldZone = now));
        outbox.addMinutes();
        write();
      }, 5_000);
      try {
        await finished;
      } finally {
        clearInterval(ticker);
        unsubscribe();
        closers.delete(close);
        await writing;
      }
    });
  });

  return {
    closeStreams() {
      for (const close of [...closers]) close();
    },
  };
}
