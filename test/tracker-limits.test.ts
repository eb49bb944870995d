// Values longer than the collector takes, in Debian's Chromium: the tracker cuts them to the
// collector's limits, so the events land instead of being refused one by one.
import { beforeEach, describe, expect, it } from "vitest";
import { LIMITS } from "../functions/collect/event.ts";
import { chromiumOrWarn } from "./chromium.ts";
import { poll, useTrackerSuite } from "./tracker-harness.ts";

const executable = chromiumOrWarn("tracker limits");

describe.runIf(executable)("tracker: values over the collector's limits", () => {
  const suite = useTrackerSuite(executable as string);
  let answers: Promise<{ accepted: number; rejected: unknown[] }>[];
  beforeEach(() => {
    answers = [];
    suite.page.on("response", (response) => {
      if (response.url().endsWith("/v1/events")) answers.push(response.json());
    });
  });

  it("cuts a data-cta value and a form's id to 200 characters and a custom event's name to 50, and the collector takes them", async () => {
    const long = "a-very-descriptive-name-".repeat(20); // 480 characters
    await suite.page.goto(suite.site.page("article.html"));
    await suite.page.evaluate((value) => {
      document.querySelector("#plain-cta")?.setAttribute("data-cta", value);
      document.querySelector("#signup")?.setAttribute("id", value);
    }, long);
    await suite.page.click("#plain-cta");
    await suite.page.fill("#signup-email", "a@example.com");
    await suite.page.evaluate((name) => {
      const api = (window as never as { ownstats: { track(name?: string): void } }).ownstats;
      api.track(name);
      api.track(); // a missing name throws nothing into the page (the collector refuses that event)
    }, long);
    await suite.page.clock.runFor(3_100);
    await poll(() => suite.site.ofType("custom").length).toBe(2);
    expect(suite.site.ofType("cta_click")[0]?.element).toBe(long.slice(0, LIMITS.text.element));
    expect(suite.site.ofType("form_start")[0]?.element).toBe(long.slice(0, LIMITS.text.element));
    expect(suite.site.ofType("custom")[0]?.name).toBe(long.slice(0, LIMITS.text.name));
    // The page hears a response after the collector has stored the batch's good events: wait for it.
    await poll(async () => (await Promise.all(answers)).flatMap((answer) => answer.rejected)).toEqual([
      { index: expect.any(Number), error: "name is required for custom" },
    ]);
  });

  it("sends an event too large for any request on its own, so the page view and the click batched before it land", async () => {
    const statuses: number[] = [];
    suite.page.on("response", (response) => {
      if (response.url().endsWith("/v1/events")) statuses.push(response.status());
    });
    await suite.page.goto(suite.site.page("article.html"));
    await suite.page.click("#plain-cta");
    // A props value of 70,000 characters (the collector takes 200): the event alone is over the
    // 64 KiB the collector takes in one body.
    await suite.page.evaluate((note) => {
      const api = (window as never as { ownstats: { track(name: string, props?: object): void } }).ownstats;
      api.track("huge", { note });
      api.track("after");
    }, "x".repeat(70_000));
    // The batch timer, and the retry of a keepalive request over 64 KiB, which the browser refuses.
    await suite.page.clock.runFor(3_100);
    const accepted = async () =>
      (await Promise.all(answers)).reduce((sum, answer) => sum + (answer.accepted ?? 0), 0);
    await poll(accepted).toBe(3); // the page view, the click and the event after the large one
    await poll(() => statuses.includes(413)).toBe(true);
    // The large event went alone, and only its request was refused (413).
    expect(
      suite.site.received.filter((r) => r.events.some((e) => e.name === "huge")).map((r) => r.events.length),
    ).toEqual([1]);
    expect(statuses.filter((status) => status === 413)).toEqual([413]);
    expect(suite.site.ofType("page_view").length + suite.site.ofType("cta_click").length).toBe(2);
  });
});
