// What the tracker's page API sends, in Debian's Chromium, to the real local collector: ownstats.track
// and ownstats.variant, calls queued by the snippet stub, and a tag that runs twice.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoSiteFolder } from "../local/dev-static.ts";
import { chromiumOrWarn } from "./chromium.ts";
import { DESKTOP_IN_BERLIN, flushed, scrollPage, useTrackerSuite } from "./tracker-harness.ts";

const executable = chromiumOrWarn("tracker api");

describe.runIf(executable)("tracker: its page API", () => {
  const suite = useTrackerSuite(executable as string, DESKTOP_IN_BERLIN);

  it("ownstats.track sends custom; ownstats.variant sends experiment_exposure once per session per experiment", async () => {
    await suite.page.goto(suite.site.page("article.html"));
    await suite.page.evaluate(() => {
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
    await flushed(suite, "custom", 1);
    expect(suite.site.ofType("custom")[0]).toMatchObject({
      name: "download",
      props: { file: "report.pdf", pages: 12, gated: false },
    });
    expect(suite.site.ofType("experiment_exposure").map((e) => [e.experiment, e.variant])).toEqual([
      ["pricing-layout", "cards"],
      ["cta-colour", "green"],
    ]);
    // A reload is the same session: no new exposure.
    await suite.page.reload();
    await suite.page.evaluate(() =>
      (window as unknown as { ownstats: { variant(e: string, v: string): void } }).ownstats.variant(
        "pricing-layout",
        "cards",
      ),
    );
    await flushed(suite, "page_view", 2);
    expect(suite.site.ofType("experiment_exposure")).toHaveLength(2);
  });

  it("throws nothing into a page whose localStorage is full, and sends its experiment's exposure", async () => {
    await suite.page.goto(suite.site.page("article.html"));
    const thrown = await suite.page.evaluate(() => {
      // What a site's own caches do to the few megabytes an origin gets: no item fits any more.
      for (const size of [100_000, 1_000, 10, 1])
        try {
          for (let i = 0; ; i++) localStorage[`cache-${size}-${i}`] = "x".repeat(size);
        } catch {}
      try {
        (window as never as { ownstats: { variant(e: string, v: string): void } }).ownstats.variant(
          "hero",
          "b",
        );
      } catch (error) {
        return String(error);
      }
    });
    expect(thrown).toBeUndefined();
    await flushed(suite, "experiment_exposure", 1);
    expect(suite.site.ofType("experiment_exposure")[0]).toMatchObject({ experiment: "hero", variant: "b" });
  });

  it("sends a variant given as a number, which the collector takes as text", async () => {
    await suite.page.goto(suite.site.page("article.html"));
    await suite.page.evaluate(() =>
      (window as never as { ownstats: { variant(e: string, v: number): void } }).ownstats.variant("hero", 1),
    );
    await flushed(suite, "experiment_exposure", 1);
    expect(suite.site.ofType("experiment_exposure")[0]).toMatchObject({ experiment: "hero", variant: 1 });
    // The exposure is sent once per session: one the collector refused would never land.
    await suite.site.settle();
    expect(suite.site.received.flatMap((r) => r.rejected ?? [])).toEqual([]);
  });

  it("throws nothing into the page, whatever a call is given, and sends the calls around it", async () => {
    const errors: string[] = [];
    suite.page.on("pageerror", (error) => errors.push(error.message));
    await suite.page.goto(suite.site.page("article.html"));
    const thrown = await suite.page.evaluate(() => {
      const api = (window as never as { ownstats: Record<"track" | "variant", (...args: unknown[]) => void> })
        .ownstats;
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      api.track("before");
      // What a site's code may pass by mistake: a status code as the name, an object, no string at
      // all, props that JSON cannot carry, a name or experiment whose text cannot be made.
      const calls: unknown[][] = [
        [404],
        [{ name: "signup" }],
        [["signup"]],
        [Symbol("signup")],
        ["unsendable", { count: BigInt(1) }],
        ["cyclic", cyclic],
      ];
      const errors = calls.map((args) => {
        try {
          api.track(...args);
        } catch (error) {
          return String(error);
        }
      });
      for (const args of [[Symbol("hero")], [{ toString: () => Symbol("hero") }, "b"]])
        try {
          api.variant(...args);
        } catch (error) {
          errors.push(String(error));
        }
      api.track("after");
      return errors.filter(Boolean);
    });
    expect(thrown).toEqual([]);
    // A list has slice(), so the list goes: the collector refuses that event, and lands the rest of
    // its batch.
    await flushed(suite, "custom", 3);
    await suite.site.settle();
    expect(suite.site.ofType("custom").map((e) => e.name)).toEqual(["before", ["signup"], "after"]);
    const batch = suite.site.received.find((r) => r.events.some((e) => e.event_type === "custom"));
    expect(batch?.events.map((e) => e.event_type)).toEqual(["page_view", "custom", "custom", "custom"]);
    expect(batch?.rejected).toEqual([{ index: 2, error: expect.stringMatching(/name/) }]);
    expect(errors).toEqual([]);
  });

  it("counts a page once when the tag is included twice or run again by a page swap", async () => {
    const errors: string[] = [];
    suite.page.on("pageerror", (error) => errors.push(error.message));
    await suite.page.goto(suite.site.page("twice.html"));
    await suite.page.click("#twice-cta");
    await scrollPage(suite.page, 4_000);
    await suite.page.evaluate(() =>
      (window as never as { ownstats: { track(n: string): void } }).ownstats.track("after-load"),
    );
    // What Turbo or PJAX does: a new URL, then the new body's scripts run once more.
    await suite.page.evaluate(
      () =>
        new Promise((resolve) => {
          history.pushState({}, "", "/site/swapped");
          const script = document.createElement("script");
          script.src = "/analytics.js";
          script.onload = resolve;
          document.body.append(script);
        }),
    );
    await suite.page.clock.runFor(400);
    await suite.page.click("#twice-cta");
    await flushed(suite, "page_view", 2);
    await suite.site.settle();
    expect(suite.site.ofType("page_view").map((e) => e.page_path)).toEqual([
      "/site/twice.html",
      "/site/swapped",
    ]);
    expect(suite.site.ofType("cta_click").map((e) => e.page_path)).toEqual([
      "/site/twice.html",
      "/site/swapped",
    ]);
    const firstScrolls = suite.site.ofType("scroll_depth").filter((e) => e.page_path === "/site/twice.html");
    expect(firstScrolls.map((e) => e.scroll_pct)).toEqual([25, 50, 75, 100]);
    expect(suite.site.ofType("custom").map((e) => e.name)).toEqual(["queued", "after-load"]);
    expect(errors).toEqual([]);
  });

  it("replays every call queued by the snippet stub, in order, when one of them cannot be sent", async () => {
    const errors: string[] = [];
    suite.page.on("pageerror", (error) => errors.push(error.message));
    await suite.context.addInitScript(() => {
      (window as never as { ownstats: unknown }).ownstats = {
        q: [
          ["track", ["before"]],
          ["track", ["unsendable", { count: BigInt(1) }]], // JSON cannot carry a BigInt
          ["variant", ["hero-copy", "short"]],
          ["track", ["after"]],
        ],
        track() {},
      };
    });
    await suite.page.goto(suite.site.page("article.html"));
    await flushed(suite, "custom", 2);
    expect(suite.site.ofType("custom").map((e) => e.name)).toEqual(["before", "after"]);
    expect(suite.site.ofType("experiment_exposure")).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it("replays the calls pushed to a queue alone, ownstats = { q: [] }, with no stub methods", async () => {
    await suite.context.addInitScript(() => {
      const global = window as never as { ownstats: { q: unknown[] } };
      global.ownstats = { q: [] };
      global.ownstats.q.push(["variant", ["hero-copy", "short"]], ["track", ["signup"]]);
    });
    await suite.page.goto(suite.site.page("article.html"));
    await flushed(suite, "custom", 1);
    expect(suite.site.ofType("custom").map((e) => e.name)).toEqual(["signup"]);
    expect(suite.site.ofType("experiment_exposure")).toHaveLength(1);
  });

  it("replays calls queued by the snippet stub after the first page_view", async () => {
    await suite.page.goto(suite.site.page("stub.html"));
    await flushed(suite, "custom", 1);
    const types = suite.site.events().map((e) => e.event_type);
    expect(types.indexOf("page_view")).toBeLessThan(types.indexOf("custom"));
    expect(suite.site.ofType("custom")[0]).toMatchObject({
      name: "signup",
      props: { plan: "pro", seats: 3, annual: true },
    });
    expect(suite.site.ofType("experiment_exposure")[0]).toMatchObject({
      experiment: "hero-copy",
      variant: "short",
    });
    // Replayed in the page view's millisecond, a call can be the session's first event by its id:
    // each event carries the time zone that the collector derives its country from.
    expect(suite.site.events().map((e) => [e.event_type, e.timezone])).toEqual(
      types.map((type) => [type, "Europe/Berlin"]),
    );
  });

  it("sends the exposure the demo site's pricing page queues before the script loads", async () => {
    // The page as `ownstats dev` serves it, on the collector's origin so that its tag loads the tracker.
    const url = suite.site.page("demo-pricing.html");
    const html = readFileSync(join(demoSiteFolder, "pricing.html"), "utf8");
    await suite.page.route(url, (route) => route.fulfill({ contentType: "text/html", body: html }));
    await suite.page.goto(url);
    await flushed(suite, "experiment_exposure", 1);
    expect(suite.site.ofType("experiment_exposure")[0]).toMatchObject({ experiment: "cta_copy" });
  });
});
