import { describe, expect, it } from "vitest";
import { renderedSamplePage } from "../sample-warehouse.ts";

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
      /the sample ratio check compares the number of visitors of each variant with the intended split, even unless the variable experiment_splits gives other weights/,
    );
  });
});
