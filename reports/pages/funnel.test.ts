import { describe, expect, it } from "vitest";
import { renderedSamplePage } from "../sample-warehouse.ts";

async function funnelRows(sql: string): Promise<string[][]> {
  const page = await renderedSamplePage("funnel.html", { sql });
  const body = page.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? "";
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<t[dh][^>]*>([^<]*)</g)].map((cell) => cell[1] ?? ""),
  );
}

describe("funnel page", () => {
  it("shows conversion and drop-off between steps", async () => {
    const rows = await funnelRows("");
    expect(rows[2]).toEqual(["3. cta_click", "360", "20.0 %", "1,440 (80.0 %)", "12.0 %"]);
  });

  it("shows no share of a step that no session reached", async () => {
    // Nobody clicked: the model writes 0 for the later steps' conversion from the step before.
    const rows = await funnelRows(`
      UPDATE funnel SET sessions = 0, conversion_from_previous = 0, conversion_from_start = 0 WHERE step >= 3`);
    expect(rows[2]).toEqual(["3. cta_click", "0", "0.0 %", "1,800 (100.0 %)", "0.0 %"]);
    expect(rows[3]).toEqual(["4. form_start", "0", "–", "–", "0.0 %"]);
    expect(rows[4]).toEqual(["5. form_submit", "0", "–", "–", "0.0 %"]);
  });

  it("draws no chart of zero bars when no session has entered the funnel yet", async () => {
    // The model writes every step with 0 sessions when there are none.
    const page = await renderedSamplePage("funnel.html", {
      sql: "UPDATE funnel SET sessions = 0, conversion_from_previous = CASE WHEN step = 1 THEN 1 ELSE 0 END, conversion_from_start = 0",
    });
    expect(page).toContain("Sessions reaching each funnel step (all data): no data yet.");
    expect(page).not.toMatch(/<svg/);
  });
});
