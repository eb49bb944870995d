// The helpers a model template calls: {{config}}, {{ref}}, {{source}}, {{var}}, {{literal}},
// {{watermark}}, and a stricter {{#each}}. What they find (refs, sources, config) goes into `out`.
import type Handlebars from "handlebars";
import { sqlLiteral } from "./sql.ts";
import type { Rendered, RenderInput } from "./template.ts";
import { TemplateError } from "./template-errors.ts";
import { oneOfTwoNames } from "./template-jinja.ts";
import { type MacroLine, macroFileOf, unmarkLines } from "./template-lines.ts";
import { rangeStartPlaceholder, sourcePlaceholder, watermarkPlaceholder } from "./template-marks.ts";

export interface HelperOptions {
  hash: Record<string, unknown>;
  loc?: { start: { line: number } };
  /** A block's body, rendered. */
  fn?: (context: unknown) => string;
}

const lineOf = (options: HelperOptions | undefined) => options?.loc?.start.line ?? 0;

/**
 * `locate` gives a line of the template being rendered as the model's line, and inside a macro the
 * macro's file and line, for what the helpers record rather than throw.
 */
export function registerHelpers(
  hb: typeof Handlebars,
  input: RenderInput,
  out: Rendered,
  locate: (line: number) => { line: number; macroLines?: MacroLine[] } = (line) => ({ line }),
): void {
  const nameArg = (helper: string, args: unknown[]): { name: string; options: HelperOptions } => {
    const options = args[args.length - 1] as HelperOptions;
    const name = args[0];
    const given = args.slice(0, -1);
    const two = typeof given[0] === "string" && oneOfTwoNames(helper, given.map(String));
    if (two)
      throw new TemplateError(
        `{{${helper} ${given.map((n) => (typeof n === "string" ? `"${n}"` : String(n))).join(" ")}}} gives two names, where it takes one: write {{${helper} "${two.name}"}} (${two.why})`,
        lineOf(options),
      );
    if (args.length !== 2 || typeof name !== "string")
      throw new TemplateError(
        `{{${helper}}} takes one quoted name, e.g. {{${helper} "name"}}`,
        lineOf(options),
      );
    return { name, options };
  };
  // Handlebars renders {{#each}} over a text or a number as over an empty list: a variable given the
  // wrong kind of value (funnel_steps: page_view in project.yml) would leave the SQL without its items.
  const each = hb.helpers.each as Handlebars.HelperDelegate;
  hb.registerHelper("each", function (this: unknown, list: unknown, options: HelperOptions) {
    if (list !== null && list !== undefined && typeof list !== "object" && typeof list !== "function")
      throw new TemplateError(
        `{{#each}} needs a list or a mapping, not the ${typeof list === "string" ? "text" : typeof list} ${JSON.stringify(list)}`,
        lineOf(options),
      );
    return each.call(this, list, options);
  });
  hb.registerHelper("config", (...args: unknown[]) => {
    const options = args[args.length - 1] as HelperOptions;
    if (out.config) out.errors.push({ ...locate(lineOf(options)), message: "{{config}} appears twice" });
    out.config = { args: { ...options.hash }, line: lineOf(options) };
    return "";
  });
  hb.registerHelper("ref", (...args: unknown[]) => {
    const { name, options } = nameArg("ref", args);
    out.refs.push({ name, ...locate(lineOf(options)) });
    return input.relationOf(name);
  });
  hb.registerHelper("source", (...args: unknown[]) => {
    const { name, options } = nameArg("source", args);
    if (!input.knownSources.has(name)) {
      const known = [...input.knownSources].join(", ") || "none";
      out.errors.push({
        ...locate(lineOf(options)),
        message: `unknown source "${name}" (project.yml declares: ${known})`,
      });
    }
    out.sources.push({ name, ...locate(lineOf(options)) });
    return sourcePlaceholder(name);
  });
  hb.registerHelper("watermark", (...args: unknown[]) => {
    const options = args[args.length - 1] as HelperOptions;
    if (args.length !== 1) throw new TemplateError("{{watermark}} takes no arguments", lineOf(options));
    if (!input.watermark)
      throw new TemplateError(
        '{{watermark}} has a value only in an incremental run: use it inside {{#if is_incremental}} of a model with materialized="incremental" and watermark="column"',
        lineOf(options),
      );
    return watermarkPlaceholder(input.watermark, input.self);
  });
  // {{#range_start}}query{{/range_start}} declares where a time_range batch starts, whether or not it
  // has rows there; {{range_start}} reads it in the query. Rendered only in the incremental query.
  hb.registerHelper("range_start", function (this: unknown, ...args: unknown[]) {
    const options = args[args.length - 1] as HelperOptions;
    const line = lineOf(options);
    if (args.length !== 1) throw new TemplateError("{{range_start}} takes no arguments", line);
    if (!input.isIncremental)
      throw new TemplateError(
        '{{range_start}} has a value only in an incremental run: put it inside {{#if is_incremental}} of a model with incremental_strategy="time_range"',
        line,
      );
    if (options.fn) {
      if (out.rangeStart) throw new TemplateError("{{#range_start}} appears twice", line);
      const maps = unmarkLines(options.fn(this), line, macroFileOf(input.macros, input.macroFiles));
      out.rangeStart = { ...maps, sql: maps.sql.trim() ? maps.sql : "", line };
      if (!out.rangeStart.sql)
        throw new TemplateError("{{#range_start}} holds no query (one value: the start of the range)", line);
      return "";
    }
    if (!out.rangeStart)
      throw new TemplateError(
        "{{range_start}} comes before its {{#range_start}} query … {{/range_start}}, which declares it",
        line,
      );
    return rangeStartPlaceholder(out.rangeStart.sql);
  });
  hb.registerHelper("var", (...args: unknown[]) => {
    const { name, options } = nameArg("var", args);
    if (!Object.hasOwn(input.vars, name)) {
      const known = Object.keys(input.vars).join(", ") || "none";
      throw new TemplateError(`unknown variable "${name}" (project.yml vars: ${known})`, lineOf(options));
    }
    return literalOrThrow(input.vars[name], lineOf(options));
  });
  hb.registerHelper("literal", (...args: unknown[]) => {
    const options = args[args.length - 1] as HelperOptions;
    if (args.length !== 2) throw new TemplateError("{{literal}} takes one value", lineOf(options));
    // YAML's null renders NULL; a field that is not there at all is a misspelt name.
    if (args[0] === undefined)
      throw new TemplateError(
        "{{literal}} was given a name that has no value (is it spelt right?)",
        lineOf(options),
      );
    return literalOrThrow(args[0], lineOf(options));
  });
}

function literalOrThrow(value: unknown, line: number): string {
  try {
    return sqlLiteral(value);
  } catch (error) {
    throw new TemplateError((error as Error).message, line);
  }
}
