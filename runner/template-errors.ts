// A template's mistakes as the runner reports them: with the line of the model file, and in the
// model's words rather than Handlebars' ("missing helper", "[object Object]").
import type Handlebars from "handlebars";
import type { TemplateNode as Node } from "./template-ast.ts";
import type { MacroLine } from "./template-lines.ts";

/**
 * A mistake found while rendering; `line` is a line of the template being rendered. One inside a
 * macro has the macro's file and line in `macroLines` (then those of the macros that include it,
 * innermost first), and `line` is the line that includes the macro.
 */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly macroLines?: MacroLine[],
  ) {
    super(message);
  }
}

const parseHints: [RegExp, string][] = [
  [
    /OPEN_ENDBLOCK', got 'EOF'|got 'EOF'[\s\S]*OPEN_ENDBLOCK/,
    "the file ends inside a block: a {{#if}}, {{#unless}} or {{#each}} above has no {{/if}}, {{/unless}} or {{/each}}",
  ],
  [
    /got 'INVALID'$/,
    'a {{…}} here cannot be read: closed with } instead of }}, or holding a comma or a [list] (helpers take values after spaces: {{config tags="a,b"}})',
  ],
];

/** Any error of a render as `{ line, message }`, with Handlebars' own messages reworded. */
export function templateError(error: unknown): { line?: number; message: string; macroLines?: MacroLine[] } {
  if (error instanceof TemplateError)
    return {
      line: error.line,
      message: error.message,
      ...(error.macroLines ? { macroLines: error.macroLines } : {}),
    };
  const message = error instanceof Error ? error.message : String(error);
  const parse = /^Parse error on line (\d+):/.exec(message);
  if (parse) {
    // Handlebars' list of the tokens it expected says nothing to an analyst; what usually causes it does.
    const hint = parseHints.find(([pattern]) => pattern.test(message))?.[1];
    const said = hint ? message.replace(/\nExpecting [^\n]*$/, `\n${hint}`) : message;
    return { line: Number(parse[1]), message: said.replace(/\n/g, "\n  ") };
  }
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
  // strict mode reading a field of a text or a number: `{{self.x}}`, `{{vars.days.x}}`
  const field = /^Cannot use 'in' operator to search for '(.+)' in ([\s\S]*)$/.exec(message);
  if (field)
    return { message: `"${field[1]}" is not defined: it is read from ${field[2]}, which has no fields` };
  // A subexpression whose name is a value, not a helper: `{{#if (item)}}` inside {{#each}}.
  if (/\.call is not a function$/.test(message))
    return {
      message:
        'a (…) here calls a value as a helper: write the value without the parentheses (a subexpression starts with a helper, as (lookup vars "x"))',
    };
  // Handlebars' own exceptions that know their node: `Invalid path: foo/this - 2:2`
  const lineNumber = (error as { lineNumber?: unknown } | undefined)?.lineNumber;
  if (typeof lineNumber === "number")
    return { line: lineNumber, message: message.replace(/ - \d+:\d+$/, "") };
  return { message };
}

/** A helper name no template writes: `{{[…] n}}` would be the only way to call it. */
const lineHelper = "line of the template";

/**
 * Where a render is, for the errors Handlebars raises without a line: a lookup inside a helper
 * (`{{lookup vars "x"}}`), a field of a text (`{{self.x}}`), a name read from a missing parent. Before
 * each statement of a template, `trackLines` puts a call of a helper that records the statement's
 * line in the returned object; the error then belongs to the last line recorded.
 */
export function lineTracker(hb: typeof Handlebars): { line?: number } {
  const at: { line?: number } = {};
  hb.registerHelper(lineHelper, (line: number) => {
    at.line = line;
    return "";
  });
  return at;
}

/** Puts the line tracker's call before every statement of the template, in blocks too. */
export function trackLines<T extends hbs.AST.Node>(node: T): T {
  const visit = (n: Node | undefined) => {
    if (!n) return;
    if (n.body)
      n.body = n.body.flatMap((statement) => {
        visit(statement as Node);
        return [lineCall(statement.loc), statement];
      });
    visit(n.program as Node | undefined);
    visit(n.inverse as Node | undefined);
  };
  visit(node as Node);
  return node;
}

function lineCall(loc: hbs.AST.SourceLocation): hbs.AST.MustacheStatement {
  const line = loc.start.line;
  return {
    type: "MustacheStatement",
    path: { type: "PathExpression", data: false, depth: 0, parts: [lineHelper], original: lineHelper, loc },
    params: [{ type: "NumberLiteral", value: line, original: line, loc } as hbs.AST.NumberLiteral],
    hash: undefined as unknown as hbs.AST.Hash,
    escaped: false,
    strip: { open: false, close: false },
    loc,
  };
}
