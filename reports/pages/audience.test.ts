import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWarehouse } from "../../runner/warehouse.ts";
import { formatShare } from "../format.ts";
import { buildSite } from "../index.ts";
import { renderedSamplePage, sampleDataFolder } from "../sample-warehouse.ts";
import { tableRows } from "../table-rows.ts";

describe("audience page", () => {
  let data: string;
  let page: string;
  // The 28-day period of the sample ends on 2026-11-20: its sessions started from 2026-10-24 on.
  const oracle = async (column: string) => {
    const warehouse = await openWarehouse(data);
    try {
      return await warehouse.all(`
        SELECT coalesce(${column}, '(unknown)') AS value, count(DISTINCT coalesce(visitor_id, session_id)) AS visitors,
               count(*) AS sessions, count(*) FILTER (WHERE converted) AS conversions,
               count(*) FILTER (WHERE is_bounce) AS bounces
        FROM sessions WHERE started_at >= TIMESTAMP '2026-10-24' AND started_at < TIMESTAMP '2026-11-21'
        GROUP BY 1 ORDER BY sessions DESC, value`);
    } finally {
      warehouse.close();
    }
  };

  beforeAll(async () => {
    data = await sampleDataFolder();
    await buildSite({ data, days: 28 });
    page = readFileSync(join(data, "site", "audience.html"), "utf8");
  });
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  it.each([
    ["Sessions by device", "device_type"],
    ["Sessions by browser", "browser"],
    ["Sessions by operating system", "os"],
  ])("counts %s for the sessions that started in the period", async (caption, column) => {
    const expected = (await oracle(column)).map((r) => [
      String(r.value),
      Number(r.visitors).toLocaleString("en-US"),
      Number(r.sessions).toLocaleString("en-US"),
      formatShare(Number(r.conversions) / Number(r.sessions)),
      formatShare(Number(r.bounces) / Number(r.sessions)),
    ]);
    expect(expected.length).toBeGreaterThan(1);
    expect(tableRows(page, caption)).toEqual(expected);
  });

  it("names each country, keeps its code, and lists the sessions without one as (unknown)", async () => {
    const rows = tableRows(page, "Sessions by country");
    const expected = await oracle("country");
    expect(rows.map((r) => r[2])).toEqual(expected.map((r) => Number(r.sessions).toLocaleString("en-US")));
    expect(rows.map((r) => r[0]).sort()).toEqual([
      "(unknown)",
      "France (FR)",
      "Germany (DE)",
      "United States (US)",
    ]);
    const csv = readFileSync(join(data, "site", "csv", "audience-countries.csv"), "utf8");
    // A BOM first, so that spreadsheets read UTF-8.
    expect(csv.replace(/^\uFEFF/, "").split(/\r?\n/)[0]).toBe(
      "Country,Visitors,Sessions,Conversion rate,Bounce rate",
    );
    expect(csv).toMatch(/^DE,/m);
    expect(page).toMatch(/<svg[^>]*aria-label="Sessions by device/);
  });

  it("lists the sites only where the period's sessions were on more than one", async () => {
    expect(page).not.toContain('id="sites-h"');
    const two = await renderedSamplePage("audience.html", {
      sql: "UPDATE sessions SET site = 'blog.example.com' WHERE hash(session_id) % 4 = 0",
    });
    const rows = tableRows(two, "Sessions by site");
    expect(rows.map((r) => r[0])).toEqual(["example.com", "blog.example.com"]);
    const sessions = rows.map((r) => Number(r[2]?.replaceAll(",", "")));
    const inPeriod = (await oracle("device_type")).reduce((n, r) => n + Number(r.sessions), 0);
    expect((sessions[0] ?? 0) + (sessions[1] ?? 0)).toBe(inPeriod);
    expect(sessions[1]).toBeGreaterThan(0);
  });

  it("says how many countries it leaves out, and shows none for an empty period", async () => {
    // 28 countries in the period's sessions.
    const countries = ["AT", "BE", "BR", "CA", "CH", "CN", "CZ", "DK", "ES", "FI", "GB", "GR", "HU", "IE"];
    countries.push("IN", "IT", "JP", "KR", "MX", "NL", "NO", "NZ", "PL", "PT", "SE", "US", "DE", "FR");
    const many = await renderedSamplePage("audience.html", {
      sql: `UPDATE sessions SET country = (['${countries.join("', '")}'])[1 + (hash(session_id) % 28)::INTEGER]`,
    });
    expect(many).toContain("<caption>The 25 countries with the most sessions in the period, of 28</caption>");
    const empty = await renderedSamplePage("audience.html", { sql: "DELETE FROM sessions" });
    expect(tableRows(empty, "Sessions by device")).toEqual([["No data in this period."]]);
    expect(empty).toContain("Sessions by device: no data in this period.");
  });
});
