import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openWarehouse } from "../../runner/warehouse.ts";
import { formatShare } from "../format.ts";
import { buildSite } from "../index.ts";
import { sampleDataFolder } from "../sample-warehouse.ts";
import { dailySeries } from "./overview.ts";

const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** The sample warehouse, after `sql` has changed it. */
async function sampleData(sql = ""): Promise<string> {
  const data = await sampleDataFolder(sql);
  folders.push(data);
  return data;
}

async function overviewOf(data: string, days: number): Promise<string> {
  await buildSite({ data, days });
  return readFileSync(join(data, "site", "index.html"), "utf8");
}

function tile(page: string, label: string): { value: string; change: string } {
  const match = page.match(
    new RegExp(
      `${label}</span>\\s*<span class="kpi-value">([^<]*)</span>\\s*<span class="kpi-change [^"]+">([^<]+)<`,
    ),
  );
  return { value: match?.[1] ?? "", change: match?.[2] ?? "" };
}

/** The previous period's figure a tile names, or undefined when it names none. */
function previousOf(page: string, label: string): string | undefined {
  const item = page.match(new RegExp(`${label}</span>[\\s\\S]*?</li>`))?.[0] ?? "";
  return item.match(/<span class="kpi-previous">([^<]*)<\/span>/)?.[1];
}

async function count(data: string, where: string): Promise<number> {
  const warehouse = await openWarehouse(data);
  try {
    const [row] = await warehouse.all(`SELECT count(*) AS n FROM sessions WHERE ${where}`);
    return Number(row?.n);
  } finally {
    warehouse.close();
  }
}

function relative(current: number, previous: number): string {
  const ratio = (current / previous - 1) * 100;
  if (ratio === 0) return "±0 % vs previous period";
  return `${ratio > 0 ? "+" : "−"}${Math.abs(ratio).toFixed(1)} % vs previous period`;
}

