import { describe, expect, it } from "vitest";
import { renderedSamplePage } from "../sample-warehouse.ts";
import { tableRows } from "../table-rows.ts";

const allData = "Funnel steps (all data)";
const period = "Funnel steps";

describe("funnel page", () => {
  it("shows conversion and drop-off between steps", async () => {
    const rows = tableRows(await renderedSamplePage("funnel.html"), allData);
    expect(rows[2]).toEqual(["3. cta_click", "360", "20.0 %", "1,440 (80.0 %)", "12.0 %"]);
  });

  it("counts the sessions that started in the period, and a period holding all the data shows the mart's rows", async () => {
    // The sample's session i starts (i × 41 mod 56 days) minutes before 2026-11-20 23:00; the 28-day
    // period starts on 2026-10-24, 27 days 23 hours before. Sessions 0–89 reach all five steps.
    const inPeriod = (i: number) => (i * 41) % (56 * 1440) <= 27 * 1440 + 23 * 60;
    const count = (n: number) => Array.from({ length: n }, (_, i) => i).filter(inPeriod).length;
    const rows = tableRows(await renderedSamplePage("funnel.html"), period);
    expect(rows.map((r) => r[1])).toEqual(
      [3000, 1800, 360, 180, 90].map((n) => count(n).toLocaleString("en-US")),
    );
    expect(count(3000)).toBeLessThan(3000);

    const whole = await renderedSamplePage("funnel.html", { days: 60 });
    expect(tableRows(whole, period)).toEqual(tableRows(whole, allData));
  });

  it("shows no share of a step that no session reached", async () => {
    // Nobody clicked: the model writes 0 for the later steps' conversion from the step before.
    const page = await renderedSamplePage("funnel.html", {
      sql: "UPDATE funnel SET sessions = 0, conversion_from_previous = 0, conversion_from_start = 0 WHERE step >= 3",
    });
    const rows = tableRows(page, allData);
    expect(rows[2]).toEqual(["3. cta_click", "0", "0.0 %", "1,800 (100.0 %)", "0.0 %"]);
    expect(rows[3]).toEqual(["4. form_start", "0", "–", "–", "0.0 %"]);
    expect(rows[4]).toEqual(["5. form_submit", "0", "–", "–", "0.0 %"]);
    // The period's own figures come from how far each session got, which no click reached either.
    const sameInPeriod = await renderedSamplePage("funnel.html", {
      sql: "UPDATE int_daily_funnel SET steps_reached = 2 WHERE steps_reached > 2",
    });
    expect(tableRows(sameInPeriod, period)[3]).toEqual(["4. form_start", "0", "–", "–", "0.0 %"]);
  });

  it("draws no chart of zero bars when no session of the period has entered the funnel", async () => {
    const page = await renderedSamplePage("funnel.html", {
      sql: "DELETE FROM int_daily_funnel; UPDATE funnel SET sessions = 0, conversion_from_previous = CASE WHEN step = 1 THEN 1 ELSE 0 END, conversion_from_start = 0",
    });
    // The period has sessions (a site sending only custom events): none of them reached step 1.
    expect(page).toContain(
      "Sessions reaching each funnel step: no session of the period reached the first step, 1. page_view.",
    );
    expect(page).not.toMatch(/<svg/);
  });

  it("says the funnel has no steps when funnel_steps is empty, rather than that there is no data", async () => {
    // funnel_steps: [] builds a funnel mart without rows; the period still has its sessions.
    const page = await renderedSamplePage("funnel.html", {
      sql: "DELETE FROM funnel; DELETE FROM int_daily_funnel",
    });
    expect(page).toContain(
      "Sessions reaching each funnel step: the funnel has no steps (var funnel_steps is empty).",
    );
    expect(page).not.toContain("no data in this period");
    expect(page).not.toMatch(/<svg/);
  });

  it("says there is no data when the period has no sessions", async () => {
    const page = await renderedSamplePage("funnel.html", {
      sql: "DELETE FROM int_daily_funnel; DELETE FROM sessions",
    });
    expect(page).toContain("Sessions reaching each funnel step: no data in this period.");
    expect(page).not.toMatch(/<svg/);
  });
});
