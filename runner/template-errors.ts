// A template's mistakes as the runner reports them: with the line of the model file, and in the
// model's words rather than Handlebars' ("missing helper", "[object Object]").

/** A mistake found while rendering; `line` is a line of the template being rendered. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Any error of a render as `{ line, message }`, with Handlebars' own messages reworded. */
export function templateError(error: unknown): { line?: number; message: string } {
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
