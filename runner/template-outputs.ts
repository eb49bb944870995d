// A field printed into the SQL that has no value: Handlebars' strict mode checks a name of the
// context and of an item, but not the field of a block parameter (`{{#each vars.steps as |s|}}
// {{s.nmae}}`), which prints nothing, and the SQL goes on without it.
import type Handlebars from "handlebars";
import type { TemplateNode as Node } from "./template-ast.ts";
import { TemplateError } from "./template-errors.ts";

/** A helper name no template writes: `{{[…] x}}` would be the only way to call it. */
const outputHelper = "value printed";

export function registerStrictOutputs(hb: typeof Handlebars): void {
  hb.registerHelper(
    outputHelper,
    (value: unknown, options: { loc?: { start: { line: number } }; hash?: { name?: string } }) => {
      if (value === undefined)
        throw new TemplateError(
          `{{${options.hash?.name}}} has no value (is it spelt right?)`,
          options.loc?.start.line,
        );
      return value;
    },
  );
}

/** Routes each printed field that strict mode would not check through the helper that does. */
export function strictOutputs<T extends hbs.AST.Node>(node: T): T {
  const visit = (n: Node | undefined, blockParams: ReadonlySet<string>) => {
    if (!n) return;
    const inner = new Set([...blockParams, ...((n as hbs.AST.Program).blockParams ?? [])]);
    for (const statement of n.body ?? []) {
      if (statement.type === "MustacheStatement") {
        const mustache = statement as hbs.AST.MustacheStatement;
        const path = mustache.path as hbs.AST.PathExpression;
        if (
          path.type === "PathExpression" &&
          !mustache.params.length &&
          !mustache.hash &&
          unchecked(path, inner)
        ) {
          mustache.params = [path];
          mustache.hash = {
            type: "Hash",
            pairs: [
              {
                type: "HashPair",
                key: "name",
                value: {
                  type: "StringLiteral",
                  value: path.original,
                  original: path.original,
                  loc: path.loc,
                } as hbs.AST.StringLiteral,
                loc: path.loc,
              },
            ],
            loc: path.loc,
          };
          mustache.path = { ...path, parts: [outputHelper], original: outputHelper, data: false, depth: 0 };
        }
      }
      visit(statement as Node, inner);
    }
    visit(n.program as Node | undefined, inner);
    visit(n.inverse as Node | undefined, inner);
  };
  visit(node as Node, new Set());
  return node;
}

/** A field of a block parameter: what strict mode reads without checking. */
function unchecked(path: hbs.AST.PathExpression, blockParams: ReadonlySet<string>): boolean {
  const head = path.parts[0];
  return !path.data && head !== undefined && blockParams.has(head) && path.parts.length >= 2;
}
