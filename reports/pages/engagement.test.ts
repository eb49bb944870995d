import { describe, expect, it } from "vitest";
import { renderedSamplePage } from "../sample-warehouse.ts";

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
});
