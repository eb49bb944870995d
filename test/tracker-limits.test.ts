// Values longer than the collector takes, in Debian's Chromium: the tracker cuts them to the
// collector's limits, so the events land instead of being refused one by one.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LIMITS } from "../functions/collect/event.ts";
import { chromiumOrWarn, launchChromium } from "./chromium.ts";
import { pauseClock, poll, startTrackerSite, type TrackerSite } from "./tracker-harness.ts";

const executable = chromiumOrWarn("tracker limits");

describe.runIf(executable)("tracker: values over the collector's limits", () => {
  let site: TrackerSite;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let answers: Promise<{ accepted: number; rejected: unknown[] }>[];

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
    answers = [];
    page.on("response", (response) => {
      if (response.url().endsWith("/v1/events")) answers.push(response.json());
    });
    await pauseClock(page);
  });
  afterEach(async () => {
    await context.close();
    await site.settle();
    site.forget();
  });

  it("cuts a data-cta value and a form's id to 200 characters and a custom event's name to 50, and the collector takes them", async () => {
    const long = "a-very-descriptive-name-".repeat(20); // 480 characters
    await page.goto(site.page("article.html"));
    await page.evaluate((value) => {
      document.querySelector("#plain-cta")?.setAttribute("data-cta", value);
      document.querySelector("#signup")?.setAttribute("id", value);
    }, long);
    await page.click("#plain-cta");
    await page.fill("#signup-email", "a@example.com");
    await page.evaluate((name) => {
      const api = (window as never as { ownstats: { track(name?: string): void } }).ownstats;
      api.track(name);
      api.track(); // a missing name throws nothing into the page (the collector refuses that event)
    }, long);
    await page.clock.runFor(3_100);
    await poll(() => site.ofType("custom").length).toBe(2);
    expect(site.ofType("cta_click")[0]?.element).toBe(long.slice(0, LIMITS.text.element));
    expect(site.ofType("form_start")[0]?.element).toBe(long.slice(0, LIMITS.text.element));
    expect(site.ofType("custom")[0]?.name).toBe(long.slice(0, LIMITS.text.name));
    await site.settle();
    const rejected = (await Promise.all(answers)).flatMap((answer) => answer.rejected);
    expect(rejected).toEqual([{ index: expect.any(Number), error: "name is required for custom" }]);
  });
});
