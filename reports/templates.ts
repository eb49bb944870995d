// Handlebars for the report pages: its own instance, separate from the SQL templating, with HTML
// escaping on and strict mode so a misspelt field fails the build instead of printing nothing.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";

const folder = join(import.meta.dirname, "templates");
const html = Handlebars.create();

for (const file of readdirSync(join(folder, "partials"))) {
  if (file.endsWith(".hbs")) {
    html.registerPartial(file.slice(0, -4), readFileSync(join(folder, "partials", file), "utf8"));
  }
}

html.registerHelper("eq", (a: unknown, b: unknown) => a === b);
/**
 * What an empty chart says: its own words, else "no data yet" for whole-history data (there is none
 * at all), else "no data in this period".
 */
html.registerHelper("emptyChartText", (chart: { title?: unknown; empty?: unknown }) => {
  if (typeof chart.empty === "string") return chart.empty;
  return typeof chart.title === "string" && chart.title.endsWith("(all data)")
    ? "no data yet"
    : "no data in this period";
});

const compiled = new Map<string, Handlebars.TemplateDelegate>();

export function renderTemplate(name: string, context: Record<string, unknown>): string {
  let template = compiled.get(name);
  if (!template) {
    template = html.compile(readFileSync(join(folder, `${name}.hbs`), "utf8"), { strict: true });
    compiled.set(name, template);
  }
  return template(context);
}
