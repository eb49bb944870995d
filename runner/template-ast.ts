// Walks over a model template's Handlebars syntax tree for the mistakes its runtime would pass over in
// silence.

/** Any node of the syntax tree, with the fields a walk over it reads. */
export type TemplateNode = hbs.AST.Node & {
  body?: hbs.AST.Statement[];
  program?: hbs.AST.Program;
  inverse?: hbs.AST.Program;
  path?: hbs.AST.PathExpression | hbs.AST.Literal;
  name?: hbs.AST.PathExpression | hbs.AST.SubExpression;
  params?: hbs.AST.Expression[];
  hash?: hbs.AST.Hash;
};

export interface TemplateFacts {
  errors: { line: number; message: string }[];
}

/** Block helpers that take exactly one value; without it Handlebars throws with no line. */
const oneValueBlocks = new Set(["if", "unless", "each", "with"]);
/**
 * Names of the whole context or of all variables, which render as `[object Object]`: `{{this}}` is
 * what a dbt model writes for its own relation, and here it would become a syntax error at run time.
 */
const contextHint = (name: string) =>
  `{{${name}}} is the template's context, not the model's relation as in dbt: write {{self}}`;
const varsHint = (name: string) => `{{${name}}} holds every variable: write {{var "name"}} for one`;
const wholeContextMessages = new Map([
  ["this", contextHint],
  [".", contextHint],
  ["@root", contextHint],
  ["vars", varsHint],
  ["@root.vars", varsHint],
]);
/** Helpers that take a name as their value: `{{ref "x"}}`. */
const namedHelpers = new Set(["ref", "var", "source"]);
/** Blocks whose body reads names from another object than the model's context. */
const scopedBlocks = new Set(["each", "with"]);

/**
 * Collects the facts of a template. `rootNames` are the context's own names: read inside
 * `{{#each}}` or `{{#with}}`, one of them means a field of the item, which is a mistake that
 * renders as false or empty, so it is reported (the fix is `@root.name`).
 */
export function templateFacts(ast: hbs.AST.Program, rootNames: ReadonlySet<string>): TemplateFacts {
  const facts: TemplateFacts = { errors: [] };
  // `block`: the block helper the node is inside, if any.
  const visit = (node: TemplateNode | undefined, scoped: boolean, block?: string): void => {
    if (!node) return;
    const line = node.loc?.start.line ?? 0;
    if (node.type === "PathExpression") {
      const path = node as hbs.AST.PathExpression;
      const head = path.parts[0];
      const plain = !path.data && path.depth === 0 && !/^(\.|this\b)/.test(path.original);
      if (!plain || head === undefined) return;
      if (scoped && rootNames.has(head))
        facts.errors.push({
          line,
          message: `inside {{#each}} or {{#with}}, "${path.original}" is read from the item; write @root.${path.original}`,
        });
      return;
    }
    const helper = node.path?.type === "PathExpression" ? (node.path as hbs.AST.PathExpression).original : "";
    const wholeContext = wholeContextMessages.get(helper);
    if (node.type === "MustacheStatement" && wholeContext && !scoped && !node.params?.length && !node.hash)
      facts.errors.push({ line, message: wholeContext(helper) });
    // {{config}} runs only where its block renders: inside {{#if is_incremental}} a model would be
    // built in full (its first run, and every --full-refresh) without it, as a view.
    if (node.type === "MustacheStatement" && helper === "config" && block)
      facts.errors.push({
        line,
        message: `{{config}} inside {{#${block}}} is read only when the block renders: put it at the top level of the model`,
      });
    // dbt's config(materialized='table') and ref('x') quote their values; unquoted, Handlebars reads
    // a variable of that name, and says only that it is not defined.
    // Inside {{#each}} or {{#with}}, a bare name may be the item's field or a block parameter.
    const unquoted = (value: hbs.AST.Node | undefined): value is hbs.AST.PathExpression =>
      !scoped &&
      value?.type === "PathExpression" &&
      !(value as hbs.AST.PathExpression).data &&
      !rootNames.has((value as hbs.AST.PathExpression).parts[0] ?? "");
    if (node.type === "MustacheStatement" && helper === "config")
      for (const pair of node.hash?.pairs ?? [])
        if (unquoted(pair.value))
          facts.errors.push({ line, message: unquotedConfigMessage(pair.key, pair.value.original) });
    const named = node.params?.[0];
    if (node.type === "MustacheStatement" && namedHelpers.has(helper) && unquoted(named))
      facts.errors.push({
        line,
        message: `{{${helper} ${named.original}}} reads a variable named "${named.original}": quote the name, {{${helper} "${named.original}"}}`,
      });
    // dbt's is_incremental() carried over as (is_incremental): Handlebars calls the value and fails
    // with "….call is not a function". A name of the context is never a helper.
    if (node.type === "SubExpression" && node.path?.type === "PathExpression") {
      const called = node.path as hbs.AST.PathExpression;
      const own = called.data
        ? /^@root\.(\w+)/.exec(called.original)?.[1]
        : scoped
          ? undefined
          : called.parts[0];
      if (own !== undefined && rootNames.has(own))
        facts.errors.push({
          line,
          message: `(${called.original}) calls "${called.original}" as a helper, but it is a value: write ${called.original}, without the parentheses`,
        });
    }
    if (node.type === "BlockStatement" && oneValueBlocks.has(helper) && node.params?.length !== 1)
      facts.errors.push({ line, message: `{{#${helper}}} takes exactly one value` });
    if (node.type !== "PathExpression") visit(node.path as TemplateNode | undefined, scoped, block);
    for (const param of node.params ?? []) visit(param as TemplateNode, scoped, block);
    for (const pair of node.hash?.pairs ?? []) visit(pair.value as TemplateNode, scoped, block);
    for (const statement of node.body ?? []) visit(statement as TemplateNode, scoped, block);
    const inner = node.type === "BlockStatement" ? helper : block;
    visit(
      node.program as TemplateNode | undefined,
      scoped || (node.type === "BlockStatement" && scopedBlocks.has(helper)),
      inner,
    );
    visit(node.inverse as TemplateNode | undefined, scoped, inner);
  };
  visit(ast as TemplateNode, false);
  return facts;
}

