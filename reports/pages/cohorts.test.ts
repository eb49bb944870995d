import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSite } from "../index.ts";
import { renderedSamplePage, sampleDataFolder } from "../sample-warehouse.ts";

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

  it("says that the first cohort's week began before the data, where its size read as a poor week", async () => {
    // The sample's first cohort week is Monday 2026-09-28; the data now starts on the Thursday.
    const page = await renderedSamplePage("cohorts.html", {
      sql: `DELETE FROM sessions WHERE started_at < TIMESTAMP '2026-10-01';
            DELETE FROM stg_events WHERE event_ts < TIMESTAMP '2026-10-01'`,
    });
    expect(page).toContain(
      "The week of the cohort 2026-09-28 began before the data, which starts on 2026-10-01: that cohort holds only the visitors first seen on the days recorded.",
    );
    expect(page).toMatch(/<td class="time">2026-09-28 \(data from 2026-10-01\)<\/td>/);
    expect(page).toMatch(/<td class="time">2026-10-05<\/td>/);
    // A first cohort whose whole week is in the data is not marked.
    expect(await renderedSamplePage("cohorts.html")).not.toContain("(data from");
  });

  it("writes the first cohort's week as an ISO date in the CSV file, the data's first day left to the page", async () => {
    const data = await sampleDataFolder(`DELETE FROM sessions WHERE started_at < TIMESTAMP '2026-10-01';
      DELETE FROM stg_events WHERE event_ts < TIMESTAMP '2026-10-01'`);
    try {
      await buildSite({ data, days: 28 });
      const csv = readFileSync(join(data, "site", "csv", "cohorts-cohort.csv"), "utf8");
      const weeks = csv
        .split("\r\n")
        .slice(1, -1)
        .map((line) => line.split(",")[0]);
      expect(weeks[0]).toBe("2026-09-28");
      for (const week of weeks) expect(week).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it("shows no week after the latest data's, which an event stamped ahead by a visitor's clock can open", async () => {
    // The latest data is on Friday 2026-11-20; two visitors' clocks ran ahead into the Monday after.
    const page = await renderedSamplePage("cohorts.html", {
      sql: `INSERT INTO cohorts VALUES (DATE '2026-09-28', 8, 1, 100, 0.01), (DATE '2026-11-23', 0, 1, 1, 1.0)`,
    });
    const headers = [...page.matchAll(/<th scope="col"[^>]*>([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(headers.at(-1)).toBe("Week 7");
    expect(page).not.toContain("2026-11-23");
    expect(page).toMatch(/<td class="time">2026-11-16<\/td>/);
  });

  it("names each cohort's week under way in the CSV file, the shares the page marks 'so far'", async () => {
    const data = await sampleDataFolder();
    try {
      await buildSite({ data, days: 28 });
      const page = readFileSync(join(data, "site", "cohorts.html"), "utf8");
      const csv = readFileSync(join(data, "site", "csv", "cohorts-cohort.csv"), "utf8");
      const [header = "", ...lines] = csv
        .replace(/^\ufeff/, "")
        .split("\r\n")
        .slice(0, -1);
      expect(header.split(",").at(-1)).toBe("Week under way");
      // The page's rows, each with the week of its cell marked "so far", if any.
      const rows = [...page.matchAll(/<tr><td class="time">([^<]+)<\/td>([\s\S]*?)<\/tr>/g)].map(
        ([, week, cells]) => {
          const shares = [...(cells ?? "").matchAll(/<td class="num">([^<]*)<\/td>/g)].slice(1);
          const soFar = shares.findIndex((m) => m[1]?.endsWith("so far"));
          return `${week},${soFar < 0 ? "" : soFar + 1}`;
        },
      );
      expect(rows.some((row) => !row.endsWith(","))).toBe(true);
      expect(lines.map((line) => `${line.split(",")[0]},${line.split(",").at(-1)}`)).toEqual(rows);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
