// Shared by the tracker's browser tests: the real local collector serving the fixture pages and
// /analytics.js, a second origin for cross-origin pages, and readers for what the browser sent
// and what landed in raw/.
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import type { Browser, BrowserContext, BrowserContextOptions, Page, Request } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import type { StoredEvent, WireEventInput } from "../functions/collect/event.ts";
import { serveApp } from "../functions/collect/server.ts";
import { type RunningCollector, startCollector } from "../local/collect.ts";
import { mountTracker } from "../local/tracker-route.ts";
import { launchChromium } from "./chromium.ts";
import { readRaw } from "./collect-helpers.ts";
import { tempFolder } from "./temp-folders.ts";

const fixtures = fileURLToPath(new URL("./fixtures/tracker/", import.meta.url));

/**
 * GET /site/<name>.html from test/fixtures/tracker, with {{collector}} replaced. A page named
 * isolated-*.html is served cross-origin isolated (COEP require-corp), as sites that need
 * SharedArrayBuffer are.
 */
function serveFixtures(app: Hono, collectorUrl: () => string): void {
  app.get("/site/:name", async (c) => {
    const name = c.req.param("name");
    if (!/^[\w-]+\.html$/.test(name)) return c.text("no such fixture", 404);
    const html = await readFile(join(fixtures, name), "utf8").catch(() => undefined);
    if (html === undefined) return c.text("no such fixture", 404);
    if (name.startsWith("isolated-")) {
      c.header("Cross-Origin-Embedder-Policy", "require-corp");
      c.header("Cross-Origin-Opener-Policy", "same-origin");
    }
    return c.html(html.replaceAll("{{collector}}", collectorUrl()));
  });
}

/** One request as the collector saw it. */
export interface Received {
  method: string;
  path: string;
  contentType?: string;
  /** "no-cors" for sendBeacon with a text/plain body, "cors" for fetch. */
  fetchMode?: string;
  events: WireEventInput[];
  /** The indexes of the posted events the collector refused, with why (its answer's `rejected`). */
  rejected?: unknown[];
}

export interface TrackerSite {
  data: string;
  collector: RunningCollector;
  /** Every request that reached the collector, CORS preflights and sendBeacon posts included. */
  received: Received[];
  /** The events of every POST /v1/events the collector received, in order. */
  events(): WireEventInput[];
  ofType(type: WireEventInput["event_type"]): WireEventInput[];
  /** Forgets what was received so far (between tests sharing one site). */
  forget(): void;
  /** Resolves once no request has reached the collector for a moment. */
  settle(): Promise<void>;
  /** A fixture page on the collector's own origin. */
  page(name: string, query?: string): string;
  /** A fixture page on a second origin, whose script and events go to the collector. */
  otherOriginPage(name: string): string;
  /** Stops both servers; the collector lands what waits in its spool first. */
  close(): Promise<void>;
  /** Closes, then reads every event that landed in raw/. */
  landedEvents(): Promise<StoredEvent[]>;
}

/**
 * Where the pages' fake clocks start: the current minute, since the collector refuses an event
 * time far from its own clock.
 */
export const START = Math.floor(Date.now() / 60_000) * 60_000;

/**
 * Installs a fake clock at START and pauses it: time then moves only when a test says so. The
 * installed clock runs until paused, and pausing at a fixed START + 1 s failed ("Cannot fast-forward
 * to the past") when a busy machine took longer than that between the two calls; it pauses a margin
 * after the time the page reads instead.
 */
export async function pauseClock(page: Page): Promise<void> {
  await page.clock.install({ time: START });
  const now = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(now + 30_000);
}

/** `failingSink`: a Firehose sink at a closed port, so every POST of events is answered 503. */
export async function startTrackerSite({ failingSink = false } = {}): Promise<TrackerSite> {
  const data = tempFolder("ownstats-tracker-");
  let collectorUrl = "";
  const received: Received[] = [];
  const collector = await startCollector({
    port: 0,
    data,
    ...(failingSink ? { sink: "firehose", endpoint: "http://127.0.0.1:9" } : {}),
    extend: (app) => {
      mountTracker(app);
      serveFixtures(app, () => collectorUrl);
      // A log in front of the app: a browser shows neither its preflights nor the beacons of a
      // page being left to the page's own request events.
      const handle = app.fetch;
      app.fetch = async (request, ...rest) => {
        const entry: Received = {
          method: request.method,
          path: new URL(request.url).pathname,
          contentType: request.headers.get("content-type") ?? undefined,
          fetchMode: request.headers.get("sec-fetch-mode") ?? undefined,
          events: [],
        };
        if (entry.method === "POST" && entry.path === "/v1/events") {
          try {
            entry.events =
              (JSON.parse(await request.clone().text()) as { events?: WireEventInput[] }).events ?? [];
          } catch {}
        }
        received.push(entry);
        const response = await handle(request, ...rest);
        if (entry.events.length)
          entry.rejected = ((await response.clone().json()) as { rejected?: unknown[] }).rejected;
        return response;
      };
    },
  });
  collectorUrl = collector.url;
  const otherApp = new Hono();
  serveFixtures(otherApp, () => collectorUrl);
  // Reached as "localhost" rather than 127.0.0.1: another host and port, so another origin and site.
  const other = await serveApp(otherApp, { port: 0, hostname: "127.0.0.1" });
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= Promise.all([collector.close(), other.close()]).then(() => undefined);
    return closed;
  };
  const events = () => received.flatMap((r) => r.events);
  return {
    data,
    collector,
    received,
    events,
    ofType: (type) => events().filter((e) => e.event_type === type),
    forget: () => {
      received.length = 0;
    },
    settle: async () => {
      let count = -1;
      while (count !== received.length) {
        count = received.length;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    },
    page: (name, query = "") => `${collector.url}/site/${name}${query}`,
    otherOriginPage: (name) => `http://localhost:${other.port}/site/${name}`,
    close,
    landedEvents: async () => {
      await close();
      const events = await readRaw(data);
      await rm(data, { recursive: true, force: true });
      return events;
    },
  };
}

