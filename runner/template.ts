// Renders one model template with Handlebars, keeping track of where each output line came from so
// that a DuckDB error on line N of the compiled SQL can name the line of the model file.
import Handlebars from "handlebars";
import { quoteIdent, sqlLiteral } from "./sql.ts";
import { keepLineEndsAfterMacros, strictContext, templateFacts } from "./template-ast.ts";

export interface Located {
  name: string;
  line: number;
}

export interface Rendered {
  /** The SQL, with each `{{source}}` left as a placeholder that `bindSources` fills at run time. */
  sql: string;
  /** lineMap[i] = the model file's line (1-based) of output line i + 1. */
  lineMap: number[];
  refs: Located[];
  sources: Located[];
  /** The macros the render included, also those a macro includes (the manifest's depends_on.macros). */
  macros: string[];
  config?: { args: Record<string, unknown>; line: number };
  errors: { line?: number; message: string }[];
}

export interface RenderInput {
  text: string;
  vars: Record<string, unknown>;
  isIncremental: boolean;
  /** The model's own relation, for `{{self}}`. */
  self: string;
  relationOf: (model: string) => string;
  knownSources: ReadonlySet<string>;
  /** The incremental model's watermark column, for `{{watermark}}` (only in the incremental render). */
  watermark?: string;
  /** Macros by name (models/macros/*.sql), included with `{{> name param="value"}}`. */
  macros?: Record<string, string>;
}

const lineMark = "\u0001";
const sourceMark = "\u0002";
const watermarkMark = "\u0003";

class TemplateError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

type RuntimeOptions = Handlebars.RuntimeOptions;

interface HelperOptions {
  hash: Record<string, unknown>;
  loc?: { start: { line: number } };
}

export function sourcePlaceholder(name: string): string {
  return `${sourceMark}${name}${sourceMark}`;
}

/**
 * `{{watermark}}` renders as `(select max(column) from self)` between marks. At run time the runner
 * puts the stored value in its place as a literal: a constant lets DuckDB skip row groups by their
 * min/max, where the subquery would make it scan the whole history. Shown without the marks, the SQL
 * is the same query.
 */
export function bindWatermark(sql: string, literal?: string): string {
  return sql.replace(
    new RegExp(`${watermarkMark}([^${watermarkMark}]*)${watermarkMark}`, "g"),
    (_m, query: string) => literal ?? query,
  );
}

/** Replaces source placeholders with the relation chosen at run time (full glob or pruned files). */
export function bindSources(sql: string, relationOf: (source: string) => string): string {
  return sql.replace(new RegExp(`${sourceMark}([A-Za-z0-9_]+)${sourceMark}`, "g"), (_m, name: string) =>
    relationOf(name),
  );
}

