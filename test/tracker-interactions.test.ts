// What the tracker sends of what a visitor does on a page, in Debian's Chromium, to the real local
// collector: scroll depth, visible time, CTA clicks, forms and exit intent.
import { describe, expect, it } from "vitest";
import { chromiumOrWarn } from "./chromium.ts";
import {
  DESKTOP_IN_BERLIN,
  flushed,
  poll,
  scrollPage,
  setHidden,
  useTrackerSuite,
} from "./tracker-harness.ts";

const executable = chromiumOrWarn("tracker interactions");

describe.runIf(executable)("tracker: the interactions it sends", () => {
  const suite = useTrackerSuite(executable as string, DESKTOP_IN_BERLIN);

  it("sends scroll_depth at 25, 50, 75 and 100 % once per page view, and 100 % at once for a page that fits", async () => {
    await suite.page.goto(suite.site.page("article.html"));
    await suite.page.clock.runFor(100);
    // 600 px of a 4,000 px page is 15 %: no milestone yet.
    await scrollPage(suite.page, 1_500); // (1,500 + 600) / 4,000 = 52 %
    await scrollPage(suite.page, 0);
    await scrollPage(suite.page, 1_600);
    await flushed(suite, "scroll_depth", 2);
    expect(suite.site.ofType("scroll_depth").map((e) => e.scroll_pct)).toEqual([25, 50]);

    // Hidden before the tracker's next look at the page (it looks once a second): it looks then.
    await suite.page.evaluate(() => scrollTo(0, 4_000));
    await setHidden(suite.page, true);
    await poll(() => suite.site.ofType("scroll_depth").map((e) => e.scroll_pct)).toEqual([25, 50, 75, 100]);

    await suite.page.goto(suite.site.page("short.html"));
    await flushed(suite, "scroll_depth", 8);
    const short = suite.site.ofType("scroll_depth").filter((e) => e.page_path === "/site/short.html");
    expect(short.map((e) => e.scroll_pct)).toEqual([25, 50, 75, 100]);
  });

  it("sends the scroll depth reached since the tracker last looked when the page is left", async () => {
    await suite.page.goto(suite.site.page("article.html"));
    await suite.page.clock.runFor(1_000);
    await suite.page.evaluate(() => scrollTo(0, 4_000));
    await suite.page.goto(suite.site.page("thanks.html")); // no time passes: only leaving looks
    await poll(() =>
      suite.site
        .ofType("scroll_depth")
        .filter((e) => e.page_path === "/site/article.html")
        .map((e) => e.scroll_pct),
    ).toEqual([25, 50, 75, 100]);
  });

  it("sends time_on_page at 30, 60, 180 and 300 s of visible time, the clock paused while hidden", async () => {
    await suite.page.goto(suite.site.page("article.html"));
    /** Marks the moment, hides the tab (which flushes by sendBeacon), and returns the seconds sent so far. */
    const secondsSent = async (mark: string) => {
      await suite.page.evaluate(
        (name) => (window as never as { ownstats: { track(n: string): void } }).ownstats.track(name),
        mark,
      );
      await setHidden(suite.page, true);
      await poll(() => suite.site.ofType("custom").some((e) => e.name === mark)).toBe(true);
      return suite.site.ofType("time_on_page").map((e) => e.seconds);
    };
    await suite.page.clock.runFor(29_000);
    expect(await secondsSent("at-29")).toEqual([]);
    await setHidden(suite.page, false);
    await suite.page.clock.runFor(1_000);
    expect(await secondsSent("at-30")).toEqual([30]);
    await suite.page.clock.runFor(120_000); // hidden: the clock does not move
    await setHidden(suite.page, false);
    await suite.page.clock.runFor(29_000);
    expect(await secondsSent("at-59")).toEqual([30]);
    await setHidden(suite.page, false);
    await suite.page.clock.runFor(1_000);
    expect(await secondsSent("at-60")).toEqual([30, 60]);
    await setHidden(suite.page, false);
    await suite.page.clock.runFor(240_000);
    expect(await secondsSent("at-300")).toEqual([30, 60, 180, 300]);
    await setHidden(suite.page, false);
    await suite.page.clock.runFor(600_000);
    expect(await secondsSent("at-900")).toEqual([30, 60, 180, 300]);
    // Hiding flushed by sendBeacon: a text/plain no-cors request.
    const beacons = suite.site.received.filter((r) => r.path === "/v1/events" && r.fetchMode === "no-cors");
    expect(beacons.length).toBeGreaterThanOrEqual(6);
  });

  it("sends cta_click for elements with data-cta or inside one, named by data-cta only", async () => {
    await suite.page.goto(suite.site.page("article.html"));
    await suite.page.click("#plain-cta");
    await suite.page.click("#nested-child b");
    await suite.page.click("#not-a-cta");
    await flushed(suite, "cta_click", 2);
    expect(suite.site.ofType("cta_click").map((e) => e.element)).toEqual(["hero-signup", "see-plans"]);
    expect(JSON.stringify(suite.site.events())).not.toMatch(/Start your trial|See|Nothing to track/);
  });

  it("sends one cta_click for a click on a data-cta label, which the browser passes on to its checkbox", async () => {
    await suite.page.goto(suite.site.page("article.html"));
    await suite.page.click("#terms-text"); // the label's text: a click on the label, then one on the box
    await suite.page.clock.runFor(500);
    await suite.page.click("#terms-box"); // the box itself: one click
    await flushed(suite, "cta_click", 2);
    await suite.page.clock.runFor(3_100);
    await suite.site.settle();
    expect(suite.site.ofType("cta_click").map((e) => e.element)).toEqual(["accept-terms", "accept-terms"]);
    expect(await suite.page.isChecked("#terms-box")).toBe(false); // checked, then unchecked: two clicks
  });

  it("sends only the scroll depths reached on a page that scrolls inside its body", async () => {
    await suite.page.goto(suite.site.page("body-scroll.html"));
    await suite.page.clock.runFor(2_000);
    await suite.page.evaluate(() => document.body.scrollTo(0, 1_500)); // (1,500 + 600) / 4,000 = 52 %
    await suite.page.waitForFunction(() => document.body.scrollTop === 1_500);
    await suite.page.clock.runFor(1_000);
    await flushed(suite, "page_view", 1);
    await poll(() => suite.site.ofType("scroll_depth").length).toBe(2);
    expect(suite.site.ofType("scroll_depth").map((e) => e.scroll_pct)).toEqual([25, 50]);
  });

  it("sends only the scroll depths reached on a page without a doctype (quirks mode)", async () => {
    await suite.page.goto(suite.site.page("quirks.html"));
    await suite.page.clock.runFor(100);
    expect(await suite.page.evaluate(() => document.compatMode)).toBe("BackCompat");
    await scrollPage(suite.page, 1_000); // (1,000 + 600) / 4,000 = 40 %
    await flushed(suite, "page_view", 1);
    await suite.site.settle();
    expect(suite.site.ofType("scroll_depth").map((e) => e.scroll_pct)).toEqual([25]);
  });

  it("sends one cta_click for a middle-click on a data-cta link (opening it in a new tab), none for a right-click", async () => {
    await suite.page.goto(suite.site.page("article.html"));
    await suite.page.click("#nested-child b", { button: "middle" });
    await suite.page.click("#plain-cta", { button: "right" });
    await flushed(suite, "cta_click", 1);
    await suite.page.clock.runFor(3_100);
    await suite.site.settle();
    expect(suite.site.ofType("cta_click").map((e) => e.element)).toEqual(["see-plans"]);
  });

  it("hears a click dispatched on the document or the window without an error in the page", async () => {
    const errors: string[] = [];
    suite.page.on("pageerror", (error) => errors.push(error.message));
    await suite.page.goto(suite.site.page("article.html"));
    // As scripts do to close their menus: the target has no closest().
    await suite.page.evaluate(() => {
      document.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      dispatchEvent(new MouseEvent("click"));
    });
    await suite.page.click("#plain-cta");
    await flushed(suite, "cta_click", 1);
    expect(suite.site.ofType("cta_click").map((e) => e.element)).toEqual(["hero-signup"]);
    expect(errors).toEqual([]);
  });

  it("sends form_start once per form per page view and form_submit on submit, named by id or name", async () => {
    await suite.page.goto(suite.site.page("article.html"));
    await suite.page.fill("#signup-email", "someone@example.com");
    await suite.page.fill("#signup-company", "Acme");
    await suite.page.fill("#newsletter-name", "Ada");
    await flushed(suite, "form_start", 2);
    expect(suite.site.ofType("form_start").map((e) => e.element)).toEqual(["signup", "newsletter"]);

    // The submit navigates away: the pagehide flush carries form_submit.
    await suite.page.click("#signup-submit");
    await suite.page.waitForURL(/thanks\.html/);
    await poll(() => suite.site.ofType("form_submit").map((e) => e.element)).toEqual(["signup"]);
    expect(JSON.stringify(suite.site.events())).not.toMatch(/someone@example\.com|Acme|Ada/);
  });

  it("sends cta_click and form_start from inside web components' shadow roots", async () => {
    await suite.page.goto(suite.site.page("shadow.html"));
    await suite.page.click("#card-cta-text"); // Playwright's selectors reach into open shadow roots
    await suite.page.fill("#card-email", "someone@example.com");
    await flushed(suite, "page_view", 1);
    await suite.site.settle();
    expect(suite.site.ofType("cta_click").map((e) => e.element)).toEqual(["card-trial"]);
    expect(suite.site.ofType("form_start").map((e) => e.element)).toEqual(["card-form"]);
    expect(JSON.stringify(suite.site.events())).not.toMatch(/someone@example\.com/);
  });

  it("sends exit_intent once per page view when the pointer leaves through the top", async () => {
    await suite.page.goto(suite.site.page("article.html"));
    await suite.page.mouse.move(300, 300);
    await suite.page.mouse.move(300, 590);
    await suite.page.mouse.move(300, 700); // out through the bottom: not an exit intent
    await suite.page.mouse.move(300, 300);
    await suite.page.mouse.move(300, -5);
    await suite.page.mouse.move(300, 300);
    await suite.page.mouse.move(300, -5);
    await flushed(suite, "exit_intent", 1);
    expect(suite.site.ofType("exit_intent")[0]?.page_path).toBe("/site/article.html");
  });
});
