// The SQL playground of the reports built from `ownstats demo` data, in Chromium: the example
// queries, values as DuckDB writes them, errors that name what is wrong, CSV download, and what a
// keyboard or screen-reader user meets.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { chromiumOrWarn, launchChromium } from "./chromium.ts";
import { builtDemoSite, openPlayground, runInPlayground, withServedSite } from "./reports-kit.ts";

const { site } = builtDemoSite();

const executable = chromiumOrWarn("SQL playground in Chromium");
const served = (use: Parameters<typeof withServedSite>[2]) => withServedSite(site, executable as string, use);
/** Runs `use` on the playground, served over HTTP and ready to run a query. */
const withPlayground = (use: (page: import("playwright-core").Page) => Promise<void>) =>
  served(async (browser, server) => use(await openPlayground(await browser.newPage(), server.url)));

describe.runIf(executable)("SQL playground in Chromium", () => {
  const artifacts = join("test-results", "reports");

  it("runs the SQL playground's example query over HTTP and shows rows", async () => {
    await served(async (browser, server) => {
      const context = await browser.newContext();
      const requested: string[] = [];
      context.on("request", (request) => void requested.push(request.url()));
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (e) => errors.push(e.message));
      await openPlayground(page, server.url);
      await page.click("#sql-run");
      await page.waitForSelector("#sql-result tbody tr", { timeout: 30_000 });
      const headers = await page.$$eval("#sql-result th", (ths) => ths.map((th) => th.textContent));
      expect(headers).toEqual(["source", "sessions", "conversions", "conversion_rate"]);
      const rows = await page.$$eval("#sql-result tbody tr", (trs) => trs.map((tr) => tr.textContent ?? ""));
      expect(rows.length).toBeGreaterThan(1);
      expect(rows.join(" ")).toContain("(direct)");
      await page.screenshot({ path: join(artifacts, "sql-playground-result.png"), fullPage: true });
      expect(errors).toEqual([]);
      expect(server.requests.filter((path) => path.startsWith("/duckdb/")).length).toBeGreaterThan(0);
      // The page, its engine and the worker ask nothing of any other host.
      expect(
        requested.filter((url) => !url.startsWith(`${server.url}/`) && !url.startsWith("blob:")),
      ).toEqual([]);
    });
  });

  it("runs every example query of the SQL playground to rows", async () => {
    await withPlayground(async (page) => {
      const examples = await page.$$eval("#sql-example option", (options) =>
        options.map((o) => o.getAttribute("value") ?? ""),
      );
      expect(examples.length).toBeGreaterThan(1);
      const outcomes: string[] = [];
      for (const example of examples) {
        await page.selectOption("#sql-example", example);
        await page.click("#sql-run");
        await page.waitForSelector("#sql-run:not([disabled])");
        const rows = await page.$$eval("#sql-result tbody tr", (trs) => trs.length);
        outcomes.push(
          `${example}: ${await page.textContent("#sql-status")} ${rows > 0 ? "rows" : "no rows"}`,
        );
      }
      expect(outcomes).toEqual(
        examples.map((e) => expect.stringMatching(new RegExp(`^${e}: Done in \\d+ ms: \\d+ rows?\\. rows$`))),
      );
    });
  });

  it("lets Ctrl+Z bring back a query that picking an example replaced, with the keyboard on the list", async () => {
    await withPlayground(async (page) => {
      await page.fill("#sql-text", "SELECT 'my own query'");
      await page.focus("#sql-example");
      await page.keyboard.press("ArrowDown");
      expect(await page.inputValue("#sql-text")).toMatch(/^SELECT "date", visitors/);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("sql-example");
      await page.focus("#sql-text");
      await page.keyboard.press("Control+Z");
      expect(await page.inputValue("#sql-text")).toBe("SELECT 'my own query'");
    });
  });

  it("keeps the playground's query through a reload of the page", async () => {
    await withPlayground(async (page) => {
      await page.fill("#sql-text", "SELECT 'kept' AS query");
      await page.reload();
      await page.waitForSelector("#sql-run:not([disabled])", { timeout: 60_000 });
      expect(await page.inputValue("#sql-text")).toBe("SELECT 'kept' AS query");
      expect((await runInPlayground(page, await page.inputValue("#sql-text"))).rows).toEqual([["kept"]]);
    });
  });

  it("shows each playground column's own values, numbers, dates and times as DuckDB writes them", async () => {
    await withPlayground(async (page) => {
      const result = await runInPlayground(
        page,
        `SELECT sum(x) AS total, -1.5::DECIMAL(10, 2) AS price, 123456789012345678.12::DECIMAL(38, 2) AS wide,
                DATE '2026-01-01' AS day, TIMESTAMP '2026-01-01 10:00:00.123456' AS at,
                TIMESTAMPTZ '2026-01-01 10:00:00+02' AS zoned, TIME '10:00:01.5' AS clock, 'x\\xAA'::BLOB AS bytes
         FROM (VALUES (40), (2)) t(x)`,
      );
      expect(result.headers).toEqual(["total", "price", "wide", "day", "at", "zoned", "clock", "bytes"]);
      expect(result.rows).toEqual([
        [
          "42",
          "-1.50",
          "123456789012345678.12",
          "2026-01-01",
          "2026-01-01 10:00:00.123456",
          "2026-01-01 08:00:00+00",
          "10:00:01.5",
          "x\\xAA",
        ],
      ]);
      // Subtracting timestamps gives an INTERVAL.
      const spans = await runInPlayground(
        page,
        "SELECT TIMESTAMP '2026-01-03 12:00:00' - TIMESTAMP '2026-01-01 09:30:00' AS span, INTERVAL '14 months 1 day 3 seconds' AS long, INTERVAL '-90 minutes' AS back",
      );
      expect(spans.rows).toEqual([["2 days 02:30:00", "1 year 2 months 1 day 00:00:03", "-01:30:00"]]);
      // Two columns of one name (a join's two ids, say) each keep their own values.
      const twins = await runInPlayground(page, "SELECT 1 AS step, 2 AS step");
      expect(twins).toEqual({ headers: ["step", "step"], rows: [["1", "2"]] });
      const hours = await runInPlayground(page, "SELECT hour FROM anomalies ORDER BY hour LIMIT 1");
      expect(hours.rows[0]?.[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:00:00$/);
    });
  });

  it("announces a playground result by its row count, without reading the whole table aloud", async () => {
    await withPlayground(async (page) => {
      await runInPlayground(page, "SELECT n, 'page ' || n AS page FROM range(600) t(n)");
      expect(await page.textContent("#sql-status")).toMatch(/^Done in \d+ ms: 600 rows, first 500 shown\.$/);
      // The status is the live region; a cell inside one would have a screen reader read 500 rows.
      const announced = await page.$$eval("#sql-status, #sql-result td", (elements) =>
        elements.map((e) => Boolean(e.closest("[aria-live], [role=status], [role=alert], [role=log]"))),
      );
      expect(announced[0]).toBe(true);
      expect(announced.slice(1).filter(Boolean)).toEqual([]);
    });
  });

  it("says the playground's SQL box is empty instead of showing an empty result", async () => {
    await withPlayground(async (page) => {
      await runInPlayground(page, "SELECT 1 AS one");
      await page.fill("#sql-text", "  \n ");
      await page.click("#sql-run");
      await expect
        .poll(() => page.textContent("#sql-status"))
        .toBe("Nothing to run: the SQL box is empty. Write a query or pick an example.");
      expect(await page.$$eval("#sql-result > *", (children) => children.length)).toBe(0);
    });
  });

  it("shows a failed playground query's error with its ^ under the word it points at", async () => {
    await withPlayground(async (page) => {
      await page.fill("#sql-text", "SELECT * FROM nope");
      await page.click("#sql-run");
      await page.waitForSelector("#sql-run:not([disabled])");
      const status = (await page.textContent("#sql-status")) ?? "";
      expect(status).toMatch(/^Query failed: Catalog Error: Table with name nope does not exist!/);
      const [caret, word] = await page.evaluate(() => {
        const node = document.getElementById("sql-status")?.firstChild as Text;
        const left = (at: number) => {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + 1);
          return Math.round(range.getBoundingClientRect().left);
        };
        const text = node.data;
        return [left(text.lastIndexOf("^")), left(text.lastIndexOf("nope"))];
      });
      expect(caret).toBe(word);
    });
  });

  it("says a playground result too large for the browser's memory is, and how to make it fit", async () => {
    await withPlayground(async (page) => {
      await page.fill("#sql-text", "SELECT repeat('x', 100000) AS s FROM range(100000)");
      await page.click("#sql-run");
      await page.waitForSelector("#sql-run:not([disabled])", { timeout: 60_000 });
      expect(await page.textContent("#sql-status")).toMatch(
        /^Query failed: the result does not fit in the browser's memory \(malloc of size \d+ failed\)\. Add a LIMIT, select fewer or shorter columns, or aggregate\.$/,
      );
      // The engine stays usable.
      expect((await runInPlayground(page, "SELECT 1 AS one")).rows).toEqual([["1"]]);
    });
  });

  it("stops a long playground query from the keyboard, and runs the next one", async () => {
    await withPlayground(async (page) => {
      await page.fill("#sql-text", "SELECT count(*) FROM range(1000000) a, range(1000000) b");
      await page.focus("#sql-run");
      await page.keyboard.press("Enter");
      await expect.poll(() => page.textContent("#sql-status")).toBe("Running…");
      // The keyboard's focus moved from the disabled Run to Stop.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("sql-stop");
      await page.keyboard.press("Enter");
      await page.waitForSelector("#sql-run:not([disabled])", { timeout: 60_000 });
      expect(await page.textContent("#sql-status")).toMatch(
        /^Stopped after [\d.]+ s; the engine restarted\. Ready: daily, sources,/,
      );
      expect(await page.isHidden("#sql-stop")).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("sql-run");
      expect((await runInPlayground(page, "SELECT count(*) AS n FROM sources")).rows[0]?.[0]).toMatch(
        /^\d+$/,
      );
    });
  });

  it("downloads a playground result as CSV: every row, quoted as RFC 4180, with a byte order mark, visitors' text never a formula", async () => {
    await withPlayground(async (page) => {
      const result = await runInPlayground(
        page,
        `SELECT n, CASE n WHEN 0 THEN 'a, "quoted"' || chr(10) || 'line' WHEN 1 THEN '=HYPERLINK("x")'
                WHEN 2 THEN NULL ELSE '/pricing' END AS page, -1.5::DECIMAL(10, 2) AS price
         FROM range(600) t(n)`,
      );
      expect(result.rows).toHaveLength(500);
      expect(await page.textContent("#sql-download")).toBe("Download CSV (600 rows)");
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#sql-download")]);
      expect(download.suggestedFilename()).toBe("ownstats-query.csv");
      const text = await readFile(await download.path(), "utf8");
      // A byte order mark, as the report pages' CSV files have: a spreadsheet opened by double-click
      // reads the UTF-8 of paths and campaigns right.
      expect(text.startsWith("\ufeffn,page,price\r\n")).toBe(true);
      const lines = text.slice(1).split("\r\n");
      expect(lines.slice(0, 5)).toEqual([
        "n,page,price",
        '0,"a, ""quoted""\nline",-1.50',
        `1,"'=HYPERLINK(""x"")",-1.50`,
        "2,,-1.50",
        "3,/pricing,-1.50",
      ]);
      // 600 rows, the header and the empty string after the last line break.
      expect(lines).toHaveLength(602);
      expect(lines.at(-2)).toBe("599,/pricing,-1.50");
    });
  });

  it("says the SQL page needs HTTP when opened from disk, without a console error", async () => {
    const browser = await launchChromium(executable as string);
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      await page.goto(pathToFileURL(join(site, "sql.html")).href);
      await expect.poll(() => page.textContent("#sql-status")).toMatch(/needs the site served over HTTP/);
      expect(await page.isDisabled("#sql-run")).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
