// dbt's Jinja in a model, which Handlebars would pass on to DuckDB as text (`{% if … %}`, `{# … #}`)
// or reject with a parse error that does not say why (`{{ ref('x') }}`). Each is named with its line
// and, where there is one, the Handlebars that does the same here.

const tagHints: Record<string, string> = {
  if: "{{#if name}} … {{/if}} (it tests one value, no expression)",
  elif: "{{else if name}}",
  else: "{{else}}",
  endif: "{{/if}} (or {{/unless}})",
  for: "{{#each vars.list}} … {{/each}} (the item is {{this}}, its fields {{field}})",
  endfor: "{{/each}}",
  set: 'a variable in project.yml vars, read with {{var "name"}}',
  macro:
    'a file models/macros/name.sql, whose text is the macro, included with {{> name param="value"}} (its parameters are {{param}} inside)',
  endmacro: "nothing: the macro ends with its file",
  include: "{{> name}} (a macro file, models/macros/name.sql)",
  raw: "\\{{ for a {{ that stays as written",
  endraw: "\\{{ for a {{ that stays as written",
};

const callHints: Record<string, string> = {
  ref: '{{ref "name"}}',
  source: '{{source "name"}} (one name: the source as project.yml declares it)',
  var: '{{var "name"}}',
  config: '{{config materialized="table" unique_key="id"}}',
  is_incremental: "{{#if is_incremental}} … {{/if}}",
};

/** Handlebars comments may quote Jinja; they are blanked, keeping their line ends for the line count. */
function withoutComments(text: string): string {
  return text.replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, (comment) =>
    comment.replace(/[^\n]/g, " "),
  );
}

/** `macros`: the names of models/macros/*.sql, which dbt users would call as `{{ name(…) }}`. */
export function jinjaMistakes(
  text: string,
  macros: readonly string[] = [],
): { line: number; message: string }[] {
  const code = withoutComments(text);
  const lineAt = (index: number) => (code.slice(0, index).match(/\n/g)?.length ?? 0) + 1;
  const found: { at: number; message: string }[] = [];
  for (const tag of code.matchAll(/\{%-?\s*([A-Za-z_]\w*)([\s\S]*?)-?%\}/g)) {
    const keyword = tag[1] as string;
    const condition = tag[2] ?? "";
    const oneLine = tag[0].replace(/\s+/g, " ");
    const written = oneLine.length > 60 ? `${oneLine.slice(0, 50)}… %}` : oneLine;
    let hint = tagHints[keyword];
    if ((keyword === "if" || keyword === "elif") && /\bis_incremental\b/.test(condition))
      hint = /^\s*not\b/.test(condition)
        ? "{{#unless is_incremental}} … {{/unless}}"
        : `${keyword === "if" ? "{{#if is_incremental}}" : "{{else if is_incremental}}"} … {{/if}}`;
    found.push({
      at: tag.index,
      message: `${written} is a Jinja tag, which models do not run (they are Handlebars): ${hint ? `write ${hint}` : "there is no equivalent here"}`,
    });
  }
  for (const comment of code.matchAll(/\{#[\s\S]*?#\}/g))
    found.push({
      at: comment.index,
      message: "{# … #} is a Jinja comment, which would reach DuckDB as text: write {{!-- … --}} or -- …",
    });
  // `ref(` is Jinja's call; `ref (var "x")`, with a space, is Handlebars' subexpression.
  for (const call of code.matchAll(/\{\{-?\s*([A-Za-z_][\w.]*)\(/g)) {
    const name = call[1] as string;
    const whole = /^\{\{-?\s*[\w.]+\(([^{}]*)\)\s*-?\}\}/.exec(code.slice(call.index))?.[1];
    const exact = whole === undefined ? undefined : handlebarsCall(name, whole);
    const hint = exact ?? (macros.includes(name) ? `{{> ${name} param="value"}} (a macro)` : callHints[name]);
    // dbt_utils.star(…): a package's macro, and this runner reads no dbt package.
    const otherwise = name.includes(".")
      ? "dbt packages' macros do not exist here; a macro of your own is a file models/macros/name.sql"
      : `helpers take their arguments after a space, {{${name} "value"}}`;
    found.push({
      at: call.index,
      message: `{{ ${name}(…) }} is Jinja's call syntax: ${hint ? `write ${hint}` : otherwise}`,
    });
  }
  // The call inside a Handlebars block, {{#if is_incremental()}}: a parse error that names no call.
  for (const call of code.matchAll(/\{\{~?\s*(#if|#unless|else if)\s+([A-Za-z_][\w.]*)\s*\(/g)) {
    const block = call[1] as string;
    const name = call[2] as string;
    const value = name === "var" ? "vars.name" : name;
    found.push({
      at: call.index,
      message: `{{${block} ${name}(…)}} is Jinja's call syntax: write {{${block} ${value}}} (a name, without parentheses)`,
    });
  }
  return found.sort((a, b) => a.at - b.at).map(({ at, message }) => ({ line: lineAt(at), message }));
}

/** Helpers whose Jinja call carries over word for word: `{{ ref('x') }}` is `{{ref "x"}}`. */
const sameArguments = new Set(["ref", "var", "config", "source"]);

/**
 * dbt's two-name calls, where a helper here takes one: ref's package and model, source's source and
 * table, var's name and default. The name to keep, and why the other goes.
 */
export function oneOfTwoNames(helper: string, names: string[]): { name: string; why: string } | undefined {
  const [first, second] = names;
  if (names.length !== 2 || first === undefined || second === undefined) return undefined;
  if (helper === "ref") return { name: second, why: "a project here is one package, named by no ref" };
  if (helper === "source")
    return { name: second, why: "a source here has one name, the one project.yml declares" };
  if (helper === "var") return { name: first, why: "a variable's default goes in project.yml vars:" };
  return undefined;
}

/**
 * The Handlebars for a Jinja call of ref, var or config whose arguments are plain values (texts,
 * numbers, booleans, lists of texts, as `tags=['a', 'b']`), so that the hint is the line to write.
 */
function handlebarsCall(name: string, args: string): string | undefined {
  if (!sameArguments.has(name)) return undefined;
  const parts = args.match(/(?:[^,'"[\]]|'[^']*'|"[^"]*"|\[[^\]]*\])+/g) ?? [];
  const out: string[] = [];
  for (const part of parts) {
    const [, key, value = ""] = /^\s*(?:(\w+)\s*=)?\s*([\s\S]*?)\s*$/.exec(part) ?? [];
    const plain = handlebarsValue(value);
    if (plain === undefined) return undefined;
    out.push(key ? `${key}=${plain}` : plain);
  }
  const two = oneOfTwoNames(name, out);
  if (two) return `{{${name} ${two.name}}} (${two.why})`;
  return `{{${[name, ...out].join(" ")}}}`;
}

function handlebarsValue(value: string): string | undefined {
  const text = /^'([^'"]*)'$|^"([^'"]*)"$/.exec(value);
  if (text) return `"${text[1] ?? text[2]}"`;
  if (/^-?\d+(\.\d+)?$/.test(value)) return value;
  if (/^(true|false)$/i.test(value)) return value.toLowerCase();
  const list = /^\[([^\]]*)\]$/.exec(value);
  if (!list) return undefined;
  const items = (list[1] ?? "").split(",").map((item) => /^\s*(?:'([^'"]*)'|"([^'"]*)")\s*$/.exec(item));
  if (items.some((item) => !item)) return undefined;
  return `"${items.map((item) => item?.[1] ?? item?.[2]).join(",")}"`;
}
