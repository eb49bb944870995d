// What the tracker sends by itself, in Debian's Chromium, to the real local collector.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chromiumOrWarn, launchChromium } from "./chromium.ts";
import {
  pauseClock,
  poll,
  scrollPage,
  setHidden,
  startTrackerSite,
  type TrackerSite,
  UUID,
} from "./tracker-harness.ts";

const executable = chromiumOrWarn("tracker events");

describe.runIf(executable)("tracker: the events it sends", () => {
  let site: TrackerSite;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    site = await startTrackerSite();
    browser = await launchChromium(executable as string);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({
      viewport: { width: 1000, height: 600 },
      screen: { width: 1440, height: 900 },
      locale: "de-DE",
      timezoneId: "Europe/Berlin",
    });
    page = await context.newPage();
    await pauseClock(page);
  });
  afterEach(async () => {
    await context.close();
    // Beacons of the closed pages may still be on their way; the next test starts clean.
    await site.settle();
    site.forget();
  });

  /** Lets the tracker's 3-second batch timer fire and waits for the request to show. */
  async function flushed(type: string, count: number) {
    await page.clock.runFor(3_100);
    await poll(() => site.ofType(type as never).length).toBe(count);
  }

  it("sends page_view with path (no query), title, referrer, UTM, screen, viewport, language and time zone", async () => {
    const utm =
      "?utm_source=Newsletter&utm_medium=email&utm_campaign=spring_sale&utm_term=crm&utm_content=top&token=secret-42";
    await page.goto(site.page("article.html", utm), { referer: "https://news.example.org/item?id=7&who=me" });
    await flushed("page_view", 1);
    const [view] = site.ofType("page_view");
    expect(view).toMatchObject({
      page_path: "/site/article.html",
      page_title: "Pricing for small teams",
      referrer: "https://news.example.org/item",
      utm_source: "Newsletter",
      utm_medium: "email",
      utm_campaign: "spring_sale",
      utm_term: "crm",
      utm_content: "top",
      screen_width: 1440,
      screen_height: 900,
      viewport_width: 1000,
      language: "de-DE",
      timezone: "Europe/Berlin",
    });
    expect(view?.event_id).toMatch(UUID);
    expect(view?.session_id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(view?.visitor_id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(Date.parse(view?.event_ts as string)).not.toBeNaN();
    // Nothing of the query but the utm_* values, nothing of the page's text.
    const sent = JSON.stringify(site.events());
    expect(sent).not.toContain("secret-42");
    expect(sent).not.toContain("who=me");
    expect(sent).not.toContain("Confidential");
  });

  it("keeps a page whose path or referrer is longer than the collector takes, cut to its 2,000 characters", async () => {
    const answers: Promise<{ rejected: unknown[] }>[] = [];
    page.on("response", (response) => {
      if (response.url().endsWith("/v1/events")) answers.push(response.json());
    });
    const long = "x".repeat(2_100);
    await page.goto(site.page("spa.html"), { referer: `https://news.example.org/${long}?id=7` });
    await page.evaluate((path) => history.pushState({}, "", path), `/site/app/${long}`);
    await page.clock.runFor(400);
    await flushed("page_view", 2);
    await site.settle();
    // Every batch answered (these long events fill more than one), none of their events refused.
    expect(answers).toHaveLength(site.received.filter((r) => r.path === "/v1/events").length);
    expect((await Promise.all(answers)).flatMap((answer) => answer.rejected)).toEqual([]);
    const [load, navigation] = site.ofType("page_view");
    expect(load?.referrer === `https://news.example.org/${long}`.slice(0, 2_000)).toBe(true);
    expect(navigation?.page_path === `/site/app/${long}`.slice(0, 2_000)).toBe(true);
  });

  it("sends scroll_depth at 25, 50, 75 and 100 % once per page view, and 100 % at once for a page that fits", async () => {
    await page.goto(site.page("article.html"));
    await page.clock.runFor(100);
    // 600 px of a 4,000 px page is 15 %: no milestone yet.
    await scrollPage(page, 1_500); // (1,500 + 600) / 4,000 = 52 %
    await scrollPage(page, 0);
    await scrollPage(page, 1_600);
    await flushed("scroll_depth", 2);
    expect(site.ofType("scroll_depth").map((e) => e.scroll_pct)).toEqual([25, 50]);

    // Hidden before the tracker's next look at the page (it looks once a second): it looks then.
    await page.evaluate(() => scrollTo(0, 4_000));
    await setHidden(page, true);
    await poll(() => site.ofType("scroll_depth").map((e) => e.scroll_pct)).toEqual([25, 50, 75, 100]);

    await page.goto(site.page("short.html"));
    await flushed("scroll_depth", 8);
    const short = site.ofType("scroll_depth").filter((e) => e.page_path === "/site/short.html");
    expect(short.map((e) => e.scroll_pct)).toEqual([25, 50, 75, 100]);
  });

  it("sends time_on_page at 30, 60, 180 and 300 s of visible time, the clock paused while hidden", async () => {
    await page.goto(site.page("article.html"));
    /** Marks the moment, hides the tab (which flushes by sendBeacon), and returns the seconds sent so far. */
    const secondsSent = async (mark: string) => {
      await page.evaluate(
        (name) => (window as never as { ownstats: { track(n: string): void } }).ownstats.track(name),
        mark,
      );
      await setHidden(page, true);
      await poll(() => site.ofType("custom").some((e) => e.name === mark)).toBe(true);
      return site.ofType("time_on_page").map((e) => e.seconds);
    };
    await page.clock.runFor(29_000);
    expect(await secondsSent("at-29")).toEqual([]);
    await setHidden(page, false);
    await page.clock.runFor(1_000);
    expect(await secondsSent("at-30")).toEqual([30]);
    await page.clock.runFor(120_000); // hidden: the clock does not move
    await setHidden(page, false);
    await page.clock.runFor(29_000);
    expect(await secondsSent("at-59")).toEqual([30]);
    await setHidden(page, false);
    await page.clock.runFor(1_000);
    expect(await secondsSent("at-60")).toEqual([30, 60]);
    await setHidden(page, false);
    await page.clock.runFor(240_000);
    expect(await secondsSent("at-300")).toEqual([30, 60, 180, 300]);
    await setHidden(page, false);
    await page.clock.runFor(600_000);
    expect(await secondsSent("at-900")).toEqual([30, 60, 180, 300]);
    // Hiding flushed by sendBeacon: a text/plain no-cors request.
    const beacons = site.received.filter((r) => r.path === "/v1/events" && r.fetchMode === "no-cors");
    expect(beacons.length).toBeGreaterThanOrEqual(6);
  });

  it("sends cta_click for elements with data-cta or inside one, named by data-cta only", async () => {
    await page.goto(site.page("article.html"));
    await page.click("#plain-cta");
    await page.click("#nested-child b");
    await page.click("#not-a-cta");
    await flushed("cta_click", 2);
    expect(site.ofType("cta_click").map((e) => e.element)).toEqual(["hero-signup", "see-plans"]);
    expect(JSON.stringify(site.events())).not.toMatch(/Start your trial|See|Nothing to track/);
  });

  it("hears a click dispatched on the document or the window without an error in the page", async () => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(site.page("article.html"));
    // As scripts do to close their menus: the target has no closest().
    await page.evaluate(() => {
      document.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      dispatchEvent(new MouseEvent("click"));
    });
    await page.click("#plain-cta");
    await flushed("cta_click", 1);
    expect(site.ofType("cta_click").map((e) => e.element)).toEqual(["hero-signup"]);
    expect(errors).toEqual([]);
  });

  it("sends form_start once per form per page view and form_submit on submit, named by id or name", async () => {
    await page.goto(site.page("article.html"));
    await page.fill("#signup-email", "someone@example.com");
    await page.fill("#signup-company", "Acme");
    await page.fill("#newsletter-name", "Ada");
    await flushed("form_start", 2);
    expect(site.ofType("form_start").map((e) => e.element)).toEqual(["signup", "newsletter"]);

    // The submit navigates away: the pagehide flush carries form_submit.
    await page.click("#signup-submit");
    await page.waitForURL(/thanks\.html/);
    await poll(() => site.ofType("form_submit").map((e) => e.element)).toEqual(["signup"]);
    expect(JSON.stringify(site.events())).not.toMatch(/someone@example\.com|Acme|Ada/);
  });

  it("sends exit_intent once per page view when the pointer leaves through the top", async () => {
    await page.goto(site.page("article.html"));
    await page.mouse.move(300, 300);
    await page.mouse.move(300, 590);
    await page.mouse.move(300, 700); // out through the bottom: not an exit intent
    await page.mouse.move(300, 300);
    await page.mouse.move(300, -5);
    await page.mouse.move(300, 300);
    await page.mouse.move(300, -5);
    await flushed("exit_intent", 1);
    expect(site.ofType("exit_intent")[0]?.page_path).toBe("/site/article.html");
  });

  it("sends one page_view per SPA navigation (pushState, replaceState, back) with the new path and title, none for a query change", async () => {
    await page.goto(site.page("spa.html"));
    /**
     * Runs the clock 400 ms, well under the second a polling timer would wait, sends the queue by
     * hiding the tab, and returns [path, title] of every page view once `count` have arrived.
     */
    const viewsAfter = async (count: number) => {
      await page.clock.runFor(400);
      await setHidden(page, true);
      await setHidden(page, false);
      await site.settle();
      await poll(() => site.ofType("page_view").length).toBe(count);
      return site.ofType("page_view").map((e) => [e.page_path, e.page_title]);
    };
    const load = ["/site/spa.html", "Single-page app"];
    const settings = ["/site/app/settings", "Settings"];
    const profile = ["/site/app/profile", "Profile"];
    expect(await viewsAfter(1)).toEqual([load]);
    // The fixture's router sets each title 100 ms after the URL; the page view carries the new one.
    await page.click("#push");
    expect(await viewsAfter(2)).toEqual([load, settings]);
    await page.click("#replace");
    expect(await viewsAfter(3)).toEqual([load, settings, profile]);
    await page.click("#same-path"); // pushState of the same path with a query: no page view
    expect(await viewsAfter(3)).toEqual([load, settings, profile]);
    await page.goBack(); // popstate to /site/app/profile, without the query: the same path
    expect(await viewsAfter(3)).toEqual([load, settings, profile]);
    await page.goBack(); // replaceState replaced the settings entry: popstate back to spa.html
    expect(await viewsAfter(4)).toEqual([load, settings, profile, load]);
    // Nothing more comes later: one page view per navigation.
    await flushed("page_view", 4);
    expect(site.ofType("page_view")).toHaveLength(4);
    // Each page view restarts the milestones: the short SPA pages count as fully scrolled each time.
    await poll(() => site.ofType("scroll_depth").filter((e) => e.scroll_pct === 100).length).toBe(4);
    const session = site.events()[0]?.session_id;
    expect(site.events().every((e) => e.session_id === session)).toBe(true);
  });

  it("sends page_view again for a page shown again from the back/forward cache", async () => {
    await page.goto(site.page("short.html"));
    await page.clock.runFor(1_000);
    // What the cache does to a page's script: pagehide, frozen timers, pageshow. (This headless
    // Chromium under automation reloads instead of caching, so the events are dispatched.)
    await page.evaluate(() => {
      dispatchEvent(new PageTransitionEvent("pagehide", { persisted: true }));
      dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
    });
    await page.clock.runFor(400);
    await page.clock.runFor(2_000); // no third page view: the path is known again
    await flushed("page_view", 2);
    expect(site.ofType("page_view").map((e) => e.page_path)).toEqual([
      "/site/short.html",
      "/site/short.html",
    ]);
  });

  it("ownstats.track sends custom; ownstats.variant sends experiment_exposure once per session per experiment", async () => {
    await page.goto(site.page("article.html"));
    await page.evaluate(() => {
      const api = (
        window as unknown as {
          ownstats: { track(n: string, p?: object): void; variant(e: string, v: string): void };
        }
      ).ownstats;
      api.track("download", { file: "report.pdf", pages: 12, gated: false });
      api.variant("pricing-layout", "cards");
      api.variant("pricing-layout", "cards");
      api.variant("cta-colour", "green");
    });
    await flushed("custom", 1);
    expect(site.ofType("custom")[0]).toMatchObject({
      name: "download",
      props: { file: "report.pdf", pages: 12, gated: false },
    });
    expect(site.ofType("experiment_exposure").map((e) => [e.experiment, e.variant])).toEqual([
      ["pricing-layout", "cards"],
      ["cta-colour", "green"],
    ]);
    // A reload is the same session: no new exposure.
    await page.reload();
    await page.evaluate(() =>
      (window as unknown as { ownstats: { variant(e: string, v: string): void } }).ownstats.variant(
        "pricing-layout",
        "cards",
      ),
    );
    await flushed("page_view", 2);
    expect(site.ofType("experiment_exposure")).toHaveLength(2);
  });

  it("counts a page once when the tag is included twice or run again by a page swap", async () => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(site.page("twice.html"));
    await page.click("#twice-cta");
    await scrollPage(page, 4_000);
    await page.evaluate(() =>
      (window as never as { ownstats: { track(n: string): void } }).ownstats.track("after-load"),
    );
    // What Turbo or PJAX does: a new URL, then the new body's scripts run once more.
    await page.evaluate(
      () =>
        new Promise((resolve) => {
          history.pushState({}, "", "/site/swapped");
          const script = document.createElement("script");
          script.src = "/analytics.js";
          script.onload = resolve;
          document.body.append(script);
        }),
    );
    await page.clock.runFor(400);
    await page.click("#twice-cta");
    await flushed("page_view", 2);
    await site.settle();
    expect(site.ofType("page_view").map((e) => e.page_path)).toEqual(["/site/twice.html", "/site/swapped"]);
    expect(site.ofType("cta_click").map((e) => e.page_path)).toEqual(["/site/twice.html", "/site/swapped"]);
    const firstScrolls = site.ofType("scroll_depth").filter((e) => e.page_path === "/site/twice.html");
    expect(firstScrolls.map((e) => e.scroll_pct)).toEqual([25, 50, 75, 100]);
    expect(site.ofType("custom").map((e) => e.name)).toEqual(["queued", "after-load"]);
    expect(errors).toEqual([]);
  });

  it("replays calls queued by the snippet stub after the first page_view", async () => {
    await page.goto(site.page("stub.html"));
    await flushed("custom", 1);
    const types = site.events().map((e) => e.event_type);
    expect(types.indexOf("page_view")).toBeLessThan(types.indexOf("custom"));
    expect(site.ofType("custom")[0]).toMatchObject({
      name: "signup",
      props: { plan: "pro", seats: 3, annual: true },
    });
    expect(site.ofType("experiment_exposure")[0]).toMatchObject({
      experiment: "hero-copy",
      variant: "short",
    });
  });
});