describe("overview key figures", () => {
  it("compare the hours of the period's last day so far with as many of the previous period's", async () => {
    // The data ends at 06:00 on the last day, as an hourly rebuild early in the day sees it.
    const data = await sampleData(`
      DELETE FROM sessions WHERE started_at >= TIMESTAMP '2026-11-20 06:00:00';
      DELETE FROM stg_events WHERE event_ts >= TIMESTAMP '2026-11-20 06:00:00'`);
    const page = await overviewOf(data, 7);
    const warehouse = await openWarehouse(data);
    const [row] = await warehouse.all("SELECT max(event_ts) AS latest FROM stg_events");
    warehouse.close();
    const latest = String(row?.latest);
    const sameTimeBefore = new Date(Date.parse(latest) - 7 * 86_400_000).toISOString().replace("T", " ");
    const current = await count(data, "started_at >= TIMESTAMP '2026-11-14'");
    const previous = await count(
      data,
      `started_at >= TIMESTAMP '2026-11-07' AND started_at <= TIMESTAMP '${sameTimeBefore.slice(0, 23)}'`,
    );
    const wholeDays = await count(
      data,
      "started_at >= TIMESTAMP '2026-11-07' AND started_at < TIMESTAMP '2026-11-14'",
    );
    // The sample's traffic is steady: whole previous days against six hours would read as a fall.
    expect(relative(current, wholeDays)).toMatch(/^−\d+\.\d %/);
    expect(tile(page, "Sessions")).toEqual({
      value: current.toLocaleString("en-US"),
      change: relative(current, previous),
    });
    // The figure the change is taken from is on the tile too.
    expect(previousOf(page, "Sessions")).toBe(`previous period: ${previous.toLocaleString("en-US")}`);
    // A rate keeps its unit beside it, on a phone's narrow tile too.
    expect(previousOf(page, "Bounce rate")).toMatch(/^previous period: \d+\.\d\u00a0%$/);
    expect(page).toContain(`both up to ${latest.slice(11, 16)} UTC on their last day`);
  });

  it("make no comparison with a previous period the data covers only part of", async () => {
    // Data from Nov 10 on: the previous 7 days (Nov 7–13) hold four of theirs.
    const data = await sampleData(`
      DELETE FROM sessions WHERE started_at < TIMESTAMP '2026-11-10';
      DELETE FROM stg_events WHERE event_ts < TIMESTAMP '2026-11-10'`);
    const page = await overviewOf(data, 7);
    for (const label of ["Visitors", "Sessions", "Conversions", "Conversion rate", "Bounce rate"]) {
      expect(tile(page, label).change, label).toBe("previous period only partly in the data");
      expect(previousOf(page, label), label).toBeUndefined();
    }
    expect(page).toContain("compared with 2026-11-07 to 2026-11-13 (data from 2026-11-10 on); both up to");
    // Eight hours of the previous period's first day missing: a third of that day's figures.
    const morningMissing = await sampleData(`
      DELETE FROM sessions WHERE started_at < TIMESTAMP '2026-11-07 08:00';
      DELETE FROM stg_events WHERE event_ts < TIMESTAMP '2026-11-07 08:00'`);
    const partly = await overviewOf(morningMissing, 7);
    expect(tile(partly, "Sessions").change).toBe("previous period only partly in the data");
    expect(partly).toContain("compared with 2026-11-07 to 2026-11-13 (data from 2026-11-07 on); both up to");
    // From the previous period's first hour on, it is compared.
    const covered = await sampleData(`
      DELETE FROM sessions WHERE started_at < TIMESTAMP '2026-11-07 00:30';
      DELETE FROM stg_events WHERE event_ts < TIMESTAMP '2026-11-07 00:30'`);
    expect(tile(await overviewOf(covered, 7), "Sessions").change).toMatch(/ % vs previous period$/);
  });

  it("say that the data starts inside the period, and that there is nothing before it to compare with", async () => {
    const data = await sampleData(`
      DELETE FROM sessions WHERE started_at < TIMESTAMP '2026-11-18 09:00';
      DELETE FROM stg_events WHERE event_ts < TIMESTAMP '2026-11-18 09:00';
      DELETE FROM daily WHERE "date" < DATE '2026-11-18'`);
    const page = await overviewOf(data, 7);
    expect(page).toContain(
      "2026-11-14 to 2026-11-20 (7 days); data from 2026-11-18 on, so no earlier period to compare with",
    );
    expect(page).not.toContain("compared with 2026-11-07");
  });

  it("say the period has no pages rather than that there is no data at all", async () => {
    const data = await sampleData("DELETE FROM int_daily_pages WHERE date >= DATE '2026-11-14'");
    const page = await overviewOf(data, 7);
    const pages = page.match(/<caption>Top pages<\/caption>[\s\S]*?<\/tbody>/)?.[0] ?? "";
    expect(pages).toContain('class="empty">No data in this period.</td>');
    expect(page).not.toContain("No data yet.");
  });

  it("say a site without data has none, instead of drawing an empty frame for its days", async () => {
    const data = await sampleData("DELETE FROM stg_events; DELETE FROM sessions; DELETE FROM daily");
    const page = await overviewOf(data, 28);
    expect(page).toContain("Daily visitors and sessions: no data yet.");
    expect(page).not.toMatch(/aria-label="Daily visitors and sessions"/);
  });
});

