// The demo website and the /live page are what a first-time user sees: valid, accessible HTML.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HtmlValidate } from "html-validate";
import { describe, expect, it } from "vitest";
import { demoSiteFolder } from "./dev-static.ts";
import { livePage } from "./live-page.ts";

const validator = new HtmlValidate({ extends: ["html-validate:recommended"] });
const pages = ["index.html", "pricing.html", "blog/own-your-analytics.html"];

describe("demo site", () => {
  it.each(pages)("%s is valid HTML that loads the tracker", async (page) => {
    const html = readFileSync(join(demoSiteFolder, page), "utf8");
    const report = await validator.validateString(html, page);
    expect(
      report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.message}`)),
    ).toEqual([]);
    expect(html).toContain('<script defer src="/analytics.js"></script>');
  });

  it("has the pricing page's Book a call CTA, the form, and the cta_copy experiment", () => {
    const html = readFileSync(join(demoSiteFolder, "pricing.html"), "utf8");
    expect(html).toMatch(/data-cta="book_call">Book a call</);
    expect(html).toContain('<form id="book_call_form"');
    expect(html).toContain('ownstats.variant("cta_copy", ctaVariant)');
  });

  it("has a /live page that is valid HTML", async () => {
    const report = await validator.validateString(livePage("Europe/Berlin"), "live.html");
    expect(report.valid).toBe(true);
  });
});
