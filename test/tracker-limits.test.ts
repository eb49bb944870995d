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
});