describe("overview daily chart", () => {
  it("gives its figures as a table too, for a reader who cannot see the chart", async () => {
    const data = await sampleData();
    const page = await overviewOf(data, 7);
    const figures =
      page.match(/<caption>Visitors and sessions per day<\/caption>[\s\S]*?<\/table>/)?.[0] ?? "";
    const rows = [
      ...figures.matchAll(
        /<tr><td class="time">([^<]+)<\/td><td class="num">([^<]+)<\/td><td class="num">([^<]+)<\/td><\/tr>/g,
      ),
    ];
    expect(rows.map((r) => r[1])).toEqual([
      "2026-11-14",
      "2026-11-15",
      "2026-11-16",
      "2026-11-17",
      "2026-11-18",
      "2026-11-19",
      "2026-11-20",
    ]);
    const warehouse = await openWarehouse(data);
    const [day] = await warehouse.all(
      `SELECT visitors, sessions FROM daily WHERE "date" = DATE '2026-11-18'`,
    );
    warehouse.close();
    expect(rows[4]?.slice(2)).toEqual([
      Number(day?.visitors).toLocaleString("en-US"),
      Number(day?.sessions).toLocaleString("en-US"),
    ]);
  });
});

describe("daily series", () => {
  it("is 0 on a day without sessions and null before the data starts", () => {
    const days = ["2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"];
    const daily = [
      { day: "2026-11-18T00:00:00.000Z", visitors: 4 },
      { day: "2026-11-20T00:00:00.000Z", visitors: 7 },
    ];
    expect(dailySeries(days, daily, "visitors", "2026-11-18")).toEqual([null, 4, 0, 7]);
    expect(dailySeries(days, daily, "visitors", null)).toEqual([null, null, null, null]);
  });
});

describe("overview top referring sites", () => {
  it("count the period's sessions of each referring site, leaving sessions before the period out", async () => {
    const inPeriod =
      "SELECT session_id FROM sessions WHERE started_at >= TIMESTAMP '2026-11-14' ORDER BY session_id";
    const data = await sampleData(`
      UPDATE sessions SET referring_site = '(none)', converted = false;
      UPDATE sessions SET referring_site = 'before.example' WHERE started_at < TIMESTAMP '2026-11-14';
      UPDATE sessions SET referring_site = 'news.ycombinator.com' WHERE session_id IN (${inPeriod} LIMIT 9);
      UPDATE sessions SET converted = true WHERE session_id IN (${inPeriod} LIMIT 1);
      UPDATE sessions SET referring_site = '<b>google.com</b>', converted = true
        WHERE session_id IN (${inPeriod} LIMIT 3 OFFSET 9);`);
    const page = await overviewOf(data, 7);
    const section = page.slice(page.indexOf('id="referrers-h"'), page.indexOf("Referring sites in detail"));
    const rows = [...section.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) =>
      [...(m[1] ?? "").matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((c) => c[1]?.trim()),
    );
    expect(rows.slice(1, 3)).toEqual([
      ["news.ycombinator.com", "9", "1", formatShare(1 / 9)],
      ["&lt;b&gt;google.com&lt;/b&gt;", "3", "3", formatShare(1)],
    ]);
    // The rest of the period's sessions came from no other site; before.example's are all older.
    expect(rows.slice(3).map((r) => r[0])).toEqual(["(none): no referrer from another site"]);
  });
});

