import { describe, expect, it } from "vitest";
import { renderedSamplePage } from "../sample-warehouse.ts";

const caption = (page: string) => page.match(/<caption>([^<]*)<\/caption>/)?.[1];

describe("cohorts page", () => {
  it("says the table holds all data when there are fewer cohorts than it shows", async () => {
    // The sample holds eight cohort weeks.
    expect(caption(await renderedSamplePage("cohorts.html"))).toBe("Retention by cohort week (all data)");
  });

  it("says how many cohorts there are when it shows only the last of them", async () => {
    const page = await renderedSamplePage("cohorts.html", {
      // Eight more weeks before them: sixteen in all.
      sql: `INSERT INTO cohorts SELECT cohort_week - INTERVAL 56 DAY, weeks_since, visitors, cohort_size, retention
            FROM cohorts`,
    });
    expect(caption(page)).toBe("Retention by cohort week (all data: the last 12 of 16 cohorts)");
  });
});
