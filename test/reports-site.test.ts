// The reports rendered from `ownstats demo` data through `ownstats build`: every page exists and
// links to every other, nothing points to another host, every chart is an inline SVG with a title,
// the HTML validates. Chromium opening the pages and the SQL playground have their own files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HtmlValidate } from "html-validate";
import { describe, expect, it } from "vitest";
import { tableRows } from "../reports/table-rows.ts";
import { builtDemoSite, ownstats, reportPageFiles as pageFiles } from "./reports-kit.ts";

const { data, site, buildOutput } = builtDemoSite();
const html = (file: string) => readFileSync(join(site, file), "utf8");

function attributes(page: string, name: "href" | "src"): string[] {
  return [...page.matchAll(new RegExp(`\\s${name}="([^"]*)"`, "g"))].map((m) => m[1] ?? "");
}

describe("reports rendered from ownstats demo data", () => {
  it("writes every page, and every page links to every other", () => {
    expect(buildOutput()).toMatch(/report: wrote 11 pages/);
    for (const file of pageFiles) {
      const links = new Set(attributes(html(file), "href"));
      for (const other of pageFiles) expect(links, `${file} → ${other}`).toContain(other);
    }
  });

  it("points no src or href to another host", () => {
    for (const file of pageFiles) {
      for (const url of [...attributes(html(file), "href"), ...attributes(html(file), "src")]) {
        expect(url, `${file}: ${url}`).not.toMatch(/^([a-z][a-z0-9+.-]*:|\/\/)/i);
      }
    }
    expect(readFileSync(join(site, "assets", "style.css"), "utf8")).not.toMatch(/url\(|@import/);
  });

  it("draws every chart as an inline SVG with a title, and charts on every report page", () => {
    for (const file of pageFiles) {
      const page = html(file);
      expect(page, file).not.toMatch(/<(img|object|iframe|embed)\b/);
      const svgs = page.match(/<svg\b[\s\S]*?<\/svg>/g) ?? [];
      if (file !== "sql.html") expect(svgs.length, `${file} has a chart`).toBeGreaterThan(0);
      for (const svg of svgs) {
        const label = svg.match(/^<svg[^>]*\srole="img"[^>]*\saria-label="([^"]+)"/)?.[1];
        expect(label, `${file}: chart without role and aria-label`).toBeTruthy();
        expect(svg).toMatch(/^<svg[^>]*><title>[^<]+<\/title>/);
      }
    }
  });

  it("dashes the overview's last day, which the data covers only up to its latest event", () => {
    // The demo's clock stops at 18:00 UTC, so the last day is counted up to a few minutes before.
    const page = html("index.html");
    expect(page).toMatch(/The last day, 2026-11-20, is drawn dashed: it is counted only up to 17:\d\d UTC\./);
    const daily = page.match(/<svg\b[^>]*aria-label="Daily visitors and sessions"[\s\S]*?<\/svg>/)?.[0] ?? "";
    expect(daily.match(/stroke-dasharray=/g)).toHaveLength(2);
  });

  it("draws the last day's bars of the channels chart paler, and says why", () => {
    const page = html("sources.html");
    expect(page).toMatch(/The last day, 2026-11-20, is drawn paler: it is counted only up to 17:\d\d UTC\./);
    const chart = page.match(/<svg\b[^>]*aria-label="Sessions per day by channel"[\s\S]*?<\/svg>/)?.[0] ?? "";
    const channels = chart.match(/<path d="M[^"]*Z" fill="#[0-9a-f]{6}"(?! transform)[^>]*>/g) ?? [];
    const paler = channels.filter((bar) => bar.includes('fill-opacity="0.45"'));
    // One bar per channel on the last day, none on the others.
    expect(paler.length).toBeGreaterThan(0);
    expect(new Set(paler.map((bar) => bar.match(/^<path d="M([\d.]+)/)?.[1])).size).toBe(1);
    expect(paler.length).toBeLessThan(channels.length);
  });

  it("counts the funnel for the sessions of the period, fewer than over all the data", () => {
    const period = secondColumn("funnel.html", "Funnel steps");
    const all = secondColumn("funnel.html", "Funnel steps (all data)");
    expect(period).toHaveLength(all.length);
    expect(all.length).toBeGreaterThan(1);
    // 28 days of the demo's 42: some sessions, not all of them.
    expect(period[0]).toBeGreaterThan(0);
    expect(period[0]).toBeLessThan(all[0] ?? 0);
    period.forEach((n, i) => expect(n).toBeLessThanOrEqual(all[i] ?? 0));
  });

  it.each([
    ["pages.html", "Pages by views in the period", "select page_path as key, views as n from pages"],
    [
      "sources.html",
      "Sessions and conversions by source, most sessions first (sessions started in the period)",
      "select source as key, sessions as n from sources",
    ],
  ])(
    "lists in %s the period's rows, each with no more than its mart holds over all the data",
    (file, caption, sql) => {
      const shown = countsBy(file, caption);
      const mart = new Map(
        (JSON.parse(ownstats(data, "query", sql, "--format", "json")) as { key: string; n: number }[]).map(
          (r) => [r.key, r.n],
        ),
      );
      expect(shown.length).toBeGreaterThan(1);
      for (const [key, n] of shown) expect(n, key).toBeLessThanOrEqual(mart.get(key) ?? 0);
      // 28 days of the demo's 42: the first row has counts before the period too.
      const [top, n] = shown[0] ?? ["", 0];
      expect(n).toBeLessThan(mart.get(top) ?? 0);
    },
  );

  it("gives a channel, a source and a referring site the same sessions on the overview as on the sources page", () => {
    const pairs = [
      [/^Top channels$/, /^Sessions and conversions by channel/, 1],
      // The sources page's referring sites show visitors first, then sessions.
      [
        /^(Top sources|The 10 sources with the most sessions, of \d+ in the period)$/,
        /^Sessions and conversions by source/,
        1,
      ],
      [
        /^(Top referring sites|The 10 referring sites with the most sessions, of \d+ in the period)$/,
        /referring site/,
        2,
      ],
    ] as const;
    for (const [overviewCaption, sourcesCaption, column] of pairs) {
      const top = countsBy("index.html", overviewCaption);
      const all = new Map(countsBy("sources.html", sourcesCaption, column));
      expect(top.length, String(overviewCaption)).toBeGreaterThan(1);
      for (const [key, n] of top) expect(all.get(key), key).toBe(n);
    }
  });

  it("documents the models from the runner's manifest", () => {
    const page = html("models.html");
    for (const model of ["stg_events", "sessions", "sources", "attribution", "funnel", "daily"]) {
      expect(page).toContain(`id="model-${model}"`);
    }
    expect(page).toMatch(/aria-label="Model lineage/);
  });

  it("validates with html-validate", async () => {
    const validator = new HtmlValidate({ extends: ["html-validate:recommended"] });
    for (const file of pageFiles) {
      const report = await validator.validateString(html(file), file);
      const messages = report.results.flatMap((r) =>
        r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`),
      );
      expect(messages, file).toEqual([]);
    }
  });

  it("exports only the marts as Parquet for the playground", () => {
    const exported = readFileSync(join(site, "sql.html"), "utf8");
    expect(exported).not.toMatch(/data\/(stg_events|sessions)\.parquet/);
    for (const mart of ["daily", "sources", "attribution", "funnel"]) {
      expect(
        readFileSync(join(site, "data", `${mart}.parquet`))
          .subarray(0, 4)
          .toString(),
      ).toBe("PAR1");
    }
  });
});

/** The figures of a table's `column` (the second by default), by the first column's text. */
function countsBy(file: string, caption: string | RegExp, column = 1): [string, number][] {
  return tableRows(html(file), caption)
    .filter((cells) => /^[\d,]+$/.test(cells[column] ?? ""))
    .map((cells) => [cells[0] ?? "", Number(cells[column]?.replaceAll(",", ""))]);
}

/** The figures of a table's second column. */
function secondColumn(file: string, caption: string): number[] {
  return countsBy(file, caption).map(([, n]) => n);
}
