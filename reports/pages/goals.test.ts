import { describe, expect, it } from "vitest";
import { tableCsv } from "../csv.ts";
import type { Table } from "../page.ts";
import { renderedSamplePage } from "../sample-warehouse.ts";
import { goals } from "./goals.ts";

/** The rows of the table with this caption, as lists of cell texts. */
function tableRows(page: string, caption: RegExp): string[][] {
  const tables = [...page.matchAll(/<table>\s*<caption>([^<]*)<\/caption>[\s\S]*?<\/table>/g)];
  const found = tables.find((t) => caption.test(t[1] ?? ""))?.[0];
  if (!found) throw new Error(`no table captioned ${caption}`);
  return [...found.matchAll(/<tr>(<td[\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((cell) => cell[1] ?? ""),
  );
}

describe("goals page", () => {
  it("shows CTA clicks by CTA, forms started and submitted, and custom events with their values", async () => {
    const page = await renderedSamplePage("goals.html", { days: 7 });
    expect(page).toContain('<th scope="col" class="num">Events</th>');
    const clicks = tableRows(page, /^CTA clicks/);
    expect(clicks.map((r) => r[0]).sort()).toEqual(["book_call", "get_started"]);
    const [form] = tableRows(page, /^Forms/);
    expect(form?.[0]).toBe("contact");
    // About as many sessions only started it as started and submitted it: about half completed.
    const [started, submitted] = [Number(form?.[1]?.replace(/,/g, "")), Number(form?.[2]?.replace(/,/g, ""))];
    expect(submitted).toBeGreaterThan(0);
    expect(started).toBeGreaterThan(submitted);
    expect(form?.[3]).toBe(`${((100 * submitted) / started).toFixed(1)} %`);
    expect(tableRows(page, /^Custom events by name/).map((r) => r[0])).toEqual(["plan_toggle"]);
    const values = tableRows(page, /^Custom events&#x27; top/).map((r) => r.slice(0, 3).join(" "));
    expect(values).toEqual(
      expect.arrayContaining([
        "plan_toggle seats 3",
        "plan_toggle trial true",
        "plan_toggle billing monthly",
      ]),
    );
    expect(page).toMatch(/<svg[^>]*aria-label="Sessions clicking each CTA \(period\)"/);
  });

  it("shows property names that look like JSON paths, and visitors' values as text, not markup", async () => {
    const page = await renderedSamplePage("goals.html", {
      days: 7,
      sql: `UPDATE stg_events SET props = '{"$[": "<img src=x onerror=alert(1)>", "/plan": "b"}'
            WHERE event_type = 'custom'`,
    });
    const values = tableRows(page, /^Custom events&#x27; top/).map((r) => r.slice(0, 3).join(" "));
    expect(values).toEqual([
      "plan_toggle $[ &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;",
      "plan_toggle /plan b",
    ]);
    expect(page).not.toContain("<img");
  });

  it("writes shares of sessions and completions to the CSV files as numbers from 0 to 1", async () => {
    const view = (await goals.view(
      {
        period_sessions: [{ sessions: 8 }],
        goals: [
          { event_type: "cta_click", goal: "book_call", events: 3, sessions: 2, visitors: 1, total: 1 },
        ],
        forms: [{ form: "contact", started: 4, submitted: 1, completed: 1, total: 1 }],
        props: [],
      },
      {} as never,
    )) as Record<string, Table>;
    expect(tableCsv(view.clicksTable as Table).split("\r\n")[1]).toBe("book_call,3,2,1,0.25");
    expect(tableCsv(view.formsTable as Table).split("\r\n")[1]).toBe("contact,4,1,0.25");
  });

  it("says there is no data in the period when no goal event falls in it", async () => {
    const page = await renderedSamplePage("goals.html", {
      sql: "DELETE FROM stg_events WHERE event_type IN ('cta_click', 'form_start', 'form_submit', 'custom')",
    });
    expect(tableRows(page, /^CTA clicks/)).toEqual([["No data in this period."]]);
    expect(tableRows(page, /^Forms/)).toEqual([["No data in this period."]]);
    expect(page).toContain("no data in this period");
  });
});
