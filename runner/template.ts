// Renders one model template with Handlebars in strict mode: the context and macros a model sees, its
// mistakes reported with their lines, and a map from each output line to the model file's line.
import Handlebars from "handlebars";
import { innerStatementEnd, stripTrailingSemicolons } from "./sql.ts";
import { keepLineEndsAfterMacros, strictContext, templateFacts } from "./template-ast.ts";
import { lineTracker, TemplateError, templateError, trackLines } from "./template-errors.ts";
import { registerHelpers } from "./template-helpers.ts";
import { jinjaMistakes } from "./template-jinja.ts";
import {
  includedMarks,
  type LineMaps,
  type MacroLine,
  macroFileOf,
  markLines,
  unmarkLines,
} from "./template-lines.ts";
import { registerStrictOutputs, strictOutputs } from "./template-outputs.ts";

export interface Located {
  name: string;
  /** The model's line; in a macro, the line that includes it, and the macro's in `macroLines`. */
  line: number;
  macroLines?: MacroLine[];
}

export interface Rendered extends Required<LineMaps> {
  /** The SQL, with each `{{source}}` left as a placeholder that `bindSources` fills at run time. */
  sql: string;
  refs: Located[];
  sources: Located[];
  /** The macros the render included, also those a macro includes (the manifest's depends_on.macros). */
  macros: string[];
  config?: { args: Record<string, unknown>; line: number };
  /**
   * The `{{#range_start}}` query of a time_range model: the start of the range its batch replaces.
   * Its own line maps map its lines to the model file's.
   */
  rangeStart?: { sql: string; line: number } & Required<LineMaps>;
  errors: { line?: number; message: string; macroLines?: MacroLine[] }[];
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
  /** Each macro's file as messages name it (models/macros/name.sql). */
  macroFiles?: Record<string, string>;
}

type RuntimeOptions = Handlebars.RuntimeOptions;

export function renderTemplate(input: RenderInput): Rendered {
  const out: Rendered = {
    sql: "",
    lineMap: [],
    macroLines: [],
    refs: [],
    sources: [],
    macros: [],
    errors: [],
  };
  const hb = Handlebars.create();
  // The macros being rendered, outermost first, each with the includer's line that includes it.
  const includes: { macro: number; at: number }[] = [];
  const macroFile = macroFileOf(input.macros, input.macroFiles);
  /** A line of the template being rendered, as the model's line and the macros' lines. */
  const locate = (line: number): { line: number; macroLines?: MacroLine[] } => {
    const macroLines: MacroLine[] = [];
    let inner = line;
    for (const include of [...includes].reverse()) {
      macroLines.push({ file: macroFile(include.macro), line: inner });
      inner = include.at;
    }
    return macroLines.length ? { line: inner, macroLines } : { line };
  };
  registerHelpers(hb, input, out, locate);
  const at = lineTracker(hb);
  registerStrictOutputs(hb);

  // Jinja a dbt user writes out of habit: `{{ ref('x') }}` fails to parse, and `{% if %}` would not.
  const jinja = jinjaMistakes(input.text, Object.keys(input.macros ?? {}));
  let ast: hbs.AST.Program;
  try {
    ast = keepLineEndsAfterMacros(hb.parse(input.text));
  } catch (error) {
    out.errors.push(...(jinja.length ? jinja : [templateError(error)]));
    return out;
  }
  // Its errors are reported with their lines; the render still runs, for the refs it records.
  const facts = templateFacts(ast, new Set(["vars", "is_incremental", "self"]));
  facts.errors.push(...jinja);
  out.errors.push(...facts.errors);
  markLines(ast);
  strictOutputs(ast);
  trackLines(ast);

  // A macro's lines and its own errors name the macro's file and line, and the line that includes it.
  for (const [index, [name, text]] of Object.entries(input.macros ?? {}).entries()) {
    let macro: HandlebarsTemplateDelegate | undefined;
    hb.registerPartial(name, ((context: unknown, options: unknown) => {
      if (!out.macros.includes(name)) out.macros.push(name);
      const includedAt = at.line;
      includes.push({ macro: index, at: includedAt ?? 0 });
      try {
        // Parsed on first use, as Handlebars would, so that a syntax error names the macro.
        if (!macro) {
          const ast = keepLineEndsAfterMacros(hb.parse(text));
          markLines(ast);
          macro = hb.compile(trackLines(strictOutputs(ast)), { noEscape: true, strict: true });
        }
        const rendered = macro(context, options as RuntimeOptions);
        return includedMarks(rendered, index, includedAt ?? 0, text.replace(/\n$/, "").split("\n").length);
      } catch (error) {
        const { line, message, macroLines = [] } = templateError(error);
        const own = { file: macroFile(index), line: line ?? at.line ?? 0 };
        throw new TemplateError(message, includedAt, [...macroLines, own]);
      } finally {
        includes.pop();
        at.line = includedAt;
      }
    }) as HandlebarsTemplateDelegate);
  }

  const vars = strictContext(input.vars, (name) => {
    const known = Object.keys(input.vars).join(", ") || "none";
    throw new TemplateError(`unknown variable "vars.${name}" (project.yml vars: ${known})`);
  });
  const context = strictContext({ vars, is_incremental: input.isIncremental, self: input.self }, (name) => {
    throw new TemplateError(`"${name}" is not defined (a missing helper or variable)`);
  });
  let rendered: string;
  try {
    rendered = hb.compile(ast, { noEscape: true, strict: true })(context);
  } catch (error) {
    // An error Handlebars raised without a line belongs to the statement the render was at.
    const found = templateError(error);
    if (facts.errors.length === 0) out.errors.push({ ...found, line: found.line ?? at.line });
    return out;
  }
  if (facts.errors.length) return out;
  const { sql, lineMap, macroLines } = unmarkLines(rendered, input.text.split("\n").length, macroFile);
  out.sql = sql;
  out.lineMap = lineMap;
  out.macroLines = macroLines;
  // DuckDB would answer an empty query with "syntax error at end of input", naming nothing.
  if (stripTrailingSemicolons(sql) === "") {
    out.errors.push({
      message: `the ${input.isIncremental ? "incremental query" : "file"} holds no query, only comments or config: a model or a data test is one SELECT`,
    });
    return out;
  }
  // A model or test is one query: run as one statement, what follows a `;` would run on its own, and
  // a view would keep only the query before it.
  const end = innerStatementEnd(sql);
  if (end !== undefined) {
    const at = sql.slice(0, end).split("\n").length - 1;
    const inMacro = macroLines[at];
    out.errors.push({
      line: lineMap[at],
      message: "this ';' ends the query before the rest: a model or a data test is one query",
      ...(inMacro ? { macroLines: inMacro } : {}),
    });
  }
  return out;
}
