import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openWarehouse } from "../runner/warehouse.ts";
import { attachCsvFiles, csvField, tableCsv } from "./csv.ts";
import {
  formatCount,
  formatDecimal,
  formatPercent,
  formatProbability,
  formatPValue,
  formatSeconds,
  formatShare,
  formatShareBrief,
} from "./format.ts";
import { buildSite } from "./index.ts";
import { isTable, table } from "./page.ts";
import { sampleDataFolder } from "./sample-warehouse.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("csvField", () => {
  it("quotes commas, quotes and line breaks as RFC 4180 says", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\r")).toBe('"cr\r"');
    expect(csvField(null)).toBe("");
  });

  it("keeps visitors' text from running as a spreadsheet formula, and numbers as numbers", () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=1")).toBe("'\t=1");
    expect(csvField("\r=1")).toBe('"\'\r=1"');
    expect(csvField("/a=b")).toBe("/a=b");
    expect(csvField(-0.5)).toBe("-0.5");
    expect(csvField(1 / 3)).toBe("0.333333");
    expect(csvField(Number.NaN)).toBe("");
  });
});

describe("tableCsv", () => {
  it("writes a header row and the rows' values: counts and shares as numbers, a missing figure empty, a link's path", () => {
    const made = table(
      "Pages",
      ["Page", "Views#", "Share#"],
      [
        ["/a,b", "1,234", { text: "< 0.1 %", value: 0.0004 }],
        [{ text: "/x", href: "x.html" }, "–", "12.5"],
      ],
    );
    expect(tableCsv(made)).toBe('\ufeffPage,Views,Share\r\n"/a,b",1234,0.0004\r\nx.html,,12.5\r\n');
  });
});

describe("attachCsvFiles", () => {
  it("finds the tables wherever a view holds them and names their files after the view", () => {
    const view = {
      pagesTable: table("Pages", ["Page"], [["/"]]),
      experiments: [
        { name: "CTA copy!", table: table("Variants of CTA copy!", ["Variant"], []) },
        { name: "cta-copy", table: table("Variants of cta-copy", ["Variant"], []) },
        { name: "", table: table("Variants", ["Variant"], []) },
      ],
      hoursTable: null,
    };
    const files = attachCsvFiles("experiments", view, isTable);
    expect(files.map((f) => f.path)).toEqual([
      "csv/experiments-pages.csv",
      "csv/experiments-cta-copy.csv",
      "csv/experiments-cta-copy-2.csv",
      "csv/experiments-3.csv",
    ]);
    expect(view.pagesTable.csv).toEqual({
      href: "csv/experiments-pages.csv",
      label: "Download 'Pages' as CSV",
    });
  });
});

/** The text of an HTML element's content, entities as the page's reader sees them. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Every way the pages show a figure: a CSV number must read as its cell does in one of them. */
const shown = [
  formatCount,
  formatShare,
  formatShareBrief,
  formatSeconds,
  formatProbability,
  formatPValue,
  (v: number) => formatDecimal(v, 1),
  (v: number) => formatDecimal(v, 2),
  (v: number) => `${v >= 0 ? "+" : "−"}${formatPercent(Math.abs(v) * 100)}`,
];

const injections = `
  INSERT INTO int_daily_sources VALUES (DATE '2026-11-19', '=HYPERLINK("http://evil.example","x")', '(none)', 5, 1, 0, 0),
    (DATE '2026-11-19', '-2+3, "quoted"', '(none)', 4, 0, 0, 0), (DATE '2026-11-19', '@SUM(A1)
second line', '(none)', 3, 0, 0, 0)`;

