import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openWarehouse, type Row } from "../../runner/warehouse.ts";
import { formatShare } from "../format.ts";
import { buildSite } from "../index.ts";
import { renderedSamplePage, renderedSamplePageAndRows, sampleDataFolder } from "../sample-warehouse.ts";
import { tableRows } from "../table-rows.ts";

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
    // A reader of "(direct)" learns that it holds untagged search and referral visits too.
    expect(section).toContain('"(direct)" stands for every session without one');
    expect(sources[0]).toEqual(["big", "2,000"]);
    expect(sources.at(-1)).toEqual(["lucky", "1"]);
    const sessions = sources.map(([, n]) => Number(n?.replaceAll(",", "")));
    expect(sessions).toEqual([...sessions].sort((a, b) => b - a));
  });

  it("lists the referring sites that sent the most visitors, hosts escaped, and says how many sites it shows", async () => {
    // The period's sessions: 9,100 from this site, of 9,000 visitors, 91 converting, a quarter bouncing,
    // 75 s engaged; and 20,000 visitors from no other site, more than any site. The sample's 40 sites
    // and this one are the sites.
    const page = await renderedSamplePage("sources.html", {
      sql: `INSERT INTO sessions BY NAME
              SELECT 'img' || i AS session_id, 'img-visitor' || (i % 9000) AS visitor_id,
                     TIMESTAMP '2026-11-19 10:00:00' AS started_at, i < 91 AS converted, i % 4 = 0 AS is_bounce,
                     75 AS engaged_s, '<img src=x onerror=alert(1)>.example' AS referring_site
              FROM range(9100) t(i);
            INSERT INTO sessions BY NAME
              SELECT 'none' || i AS session_id, 'none-visitor' || i AS visitor_id,
                     TIMESTAMP '2026-11-19 10:00:00' AS started_at, false AS converted, true AS is_bounce,
                     0 AS engaged_s, '(none)' AS referring_site
              FROM range(20000) t(i)`,
    });
    const section = page.match(/<h2 id="referrers-h">[\s\S]*?<\/table>/)?.[0] ?? "";
    expect(section).toContain(
      "<caption>The 25 referring sites that sent the most visitors in the period, of 41</caption>",
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
    const last = [...body.matchAll(/<tr><td>([^<]+)<\/td><td class="num">([\d,]+)</g)].at(-1);
    expect(last?.[1]).toBe("(none): no referrer from another site");
    expect(Number(last?.[2]?.replaceAll(",", ""))).toBeGreaterThan(20_000);
  });

  it("gives the attribution chart's credit per channel as a table too, for a reader who cannot see the chart", async () => {
    const { page, rows } = await renderedSamplePageAndRows(
      "sources.html",
      `SELECT channel, round(sum(conversions) FILTER (WHERE model = 'linear'), 2) AS linear
       FROM int_daily_attribution WHERE "date" >= DATE '2026-10-24' GROUP BY channel ORDER BY channel`,
    );
    const figures =
      page.match(
        /<details><summary>[^<]*<\/summary>(?:(?!<\/details>)[\s\S])*?attribution model[\s\S]*?<\/details>/,
      )?.[0] ?? "";
    const table = tableRows(figures, "Conversions credited to each channel");
    expect(table.map((r) => r[0]).sort()).toEqual(rows.map((r) => String(r.channel)));
    for (const r of rows) {
      expect(table.find((cells) => cells[0] === r.channel)?.[3], String(r.channel)).toBe(
        Number(r.linear).toFixed(2),
      );
    }
  });

  it("says a site without conversions has none to credit, not that it has no data", async () => {
    const page = await renderedSamplePage("sources.html", { sql: "DELETE FROM int_daily_attribution" });
    expect(page).toContain(
      "Conversions credited to each channel, by attribution model (conversions in sessions started in the period): no conversions in this period.",
    );
    expect(page).toContain('<td colspan="7" class="empty">No conversions in this period.</td>');
    expect(page).not.toMatch(/no data yet/i);
  });

  it("counts sources, referring sites and conversion credit for the sessions that started in the period", async () => {
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
      const [site] = await warehouse.all(`
        SELECT count(DISTINCT coalesce(visitor_id, session_id)) AS visitors, count(*) AS sessions FROM sessions
        WHERE referring_site = 'site1.example' AND started_at >= TIMESTAMP '2026-10-24'`);
      warehouse.close();
      const counts = (row: Row) =>
        [row.sessions, row.conversions].map((n) => Number(n).toLocaleString("en-US"));
      expect(Number(inPeriod.sessions)).toBeLessThan(Number(all.sessions));
      expect(Number(inPeriod.conversions)).toBeGreaterThan(0);

      expect(cells(page, "Sessions and conversions by source", "linkedin").slice(0, 2)).toEqual(
        counts(inPeriod),
      );
      // First touch gives each conversion one unit of credit in the sample, to the converting session.
      const firstTouch = tableRows(page, "Conversion credit by channel, source and campaign")
        .filter((r) => r[1] === "linkedin")
        .reduce((sum, r) => sum + Number(r[3]), 0);
      expect(firstTouch).toBe(Number(inPeriod.conversions));
      expect(cells(page, "The 25 referring sites", "site1.example").slice(0, 2)).toEqual(
        [site?.visitors, site?.sessions].map((n) => Number(n).toLocaleString("en-US")),
      );
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
  it("sums each channel's sessions and conversions over the period, most sessions first", async () => {
    const { page, rows: expected } = await renderedSamplePageAndRows(
      "sources.html",
      `SELECT coalesce(channel, 'direct') AS channel, count(*) AS sessions,
              count(*) FILTER (WHERE converted) AS conversions
       FROM sessions
       WHERE started_at >= TIMESTAMP '2026-10-24' AND started_at < TIMESTAMP '2026-11-21'
       GROUP BY ALL ORDER BY sessions DESC, conversions DESC, channel`,
    );
    expect(expected.length).toBeGreaterThan(2);
    expect(tableRows(page, "Sessions and conversions by channel")).toEqual(
      expected.map((r) => [
        String(r.channel),
        Number(r.sessions).toLocaleString("en-US"),
        Number(r.conversions).toLocaleString("en-US"),
        formatShare(Number(r.conversions) / Number(r.sessions)),
      ]),
    );
    const empty = await renderedSamplePage("sources.html", { sql: "DELETE FROM sessions" });
    expect(tableRows(empty, "Sessions and conversions by channel")).toEqual([["No data in this period."]]);
  });

  it("lists the period's tagged sessions by campaign, source and medium", async () => {
    // The sample tags every third session's landing page with "launch"; one more, with a name to
    // escape, and neither utm_source nor utm_medium: its source is "(none)", not "(direct)".
    const sql = `UPDATE sessions SET utm_campaign = '<b>spring</b>', utm_medium = NULL, utm_source = NULL, source = '(direct)'
                 WHERE session_id = 'sess000003'`;
    const { page, rows: expected } = await renderedSamplePageAndRows(
      "sources.html",
      `SELECT utm_campaign, coalesce(utm_source, '(none)') AS source, coalesce(utm_medium, '(none)') AS medium, count(*) AS sessions,
              count(*) FILTER (WHERE converted) AS conversions
       FROM sessions
       WHERE utm_campaign IS NOT NULL AND started_at >= TIMESTAMP '2026-10-24' AND started_at < TIMESTAMP '2026-11-21'
       GROUP BY ALL ORDER BY sessions DESC, conversions DESC, 1, 2, 3`,
      { sql },
    );
    const escape = (text: string) => text.replace(/</g, "&lt;").replace(/>/g, "&gt;");
    expect(tableRows(page, "Sessions and conversions by campaign")).toEqual(
      expected.map((r) => [
        escape(String(r.utm_campaign)),
        String(r.source),
        String(r.medium),
        Number(r.sessions).toLocaleString("en-US"),
        Number(r.conversions).toLocaleString("en-US"),
        formatShare(Number(r.conversions) / Number(r.sessions)),
      ]),
    );
    expect(expected.length).toBeGreaterThan(2);
    expect(expected.at(-1)).toMatchObject({ source: "(none)", medium: "(none)" });
    expect(expected.map((r) => r.source)).not.toContain("(direct)");
    const untagged = await renderedSamplePage("sources.html", {
      sql: "UPDATE sessions SET utm_campaign = NULL",
    });
    expect(tableRows(untagged, "Sessions and conversions by campaign")).toEqual([
      ["No tagged sessions in this period."],
    ]);
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

  it("leaves the days before the data starts without figures, as the overview does, instead of 0 sessions", async () => {
    const page = await renderedSamplePage("sources.html", {
      days: 7,
      sql: `DELETE FROM sessions WHERE started_at < TIMESTAMP '2026-11-18 09:00';
            DELETE FROM stg_events WHERE event_ts < TIMESTAMP '2026-11-18 09:00'`,
    });
    const rows = tableRows(page, "Sessions per day by channel");
    expect(rows.map((r) => r[0])).toEqual([
      "2026-11-14",
      "2026-11-15",
      "2026-11-16",
      "2026-11-17",
      "2026-11-18",
      "2026-11-19",
      "2026-11-20",
    ]);
    for (const row of rows.slice(0, 4)) expect(new Set(row.slice(1)), row[0]).toEqual(new Set(["–"]));
    for (const row of rows.slice(4))
      expect(
        row.slice(1).every((cell) => /^\d+$/.test(cell)),
        row[0],
      ).toBe(true);
  });
});

/** The cells after the first of the row whose first cell is `first`. */
function cells(page: string, caption: string, first: string): string[] {
  const row = tableRows(page, caption).find((r) => r[0] === first);
  if (!row) throw new Error(`no row "${first}" in "${caption}"`);
  return row.slice(1);
}