/**
 * The context a template renders with, made strict where Handlebars is not: a name passed to a
 * helper or a block (`{{literal vars.typo}}`, `{{#if is_incremntal}}`) that the context does not
 * have throws `fail(name)` instead of reading as undefined.
 */
export function strictContext<T extends object>(target: T, fail: (name: string) => never): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      if (typeof key === "string" && !(key in object)) fail(key);
      return Reflect.get(object, key, receiver);
    },
  });
}

/**
 * Gives back the line end that Handlebars takes from after a macro included on a line of its own
 * (`  {{> columns}}`). Handlebars expects a partial's text to end with its own newline; a macro's is
 * cut, so that `where {{> filter}} and …` stays one line. Without this, the macro's last line and the
 * model's next one would run together, and `x -- note` followed by `from t` would comment out the
 * `from`. A `~}}` that asks for the whitespace to go is left as written.
 */
export function keepLineEndsAfterMacros<T extends hbs.AST.Node>(node: T): T {
  const visit = (n: TemplateNode | undefined) => {
    if (!n) return;
    const body = n.body ?? [];
    body.forEach((statement, i) => {
      const next = body[i + 1] as (hbs.AST.ContentStatement & { rightStripped?: boolean }) | undefined;
      const partial = statement as hbs.AST.PartialStatement;
      if (statement.type !== "PartialStatement" || partial.strip?.close) return;
      if (next?.type !== "ContentStatement" || !next.rightStripped) return;
      // The typings call it StripFlags; at run time it is the text as written.
      const lineEnd = /^[ \t]*(\r?\n)/.exec(next.original as unknown as string)?.[1];
      if (lineEnd && !next.value.startsWith(lineEnd)) next.value = lineEnd + next.value;
    });
    for (const statement of body) visit(statement as TemplateNode);
    visit(n.program as TemplateNode | undefined);
    visit(n.inverse as TemplateNode | undefined);
  };
  visit(node as TemplateNode);
  return node;
}

/**
 * An unquoted {{config}} value. dbt's list, tags=["a", "b"], reaches us as Handlebars' bracketed
 * name `"a", "b"` (only brackets let a name hold quotes, commas or spaces): {{config}} takes it as
 * one comma-separated text.
 */
function unquotedConfigMessage(key: string, value: string): string {
  // dbt's config(enabled=False) and YAML's no: quoted, the value would be refused as a text.
  if (/^(true|false|yes|no|on|off)$/i.test(value)) {
    const flag = /^(true|yes|on)$/i.test(value);
    return `{{config ${key}=${value}}} reads a variable named "${value}": write ${key}=${flag}, unquoted and in lower case (Handlebars' true and false)`;
  }
  if (!/[\s,'"]/.test(value))
    return `{{config ${key}=${value}}} reads a variable named "${value}": quote the value, ${key}="${value}"`;
  const items = value.split(",").map((item) => item.trim().replace(/^['"]|['"]$/g, ""));
  return `{{config ${key}=[${value}]}} is a list, which {{config}} takes as one quoted text: ${key}="${items.filter(Boolean).join(",")}"`;
}