describe("the site's CSV downloads", () => {
  it("gives every table of every page a CSV file holding the rows and columns it shows", async () => {
    const data = await sampleDataFolder(injections);
    folders.push(data);
    await buildSite({ data, days: 28 });
    const site = join(data, "site");
    const warehouse = await openWarehouse(data);
    try {
      let tables = 0;
      for (const page of readdirSync(site).filter((name) => name.endsWith(".html"))) {
        const html = readFileSync(join(site, page), "utf8");
        const found = [
          ...html.matchAll(
            /<table>([\s\S]*?)<\/table>\s*<\/div>\s*<p class="csv"><a download href="([^"]+)" aria-label="([^"]+)">CSV<\/a><\/p>/g,
          ),
        ];
        expect(found.length, page).toBe(html.split("<table>").length - 1);
        for (const [, inner = "", href = "", label = ""] of found) {
          tables++;
          const caption = text(/<caption>([\s\S]*?)<\/caption>/.exec(inner)?.[1] ?? "");
          expect(text(label)).toBe(`Download '${caption}' as CSV`);
          // The file names the unit of a time the page writes out ("1m 05s" there, 65 here).
          const header = [...inner.matchAll(/<th(?: [^>]*)?>([\s\S]*?)<\/th>/g)]
            .map((m) => text(m[1] ?? ""))
            .map((h) => (h === "Engaged time" || h === "Engaged for at least" ? `${h} (s)` : h));
          // A link's field holds where it leads, not its text.
          const rows = [...inner.matchAll(/<tr>(<td(?! colspan)[\s\S]*?)<\/tr>/g)].map((m) =>
            [...(m[1] ?? "").matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map(
              (c) => /^<a href="([^"]+)">/.exec(c[1] ?? "")?.[1] ?? text(c[1] ?? ""),
            ),
          );
          const file = join(site, href);
          expect(readFileSync(file, "utf8").startsWith("\ufeff"), href).toBe(true);
          const parsed = await warehouse.all(
            `SELECT * FROM read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true, quote = '"', escape = '"', delim = ',', strict_mode = true)`,
          );
          // The paths table packs several shares into a cell; its file has a row per share
          // (page-paths.test.ts).
          if (href === "csv/pages-paths.csv") continue;
          const columns = parsed[0] ? Object.keys(parsed[0]) : header;
          // The cohorts' file also names each cohort's week under way, the page's "so far" (cohorts.test.ts).
          const added = href === "csv/cohorts-cohort.csv" ? ["Week under way"] : [];
          expect(columns, href).toEqual([...header, ...added]);
          expect(parsed.length, href).toBe(rows.length);
          parsed.forEach((row, r) => {
            header.forEach((column, c) => {
              const cell = rows[r]?.[c] ?? "";
              const value = row[column] === null ? "" : String(row[column]);
              if (value === cell || (value === "" && cell === "–")) return;
              // A cell that says more than its field: "(none): no referrer from another site".
              if (cell.startsWith(`${value}: `) || cell.startsWith(`${value} (`)) return;
              // A name shown with its code, "Germany (DE)": the file holds the code, as the warehouse does.
              if (cell.endsWith(` (${value})`)) return;
              // The control's uplift, against itself, as the experiments mart holds it.
              if (cell === "control" && column === "Uplift") return expect(value, href).toBe("0");
              const n = Number(value);
              // Visitors' text that starts like a formula is shown as it is and kept from running.
              if (Number.isNaN(n)) return expect(value, href).toBe(`'${cell}`);
              expect(
                value !== "" && shown.some((f) => cell.startsWith(f(n))),
                `${href} ${value} ${cell}`,
              ).toBe(true);
            });
          });
        }
      }
      expect(tables).toBeGreaterThan(20);
      // Times: "1m 05s" on the page, seconds in the file, whose header says so.
      for (const [page, file] of [
        ["pages.html", "pages-pages.csv"],
        ["sources.html", "sources-referrers.csv"],
      ]) {
        expect(readFileSync(join(site, page ?? ""), "utf8")).toMatch(
          /<th scope="col" class="num">Engaged time<\/th>/,
        );
        expect(readFileSync(join(site, "csv", file ?? ""), "utf8").split("\r\n")[0]).toMatch(
          /,Engaged time \(s\)(,|$)/,
        );
      }
      const sources = readFileSync(join(site, "csv", "sources-sources.csv"), "utf8");
      expect(sources).toContain('"\'=HYPERLINK(""http://evil.example"",""x"")",5,1,0.2\r\n');
      expect(sources).toContain('"\'-2+3, ""quoted""",4,0,0\r\n');
      expect(sources).toContain('"\'@SUM(A1)\nsecond line",3,0,0\r\n');
      // The sessions no other site sent are "(none)", as in the referrers mart, not the page's words.
      for (const file of ["index-referrers.csv", "sources-referrers.csv"]) {
        const referrers = readFileSync(join(site, "csv", file), "utf8");
        expect(referrers, file).toMatch(/\r\n\(none\),\d/);
        expect(referrers, file).not.toContain("no referrer");
      }
      // The playground's tables: the file to download by its path in the site, as the page links it.
      const playground = readFileSync(join(site, "csv", "sql-tables.csv"), "utf8");
      expect(playground).toMatch(/\r\ndaily,"date DATE, [^"]*",data\/daily\.parquet\r\n/);
    } finally {
      warehouse.close();
    }
  });

  it("takes a table's CSV file away when the table is gone from the next render", async () => {
    const data = await sampleDataFolder();
    folders.push(data);
    await buildSite({ data, days: 28 });
    const csv = join(data, "site", "csv");
    const experiment = readdirSync(csv).find((name) => name.startsWith("experiments-"));
    expect(experiment).toBeDefined();
    const warehouse = await openWarehouse(data);
    await warehouse.run("DELETE FROM experiments");
    warehouse.close();
    await buildSite({ data, days: 28 });
    expect(existsSync(join(csv, experiment as string))).toBe(false);
    expect(existsSync(join(csv, "index-pages.csv"))).toBe(true);
  });
});
