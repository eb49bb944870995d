import { describe, expect, it } from "vitest";
import { tableCsv } from "../csv.ts";
import { formatShare } from "../format.ts";
import type { Table } from "../page.ts";
import { renderedSamplePage, renderedSamplePageAndRows } from "../sample-warehouse.ts";
import { engagement } from "./engagement.ts";

describe("pages and engagement page", () => {
  it("shows the page views by which the time milestones' pages are ordered", async () => {
    const page = await renderedSamplePage("pages.html");
    const table = page.match(
      /<table[^>]*>\s*<caption>Share of a page&#x27;s sessions still on it[\s\S]*?<\/table>/,
    )?.[0];
    const headers = [...(table ?? "").matchAll(/<th[^>]*>([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(headers.slice(0, 3)).toEqual(["Page", "Page views", "Sessions"]);
    const views = [...(table ?? "").matchAll(/<tr><td[^>]*>[^<]*<\/td><td[^>]*>([\d,]+)<\/td>/g)].map((m) =>
      Number(m[1]?.replace(/,/g, "")),
    );
    expect(views.length).toBeGreaterThan(1);
    expect(views).toEqual([...views].sort((a, b) => b - a));
  });

  it("says how many of the period's pages its time milestones per page leave out", async () => {
    // The sample's 5 pages and 20 more, all viewed in the period.
    const page = await renderedSamplePage("pages.html", {
      sql: `INSERT INTO int_daily_pages BY NAME
        SELECT DATE '2026-11-19' AS date, '/extra/' || i AS page_path, 1 AS views, 1 AS sessions
        FROM range(20) t(i)`,
    });
    expect(page).toMatch(
      /<caption>Share of a page[^<]*\(the 15 most viewed of 25 pages of the period\)<\/caption>/,
    );
    expect(await renderedSamplePage("pages.html")).toMatch(
      /<caption>Share of a page[^<]*\(pages of the period\)<\/caption>/,
    );
  });

  it("names the sessions its time milestones' shares are of", async () => {
    const {
      page,
      rows: [row],
    } = await renderedSamplePageAndRows(
      "pages.html",
      "SELECT count(*) AS n FROM sessions WHERE started_at >= TIMESTAMP '2026-11-14'",
      { days: 7 },
    );
    const sessions = Number(row?.n);
    expect(page).toContain(
      `<caption>Time milestones: shares of the period&#x27;s ${sessions.toLocaleString("en-US")} sessions</caption>`,
    );
  });

  it("writes the time milestones' times into their CSV file in seconds, as its header says", async () => {
    const milestones = { sessions: 10, engaged_30: 8, engaged_60: 5, engaged_180: 2, engaged_300: 1 };
    const view = await engagement.view(
      { milestones: [milestones] },
      {} as Parameters<typeof engagement.view>[1],
    );
    const table = view.milestonesTable as Table;
    expect(table.rows.map((row) => row[0]?.text)).toEqual(["30 s", "1 min", "3 min", "5 min"]);
    expect(tableCsv(table)).toBe(
      "\ufeffEngaged for at least (s),Sessions,Share\r\n30,8,0.8\r\n60,5,0.5\r\n180,2,0.2\r\n300,1,0.1\r\n",
    );
  });

  it("names one session of the period in the singular", async () => {
    const page = await renderedSamplePage("pages.html", {
      days: 7,
      sql: "DELETE FROM sessions WHERE session_id <> 'sess000000'",
    });
    expect(page).toContain("<caption>Time milestones: shares of the period&#x27;s 1 session</caption>");
  });

  it("counts the pages, their reach and their exits for the period's days", async () => {
    // The sample's session i starts (i × 41 mod 56 days) minutes before 2026-11-20 23:00 and lands
    // on '/' when i mod 5 is 0, three views; it exits there when i mod 20 is 0. The 28-day period's
    // first day starts 27 days 23 hours before.
    const inPeriod = (i: number) => (i * 41) % (56 * 1440) <= 27 * 1440 + 23 * 60;
    const count = (keep: (i: number) => boolean) =>
      Array.from({ length: 3000 }, (_, i) => i).filter(keep).length;
    const landed = count((i) => i % 5 === 0 && inPeriod(i));
    const exited = count((i) => i % 20 === 0 && inPeriod(i));
    expect(landed).toBeLessThan(600);

    const page = await renderedSamplePage("pages.html");
    const home = rowOf(page, "Pages by views in the period", "/");
    expect(home.slice(1, 3)).toEqual([3 * landed, landed].map((n) => n.toLocaleString("en-US")));
    expect(home.at(-1)).toBe(exited.toLocaleString("en-US"));
    expect(rowOf(page, "Where the period&#x27;s sessions end", "/").slice(1, 2)).toEqual([
      exited.toLocaleString("en-US"),
    ]);

    // A period holding every day shows the pages mart's rows.
    const whole = await renderedSamplePage("pages.html", { days: 60 });
    expect(rowOf(whole, "Pages by views in the period", "/").slice(1, 3)).toEqual(["1,800", "600"]);
  });

  it("lists the pages the period's sessions landed on, with their bounces and conversions", async () => {
    const { page, rows: expected } = await renderedSamplePageAndRows(
      "pages.html",
      `SELECT landing_page, count(*) AS sessions, count(*) FILTER (WHERE is_bounce) AS bounces,
              count(*) FILTER (WHERE converted) AS conversions
       FROM sessions
       WHERE landing_page IS NOT NULL AND started_at >= TIMESTAMP '2026-10-24' AND started_at < TIMESTAMP '2026-11-21'
       GROUP BY 1 ORDER BY sessions DESC, landing_page`,
      { sql: "UPDATE sessions SET landing_page = NULL WHERE session_id = 'sess000005'" },
    );
    // The sample's five landing pages; a session without a page view has none and is not listed.
    expect(expected).toHaveLength(5);
    const body = page
      .split("<caption>Where the period&#x27;s sessions start</caption>")[1]
      ?.split("</tbody>")[0];
    expect(body?.match(/<tr>/g)).toHaveLength(1 + 5);
    for (const r of expected) {
      const sessions = Number(r.sessions);
      expect(
        rowOf(
          page,
          "Where the period&#x27;s sessions start",
          String(r.landing_page).replace(/</g, "&lt;").replace(/>/g, "&gt;"),
        ),
      ).toEqual([
        String(r.landing_page).replace(/</g, "&lt;").replace(/>/g, "&gt;"),
        sessions.toLocaleString("en-US"),
        formatShare(Number(r.bounces) / sessions),
        formatShare(Number(r.conversions) / sessions),
      ]);
    }
    const empty = await renderedSamplePage("pages.html", { sql: "DELETE FROM sessions" });
    expect(rowOf(empty, "Where the period&#x27;s sessions start", "No data in this period.")).toHaveLength(1);
  });

  it("says the period has no pages rather than no data at all", async () => {
    const page = await renderedSamplePage("pages.html", {
      sql: "DELETE FROM int_daily_pages WHERE date >= DATE '2026-10-24'",
    });
    expect(rowOf(page, "Pages by views in the period", "No data in this period.")).toHaveLength(1);
    expect(rowOf(page, "Where the period&#x27;s sessions end", "No data in this period.")).toHaveLength(1);
    expect(
      rowOf(
        page,
        "Share of a page&#x27;s sessions still on it after 30 s, 1 min, 3 min and 5 min (pages of the period)",
        "No data in this period.",
      ),
    ).toHaveLength(1);
    const noSessions = await renderedSamplePage("pages.html", {
      sql: "DELETE FROM sessions WHERE started_at >= TIMESTAMP '2026-10-24'",
    });
    expect(
      rowOf(noSessions, "Time milestones (sessions of the period)", "No data in this period."),
    ).toHaveLength(1);
  });
});

/** The cells of the row whose first cell is `first`, in the table with this caption. */
function rowOf(page: string, caption: string, first: string): string[] {
  const body = page.split(`<caption>${caption}</caption>`)[1]?.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? "";
  const rows = [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<td[^>]*>([^<]*)</g)].map((cell) => cell[1] ?? ""),
  );
  const row = rows.find((cells) => cells[0] === first);
  if (!row) throw new Error(`no row "${first}" in "${caption}": ${JSON.stringify(rows)}`);
  return row;
}
