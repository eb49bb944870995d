import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openWarehouse, type Row } from "../../runner/warehouse.ts";
import { buildSite } from "../index.ts";
import { renderedSamplePage, sampleDataFolder } from "../sample-warehouse.ts";

describe("sources page", () => {
  it("reads a source's conversion rate from its counts: one conversion in 3,000 sessions is not 0.0 %", async () => {
    // The sources mart rounds conversion_rate to one decimal (the article's query): it would hold 0.0.
    const page = await renderedSamplePage("sources.html", {
      sql: `INSERT INTO int_daily_sources VALUES
              (DATE '2026-11-19', 'rare', '(none)', 3000, 1, 0, 0), (DATE '2026-11-19', 'half', '(none)', 8, 4, 0, 0)`,
    });
    const row = (source: string) =>
      [
        ...(page.match(new RegExp(`<tr><td[^>]*>${source}</td>(.*?)</tr>`))?.[1] ?? "").matchAll(
          />([^<]+)</g,
        ),
      ].map((m) => m[1]);
    expect(row("rare")).toEqual(["3,000", "1", "&lt; 0.1 %"]);
    expect(row("half")).toEqual(["8", "4", "50.0 %"]);
  });

  it("lists the sources with the most sessions first, not a one-session source converting at 100 %", async () => {
    const page = await renderedSamplePage("sources.html", {
      sql: `INSERT INTO int_daily_sources VALUES
              (DATE '2026-11-19', 'lucky', '(none)', 1, 1, 0, 0), (DATE '2026-11-19', 'big', '(none)', 2000, 80, 0, 0)`,
    });
    const section = page.match(/<h2 id="sources-h">[\s\S]*?<\/table>/)?.[0] ?? "";
    expect(section).toContain(
      "<caption>Sessions and conversions by source, most sessions first (sessions started in the period)</caption>",
    );
    const sources = [...section.matchAll(/<tr><td>([^<]+)<\/td><td class="num">([^<]+)</g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(sources[0]).toEqual(["big", "2,000"]);
    expect(sources.at(-1)).toEqual(["lucky", "1"]);
    const sessions = sources.map(([, n]) => Number(n?.replaceAll(",", "")));
    expect(sessions).toEqual([...sessions].sort((a, b) => b - a));
  });

  it("lists the referring sites that sent the most visitors, hosts escaped, and says how many sites it shows", async () => {
    // "(none)" has the most visitors of all; the sample's 40 sites and this one are the sites.
    const page = await renderedSamplePage("sources.html", {
      sql: `INSERT INTO referrers VALUES ('<img src=x onerror=alert(1)>.example', 9000, 9100, 91, 1.0, 0.25, 75.0);
            UPDATE referrers SET visitors = 20000 WHERE referrer = '(none)'`,
    });
    const section = page.match(/<h2 id="referrers-h">[\s\S]*?<\/table>/)?.[0] ?? "";
    expect(section).toContain(
      "<caption>The 25 referring sites that sent the most visitors, of 41 (all data)</caption>",
    );
    expect(section).not.toContain("<img");
    const first = section.match(/<tbody>\s*<tr>(.*?)<\/tr>/)?.[1] ?? "";
    expect([...first.matchAll(/>([^<]+)</g)].map((m) => m[1])).toEqual([
      "&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;.example",
      "9,000",
      "9,100",
      "1.0 %",
      "25.0 %",
      "1 min 15 s",
    ]);
    // 25 sites, then "(none)" last, saying what it is.
    const body = section.match(/<tbody>[\s\S]*?<\/tbody>/)?.[0] ?? "";
    expect(body.match(/<tr>/g)).toHaveLength(26);
    expect(body.match(/<tr><td>([^<]+)<\/td><td class="num">20,000</g)?.length).toBe(1);
    expect([...body.matchAll(/<tr><td>([^<]+)</g)].at(-1)?.[1]).toBe("(none): no referrer from another site");
  });

  it("says a site without conversions has none to credit, not that it has no data", async () => {
    const page = await renderedSamplePage("sources.html", { sql: "DELETE FROM int_daily_attribution" });
    expect(page).toContain(
      "Conversions credited to each channel, by attribution model (conversions in sessions started in the period): no conversions in this period.",
    );
    expect(page).toContain('<td colspan="7" class="empty">No conversions in this period.</td>');
    expect(page).not.toMatch(/no data yet/i);
  });

  it("counts sources and conversion credit for the sessions that started in the period", async () => {
    const data = await sampleDataFolder();
    try {
      await buildSite({ data, days: 28 });
      const page = readFileSync(join(data, "site", "sources.html"), "utf8");
      await buildSite({ data, days: 60 });
      const whole = readFileSync(join(data, "site", "sources.html"), "utf8");
      const warehouse = await openWarehouse(data);
      // The 28-day period's first day is 2026-10-24; the sample's sessions span 56 days.
      const linkedin = async (since: string) =>
        (
          await warehouse.all(`
          SELECT count(*) AS sessions, count(*) FILTER (WHERE converted) AS conversions FROM sessions
          WHERE source = 'linkedin' AND started_at >= TIMESTAMP '${since}'`)
        )[0] ?? {};
      const inPeriod = await linkedin("2026-10-24");
      const all = await linkedin("2000-01-01");
      warehouse.close();
      const counts = (row: Row) =>
        [row.sessions, row.conversions].map((n) => Number(n).toLocaleString("en-US"));
      expect(Number(inPeriod.sessions)).toBeLessThan(Number(all.sessions));
      expect(Number(inPeriod.conversions)).toBeGreaterThan(0);

      expect(cells(page, "Sessions and conversions by source", "linkedin").slice(0, 2)).toEqual(
        counts(inPeriod),
      );
      // First touch gives each conversion one unit of credit in the sample, to the converting session.
      const firstTouch = rowsOf(page, "Conversion credit by channel, source and campaign")
        .filter((r) => r[1] === "linkedin")
        .reduce((sum, r) => sum + Number(r[3]), 0);
      expect(firstTouch).toBe(Number(inPeriod.conversions));
      // A period holding every day shows the marts' rows.
      expect(cells(whole, "Sessions and conversions by source", "linkedin").slice(0, 2)).toEqual(counts(all));
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it("keeps a channel's colour when other channels are absent from the period", async () => {
    const legendColour = (page: string, channel: string) => {
      const chart =
        page.match(/<svg\b[^>]*aria-label="Sessions per day by channel"[\s\S]*?<\/svg>/)?.[0] ?? "";
      return chart.match(new RegExp(`fill="(#[0-9a-f]{6})"></path>\\s*<text[^>]*>${channel}</text>`))?.[1];
    };
    const all = await renderedSamplePage("sources.html");
    const withoutEmail = await renderedSamplePage("sources.html", {
      sql: "DELETE FROM sessions WHERE channel = 'email'",
    });
    expect(legendColour(all, "search")).toMatch(/^#/);
    expect(legendColour(withoutEmail, "search")).toBe(legendColour(all, "search"));
    expect(legendColour(withoutEmail, "social")).toBe(legendColour(all, "social"));
  });
  it("gives the channels chart's figures as a table too, for a reader who cannot see the chart", async () => {
    const page = await renderedSamplePage("sources.html");
    const figures = page.match(/<caption>Sessions per day by channel<\/caption>[\s\S]*?<\/table>/)?.[0] ?? "";
    const headers = [...figures.matchAll(/<th scope="col"[^>]*>([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(headers[0]).toBe("Day");
    expect(headers).toContain("search");
    const lastDay = figures.match(
      /<tr><td class="time">2026-11-20<\/td>((?:<td class="num">[\d,]+<\/td>)+)<\/tr>/,
    );
    expect(lastDay?.[1]?.match(/<td/g)).toHaveLength(headers.length - 1);
  });
});

/** The rows' cells of the table whose caption starts with `caption`. */
function rowsOf(page: string, caption: string): string[][] {
  const table = page.split(`<caption>${caption}`)[1]?.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? "";
  return [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map((r) =>
    [...(r[1] ?? "").matchAll(/<td[^>]*>([^<]*)</g)].map((c) => c[1] ?? ""),
  );
}

/** The cells after the first of the row whose first cell is `first`. */
function cells(page: string, caption: string, first: string): string[] {
  const row = rowsOf(page, caption).find((r) => r[0] === first);
  if (!row) throw new Error(`no row "${first}" in "${caption}"`);
  return row.slice(1);
}
