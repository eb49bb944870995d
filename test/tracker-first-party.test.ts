// A site that serves the tracker and its endpoint from its own domain, in Debian's Chromium: a
// reverse proxy in front of the site forwards /js/site.js and /e, unchanged, to a collector started
// with TRACKER_SCRIPT_NAME and COLLECT_API_ENDPOINT. The page talks to its own origin only, under
// names no filter list looks for, and its page view is stored.

import { join } from "node:path";
import { Hono } from "hono";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { StoredEvent } from "../functions/collect/event.ts";
import { type RunningServer, serveApp } from "../functions/collect/server.ts";
import { type RunningCollector, startCollector } from "../local/collect.ts";
import { readSpoolLines } from "../local/spool.ts";
import { mountTracker } from "../local/tracker-route.ts";
import { chromiumOrWarn, launchChromium } from "./chromium.ts";
import { tempFolder } from "./temp-folders.ts";
import { pauseClock, poll, watchRequests } from "./tracker-harness.ts";

const executable = chromiumOrWarn("tracker first-party");

/** The site and its proxy: the page, and the two paths a proxy_pass or rewrite would forward. */
function siteWithProxy(collectorUrl: string): Hono {
  const site = new Hono();
  site.get("/", (c) =>
    c.html(
      '<!doctype html><html lang="en"><title>Shop</title><h1>Shop</h1>' +
        '<script defer src="/js/site.js" data-endpoint="/e"></script></html>',
    ),
  );
  site.on(["GET", "POST", "OPTIONS"], ["/js/site.js", "/e"], async (c) => {
    const headers = new Headers(c.req.raw.headers);
    for (const name of ["host", "connection", "content-length"]) headers.delete(name);
    const upstream = await fetch(`${collectorUrl}${c.req.path}`, {
      method: c.req.method,
      headers,
      body: c.req.method === "POST" ? await c.req.arrayBuffer() : undefined,
    });
    return new Response(upstream.body, { status: upstream.status, headers: upstream.headers });
  });
  return site;
}

describe.runIf(executable)("tracker served from the site's own domain", () => {
  const data = tempFolder("ownstats-first-party-");
  let collector: RunningCollector;
  let site: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    vi.stubEnv("TRACKER_SCRIPT_NAME", "/js/site.js");
    vi.stubEnv("COLLECT_API_ENDPOINT", "/e");
    collector = await startCollector({
      port: 0,
      data,
      extend: (app, { scriptPaths }) => mountTracker(app, { extraPaths: scriptPaths }),
    });
    site = await serveApp(siteWithProxy(collector.url), { port: 0 });
    browser = await launchChromium(executable as string);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await browser?.close();
    await site?.close();
    await collector?.close();
  });

  it("loads the script and posts its events through the site's own origin, and the page view lands", async () => {
    const context = await browser.newContext();
    const requests = watchRequests(context);
    const page = await context.newPage();
    await pauseClock(page);
    const origin = `http://127.0.0.1:${site.port}`;
    await page.goto(`${origin}/`);
    await page.clock.runFor(3_100);
    const stored = async () =>
      (await readSpoolLines(join(data, "spool"))).map((line) => JSON.parse(line) as StoredEvent);
    await poll(async () => (await stored()).map((event) => event.event_type)).toContain("page_view");
    expect((await stored()).find((event) => event.event_type === "page_view")).toMatchObject({
      page_path: "/",
      site: `127.0.0.1:${site.port}`,
    });
    const paths = requests.map((request) => new URL(request.url()));
    expect(paths.every((url) => url.origin === origin)).toBe(true);
    expect(paths.map((url) => url.pathname)).toEqual(expect.arrayContaining(["/", "/js/site.js", "/e"]));
    expect(paths.map((url) => url.pathname)).not.toContain("/analytics.js");
    expect(paths.map((url) => url.pathname)).not.toContain("/v1/events");
    await context.close();
  });
});
