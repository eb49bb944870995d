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
/** A chart of whole-history data: when empty it has no data at all, not just none in the period. */
html.registerHelper(
  "wholeHistory",
  (title: unknown) => typeof title === "string" && title.endsWith("(all data)"),
);

const compiled = new Map<string, Handlebars.TemplateDelegate>();

export function renderTemplate(name: string, context: Record<string, unknown>): string {
  let template = compiled.get(name);
  if (!template) {
    template = html.compile(readFileSync(join(folder, `${name}.hbs`), "utf8"), { strict: true });
    compiled.set(name, template);
  }
  return template(context);
}
