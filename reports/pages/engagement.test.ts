import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openWarehouse } from "../../runner/warehouse.ts";
import { buildSite } from "../index.ts";
import { renderedSamplePage, sampleDataFolder } from "../sample-warehouse.ts";

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
      sql: `INSERT INTO stg_events
        SELECT md5('extra' || i)::UUID, 'page_view', 'extra' || i, NULL, TIMESTAMP '2026-11-19 10:00:00',
               TIMESTAMP '2026-11-19 10:00:01', 'example.com', '/extra/' || i, 'Title', NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, false, NULL, 'direct',
               NULL, NULL, NULL
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
    const data = await sampleDataFolder();
    try {
      await buildSite({ data, days: 7 });
      const page = readFileSync(join(data, "site", "pages.html"), "utf8");
      const warehouse = await openWarehouse(data);
      const [row] = await warehouse.all(
        "SELECT count(*) AS n FROM sessions WHERE started_at >= TIMESTAMP '2026-11-14'",
      );
      warehouse.close();
      const sessions = Number(row?.n);
      expect(page).toContain(
        `<caption>Time milestones: shares of the period&#x27;s ${sessions.toLocaleString("en-US")} sessions</caption>`,
      );
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
