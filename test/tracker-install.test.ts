// Tags placed other than as the README shows, and pages that get in the tracker's way, in Debian's
// Chromium: the tracker counts the page and throws nothing into it.
import { beforeEach, describe, expect, it } from "vitest";
import type { WireEventInput } from "../functions/collect/event.ts";
import { bundleTracker } from "../tracker/build.ts";
import { chromiumOrWarn } from "./chromium.ts";
import { poll, useTrackerSuite, watchRequests } from "./tracker-harness.ts";

const executable = chromiumOrWarn("tracker install");

describe.runIf(executable)("tracker: unusual tags and pages", () => {
  const suite = useTrackerSuite(executable as string);
  let errors: string[];
  beforeEach(() => {
    errors = [];
    suite.page.on("pageerror", (error) => errors.push(error.message));
  });

  /**
   * Clicks the page's CTA and calls ownstats.track, lets the batch leave, and expects those events
   * and the page view from `path`, with nothing thrown into the page.
   */
  async function expectCounted(path: string): Promise<void> {
    await suite.page.click("[data-cta]");
    await suite.page.evaluate(() =>
      (window as never as { ownstats: { track(name: string): void } }).ownstats.track("used"),
    );
    await suite.page.clock.runFor(3_100);
    await poll(() => suite.site.events().map((e) => e.event_type)).toEqual(
      expect.arrayContaining(["page_view", "cta_click", "custom"]),
    );
    expect(suite.site.ofType("page_view")[0]?.page_path).toBe(path);
    expect(errors).toEqual([]);
  }

  it("counts a page whose tag is a module script, posting to the page's own origin", async () => {
    await suite.page.goto(suite.site.page("module.html"));
    await expectCounted("/site/module.html");
  });

  it("counts a page that carries the script inline, posting to the page's own origin", async () => {
    const code = await bundleTracker();
    const url = suite.site.page("inline.html");
    await suite.page.route(url, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><title>Inline</title><button data-cta="inline-cta">Go</button><script>${code}</script>`,
      }),
    );
    await suite.page.goto(url);
    await expectCounted("/site/inline.html");
  });

  it("counts a cross-origin isolated page (COEP require-corp) that loads the script from the collector", async () => {
    // Sites that need SharedArrayBuffer (in-browser video or WebAssembly tools) send COEP; their
    // page then loads another origin's script only if its answer allows that page to embed it.
    await suite.page.goto(suite.site.otherOriginPage("isolated-cross-origin.html"));
    expect(await suite.page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expectCounted("/site/isolated-cross-origin.html");
  });

  it("counts a page on another origin whose tag has the crossorigin attribute", async () => {
    await suite.page.goto(suite.site.otherOriginPage("crossorigin-attribute.html"));
    await expectCounted("/site/crossorigin-attribute.html");
  });

  it("counts a page with an element whose id is ownstats, and installs its API over it", async () => {
    await suite.page.goto(suite.site.page("named-ownstats.html"));
    await expectCounted("/site/named-ownstats.html");
  });

  it("counts a prerendered page when the visitor opens it, not before", async () => {
    await openPrerendered("short.html");
    await poll(() => suite.site.events().map((e) => e.event_type)).toEqual([
      "page_view",
      "scroll_depth",
      "scroll_depth",
      "scroll_depth",
      "scroll_depth",
    ]);
    expect(errors).toEqual([]);
  });

  it("sends nothing of a prerendered page's queued calls until the visitor opens it, then sends them after its page_view", async () => {
    await openPrerendered("stub.html");
    await poll(() => suite.site.events().map((e) => e.event_type)).toEqual(
      expect.arrayContaining(["page_view", "custom", "experiment_exposure"]),
    );
    const types = suite.site.events().map((e) => e.event_type);
    expect(types.indexOf("page_view")).toBeLessThan(types.indexOf("custom"));
    expect(errors).toEqual([]);
  });

  it("counts a prerendered page whose stub comes after the tag, replaying the calls queued to it", async () => {
    // The tag ran while the page was prerendered, before the stub existed: on a page shown at once
    // the stub would find the API instead, but here it queues until the visitor opens the page.
    await openPrerendered("stub-after.html");
    await poll(() => suite.site.events().map((e) => e.event_type)).toEqual(
      expect.arrayContaining(["page_view", "custom", "experiment_exposure"]),
    );
    const types = suite.site.events().map((e) => e.event_type);
    expect(types.indexOf("page_view")).toBeLessThan(types.indexOf("custom"));
    expect(errors).toEqual([]);
  });

  it("counts a prerendered page that includes the tag twice once, when the visitor opens it", async () => {
    // Both copies wait for the page to be shown: the first to start counts it, the other stays silent.
    await openPrerendered("twice.html");
    await suite.page.click("#twice-cta");
    await suite.page.clock.runFor(3_100);
    await poll(() => suite.site.ofType("cta_click").length).toBe(1);
    await suite.site.settle();
    expect(suite.site.ofType("page_view")).toHaveLength(1);
    expect(suite.site.ofType("custom").map((e) => e.name)).toEqual(["queued"]);
    expect(suite.site.ofType("cta_click")).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it("throws nothing into a prerendered page whose own script fires an input event before it is shown", async () => {
    // As a framework does to set up its form state; the form is started by the visitor later, if ever.
    const url = suite.site.page("prerender-input.html");
    await suite.page.route(url, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><title>Set up</title><script defer src="/analytics.js"></script>
<form id="early"><input id="early-field"></form><button data-cta="later">Go</button>
<script>addEventListener("load", () => document.getElementById("early-field").dispatchEvent(new Event("input", { bubbles: true })))</script>`,
      }),
    );
    await openPrerendered("prerender-input.html");
    await poll(() => suite.site.ofType("page_view").length).toBe(1);
    await suite.site.settle();
    expect(suite.site.ofType("form_start")).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("counts a page opened in a background tab at once, its queued calls after its page_view", async () => {
    // A tab the visitor opened behind the current one: hidden from the start, never prerendered.
    await suite.context.addInitScript(() => {
      Object.defineProperty(Document.prototype, "hidden", { configurable: true, get: () => true });
      Object.defineProperty(Document.prototype, "visibilityState", {
        configurable: true,
        get: () => "hidden",
      });
    });
    const requests = watchRequests(suite.context);
    await suite.page.goto(suite.site.page("stub.html"));
    await suite.page.clock.runFor(3_100);
    await poll(() => suite.site.events().length).toBe(3);
    // A hidden page sends each event as it is tracked: the order is the one the page sent them in,
    // which separate requests may not keep on their way to the collector.
    const sent = requests
      .filter((request) => request.url().endsWith("/v1/events"))
      .flatMap((request) => (JSON.parse(request.postData() ?? "{}") as { events: WireEventInput[] }).events);
    expect(sent.map((e) => e.event_type)).toEqual(["page_view", "custom", "experiment_exposure"]);
    expect(errors).toEqual([]);
  });

  /**
   * Opens the fixture prerendered, expects nothing sent meanwhile, then shows it as the visitor
   * opening it does and lets the batch leave. Chromium prerenders nothing headless: the page is told
   * it is prerendered (and so hidden) until window.activate() shows it, as a browser does.
   */
  async function openPrerendered(name: string): Promise<void> {
    await suite.context.addInitScript(() => {
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
    await suite.page.goto(suite.site.page(name));
    await suite.page.clock.runFor(10_000);
    await suite.site.settle();
    expect(suite.site.events()).toEqual([]);

    await suite.page.evaluate(() => (window as never as { activate(): void }).activate());
    await suite.page.clock.runFor(3_100);
  }
});