export function renderTemplate(input: RenderInput): Rendered {
  const out: Rendered = { sql: "", lineMap: [], refs: [], sources: [], macros: [], errors: [] };
  const hb = Handlebars.create();
  const lineOf = (options: HelperOptions | undefined) => options?.loc?.start.line ?? 0;
  const nameArg = (helper: string, args: unknown[]): { name: string; options: HelperOptions } => {
    const options = args[args.length - 1] as HelperOptions;
    const name = args[0];
    if (args.length !== 2 || typeof name !== "string")
      throw new TemplateError(
        `{{${helper}}} takes one quoted name, e.g. {{${helper} "name"}}`,
        lineOf(options),
      );
    return { name, options };
  };
  // Handlebars renders {{#each}} over a text or a number as over an empty list: a variable given the
  // wrong kind of value (--vars '{funnel_steps: page_view}') would leave the SQL without its items.
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
    if (out.config) out.errors.push({ line: lineOf(options), message: "{{config}} appears twice" });
    out.config = { args: { ...options.hash }, line: lineOf(options) };
    return "";
  });
  hb.registerHelper("ref", (...args: unknown[]) => {
    const { name, options } = nameArg("ref", args);
    out.refs.push({ name, line: lineOf(options) });
    return input.relationOf(name);
  });
  hb.registerHelper("source", (...args: unknown[]) => {
    const { name, options } = nameArg("source", args);
    if (!input.knownSources.has(name)) {
      const known = [...input.knownSources].join(", ") || "none";
      out.errors.push({
        line: lineOf(options),
        message: `unknown source "${name}" (project.yml declares: ${known})`,
      });
    }
    out.sources.push({ name, line: lineOf(options) });
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
    return `${watermarkMark}(select max(${quoteIdent(input.watermark)}) from ${input.self})${watermarkMark}`;
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

  let ast: hbs.AST.Program;
  try {
    ast = keepLineEndsAfterMacros(hb.parse(input.text));
  } catch (error) {
    out.errors.push(templateError(error));
    return out;
  }
  // Its errors are reported with their lines; the render still runs, for the refs it records.
  const facts = templateFacts(ast, new Set(["vars", "is_incremental", "self"]));
  out.errors.push(...facts.errors);
  markLines(ast);

  // A macro's own errors name the macro and its line: Handlebars reports a line of the macro's text,
  // which would otherwise pass for a line of the model that includes it.
  for (const [name, text] of Object.entries(input.macros ?? {})) {
    let macro: HandlebarsTemplateDelegate | undefined;
    hb.registerPartial(name, ((context: unknown, options: unknown) => {
      if (!out.macros.includes(name)) out.macros.push(name);
      try {
        // Parsed on first use, as Handlebars would, so that a syntax error names the macro.
        macro ??= hb.compile(keepLineEndsAfterMacros(hb.parse(text)), { noEscape: true, strict: true });
        return macro(context, options as RuntimeOptions);
      } catch (error) {
        if (error instanceof TemplateError && error.message.startsWith("in macro ")) throw error;
        const { line, message } = templateError(error);
        throw new TemplateError(
          `in macro ${name}${line ? ` (its line ${line})` : ""}: ${message}`,
          facts.macroLines.get(name),
        );
      }
    }) as HandlebarsTemplateDelegate);
  }

  const vars = strictContext(input.vars, (name) => {
    const known = Object.keys(input.vars).join(", ") || "none";
    throw new TemplateError(
      `unknown variable "vars.${name}" (project.yml vars: ${known})`,
      facts.nameLines.get(`vars.${name}`),
    );
  });
  const context = strictContext({ vars, is_incremental: input.isIncremental, self: input.self }, (name) => {
    throw new TemplateError(
      `"${name}" is not defined (a missing helper or variable)`,
      facts.nameLines.get(name),
    );
  });
  let rendered: string;
  try {
    rendered = hb.compile(ast, { noEscape: true, strict: true })(context);
  } catch (error) {
    const found = templateError(error);
    const macro = /^unknown macro \{\{> (.+)\}\}/.exec(found.message)?.[1];
    if (facts.errors.length === 0)
      out.errors.push(macro && !found.line ? { ...found, line: facts.macroLines.get(macro) } : found);
    return out;
  }
  if (facts.errors.length) return out;
  const lastLine = input.text.split("\n").length;
  const lines = rendered.split("\n");
  const marked = new RegExp(`${lineMark}(\\d+)${lineMark}`, "g");
  let pending: number[] = [];
  lines.forEach((line, i) => {
    const marks = [...line.matchAll(marked)];
    lines[i] = line.replace(marked, "");
    const last = marks[marks.length - 1];
    if (last) {
      const source = Number(last[1]);
      for (const p of pending) out.lineMap[p] = source;
      pending = [];
      out.lineMap[i] = source;
    } else pending.push(i);
  });
  for (const p of pending) out.lineMap[p] = lastLine;
  out.sql = lines.join("\n");
  return out;
}

function literalOrThrow(value: unknown, line: number): string {
  try {
    return sqlLiteral(value);
  } catch (error) {
    throw new TemplateError((error as Error).message, line);
  }
}

function templateError(error: unknown): { line?: number; message: string } {
  if (error instanceof TemplateError) return { line: error.line, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  const parse = /^Parse error on line (\d+):/.exec(message);
  if (parse) return { line: Number(parse[1]), message: message.replace(/\n/g, "\n  ") };
  // strict mode: `"x" not defined in [object Object] - 3:4`
  const strict = /^"(.+)" not defined in .* - (\d+):\d+$/.exec(message);
  if (strict)
    return {
      line: Number(strict[2]),
      message: `"${strict[1]}" is not defined (a missing helper or variable)`,
    };
  const partial = /^The partial (.+) could not be found/.exec(message);
  if (partial) return { message: `unknown macro {{> ${partial[1]}}} (macros are models/macros/*.sql)` };
  const helper = /^Missing helper: "?([^"]+)"?/.exec(message);
  if (helper) return { message: `unknown helper {{${helper[1]}}}` };
  return { message };
}

type Node = hbs.AST.Node & {
  program?: hbs.AST.Program;
  inverse?: hbs.AST.Program;
  body?: hbs.AST.Statement[];
};

/** Appends a line marker to every newline of the template's literal text (not inside `{{ }}`). */
function markLines(node: Node | undefined): void {
  if (!node) return;
  if (node.type === "ContentStatement") {
    const content = node as hbs.AST.ContentStatement;
    const value = content.value;
    if (!value.includes("\n")) return;
    // The typings call it StripFlags; at run time it is the text before whitespace control.
    const original = content.original as unknown as string;
    // Whitespace control strips only whitespace around the value, so find where it starts.
    let start = 0;
    for (let i = 0; i <= original.length - value.length; i++) {
      if (original.startsWith(value, i) && /^\s*$/.test(original.slice(0, i))) {
        start = i;
        break;
      }
    }
    let line = content.loc.start.line + (original.slice(0, start).match(/\n/g)?.length ?? 0);
    let marked = "";
    for (const ch of value) {
      if (ch === "\n") {
        marked += `${lineMark}${line}${lineMark}`;
        line++;
      }
      marked += ch;
    }
    content.value = marked;
    return;
  }
  for (const child of node.body ?? []) markLines(child as Node);
  markLines(node.program as Node | undefined);
  markLines(node.inverse as Node | undefined);
}
