// Identity and privacy in Debian's Chromium: storage modes, session rotation, GPC and DNT.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bundleTracker } from "../tracker/build.ts";
import { chromiumOrWarn, launchChromium } from "./chromium.ts";
import {
  pauseClock,
  poll,
  scrollPage,
  setHidden,
  startTrackerSite,
  storedIds,
  type TrackerSite,
  UUID,
  uuidTime,
} from "./tracker-harness.ts";

const executable = chromiumOrWarn("tracker privacy");
const ID = /^[A-Za-z0-9_-]{8,64}$/;

describe.runIf(executable)("tracker: identity and privacy", () => {
  let site: TrackerSite;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

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
    site.forget();
  });

  async function openPage(init?: () => void): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    contexts.push(context);
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    await pauseClock(page);
    return { context, page };
  }

  /** Everything a visitor does on the article, then leaving it. */
  async function browseArticle(page: Page): Promise<void> {
    await page.goto(site.page("article.html"));
    await page.clock.runFor(100);
    await scrollPage(page, 4_000);
    await page.click("#plain-cta");
    await page.fill("#signup-email", "a@example.com");
    await page.mouse.move(300, 300);
    await page.mouse.move(300, -5);
    await page.evaluate(() => {
      const api = (
        window as never as { ownstats: { track(n: string): void; variant(e: string, v: string): void } }
      ).ownstats;
      api.track("download");
      api.variant("hero", "b");
    });
    await page.clock.runFor(310_000);
    await page.goto(site.page("thanks.html"));
  }

  const eventPosts = () => site.received.filter((r) => r.path === "/v1/events");

  /** The visit an opt-out test then repeats, browsed without it: it is counted, so what is not is the opt-out's doing. */
  async function browseCountedArticle(): Promise<void> {
    const { page } = await openPage();
    await browseArticle(page);
    await poll(() => eventPosts().length).toBeGreaterThan(0);
    await site.settle();
    site.forget();
  }

  it("keeps both ids in localStorage by default: one visitor and one session across tabs", async () => {
    const { context, page } = await openPage();
    await page.goto(site.page("short.html"));
    await page.clock.runFor(3_100);
    const second = await context.newPage();
    await second.goto(site.page("article.html"));
    await second.clock.runFor(3_100); // one clock for the whole context
    await poll(() => site.ofType("page_view").length).toBe(2);
    const [first, other] = site.ofType("page_view");
    expect(first?.visitor_id).toMatch(ID);
    expect(other?.visitor_id).toBe(first?.visitor_id);
    expect(other?.session_id).toBe(first?.session_id);
    const stored = await storedIds(page);
    expect(stored.local).toMatchObject({ ownstats_sid: first?.session_id, ownstats_vid: first?.visitor_id });
    expect(stored.session).toEqual({});
  });

  it('data-storage="session" keeps both ids in sessionStorage, one set per tab', async () => {
    const { context, page } = await openPage();
    await page.goto(site.page("storage-session.html"));
    await page.clock.runFor(3_100);
    const second = await context.newPage();
    await second.goto(site.page("storage-session.html"));
    await second.clock.runFor(3_100);
    await poll(() => site.ofType("page_view").length).toBe(2);
    const [first, other] = site.ofType("page_view");
    expect(first?.visitor_id).toMatch(ID);
    expect(other?.visitor_id).toMatch(ID);
    expect(other?.visitor_id).not.toBe(first?.visitor_id);
    const stored = await storedIds(page);
    expect(stored.local).toEqual({});
    expect(stored.session).toMatchObject({
      ownstats_sid: first?.session_id,
      ownstats_vid: first?.visitor_id,
    });
  });

  it('data-storage="none" stores nothing, sends no visitor_id, and keeps the session in memory', async () => {
    const { page } = await openPage();
    await page.goto(site.page("storage-none.html"));
    await page.evaluate(() =>
      (window as never as { ownstats: { variant(e: string, v: string): void } }).ownstats.variant(
        "hero",
        "a",
      ),
    );
    await page.clock.runFor(3_100);
    await page.reload();
    await page.clock.runFor(3_100);
    await poll(() => site.ofType("page_view").length).toBe(2);
    const events = site.events();
    expect(events.length).toBeGreaterThanOrEqual(7); // 2 page views, 4 scroll milestones, 1 exposure
    for (const event of events) {
      expect(event.session_id).toMatch(ID);
      expect(event).not.toHaveProperty("visitor_id");
    }
    const [before, after] = site.ofType("page_view");
    expect(site.events().filter((e) => e.session_id === before?.session_id)).toHaveLength(6);
    expect(after?.session_id).not.toBe(before?.session_id); // memory does not survive a reload
    expect(await storedIds(page)).toEqual({ local: {}, session: {} });
  });

  it("rotates the session after 30 minutes without activity, keeping the visitor", async () => {
    const { page } = await openPage();
    await page.goto(site.page("article.html"));
    await page.clock.runFor(3_100);
    await page.clock.fastForward("29:00");
    await page.click("#plain-cta");
    await page.clock.fastForward("29:59");
    await page.click("#plain-cta");
    await page.clock.fastForward("30:01");
    await page.click("#plain-cta");
    await page.clock.runFor(3_100);
    await poll(() => site.ofType("cta_click").length).toBe(3);
    const [view] = site.ofType("page_view");
    const clicks = site.ofType("cta_click");
    expect(clicks[0]?.session_id).toBe(view?.session_id);
    expect(clicks[1]?.session_id).toBe(view?.session_id);
    expect(clicks[2]?.session_id).not.toBe(view?.session_id);
    expect(clicks[2]?.session_id).toMatch(ID);
    expect(clicks.every((click) => click.visitor_id === view?.visitor_id)).toBe(true);
    // A new session means a new exposure for the same experiment.
    const expose = () =>
      page.evaluate(() =>
        (window as never as { ownstats: { variant(e: string, v: string): void } }).ownstats.variant(
          "hero",
          "b",
        ),
      );
    await expose();
    await expose();
    await page.clock.fastForward("31:00");
    await expose();
    await page.clock.runFor(3_100);
    await poll(() => site.ofType("experiment_exposure").length).toBe(2);
    const [early, late] = site.ofType("experiment_exposure");
    expect(late?.session_id).not.toBe(early?.session_id);
  });

  it("sends nothing, ever, and stores nothing under Global Privacy Control", async () => {
    await browseCountedArticle();

    const { page } = await openPage(() =>
      Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true }),
    );
    await browseArticle(page);
    await site.settle();
    expect(eventPosts()).toEqual([]);
    expect(site.received.map((r) => `${r.method} ${r.path}`)).toContain("GET /analytics.js");
    await page.goto(site.page("article.html"));
    expect(await storedIds(page)).toEqual({ local: {}, session: {} });
  });

  it("sends nothing from a browser its owner excluded with localStorage.ownstats_ignore", async () => {
    await browseCountedArticle();

    const { page } = await openPage(() => localStorage.setItem("ownstats_ignore", "1"));
    await browseArticle(page);
    await site.settle();
    expect(eventPosts()).toEqual([]);
    expect(await storedIds(page)).toEqual({ local: { ownstats_ignore: "1" }, session: {} });
  });

  it("counts a page whose localStorage throws (blocked storage), keeping the session id in memory and sending no visitor id", async () => {
    const { page } = await openPage(() =>
      Object.defineProperty(window, "localStorage", {
        get: () => {
          throw new DOMException("The document is sandboxed", "SecurityError");
        },
      }),
    );
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(site.page("short.html"));
    await page.clock.runFor(3_100);
    await page.reload();
    await page.clock.runFor(3_100);
    await poll(() => site.ofType("page_view").length).toBe(2);
    for (const view of site.ofType("page_view")) {
      expect(view.session_id).toMatch(ID);
      // An id kept in memory ends with the page: sent, it would be a new visitor on every page
      // load, each one never seen again in cohorts. None is sent, as with data-storage="none".
      expect(view).not.toHaveProperty("visitor_id");
    }
    expect(errors).toEqual([]);
  });

  it('honours Do Not Track unless the site sets data-respect-dnt="false"', async () => {
    const { page } = await openPage(() =>
      Object.defineProperty(Navigator.prototype, "doNotTrack", { get: () => "1" }),
    );
    await browseArticle(page);
    await site.settle();
    expect(eventPosts()).toEqual([]);

    await page.goto(site.page("dnt-ignored.html"));
    await page.clock.runFor(3_100);
    await poll(() => site.ofType("page_view").map((e) => e.page_path)).toEqual(["/site/dnt-ignored.html"]);
  });

  it("sends nothing from a page opened from a file, and throws nothing into it", async () => {
    const folder = await mkdtemp(join(tmpdir(), "ownstats-saved-page-"));
    try {
      const page = (script: string) =>
        `<!doctype html><title>Saved</title><script src="${script}"></script><button data-cta="saved">Go</button>`;
      // Saved as HTML only, the copy still loads the script from the site; saved complete, from the disk.
      await writeFile(join(folder, "html-only.html"), page(`${site.collector.url}/analytics.js`));
      await writeFile(join(folder, "complete.html"), page("analytics.js"));
      await writeFile(join(folder, "analytics.js"), await bundleTracker());
      const { page: tab } = await openPage();
      const errors: string[] = [];
      tab.on("pageerror", (error) => errors.push(error.message));
      for (const name of ["html-only.html", "complete.html"]) {
        await tab.goto(pathToFileURL(join(folder, name)).href);
        await tab.click("[data-cta]");
        await tab.clock.runFor(3_100);
        await setHidden(tab, true); // sends the queue by sendBeacon
      }
      await site.settle();
      expect(eventPosts()).toEqual([]); // no path on the visitor's disk ever leaves
      expect(errors).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("makes time-ordered random UUIDs without crypto.randomUUID (pages that are not a secure context)", async () => {
    const { page } = await openPage(() =>
      Object.defineProperty(Crypto.prototype, "randomUUID", { value: undefined, configurable: true }),
    );
    await page.goto(site.page("short.html"));
    expect(await page.evaluate(() => typeof crypto.randomUUID)).toBe("undefined");
    await page.clock.runFor(3_100);
    await poll(() => site.events().length).toBe(5); // page_view and four scroll milestones
    const events = site.events();
    const ids = [...events.map((e) => e.event_id), events[0]?.session_id, events[0]?.visitor_id];
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(7);
    // Each id starts with the page's time when it was made: the session's before its events' and
    // none after now, so a warehouse can find a session's rows among the recent ones.
    const now = await page.evaluate(() => Date.now());
    const sessionTime = uuidTime(events[0]?.session_id as string);
    expect(sessionTime).toBeGreaterThan(now - 60_000);
    for (const e of events) {
      expect(uuidTime(e.event_id as string)).toBeGreaterThanOrEqual(sessionTime);
      expect(uuidTime(e.event_id as string)).toBeLessThanOrEqual(now);
    }
    expect(events.every((e) => e.session_id === events[0]?.session_id)).toBe(true);
  });
});
