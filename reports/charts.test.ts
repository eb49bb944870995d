import { describe, expect, it } from "vitest";
import { barChart, heatmapChart, lineChart, shortDay, shortDays } from "./charts.ts";
import { lineageChart } from "./lineage-chart.ts";

describe("charts", () => {
  it("renders an inline SVG named for screen readers, with theme-following text", () => {
    const chart = lineChart(
      "Daily <visitors>",
      ["2026-11-01", "2026-11-02"],
      [{ name: "visitors", values: [3, 5] }],
    );
    expect(chart.svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 720 320"[^>]* role="img" aria-label="Daily &#60;visitors&#62;"/,
    );
    expect(chart.svg).toContain("<title>Daily &#60;visitors&#62;</title>");
    expect(chart.svg).toContain('fill="currentColor"');
    expect(chart.svg).not.toMatch(/ style="|<style|ecmeta_/);
    expect(chart.svg).toContain(">Nov 1<");
  });

  it("writes a bar's value in the page's text colour: the bar's blue is too faint on the dark page for small text", () => {
    const chart = barChart("Rates", ["b", "control"], [{ name: "rate", values: [17.4, 9.6] }], {
      horizontal: true,
      percent: true,
    });
    expect(chart.svg).toMatch(/<text [^>]*fill="currentColor"[^>]*>17\.4 %<\/text>/);
  });

  it("shortens a long label in its middle: two long paths that start alike keep the ends that tell them apart", () => {
    const chart = barChart(
      "Pages",
      ["/blog/2026/own-your-analytics-with-duckdb", "/blog/2026/own-your-analytics-on-aws-lambda", "/"],
      [{ name: "views", values: [5, 3, 1] }],
      { horizontal: true },
    );
    const labels = [...chart.svg.matchAll(/<text [^>]*>([^<]*…[^<]*)<\/text>/g)].map((m) => m[1] ?? "");
    expect(labels).toHaveLength(2);
    expect(new Set(labels).size).toBe(2);
    expect(labels.every((label) => label.length <= 28 && label.startsWith("/blog/2026/"))).toBe(true);
    expect(labels[0]).toMatch(/with-duckdb$/);
    expect(labels[1]).toMatch(/on-aws-lambda$/);
  });

  it("writes a label's line breaks as spaces: a CTA value written over two lines keeps one line", () => {
    const chart = barChart(
      "CTAs",
      ["Book\na call", "Start\r\n   your  trial", "plain"],
      [{ name: "sessions", values: [5, 3, 1] }],
      { horizontal: true },
    );
    const labels = [...chart.svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? "");
    expect(labels).toEqual(expect.arrayContaining(["Book a call", "Start your trial", "plain"]));
    expect(labels).not.toContain("Book");
  });

  it("escapes category labels and gives every chart its own ids", () => {
    const a = barChart("A", ["<b>&"], [{ name: "n", values: [1] }]);
    const b = barChart("B", ["x"], [{ name: "n", values: [1] }]);
    expect(a.svg).toContain("&lt;b&gt;&amp;");
    const ids = (svg: string) => [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids(a.svg).filter((id) => ids(b.svg).includes(id))).toEqual([]);
  });

  it("keeps a label that looks like ECharts' own ids as it is: a page /corvette-zr1-review is not renamed", () => {
    const chart = barChart(
      "Pages",
      ["/corvette-zr1-review", "/zr12-parts"],
      [{ name: "views", values: [2, 1] }],
      {
        horizontal: true,
      },
    );
    expect(chart.svg).toContain(">/corvette-zr1-review</text>");
    expect(chart.svg).toContain(">/zr12-parts</text>");
    expect(chart.svg).not.toMatch(/(id|href)="#?zr\d/);
  });

  it("draws the lineage with a node per model", () => {
    const chart = lineageChart(
      "Lineage",
      [
        { name: "stg", layer: 0 },
        { name: "daily", layer: 1, status: "success" },
      ],
      [["stg", "daily"]],
    );
    expect(chart.svg).toContain(">stg<");
    expect(chart.svg).toContain(">✓ daily<");
  });

  it("tells a failed model from a built one without colour: a mark in its box and a dashed outline", () => {
    const chart = lineageOfEveryOutcome();
    expect(chart.svg).toContain(">source: events<");
    expect(chart.svg).toContain(">✓ stg_events<");
    expect(chart.svg).toContain(">✗ daily<");
    expect(chart.svg).toContain(">✗ cohorts<");
    // The two red boxes, the failed and the skipped model, and no other.
    expect(chart.svg.match(/<path [^>]*stroke-dasharray/g)).toHaveLength(2);
  });

  it("writes each lineage box's white name at 4.5:1 or more against the box, as small text needs", () => {
    const chart = lineageOfEveryOutcome();
    const fills = [...chart.svg.matchAll(/<path [^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1] ?? "");
    expect(fills).toHaveLength(4);
    for (const fill of fills) expect(contrastWithWhite(fill), fill).toBeGreaterThanOrEqual(4.5);
  });

  it("labels pale heatmap cells in dark text and dark cells in white, so each figure is legible", () => {
    const chart = heatmapChart(
      "Retention",
      ["2026-11-02"],
      ["w0", "w1", "w2"],
      [
        [0, 0, 1],
        [1, 0, 0.12],
        [2, 0, 0],
      ],
    );
    const label = (text: string) =>
      chart.svg.match(new RegExp(`<text[^>]* fill="([^"]+)"[^>]*>${text}</text>`))?.[1];
    expect([label("100"), label("12"), label("0")]).toEqual(["#fff", "#1d2330", "#1d2330"]);
  });

  it("labels heatmap cells as the cohort table reads: a few returning visitors are <0.1, not 0", () => {
    const chart = heatmapChart(
      "Retention",
      ["2026-11-02"],
      ["w0", "w1", "w2", "w3"],
      [
        [0, 0, 1],
        [1, 0, 0.0004],
        [2, 0, 0.235],
        [3, 0, 0.9996],
      ],
    );
    const labels = [...chart.svg.matchAll(/<text[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(expect.arrayContaining(["100", "&lt;0.1", "23.5", "&gt;99.9"]));
    expect(labels).not.toContain("0");
  });

  it("shortens days for the axis", () => {
    expect(shortDay("2026-02-09")).toBe("Feb 9");
  });

  it("gives days the year when they span two, where Jan 3 alone would not say which January", () => {
    expect(shortDays(["2026-02-09", "2026-02-10"])).toEqual(["Feb 9", "Feb 10"]);
    expect(shortDays(["2025-12-31", "2026-01-01"])).toEqual(["Dec 31 2025", "Jan 1 2026"]);
    const svg = lineChart("Daily", ["2025-12-31", "2026-01-01"], [{ name: "visitors", values: [1, 2] }]).svg;
    expect(svg).toContain("Jan 1 2026");
  });

  it("draws a dot for a day with no recorded day beside it, which has no line: a site's first day is not blank", () => {
    // An empty circle, as ECharts draws a line's symbol; the legend draws one per series too.
    const circles = (svg: string) => (svg.match(/A[\d.]+ [\d.]+ 0 1 1 /g) ?? []).length;
    const daily = (days: string[], values: (number | null)[]) =>
      lineChart("Daily", days, [{ name: "visitors", values }], "per day", true).svg;
    expect(circles(daily(["2026-11-27"], [29]))).toBe(2);
    expect(circles(daily(["2026-11-25", "2026-11-26", "2026-11-27"], [null, null, 29]))).toBe(2);
    expect(circles(daily(["2026-11-25", "2026-11-26", "2026-11-27"], [30, 32, 4]))).toBe(1);
  });

  it("dashes the line into a last day that is only partly counted, keeping one legend entry per series", () => {
    const days = ["2026-11-01", "2026-11-02", "2026-11-03"];
    const series = [
      { name: "visitors", values: [30, 32, 4] },
      { name: "sessions", values: [40, 41, 5] },
    ];
    const legendEntries = (svg: string) => [...svg.matchAll(/>(visitors|sessions)</g)].length;
    const partial = lineChart("Daily", days, series, "per day", true).svg;
    expect(partial.match(/stroke-dasharray=/g)).toHaveLength(2);
    expect(legendEntries(partial)).toBe(2);
    const whole = lineChart("Daily", days, series, "per day").svg;
    expect(whole).not.toContain("stroke-dasharray=");
    expect(legendEntries(whole)).toBe(2);
  });

  it("draws the bars of a last category that is only partly counted paler, leaving the legend as it is", () => {
    const series = [
      { name: "search", values: [3, 4, 1] },
      { name: "social", values: [2, 2, 1] },
    ];
    const bars = (svg: string) => svg.match(/<path d="M[^"]*Z" fill="#[0-9a-f]{6}"[^>]*>/g) ?? [];
    const partial = bars(
      barChart("Daily", ["a", "b", "c"], series, { stacked: true, lastPartial: true }).svg,
    );
    expect(partial.filter((bar) => bar.includes('fill-opacity="0.45"'))).toHaveLength(2);
    const whole = bars(barChart("Daily", ["a", "b", "c"], series, { stacked: true }).svg);
    expect(whole.filter((bar) => bar.includes("fill-opacity"))).toHaveLength(0);
    expect(partial.length).toBe(whole.length);
  });
});

/** WCAG's contrast ratio of white text on a #rrggbb colour. */
function contrastWithWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  return 1.05 / (luminance + 0.05);
}

/** A source, a built model, a failed one and one skipped after it. */
function lineageOfEveryOutcome() {
  return lineageChart(
    "Lineage",
    [
      { name: "source: events", layer: 0 },
      { name: "stg_events", layer: 1, status: "success" },
      { name: "daily", layer: 2, status: "error" },
      { name: "cohorts", layer: 2, status: "skipped" },
    ],
    [
      ["source: events", "stg_events"],
      ["stg_events", "daily"],
      ["stg_events", "cohorts"],
    ],
  );
}
