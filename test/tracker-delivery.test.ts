// Delivery in Debian's Chromium: batching, the flush on leaving, cross-origin without preflight,
// the single retry, and the events landing in raw/ through the real collector.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, type StoredEvent } from "../functions/collect/event.ts";
import { chromiumOrWarn, launchChromium } from "./chromium.ts";
import { pauseClock, poll, startTrackerSite, type TrackerSite, watchRequests } from "./tracker-harness.ts";

const executable = chromiumOrWarn("tracker delivery");

describe.runIf(executable)("tracker: delivery", () => {
  let site: TrackerSite;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Every event the collector acknowledged in this file, by event_id, to compare with raw/. */
  const acknowledged = new Map<string, unknown>();

  beforeAll(async () => {
    site = await startTrackerSite();
    browser = await launchChromium(executable as string);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    await site.settle();
    for (const event of site.events()) acknowledged.set(event.event_id, event);
    site.forget();
  });

  async function openPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ timezoneId: "Europe/Berlin" });
    contexts.push(context);
    const page = await context.newPage();
    await pauseClock(page);
    return { context, page };
  }

  const eventPosts = () => site.received.filter((r) => r.method === "POST" && r.path === "/v1/events");

  it("batches events, at most 50 to a request, as text/plain", async () => {
    const { page } = await openPage();
    await page.goto(site.page("article.html"));
    await page.evaluate(() => {
      const api = (window as never as { ownstats: { track(n: string, p: object): void } }).ownstats;
      for (let i = 0; i < 120; i++) api.track("burst", { i });
    });
    await page.clock.runFor(3_100);
    await poll(() => site.ofType("custom").length).toBe(120);
    expect(site.ofType("custom").map((e) => e.props?.i)).toEqual([...Array(120).keys()]);
    const sizes = eventPosts().map((r) => r.events.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(50);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(121); // with the page_view
    expect(eventPosts().length).toBeLessThanOrEqual(4);
    for (const post of eventPosts()) expect(post.contentType).toBe("text/plain;charset=UTF-8");
  });

  it("splits a burst larger than 64 KiB into bodies the browser and the collector accept, losing none", async () => {
    const { page } = await openPage();
    const statuses: number[] = [];
    page.on("response", (response) => {
      if (response.url().endsWith("/v1/events")) statuses.push(response.status());
    });
    await page.goto(site.page("article.html"));
    await page.evaluate(() => {
      const api = (window as never as { ownstats: { track(n: string, p: object): void } }).ownstats;
      // 19 props of 200 two-byte characters and a number: 8 KB an event, 40 events, 310 KB in all.
      const props = Object.fromEntries([...Array(19).keys()].map((i) => [`p${i}`, "é".repeat(200)]));
      for (let i = 0; i < 40; i++) api.track("large", { ...props, i });
    });
    // Moves the page's clock on while waiting: the batch timer and the retries run on it.
    await expect
      .poll(
        async () => {
          await page.clock.runFor(500);
          return site.ofType("custom").length;
        },
        { timeout: 15_000, interval: 50 },
      )
      .toBe(40);
    expect(site.ofType("page_view")).toHaveLength(1);
    expect(new Set(site.ofType("custom").map((e) => e.props?.i)).size).toBe(40);
    for (const post of eventPosts())
      expect(Buffer.byteLength(JSON.stringify({ events: post.events }))).toBeLessThanOrEqual(MAX_BODY_BYTES);
    await site.settle();
    expect(statuses.length).toBe(eventPosts().length);
    expect(new Set(statuses)).toEqual(new Set([202]));
  });

  it("waits a few seconds to batch, and flushes at once by sendBeacon on pagehide", async () => {
    const { page } = await openPage();
    await page.goto(site.page("article.html"));
    await page.click("#plain-cta");
    await page.clock.runFor(2_000);
    await site.settle();
    expect(eventPosts()).toEqual([]); // still batching
    await page.goto(site.page("thanks.html")); // no time passes: pagehide sends the batch
    await poll(() => site.ofType("cta_click").length).toBe(1);
    expect(site.ofType("page_view")).toHaveLength(1);
    expect(eventPosts().map((r) => r.fetchMode)).toEqual(["no-cors"]); // a beacon
  });

  it("sends at once what the page's own listeners track as it is hidden or left, after the tracker's flush", async () => {
    const { page } = await openPage();
    await page.goto(site.page("leave-calls.html"));
    await page.goto(site.page("thanks.html")); // no time passes: only sends made while leaving arrive
    await poll(() => site.ofType("custom").map((e) => e.name)).toEqual(["left-pagehide", "left-hidden"]);
    expect(site.ofType("page_view").map((e) => e.page_path)).toEqual(["/site/leave-calls.html"]);
  });

  it("falls back to fetch with keepalive when the browser refuses the beacon", async () => {
    const { context, page } = await openPage();
    await context.addInitScript(() => {
      Navigator.prototype.sendBeacon = () => false; // as when the beacon quota is used up
    });
    await page.goto(site.page("article.html"));
    await page.click("#plain-cta");
    await page.goto(site.page("thanks.html"));
    await poll(() => site.ofType("cta_click").length).toBe(1);
    expect(eventPosts().map((r) => r.fetchMode)).toEqual(["cors"]); // a fetch, not a beacon
  });

  it("sends the queue by fetch, without an error in the page, from a browser that has no sendBeacon", async () => {
    const { context, page } = await openPage();
    // Firefox with beacon.enabled off (a common hardening setting) has no navigator.sendBeacon.
    await context.addInitScript(() => {
      delete (Navigator.prototype as Partial<Navigator>).sendBeacon;
    });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(site.page("article.html"));
    await page.click("#plain-cta");
    await page.goto(site.page("thanks.html")); // no time passes: only the flush on leaving sends
    await poll(() => site.ofType("cta_click").length).toBe(1);
    expect(site.ofType("page_view")).toHaveLength(1);
    expect(eventPosts().map((r) => r.fetchMode)).toEqual(["cors"]);
    expect(errors).toEqual([]);
  });

  it("posts to another origin with no CORS preflight", async () => {
    const { context, page } = await openPage();
    const requests = watchRequests(context);
    await page.goto(site.otherOriginPage("cross-origin.html"));
    await page.click("[data-cta=cross]");
    await page.clock.runFor(3_100);
    await poll(() => site.ofType("cta_click").length).toBe(1);
    expect(site.ofType("page_view")[0]?.page_path).toBe("/site/cross-origin.html");
    const post = requests.find((r) => r.method() === "POST");
    expect(new URL(post?.url() ?? "").origin).toBe(site.collector.url);
    expect(new URL(page.url()).origin).not.toBe(site.collector.url);
    expect(post?.headers()["content-type"]).toBe("text/plain;charset=UTF-8");
    expect((await post?.response())?.status()).toBe(202);
    expect(site.received.filter((r) => r.method === "OPTIONS")).toEqual([]);

    // The watch works: the same post as application/json is preflighted.
    await page.evaluate(
      (url) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
      `${site.collector.url}/v1/events`,
    );
    await poll(() => site.received.filter((r) => r.method === "OPTIONS").map((r) => r.path)).toEqual([
      "/v1/events",
    ]);
  });

  it("retries a send once after a network failure", async () => {
    const { page } = await openPage();
    let attempts = 0;
    await page.route("**/v1/events", (route) =>
      ++attempts === 1 ? route.abort("connectionreset") : route.continue(),
    );
    await page.goto(site.page("short.html"));
    await page.clock.runFor(3_100);
    await poll(() => attempts).toBe(1);
    await site.settle();
    expect(eventPosts()).toEqual([]);
    await page.clock.runFor(3_100);
    await poll(() => site.ofType("page_view").length).toBe(1);
    expect(attempts).toBe(2);
    expect(site.events()).toHaveLength(5); // the page view and four scroll milestones, once
  });

  it("retries a 503 from the collector once, then gives up", async () => {
    const failing = await startTrackerSite({ failingSink: true });
    try {
      const { page } = await openPage();
      const statuses: number[] = [];
      page.on("response", (response) => {
        if (response.url().endsWith("/v1/events")) statuses.push(response.status());
      });
      await page.goto(failing.page("short.html"));
      await page.clock.runFor(3_100);
      await poll(() => statuses).toEqual([503]);
      await page.clock.runFor(3_100);
      await poll(() => statuses).toEqual([503, 503]);
      await page.clock.runFor(20_000); // no third attempt (and, at 26 s, no time milestone yet)
      await failing.settle();
      const posts = failing.received.filter((r) => r.path === "/v1/events");
      expect(posts).toHaveLength(2);
      expect(posts[1]?.events).toEqual(posts[0]?.events); // the same batch, sent again
    } finally {
      await failing.close();
    }
  });

  it("resends once what API Gateway refuses with a 500 (throttled collector) or a 429 (throttled API), never a 403", async () => {
    // Past lambda_reserved_concurrency the HTTP API answers 500; past api_throttle_rate, 429.
    for (const [status, message] of [
      [500, "Internal Server Error"],
      [429, "Too Many Requests"],
      [403, "Forbidden"],
    ] as const) {
      const { page } = await openPage();
      const bodies: string[] = [];
      await page.route("**/v1/events", (route) => {
        bodies.push(route.request().postData() ?? "");
        return route.fulfill({
          status,
          contentType: "application/json",
          headers: { "access-control-allow-origin": "*" },
          body: JSON.stringify({ message }),
        });
      });
      await page.goto(site.page("short.html"));
      await page.clock.runFor(3_100);
      await poll(() => bodies.length).toBe(1);
      await page.clock.runFor(20_000);
      // A later event's request shows the page went on; a resend is the first body sent again.
      // (Told apart by body, not by order: on a busy machine the refusal can reach the page after
      // the clock has moved on, and its resend come after the later event's request.)
      await page.evaluate(() =>
        (window as unknown as { ownstats: { track(n: string): void } }).ownstats.track("probe"),
      );
      await page.clock.runFor(3_100);
      await poll(() => bodies.some((body) => body.includes('"event_type":"custom"'))).toBe(true);
      await page.clock.runFor(20_000); // time for any resend still due
      const first = bodies[0];
      expect(first, String(status)).toContain('"event_type":"page_view"');
      expect(
        bodies.filter((body) => body === first),
        String(status),
      ).toHaveLength(status === 403 ? 1 : 2);
    }
  });

  it("skips a track() call whose props cannot be sent, and loses none of the other events", async () => {
    const { page } = await openPage();
    await page.goto(site.page("article.html"));
    await page.click("#plain-cta");
    const refusal = await page.evaluate(() => {
      const api = (window as never as { ownstats: { track(n: string, p?: object): void } }).ownstats;
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const errors = [{ count: BigInt(1) }, cyclic].map((props) => {
        try {
          api.track("unsendable", props);
        } catch (error) {
          return (error as Error).name;
        }
      });
      api.track("sendable");
      return errors;
    });
    await page.clock.runFor(3_100);
    await poll(() => site.ofType("custom").map((e) => e.name)).toEqual(["sendable"]);
    expect(site.ofType("page_view")).toHaveLength(1);
    expect(site.ofType("cta_click")).toHaveLength(1);
    expect(refusal).toEqual([undefined, undefined]); // nothing thrown into the page's code
    // Later events still leave after a few seconds, not only when the page is left.
    await page.click("#plain-cta");
    await page.clock.runFor(3_100);
    await poll(() => site.ofType("cta_click").length).toBe(2);
  });

  it("still sends the queue when the page is left after a call queued by the stub threw", async () => {
    const { context, page } = await openPage();
    await context.addInitScript(() => {
      (window as never as { ownstats: unknown }).ownstats = {
        q: [["track", ["unsendable", { n: BigInt(1) }]]],
      };
    });
    await page.goto(site.page("article.html"));
    await page.click("#plain-cta");
    await page.goto(site.page("thanks.html")); // no time passes: only the flush on leaving sends
    await poll(() => site.ofType("cta_click").length).toBe(1);
    expect(site.ofType("page_view")).toHaveLength(1);
    expect(site.ofType("custom")).toEqual([]);
  });

  it("lands every acknowledged event in raw/ through the collector, enriched and without query strings", async () => {
    const { page } = await openPage();
    await page.goto(site.page("article.html", "?utm_source=Mastodon&ref=secret"), {
      referer: "https://social.example/@someone/post?x=1",
    });
    await page.clock.runFor(3_100);
    await poll(() => site.ofType("page_view").length).toBe(1);
    await site.settle();
    for (const event of site.events()) acknowledged.set(event.event_id, event);
    site.forget();
    for (const context of contexts.splice(0)) await context.close();

    const landed = await site.landedEvents();
    const byId = new Map<string, StoredEvent>(landed.map((e) => [e.event_id, e]));
    expect(acknowledged.size).toBeGreaterThan(5); // with the earlier tests of this file, over 130
    for (const id of acknowledged.keys()) expect(byId.has(id), `event ${id} landed`).toBe(true);
    const view = landed.find((e) => e.event_type === "page_view" && e.utm_source === "Mastodon");
    expect(view).toMatchObject({
      page_path: "/site/article.html",
      referrer: "https://social.example/@someone/post",
      site: new URL(site.collector.url).host,
      browser: "Chrome",
      device_type: "desktop",
      timezone: "Europe/Berlin",
      country: "DE",
      schema_version: 1,
    });
    expect(JSON.stringify(landed)).not.toMatch(/secret|x=1/);
  });
});
