import { describe, expect, it } from "vitest";
import { renderedSamplePage } from "../sample-warehouse.ts";

describe("sources page", () => {
  it("reads a source's conversion rate from its counts: one conversion in 3,000 sessions is not 0.0 %", async () => {
    // The mart rounds conversion_rate to one decimal (the article's query), so it holds 0.0 here.
    const page = await renderedSamplePage("sources.html", {
      sql: "INSERT INTO sources VALUES ('rare', 3000, 1, round(100.0 * 1 / 3000, 1)), ('half', 8, 4, 50.0)",
    });
    const row = (source: string) =>
      [
        ...(page.match(new RegExp(`<tr><td[^>]*>${source}</td>(.*?)</tr>`))?.[1] ?? "").matchAll(
          />([^<]+)</g,
        ),
      ].map((m) => m[1]);
    expect(row("rare")).toEqual(["3,000", "1", "&lt; 0.1 %"]);
    expect(row("half")).toEqual(["8", "4", "50.0 %"]);
  });

  it("lists the sources with the most sessions first, not a one-session source converting at 100 %", async () => {
    const page = await renderedSamplePage("sources.html", {
      sql: "INSERT INTO sources VALUES ('lucky', 1, 1, 100.0), ('big', 2000, 80, 4.0)",
    });
    const section = page.match(/<h2 id="sources-h">[\s\S]*?<\/table>/)?.[0] ?? "";
    expect(section).toContain(
      "<caption>Sessions and conversions by source, most sessions first (all data)</caption>",
    );
    const sources = [...section.matchAll(/<tr><td>([^<]+)<\/td><td class="num">([^<]+)</g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(sources[0]).toEqual(["big", "2,000"]);
    expect(sources.at(-1)).toEqual(["lucky", "1"]);
    const sessions = sources.map(([, n]) => Number(n?.replaceAll(",", "")));
    expect(sessions).toEqual([...sessions].sort((a, b) => b - a));
  });

  it("lists the referring sites that sent the most visitors, hosts escaped, and says how many sites it shows", async () => {
    // "(none)" has the most visitors of all; the sample's 40 sites and this one are the sites.
    const page = await renderedSamplePage("sources.html", {
      sql: `INSERT INTO referrers VALUES ('<img src=x onerror=alert(1)>.example', 9000, 9100, 91, 1.0, 0.25, 75.0);
            UPDATE referrers SET visitors = 20000 WHERE referrer = '(none)'`,
    });
    const section = page.match(/<h2 id="referrers-h">[\s\S]*?<\/table>/)?.[0] ?? "";
    expect(section).toContain(
      "<caption>The 25 referring sites that sent the most visitors, of 41 (all data)</caption>",
    );
    expect(section).not.toContain("<img");
    const first = section.match(/<tbody>\s*<tr>(.*?)<\/tr>/)?.[1] ?? "";
    expect([...first.matchAll(/>([^<]+)</g)].map((m) => m[1])).toEqual([
      "&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;.example",
      "9,000",
      "9,100",
      "1.0 %",
      "25.0 %",
      "1 min 15 s",
    ]);
    // 25 sites, then "(none)" last, saying what it is.
    const body = section.match(/<tbody>[\s\S]*?<\/tbody>/)?.[0] ?? "";
    expect(body.match(/<tr>/g)).toHaveLength(26);
    expect(body.match(/<tr><td>([^<]+)<\/td><td class="num">20,000</g)?.length).toBe(1);
    expect([...body.matchAll(/<tr><td>([^<]+)</g)].at(-1)?.[1]).toBe("(none): no referrer from another site");
  });

  it("says a site without conversions has none to credit, not that it has no data", async () => {
    const page = await renderedSamplePage("sources.html", { sql: "DELETE FROM attribution" });
    expect(page).toContain(
      "Conversions credited to each channel, by attribution model (all data): no conversions yet.",
    );
    expect(page).not.toMatch(/no data yet/);
  });

  it("keeps a channel's colour when other channels are absent from the period", async () => {
    const legendColour = (page: string, channel: string) => {
      const chart =
        page.match(/<svg\b[^>]*aria-label="Sessions per day by channel"[\s\S]*?<\/svg>/)?.[0] ?? "";
      return chart.match(new RegExp(`fill="(#[0-9a-f]{6})"></path>\\s*<text[^>]*>${channel}</text>`))?.[1];
    };
    const all = await renderedSamplePage("sources.html");
    const withoutEmail = await renderedSamplePage("sources.html", {
      sql: "DELETE FROM sessions WHERE channel = 'email'",
    });
    expect(legendColour(all, "search")).toMatch(/^#/);
    expect(legendColour(withoutEmail, "search")).toBe(legendColour(all, "search"));
    expect(legendColour(withoutEmail, "social")).toBe(legendColour(all, "social"));
  });
  it("gives the channels chart's figures as a table too, for a reader who cannot see the chart", async () => {
    const page = await renderedSamplePage("sources.html");
    const figures = page.match(/<caption>Sessions per day by channel<\/caption>[\s\S]*?<\/table>/)?.[0] ?? "";
    const headers = [...figures.matchAll(/<th scope="col"[^>]*>([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(headers[0]).toBe("Day");
    expect(headers).toContain("search");
    const lastDay = figures.match(
      /<tr><td class="time">2026-11-20<\/td>((?:<td class="num">[\d,]+<\/td>)+)<\/tr>/,
    );
    expect(lastDay?.[1]?.match(/<td/g)).toHaveLength(headers.length - 1);
  });
});
