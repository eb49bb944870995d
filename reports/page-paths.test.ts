import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSite } from "./index.ts";
import { renderedSamplePage, sampleDataFolder } from "./sample-warehouse.ts";

// Steps of 2026-11-19, inside both a 7- and a 28-day period ending on 2026-11-20: each page is left
// as often as it is entered. Seven sessions land on /, one on /blog.
const periodSteps: [string, string, number][] = [
  ["(entrance)", "/", 7],
  ["(entrance)", "/blog", 1],
  ["/", "/pricing", 3],
  ["/", "(exit)", 2],
  ["/", "/blog", 1],
  ["/", "/contact", 1],
  ["/contact", "(exit)", 1],
  ["/pricing", "/signup", 2],
  ["/pricing", "(exit)", 1],
  ["/signup", "(exit)", 2],
  ["/blog", "(exit)", 1],
  ["/blog", "/about", 1],
  ["/about", "(exit)", 1],
];

const sql = `
  DELETE FROM int_daily_paths;
  INSERT INTO int_daily_paths
  SELECT DATE '2026-11-19', f, t, n, 1
  FROM (VALUES ${periodSteps.map(([f, t, n]) => `('${f}', '${t}', ${n})`).join(", ")}) v(f, t, n);
  -- 2026-11-01: in the last 28 days, not in the last 7. Six pages with a landing and an exit each.
  INSERT INTO int_daily_paths
  SELECT DATE '2026-11-01', f, t, 5, 5
  FROM range(6) r(i), LATERAL (VALUES ('(entrance)', '/old/' || i), ('/old/' || i, '(exit)')) v(f, t);`;

/** The paths table's caption and rows as text, cell by cell. */
function pathsTable(page: string): { caption: string; header: string[]; rows: string[][] } {
  const html = page.match(/<table>\s*<caption>Where visitors of [\s\S]*?<\/table>/)?.[0] ?? "";
  const text = (s: string) => s.replace(/&#x27;/g, "'").replace(/&quot;/g, '"');
  return {
    caption: text(html.match(/<caption>([^<]*)<\/caption>/)?.[1] ?? ""),
    header: [...html.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => text(m[1] ?? "")),
    rows: [...html.matchAll(/<tr><td[\s\S]*?<\/tr>/g)].map((row) =>
      [...(row[0] ?? "").matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => text(m[1] ?? "")),
    ),
  };
}

describe("paths on the pages page", () => {
  it("shows where the period's most viewed pages' visitors came from and went next, with shares", async () => {
    const table = pathsTable(await renderedSamplePage("pages.html", { sql, days: 7 }));
    expect(table.caption).toBe("Where visitors of each page came from and went next (pages of the period)");
    expect(table.header).toEqual(["Page", "Views, reloads aside", "Came from", "Went next"]);
    expect(table.rows).toEqual([
      // Four pages follow /: the fourth, as many as /blog but later by name, goes into "others".
      ["/", "7", "(entrance) 100 %", "/pricing 42.9 % · (exit) 28.6 % · /blog 14.3 % · others 14.3 %"],
      ["/pricing", "3", "/ 100 %", "/signup 66.7 % · (exit) 33.3 %"],
      ["/blog", "2", "(entrance) 50 % · / 50 %", "(exit) 50 % · /about 50 %"],
      ["/signup", "2", "/pricing 100 %", "(exit) 100 %"],
      ["/about", "1", "/blog 100 %", "(exit) 100 %"],
      ["/contact", "1", "/ 100 %", "(exit) 100 %"],
    ]);
  });

  it("follows the report period, and says how many of its pages it leaves out", async () => {
    const table = pathsTable(await renderedSamplePage("pages.html", { sql, days: 28 }));
    expect(table.caption).toBe(
      "Where visitors of the 10 most viewed of 12 pages came from and went next (the period)",
    );
    expect(table.rows.map((r) => r[0])).toEqual([
      "/",
      ...Array.from({ length: 6 }, (_, i) => `/old/${i}`),
      "/pricing",
      "/blog",
      "/signup",
    ]);
    expect(table.rows[1]).toEqual(["/old/0", "5", "(entrance) 100 %", "(exit) 100 %"]);
  });

  it("downloads as CSV with each share in a field of its own, as a fraction", async () => {
    const data = await sampleDataFolder(sql);
    try {
      await buildSite({ data, days: 7 });
      const csv = readFileSync(join(data, "site", "csv", "pages-paths.csv"), "utf8");
      const lines = csv.replace(/^\ufeff/, "").split("\r\n");
      expect(lines.slice(0, 7)).toEqual([
        'Page,"Views, reloads aside",Direction,Neighbour,Share',
        "/,7,came from,(entrance),1",
        "/,7,went next,/pricing,0.428571",
        "/,7,went next,(exit),0.285714",
        "/,7,went next,/blog,0.142857",
        "/,7,went next,others,0.142857",
        "/pricing,3,came from,/,1",
      ]);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it("says when the period has no page views", async () => {
    const page = await renderedSamplePage("pages.html", { sql: "DELETE FROM int_daily_paths" });
    expect(page).toContain('<td colspan="4" class="empty">No page views in this period.</td>');
  });
});
