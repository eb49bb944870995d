// What the tracker sends as page views, in Debian's Chromium, to the real local collector: the
// page's fields, long paths and referrers, single-page-app navigations and the back/forward cache.
import { describe, expect, it } from "vitest";
import { chromiumOrWarn } from "./chromium.ts";
import {
  DESKTOP_IN_BERLIN,
  flushed,
  poll,
  scrollPage,
  setHidden,
  UUID,
  useTrackerSuite,
} from "./tracker-harness.ts";

const executable = chromiumOrWarn("tracker page views");

describe.runIf(executable)("tracker: the page views it sends", () => {
  const suite = useTrackerSuite(executable as string, DESKTOP_IN_BERLIN);

  it("sends page_view with path (no query), title, referrer, UTM, screen, viewport, language and time zone", async () => {
    const utm =
      "?utm_source=Newsletter&utm_medium=email&utm_campaign=spring_sale&utm_term=crm&utm_content=top&token=secret-42";
    await suite.page.goto(suite.site.page("article.html", utm), {
      referer: "https://news.example.org/item?id=7&who=me",
    });
    await flushed(suite, "page_view", 1);
    const [view] = suite.site.ofType("page_view");
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
    const sent = JSON.stringify(suite.site.events());
    expect(sent).not.toContain("secret-42");
    expect(sent).not.toContain("who=me");
    expect(sent).not.toContain("Confidential");
  });

  it("keeps a page whose path or referrer is longer than the collector takes, cut to its 2,000 characters", async () => {
    const answers: Promise<{ rejected: unknown[] }>[] = [];
    suite.page.on("response", (response) => {
      if (response.url().endsWith("/v1/events")) answers.push(response.json());
    });
    const long = "x".repeat(2_100);
    await suite.page.goto(suite.site.page("spa.html"), { referer: `https://news.example.org/${long}?id=7` });
    await suite.page.evaluate((path) => history.pushState({}, "", path), `/site/app/${long}`);
    await suite.page.clock.runFor(400);
    await flushed(suite, "page_view", 2);
    await suite.site.settle();
    // Every batch answered (these long events fill more than one), none of their events refused.
    expect(answers).toHaveLength(suite.site.received.filter((r) => r.path === "/v1/events").length);
    expect((await Promise.all(answers)).flatMap((answer) => answer.rejected)).toEqual([]);
    const [load, navigation] = suite.site.ofType("page_view");
    expect(load?.referrer === `https://news.example.org/${long}`.slice(0, 2_000)).toBe(true);
    expect(navigation?.page_path === `/site/app/${long}`.slice(0, 2_000)).toBe(true);
  });

  it("sends one page_view per SPA navigation (pushState, replaceState, back) with the new path and title, none for a query change", async () => {
    await suite.page.goto(suite.site.page("spa.html"));
    /**
     * Runs the clock 400 ms, well under the second a polling timer would wait, sends the queue by
     * hiding the tab, and returns [path, title] of every page view once `count` have arrived.
     */
    const viewsAfter = async (count: number) => {
      await suite.page.clock.runFor(400);
      await setHidden(suite.page, true);
      await setHidden(suite.page, false);
      await suite.site.settle();
      await poll(() => suite.site.ofType("page_view").length).toBe(count);
      return suite.site.ofType("page_view").map((e) => [e.page_path, e.page_title]);
    };
    const load = ["/site/spa.html", "Single-page app"];
    const settings = ["/site/app/settings", "Settings"];
    const profile = ["/site/app/profile", "Profile"];
    expect(await viewsAfter(1)).toEqual([load]);
    // The fixture's router sets each title 100 ms after the URL; the page view carries the new one.
    await suite.page.click("#push");
    expect(await viewsAfter(2)).toEqual([load, settings]);
    await suite.page.click("#replace");
    expect(await viewsAfter(3)).toEqual([load, settings, profile]);
    await suite.page.click("#same-path"); // pushState of the same path with a query: no page view
    expect(await viewsAfter(3)).toEqual([load, settings, profile]);
    await suite.page.goBack(); // popstate to /site/app/profile, without the query: the same path
    expect(await viewsAfter(3)).toEqual([load, settings, profile]);
    await suite.page.goBack(); // replaceState replaced the settings entry: popstate back to spa.html
    expect(await viewsAfter(4)).toEqual([load, settings, profile, load]);
    // Nothing more comes later: one page view per navigation.
    await flushed(suite, "page_view", 4);
    expect(suite.site.ofType("page_view")).toHaveLength(4);
    // Each page view restarts the milestones: the short SPA pages count as fully scrolled each time.
    await poll(() => suite.site.ofType("scroll_depth").filter((e) => e.scroll_pct === 100).length).toBe(4);
    const session = suite.site.events()[0]?.session_id;
    expect(suite.site.events().every((e) => e.session_id === session)).toBe(true);
  });

  it("gives an event sent between an SPA navigation and its page_view the path it happened on", async () => {
    await suite.page.goto(suite.site.page("spa.html"));
    await suite.page.evaluate(() => {
      history.pushState({}, "", "/site/app/settings");
      (window as never as { ownstats: { track(name: string): void } }).ownstats.track("before-view");
    });
    await suite.page.clock.runFor(400);
    await suite.page.evaluate(() =>
      (window as never as { ownstats: { track(name: string): void } }).ownstats.track("after-view"),
    );
    await flushed(suite, "custom", 2);
    expect(suite.site.ofType("custom").map((e) => [e.name, e.page_path])).toEqual([
      ["before-view", "/site/spa.html"],
      ["after-view", "/site/app/settings"],
    ]);
  });

  it("gives the scroll depth of an SPA page's content to that page, never to the page before it", async () => {
    await suite.page.goto(suite.site.page("spa-article.html"));
    await scrollPage(suite.page, 1_000); // (1,000 + 600) / 4,000 = 40 %
    // The tracker looks at the scroll position once a second: the navigation comes 100 ms before
    // its next look, which then finds the short page's content under the long page's path.
    await suite.page.clock.runFor(900);
    await suite.page.click("#to-short");
    await suite.page.clock.runFor(2_000);
    await flushed(suite, "page_view", 2);
    await poll(() => suite.site.ofType("scroll_depth").length).toBeGreaterThanOrEqual(5);
    await suite.site.settle();
    const reached = (path: string) =>
      suite.site
        .ofType("scroll_depth")
        .filter((e) => e.page_path === path)
        .map((e) => e.scroll_pct);
    expect(reached("/site/spa-article.html")).toEqual([25]);
    expect(reached("/site/app/short")).toEqual([25, 50, 75, 100]);
  });

  it("sends page_view again for a page shown again from the back/forward cache", async () => {
    await suite.page.goto(suite.site.page("short.html"));
    await suite.page.clock.runFor(1_000);
    // What the cache does to a page's script: pagehide, frozen timers, pageshow. (This headless
    // Chromium under automation reloads instead of caching, so the events are dispatched.)
    await suite.page.evaluate(() => {
      dispatchEvent(new PageTransitionEvent("pagehide", { persisted: true }));
      dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
    });
    await suite.page.clock.runFor(400);
    await suite.page.clock.runFor(2_000); // no third page view: the path is known again
    await flushed(suite, "page_view", 2);
    expect(suite.site.ofType("page_view").map((e) => e.page_path)).toEqual([
      "/site/short.html",
      "/site/short.html",
    ]);
  });
});
