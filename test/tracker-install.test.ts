// Tags placed other than as the README shows, and pages that get in the tracker's way, in Debian's
// Chromium: the tracker counts the page and throws nothing into it.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bundleTracker } from "../tracker/build.ts";
import { chromiumOrWarn, launchChromium } from "./chromium.ts";
import { pauseClock, poll, startTrackerSite, type TrackerSite } from "./tracker-harness.ts";

const executable = chromiumOrWarn("tracker install");

describe.runIf(executable)("tracker: unusual tags and pages", () => {
  let site: TrackerSite;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    site = await startTrackerSite();
    browser = await launchChromium(executable as string);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await pauseClock(page);
  });
  afterEach(async () => {
    await context.close();
    await site.settle();
    site.forget();
  });

  /** Clicks the page's CTA, calls ownstats.track, and lets the batch leave. */
  async function useAndSend(): Promise<void> {
    await page.click("[data-cta]");
    await page.evaluate(() =>
      (window as never as { ownstats: { track(name: string): void } }).ownstats.track("used"),
    );
    await page.clock.runFor(3_100);
  }

  it("counts a page whose tag is a module script, posting to the page's own origin", async () => {
    await page.goto(site.page("module.html"));
    await useAndSend();
    await poll(() => site.events().map((e) => e.event_type)).toEqual(
      expect.arrayContaining(["page_view", "cta_click", "custom"]),
    );
    expect(site.ofType("page_view")[0]?.page_path).toBe("/site/module.html");
    expect(errors).toEqual([]);
  });

  it("counts a page that carries the script inline, posting to the page's own origin", async () => {
    const code = await bundleTracker();
    const url = site.page("inline.html");
    await page.route(url, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><title>Inline</title><button data-cta="inline-cta">Go</button><script>${code}</script>`,
      }),
    );
    await page.goto(url);
    await useAndSend();
    await poll(() => site.events().map((e) => e.event_type)).toEqual(
      expect.arrayContaining(["page_view", "cta_click", "custom"]),
    );
    expect(site.ofType("page_view")[0]?.page_path).toBe("/site/inline.html");
    expect(errors).toEqual([]);
  });

  it("counts a page with an element whose id is ownstats, and installs its API over it", async () => {
    await page.goto(site.page("named-ownstats.html"));
    await useAndSend();
    await poll(() => site.events().map((e) => e.event_type)).toEqual(
      expect.arrayContaining(["page_view", "cta_click", "custom"]),
    );
    expect(errors).toEqual([]);
  });

  it("counts a prerendered page when the visitor opens it, not before", async () => {
    // Chromium prerenders nothing headless: the page is told it is prerendered (and so hidden) until
    // activate() shows it, as a browser does.
    await context.addInitScript(() => {
      let prerendering = true;
      for (const [property, value] of [
        ["prerendering", () => prerendering],
        ["hidden", () => prerendering],
        ["visibilityState", () => (prerendering ? "hidden" : "visible")],
      ] as const)
        Object.defineProperty(Document.prototype, property, { configurable: true, get: value });
      (window as never as { activate(): void }).activate = () => {
        prerendering = false;
        document.dispatchEvent(new Event("visibilitychange"));
        document.dispatchEvent(new Event("prerenderingchange"));
      };
    });
    await page.goto(site.page("short.html"));
    await page.clock.runFor(10_000);
    await site.settle();
    expect(site.events()).toEqual([]);

    await page.evaluate(() => (window as never as { activate(): void }).activate());
    await page.clock.runFor(3_100);
    await poll(() => site.events().map((e) => e.event_type)).toEqual([
      "page_view",
      "scroll_depth",
      "scroll_depth",
      "scroll_depth",
      "scroll_depth",
    ]);
    expect(errors).toEqual([]);
  });
});