/** What the tests of a suite share (the site) and what each test has its own of (context, page). */
export interface TrackerSuite {
  site: TrackerSite;
  context: BrowserContext;
  /** A page of the context, its clock paused at START. */
  page: Page;
}

/**
 * Registers a browser suite's hooks: one site and one Chromium for the suite, a new context (with
 * `contextOptions`) and page for each test, and after each test the site forgets what it received.
 * The fields are set by the hooks, so tests read them when they run.
 */
export function useTrackerSuite(
  executable: string,
  contextOptions: BrowserContextOptions = {},
): TrackerSuite {
  const suite = {} as TrackerSuite;
  let browser: Browser;
  beforeAll(async () => {
    suite.site = await startTrackerSite();
    browser = await launchChromium(executable);
  });
  afterAll(async () => {
    await browser?.close();
    await suite.site?.close();
  });
  beforeEach(async () => {
    suite.context = await browser.newContext(contextOptions);
    suite.page = await suite.context.newPage();
    await pauseClock(suite.page);
  });
  afterEach(async () => {
    await suite.context.close();
    // Beacons of the closed page may still be on their way; the next test starts clean.
    await suite.site.settle();
    suite.site.forget();
  });
  return suite;
}

/**
 * A desktop browser in Germany: a 1000 × 600 viewport on a 1440 × 900 screen, German, Berlin time.
 * The event tests read these back from what the tracker sends, and work out their scroll and
 * pointer distances for this viewport.
 */
export const DESKTOP_IN_BERLIN: BrowserContextOptions = {
  viewport: { width: 1000, height: 600 },
  screen: { width: 1440, height: 900 },
  locale: "de-DE",
  timezoneId: "Europe/Berlin",
};

/** Lets the tracker's 3-second batch timer fire and waits for `count` events of the type to show. */
export async function flushed(
  suite: TrackerSuite,
  type: WireEventInput["event_type"],
  count: number,
): Promise<void> {
  await suite.page.clock.runFor(3_100);
  await poll(() => suite.site.ofType(type).length).toBe(count);
}

/** Every request the pages of a context make, as the browser reports them to the page. */
export function watchRequests(context: BrowserContext): Request[] {
  const requests: Request[] = [];
  context.on("request", (request) => requests.push(request));
  return requests;
}

/** Emulates the tab being hidden or shown: document.hidden, visibilityState and the event. */
export async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hide) => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hide });
    Object.defineProperty(document, "visibilityState", {
      configurable: true,
      get: () => (hide ? "hidden" : "visible"),
    });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

/**
 * Scrolls to `y` and waits for the scroll event, which the browser fires on its next rendering
 * frame (real time, not the fake clock); then runs the fake clock a second, through the tracker's
 * next look at the scroll position.
 */
export async function scrollPage(page: Page, y: number): Promise<void> {
  await page.evaluate(
    (top) =>
      new Promise<void>((resolve) => {
        addEventListener("scroll", () => resolve(), { once: true });
        scrollTo(0, top);
      }),
    y,
  );
  await page.clock.runFor(1_000);
}

/** The ownstats_* items of the page's localStorage and sessionStorage. */
export async function storedIds(
  page: Page,
): Promise<{ local: Record<string, string>; session: Record<string, string> }> {
  return page.evaluate(() => {
    const pick = (storage: Storage) =>
      Object.fromEntries(Object.entries(storage).filter(([key]) => key.startsWith("ownstats")));
    return { local: pick(localStorage), session: pick(sessionStorage) };
  });
}

/** A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random bits. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The creation time (Unix ms) a version 7 UUID starts with. */
export const uuidTime = (id: string): number => Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16);

/** expect.poll with room for a busy machine: requests and the spool may take a while. */
export const poll = <T>(read: () => T) => expect.poll(read, { timeout: 15_000, interval: 50 });
