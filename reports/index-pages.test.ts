// What the rendered pages say: the period line, KPI tiles, chart and table captions, escaping,
// cohort cells, and pages of models without rows.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { HtmlValidate } from "html-validate";
import { afterEach, describe, expect, it } from "vitest";
import { openWarehouse } from "../runner/warehouse.ts";
import { buildSite } from "./index.ts";
import { sampleDataFolder, sampleEnd } from "./sample-warehouse.ts";

const folders: string[] = [];

async function sampleData(): Promise<string> {
  const data = await sampleDataFolder();
  folders.push(data);
  return data;
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("renderSite pages", () => {
  it("ends the period at the latest visitor event as it arrived: neither a bot nor a clock running ahead moves it", async () => {
    const data = await sampleDataFolder(`
      INSERT INTO stg_events BY NAME SELECT * REPLACE (
        TIMESTAMP '${sampleEnd} 23:30:00' + INTERVAL 20 HOUR AS event_ts, TIMESTAMP '${sampleEnd} 23:30:00' AS ingest_ts)
      FROM stg_events LIMIT 1;
      INSERT INTO stg_events BY NAME SELECT * REPLACE (
        TIMESTAMP '${sampleEnd} 23:50:00' + INTERVAL 2 DAY AS event_ts, TIMESTAMP '${sampleEnd} 23:50:00' + INTERVAL 2 DAY AS ingest_ts, true AS is_bot)
      FROM stg_events LIMIT 1;`);
    folders.push(data);
    await buildSite({ data, days: 7 });
    const page = readFileSync(join(data, "site", "index.html"), "utf8");
    // The ahead-running event arrived at 23:30 on the sample's last day: the period ends there.
    expect(page).toContain(
      "2026-11-14 to 2026-11-20 (7 days), compared with 2026-11-07 to 2026-11-13; both up to 23:30 UTC on their last day",
    );
    expect(page).toContain(`Data up to ${sampleEnd} 23:30 UTC`);
  });

  it("says a period of one day in the singular, and that a site without conversions has no attribution in it", async () => {
    const data = await sampleDataFolder("DELETE FROM int_daily_attribution");
    folders.push(data);
    await buildSite({ data, days: 1 });
    expect(readFileSync(join(data, "site", "index.html"), "utf8")).toContain(
      "2026-11-20 to 2026-11-20 (1 day), compared with",
    );
    expect(readFileSync(join(data, "site", "sources.html"), "utf8")).toContain(
      "No conversions in this period.",
    );
  });

  it("anchors the period at the latest data and compares KPIs with the previous period", async () => {
    const data = await sampleData();
    await buildSite({ data, days: 7 });
    const page = readFileSync(join(data, "site", "index.html"), "utf8");
    // The sample's latest event is at 23:00:40 on its last day: the previous period stops there too.
    expect(page).toContain(
      "2026-11-14 to 2026-11-20 (7 days), compared with 2026-11-07 to 2026-11-13; both up to 23:00 UTC on their last day",
    );
    const warehouse = await openWarehouse(data);
    const [counts] = await warehouse.all(`
      SELECT count(*) FILTER (WHERE started_at >= TIMESTAMP '2026-11-14') AS current,
             count(*) FILTER (WHERE started_at <= TIMESTAMP '2026-11-13 23:00:40') AS previous
      FROM sessions WHERE started_at >= TIMESTAMP '2026-11-07' AND started_at < TIMESTAMP '2026-11-21'`);
    warehouse.close();
    const current = Number(counts?.current);
    const previous = Number(counts?.previous);
    const expected = `${current.toLocaleString("en-US")}</span>`;
    const tile = page.match(
      /Sessions<\/span>\s*<span class="kpi-value">([\s\S]*?)<span class="kpi-change [a-z ]+">([^<]+)</,
    );
    expect(`${tile?.[1]?.trim()}`).toBe(expected);
    const ratio = (current / previous - 1) * 100;
    expect(tile?.[2]).toContain(
      ratio === 0 ? "±0 % vs previous period" : `${Math.abs(ratio).toFixed(1)} % vs previous period`,
    );
    expect(sampleEnd).toBe("2026-11-20");
  });

  it("shows a falling bounce rate as good news and a falling visitor count as bad", async () => {
    const data = await sampleData();
    const warehouse = await openWarehouse(data);
    // The last 7 days: no bounce, and one session in three (fewer visitors than the week before).
    await warehouse.run(`
      UPDATE sessions SET is_bounce = false WHERE started_at >= TIMESTAMP '2026-11-14';
      DELETE FROM sessions WHERE started_at >= TIMESTAMP '2026-11-14' AND hash(session_id) % 3 <> 0`);
    warehouse.close();
    await buildSite({ data, days: 7 });
    const page = readFileSync(join(data, "site", "index.html"), "utf8");
    const changeOf = (label: string) =>
      page.match(new RegExp(`${label}</span>[\\s\\S]*?<span class="kpi-change ([^"]+)">([^<]+)<`))?.slice(1);
    expect(changeOf("Bounce rate")).toEqual(["down better", expect.stringMatching(/^−\d+\.\d pt/)]);
    expect(changeOf("Visitors")).toEqual(["down worse", expect.stringMatching(/^−\d+\.\d %/)]);
    const css = readFileSync(join(data, "site", "assets", "style.css"), "utf8");
    expect(css).toMatch(/\.kpi-change\.better \{\s*color: var\(--better\)/);
    expect(css).toMatch(/\.kpi-change\.worse \{\s*color: var\(--worse\)/);
  });

  it("says a figure rose from 0 when the previous period had sessions but none of it", async () => {
    const data = await sampleData();
    const warehouse = await openWarehouse(data);
    await warehouse.run("UPDATE sessions SET converted = false WHERE started_at < TIMESTAMP '2026-11-14'");
    warehouse.close();
    await buildSite({ data, days: 7 });
    const tileChange = (page: string, label: string) =>
      page.match(new RegExp(`${label}</span>[\\s\\S]*?<span class="kpi-change [^"]+">([^<]+)<`))?.[1];
    const page = readFileSync(join(data, "site", "index.html"), "utf8");
    expect(tileChange(page, "Conversions")).toBe("up from 0 in the previous period");
    expect(tileChange(page, "Sessions")).toMatch(/ % vs previous period$/);
    const empty = await openWarehouse(data);
    await empty.run("DELETE FROM sessions WHERE started_at < TIMESTAMP '2026-11-14'");
    empty.close();
    await buildSite({ data, days: 7 });
    const alone = readFileSync(join(data, "site", "index.html"), "utf8");
    for (const label of ["Visitors", "Sessions", "Conversions", "Conversion rate"]) {
      expect(tileChange(alone, label), label).toBe("no previous data");
    }
  });

  it("names every chart of whole-history data as such, beside the page's period", async () => {
    const data = await sampleData();
    await buildSite({ data, days: 28 });
    const labels = (file: string) =>
      [...readFileSync(join(data, "site", file), "utf8").matchAll(/<svg[^>]* aria-label="([^"]+)"/g)].map(
        (m) => m[1],
      );
    expect(labels("pages.html")[0]).toBe(
      "Share of sessions scrolling to each depth, top pages of the period",
    );
    expect(labels("funnel.html")).toEqual(["Sessions reaching each funnel step"]);
    expect(labels("cohorts.html")).toEqual([
      "Retention by cohort week: % of the cohort active N weeks later (all data)",
    ]);
    expect(labels("experiments.html")).toEqual([
      "Conversion rate by variant in cta_copy (all data)",
      "Conversion rate by variant in hero_image (all data)",
    ]);
    expect(labels("sources.html")[1]).toBe(
      "Conversions credited to each channel, by attribution model (conversions in sessions started in the period)",
    );
  });

  it("says when a table shows only the first rows of more", async () => {
    const data = await sampleData();
    await buildSite({ data, days: 28 });
    const captions = (file: string) =>
      [...readFileSync(join(data, "site", file), "utf8").matchAll(/<caption>([^<]*)</g)].map((m) => m[1]);
    expect(captions("pages.html")).toContain("Pages by views in the period");
    const warehouse = await openWarehouse(data);
    await warehouse.run(`
      INSERT INTO int_daily_pages BY NAME
      SELECT DATE '2026-11-19' AS date, '/more/' || i AS page_path, 1 AS views, 1 AS sessions, 1 AS exits
      FROM range(40) t(i);
      INSERT INTO int_daily_attribution SELECT DATE '2026-11-19', 'last_touch', 'referral', 'site' || i, '(none)', 0.5 FROM range(30) t(i)`);
    warehouse.close();
    await buildSite({ data, days: 28 });
    expect(captions("pages.html")).toContain("The 25 most viewed of 45 pages of the period");
    expect(captions("pages.html")).toContainEqual(
      expect.stringMatching(
        /^Where the period&#x27;s sessions end: the 10 pages with the most exits, of 4\d$/,
      ),
    );
    // Exits over the page's sessions, which the header names: not the exits-over-views "exit rate".
    expect(readFileSync(join(data, "site", "pages.html"), "utf8")).toMatch(/>Share of its sessions<\/th>/);
    expect(captions("sources.html")).toContainEqual(
      expect.stringMatching(
        /^Conversion credit per attribution model: the 25 channel, source and campaign combinations with the most last-touch credit, of \d+ in the period$/,
      ),
    );
  });

  it("escapes values from the data in the HTML", async () => {
    const data = await sampleData();
    await buildSite({ data, days: 28 });
    const page = readFileSync(join(data, "site", "pages.html"), "utf8");
    expect(page).toContain("/blog/&lt;tags&gt;");
    expect(page).not.toContain("/blog/<tags>");
  });

  it("shows 0 % for a cohort's past weeks without a returning visitor, and blanks only weeks to come", async () => {
    const data = await sampleData();
    const warehouse = await openWarehouse(data);
    // The model writes no row for a week nobody came back in: here the oldest cohort's weeks 6
    // and 7 (Nov 9 and Nov 16); the latest data (Nov 20) is in the second, which is still under way.
    await warehouse.run("DELETE FROM cohorts WHERE cohort_week = DATE '2026-09-28' AND weeks_since >= 6");
    await warehouse.run(
      "UPDATE cohorts SET retention = 0.004 WHERE cohort_week = DATE '2026-10-05' AND weeks_since = 6",
    );
    warehouse.close();
    await buildSite({ data, days: 28 });
    const page = readFileSync(join(data, "site", "cohorts.html"), "utf8");
    const cells = (week: string) =>
      [
        ...(page.match(new RegExp(`<tr><td[^>]*>${week}</td>(.*?)</tr>`))?.[1] ?? "").matchAll(
          /<td[^>]*>([^<]*)</g,
        ),
      ].map((m) => m[1]);
    expect(page).toContain('<th scope="col" class="num">Week 7</th>');
    // One decimal where it says something, as the heatmap's cells have it.
    expect(cells("2026-09-28")).toEqual(["100", "50 %", "33 %", "25 %", "20 %", "17 %", "0 %", "0 % so far"]);
    expect(cells("2026-10-05").slice(-2)).toEqual(["0.4 % so far", ""]);
    expect(cells("2026-11-09")).toEqual(["100", "50 % so far", "", "", "", "", "", ""]);
    expect(cells("2026-11-16")).toEqual(["100", "", "", "", "", "", "", ""]);
    const heatmapCells = page.match(/<figure class="chart">[\s\S]*?<\/figure>/)?.[0] ?? "";
    // Week 0 of eight cohorts plus the 28 later weeks that have happened, each a labelled cell.
    expect([...heatmapCells.matchAll(/<text[^>]*fill="(#fff|#1d2330)"[^>]*>[^<]*<\/text>/g)]).toHaveLength(
      36,
    );
    // The cells of the week under way, as the table's "so far", are outlined: 2026-09-28's week 7,
    // 2026-10-05's week 6 … 2026-11-09's week 1 (week 0 of 2026-11-16 is 100 % by definition).
    expect(heatmapCells.match(/stroke-dasharray=/g)).toHaveLength(7);
  });

  it("renders valid pages that say so when the models hold no rows yet", async () => {
    const data = await sampleData();
    const warehouse = await openWarehouse(data);
    // Every table, the intermediate ones that pages read included.
    for (const { table_name } of await warehouse.all("SELECT table_name FROM duckdb_tables()")) {
      await warehouse.run(`DELETE FROM ${table_name}`);
    }
    warehouse.close();
    const site = await buildSite({ data, days: 28 }, new Date("2026-11-26T10:00:00Z"));
    expect(site.files.filter((f) => f.path.endsWith(".html"))).toHaveLength(11);
    const validator = new HtmlValidate({ extends: ["html-validate:recommended"] });
    for (const file of [
      "index.html",
      "experiments.html",
      "funnel.html",
      "goals.html",
      "anomalies.html",
      "cohorts.html",
      "models.html",
    ]) {
      const report = await validator.validateString(readFileSync(join(data, "site", file), "utf8"), file);
      expect(
        report.results.flatMap((r) => r.messages.map((m) => m.message)),
        file,
      ).toEqual([]);
    }
    const overview = readFileSync(join(data, "site", "index.html"), "utf8");
    expect(overview).toContain("No data yet · built at 2026-11-26 10:00 UTC");
    // Nothing to compare and no latest data to stop at: the period line claims neither.
    expect(overview).toContain("2026-10-30 to 2026-11-26 (28 days); no data yet");
    expect(overview).not.toMatch(/compared with|on their last day/);
    expect(readFileSync(join(data, "site", "experiments.html"), "utf8")).toContain(
      "No experiment has exposures yet",
    );
    expect(readFileSync(join(data, "site", "models.html"), "utf8")).toContain("no target/manifest.json yet");
    expect(readFileSync(join(data, "site", "funnel.html"), "utf8")).toContain(
      "Sessions reaching each funnel step: no data in this period.",
    );
    expect(overview).toContain("Top pages by page views: no data in this period.");
  });
});