describe("overview top lists", () => {
  it("say how many of the period's pages, sources and referring sites they leave out", async () => {
    // 12 sources and 20 more pages in the period, besides the sample's 40 referring sites and "(none)".
    const data = await sampleData(`
      UPDATE int_daily_sources SET source = 'source' || (hash(referrer || "date") % 12)::VARCHAR;
      INSERT INTO int_daily_pages BY NAME
      SELECT DATE '2026-11-19' AS date, '/extra/' || i AS page_path, 1 AS views, 1 AS sessions
      FROM range(20) t(i)`);
    const page = await overviewOf(data, 7);
    const warehouse = await openWarehouse(data);
    const [totals] = await warehouse.all(`
      SELECT (SELECT count(DISTINCT page_path) FROM int_daily_pages WHERE "date" >= DATE '2026-11-14') AS pages,
             (SELECT count(DISTINCT source) FROM int_daily_sources WHERE "date" >= DATE '2026-11-14') AS sources,
             (SELECT count(DISTINCT referring_site) FROM sessions
              WHERE started_at >= TIMESTAMP '2026-11-14' AND referring_site <> '(none)') AS referrers`);
    warehouse.close();
    expect(page).toContain(`<caption>The 10 most viewed of ${totals?.pages} pages of the period</caption>`);
    expect(page).toContain(
      `<caption>The 10 sources with the most sessions, of ${totals?.sources} in the period</caption>`,
    );
    expect(page).toContain(
      `<caption>The 10 referring sites with the most sessions, of ${totals?.referrers} in the period</caption>`,
    );
    // All of them shown: no count to give.
    const whole = await overviewOf(await sampleData(), 7);
    expect(whole).toContain("<caption>Top pages</caption>");
    expect(whole).toContain("<caption>Top sources</caption>");
  });

  it('list "(none)" last among the referring sites, saying what it is, however many sessions it has', async () => {
    // In the sample "(none)" holds a third of the sessions, more than any site.
    const page = await overviewOf(await sampleData(), 7);
    const section = page.slice(page.indexOf('id="referrers-h"'));
    const table = section.match(/<tbody>[\s\S]*?<\/tbody>/)?.[0] ?? "";
    const sites = [...table.matchAll(/<tr><td>([^<]+)</g)].map((m) => m[1]);
    expect(sites).toHaveLength(11);
    expect(sites.at(-1)).toBe("(none): no referrer from another site");
    expect(sites.slice(0, -1).every((site) => /^site\d+\.example$/.test(site ?? ""))).toBe(true);
  });

  it('say beside the top sources that "(direct)" holds untagged search and referral visits too', async () => {
    const page = await overviewOf(await sampleData(), 7);
    const section = page.slice(page.indexOf('id="sources-h"'), page.indexOf('id="referrers-h"'));
    expect(section).toContain("<code>utm_source</code> of the landing page");
    expect(section).toContain('"(direct)" is every session without one, untagged links from search engines');
  });

  it('say "All" only of a list the page they lead to shows whole', async () => {
    // More pages, referring sites and campaigns than the pages and sources pages list.
    const data = await sampleData(`
      INSERT INTO int_daily_pages BY NAME
        SELECT DATE '2026-11-19' AS date, '/extra/' || i AS page_path, 1 AS views, 1 AS sessions
        FROM range(30) t(i);
      UPDATE sessions SET referring_site = session_id || '.example', utm_campaign = 'c-' || session_id;`);
    const page = await overviewOf(data, 28);
    const site = join(data, "site");
    const links = [...page.matchAll(/<a href="([^"#]+)#?([^"]*)">(All [^<]*)<\/a>/g)];
    expect(links.length).toBeGreaterThan(0);
    for (const [, file = "", fragment, text] of links) {
      const target = readFileSync(join(site, file), "utf8");
      const from = fragment ? target.indexOf(`id="${fragment}"`) : 0;
      const section = target.slice(from, fragment ? target.indexOf("</section>", from) : undefined);
      // A list cut short says so in its caption: "The 25 most viewed of 35 pages of the period".
      const cut = [...section.matchAll(/<caption>(The \d+ [^<]* of [\d,]+[^<]*)<\/caption>/g)].map(
        (m) => m[1],
      );
      expect(cut, text).toEqual([]);
    }
  });

  it("link each list to the page with more of them, at its table", async () => {
    const data = await sampleData();
    const page = await overviewOf(data, 7);
    const site = join(data, "site");
    for (const [list, next] of [
      ["pages-h", "Pages in detail"],
      ["channels-h", "Channels over time"],
      ["sources-h", "All sources"],
      ["referrers-h", "Referring sites in detail"],
    ]) {
      const section = page.slice(page.indexOf(`id="${list}"`));
      const href = section.match(new RegExp(`<a href="([^"#]+)#?([^"]*)">${next}</a>`));
      expect(href, list).not.toBeNull();
      const target = readFileSync(join(site, href?.[1] ?? ""), "utf8");
      if (href?.[2]) expect(target, list).toContain(`id="${href[2]}"`);
    }
  });
});
