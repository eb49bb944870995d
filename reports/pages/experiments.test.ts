import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSite } from "../index.ts";
import { renderedSamplePage, sampleDataFolder } from "../sample-warehouse.ts";

describe("experiments page", () => {
  it("shows each experiment's sample ratio check, which its verdict may refer to, and says what it is", async () => {
    const page = await renderedSamplePage("experiments.html", {
      sql: "UPDATE experiments SET srm_p_value = 0.0004 WHERE experiment = 'hero_image'",
    });
    const section = (name: string) =>
      page.match(new RegExp(`<h2[^>]*>${name}</h2>([\\s\\S]*?)</section>`))?.[1];
    expect(section("cta_copy")).toContain(
      "Sample ratio check (the split of visitors against the intended one): p-value 1.000.",
    );
    expect(section("hero_image")).toMatch(
      /no verdict: the visitors are not split as intended \(sample ratio p &lt; 0\.001\)/,
    );
    expect(section("hero_image")).toContain(
      "Sample ratio check (the split of visitors against the intended one): p-value &lt; 0.001.",
    );
    expect(page).toMatch(
      /the sample ratio check compares the number of visitors of each variant with the intended split \(an even one, unless the variable experiment_splits gives other weights\)/,
    );
  });

  it("shows each variant's visitors, the figures its sample ratio check tests, beside its sessions", async () => {
    const page = await renderedSamplePage("experiments.html", {
      sql: "UPDATE experiments SET visitors = 310, srm_p_value = 0.0004 WHERE experiment = 'hero_image' AND variant = 'photo'",
    });
    const table =
      page.match(/<caption>Variants of hero_image \(all data\)<\/caption>[\s\S]*?<\/table>/)?.[0] ?? "";
    const headers = [...table.matchAll(/<th scope="col"[^>]*>([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(headers.slice(0, 3)).toEqual(["Variant", "Visitors", "Sessions"]);
    const rows = [
      ...table.matchAll(/<tr><td>([^<]+)<\/td><td class="num">([^<]+)<\/td><td class="num">([^<]+)</g),
    ];
    expect(rows.map((r) => [r[1], r[2], r[3]])).toEqual([
      ["control", "350", "400"],
      ["photo", "310", "400"],
    ]);
  });

  it("lists the control first and names only it the control, also while a variant has no p-value either", async () => {
    // Early on nobody converted on variant a nor the control: a has no p-value against it.
    const page = await renderedSamplePage("experiments.html", {
      sql: `INSERT INTO experiments VALUES
              ('early', 'a', 55, 60, 0, 0.0, NULL, NULL, 0.2, 0.9, false),
              ('early', 'b', 58, 60, 6, 0.1, NULL, 0.01, 0.7, 0.9, false),
              ('early', 'control', 57, 60, 0, 0.0, 0.0, NULL, 0.1, 0.9, true)`,
    });
    const table =
      page.match(/<caption>Variants of early \(all data\)<\/caption>[\s\S]*?<\/table>/)?.[0] ?? "";
    const rows = [
      ...table.matchAll(/<tr><td>([^<]+)<\/td>(?:<td[^>]*>[^<]*<\/td>){4}<td class="num">([^<]*)<\/td>/g),
    ];
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      ["control", "control"],
      ["a", "–"],
      ["b", "–"],
    ]);
  });

  it("labels the chart's bars as the table reads their rates: a near-certain rate is not 100 %, a rare one not 0 %", async () => {
    const page = await renderedSamplePage("experiments.html", {
      sql: `ALTER TABLE experiments ALTER conversion_rate TYPE DOUBLE;
            INSERT INTO experiments VALUES
              ('rare', 'control', 3000, 3000, 1, 1 / 3000, 0.0, NULL, 0.5, 1.0, true),
              ('rare', 'wide', 2500, 2500, 2499, 2499 / 2500, 2.5, 0.0, 0.5, 1.0, false)`,
    });
    const section = page.match(/<h2[^>]*>rare<\/h2>([\s\S]*?)<\/section>/)?.[1] ?? "";
    const labels = [
      ...(section.match(/<svg[\s\S]*?<\/svg>/)?.[0] ?? "").matchAll(/<text[^>]*>([^<]+)<\/text>/g),
    ].map((m) => m[1]);
    // The bars' own labels come after the axis's ticks (0 % to 100 %).
    expect(labels.slice(-2)).toEqual(["&lt; 0.1 %", "&gt; 99.9 %"]);
  });

  it("shows an uplift too small for a tenth of a percent with its first digit, not as −0.0 %", async () => {
    const page = await renderedSamplePage("experiments.html", {
      // The sample's uplift is a DECIMAL(3,2); the mart's is a DOUBLE.
      sql: `ALTER TABLE experiments ALTER uplift TYPE DOUBLE;
            UPDATE experiments SET uplift = -0.0004, p_value = 0.97, prob_best = 0.2 WHERE experiment = 'cta_copy' AND NOT is_control`,
    });
    const section = page.match(/<h2[^>]*>cta_copy<\/h2>([\s\S]*?)<\/section>/)?.[1] ?? "";
    expect(section).toContain('<td class="num">−0.04 %</td>');
    expect(section).not.toContain("−0.0 %");
  });

  it("writes the control's uplift in the CSV file as the number the mart holds, so the column stays numbers", async () => {
    const data = await sampleDataFolder();
    try {
      await buildSite({ data, days: 28 });
      const csv = readFileSync(join(data, "site", "csv", "experiments-cta-copy.csv"), "utf8");
      const [header = "", ...rows] = csv
        .replace(/^\ufeff/, "")
        .split("\r\n")
        .slice(0, -1);
      const uplift = header.split(",").indexOf("Uplift");
      const fields = rows.map((row) => row.split(",")[uplift]);
      expect(fields[0]).toBe("0");
      for (const field of fields) expect(Number.isFinite(Number(field)), field).toBe(true);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
  it("shows the 25 experiments with the most exposed sessions, saying how many there are, where a page names thousands", async () => {
    // A page naming an experiment per product: 30 of one session each beside the two of the sample.
    const tiny = Array.from({ length: 30 }, (_, i) => `x${String(i + 1).padStart(2, "0")}`);
    const page = await renderedSamplePage("experiments.html", {
      sql: `INSERT INTO experiments VALUES ${tiny
        .map((name) => `('${name}', 'control', 1, 1, 0, 0.0, 0.0, NULL, 1.0, NULL, true)`)
        .join(", ")}`,
    });
    const headings = [...page.matchAll(/<h2 id="experiment-\d+">([^<]*)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual(["cta_copy", "hero_image", ...tiny.slice(0, 23)]);
    expect(page).toContain(
      "The 25 experiments with the most exposed sessions of 32 are shown. The SQL playground has every one (the experiments table).",
    );
  });
});
