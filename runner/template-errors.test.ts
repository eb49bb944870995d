// renderTemplate is strict where Handlebars is lenient, and each error names the model line and
// says what to write instead: missing names, unquoted config values and names, dbt's spellings,
// broken blocks, values that would print nothing or [object Object], failing macros.
import { describe, expect, it } from "vitest";
import { renderTemplate } from "./template.ts";
import { renderModelText as render } from "./testkit.ts";

describe("renderTemplate errors", () => {
  it("is strict: a missing variable or helper is an error with its line, not an empty string", () => {
    expect(render('select 1\nfrom {{var "nope"}}').errors).toEqual([
      { line: 2, message: 'unknown variable "nope" (project.yml vars: none)' },
    ]);
    expect(render("select 1\n\n{{missing_thing}}").errors[0]).toEqual({
      line: 3,
      message: '"missing_thing" is not defined (a missing helper or variable)',
    });
    expect(render("select {{ref 'a'").errors[0]?.line).toBe(1);
    expect(render('select 1 from {{source "nope"}}').errors[0]?.message).toMatch(/unknown source "nope"/);
  });

  it("is strict where Handlebars is not: names given to helpers and blocks, and root names in {{#each}}", () => {
    const vars = {
      steps: [
        { name: "a", event_type: "x" },
        { name: "b", evnt_type: "y" },
      ],
      opt: null,
    };
    const errors = (text: string, incremental = false) => render(text, vars, incremental).errors;
    expect(errors("select 1\nwhere {{literal vars.typo}}")).toEqual([
      { line: 2, message: 'unknown variable "vars.typo" (project.yml vars: steps, opt)' },
    ]);
    expect(errors("select 1\n{{#each vars.typo}}x{{/each}}")[0]?.line).toBe(2);
    expect(errors("select 1\n\n{{#if is_incremntal}}x{{/if}}")).toEqual([
      { line: 3, message: '"is_incremntal" is not defined (a missing helper or variable)' },
    ]);
    expect(errors("{{#each vars.steps}}\n{{literal event_type}}{{/each}}")).toEqual([
      { line: 2, message: "{{literal}} was given a name that has no value (is it spelt right?)" },
    ]);
    expect(errors("{{#each vars.steps}}\n{{#if is_incremental}}x{{/if}}{{/each}}", true)).toEqual([
      {
        line: 2,
        message:
          'inside {{#each}} or {{#with}}, "is_incremental" is read from the item; write @root.is_incremental',
      },
    ]);
    expect(errors("select 1\n{{#if}}x{{/if}}")).toEqual([
      { line: 2, message: "{{#if}} takes exactly one value" },
    ]);
    // What stays allowed: YAML nulls, optional fields tested with #if, and @root inside blocks.
    const ok = render(
      "{{literal vars.opt}}{{#each vars.steps}}{{#if event_type}}{{literal event_type}}{{/if}}{{#if @root.is_incremental}}!{{/if}}{{/each}}",
      vars,
      true,
    );
    expect(ok.errors).toEqual([]);
    expect(ok.sql).toBe("NULL'x'!!");
  });

  it("refuses a {{config}} inside a block, which a full build would not read (an incremental model built as a view)", () => {
    const text = [
      "{{#if is_incremental}}",
      '{{config materialized="incremental" unique_key="id" watermark="ts"}}',
      '{{else}}{{#unless is_incremental}}{{config tags="a"}}{{/unless}}',
      "{{/if}}",
      "select 1 as id, now() as ts",
    ].join("\n");
    const message = (block: string) =>
      `{{config}} inside {{#${block}}} is read only when the block renders: put it at the top level of the model`;
    expect(render(text).errors).toEqual([
      { line: 2, message: message("if") },
      { line: 3, message: message("unless") },
    ]);
  });

  it("says to quote an unquoted config value, which Handlebars reads as a variable", () => {
    expect(render('{{config materialized=table tags="a" enabled=false}}\nselect 1').errors).toEqual([
      {
        line: 1,
        message:
          '{{config materialized=table}} reads a variable named "table": quote the value, materialized="table"',
      },
    ]);
  });

  it("says to write dbt's enabled=False as Handlebars' false, unquoted, rather than to quote it", () => {
    for (const [value, flag] of [
      ["False", false],
      ["no", false],
      ["TRUE", true],
      ["on", true],
    ] as const)
      expect(render(`{{config enabled=${value}}}\nselect 1`).errors).toEqual([
        {
          line: 1,
          message: `{{config enabled=${value}}} reads a variable named "${value}": write enabled=${flag}, unquoted and in lower case (Handlebars' true and false)`,
        },
      ]);
  });

  it("says to write dbt's list of tags as one quoted text, not to quote the list", () => {
    for (const list of [`["a","b"]`, `['a', 'b']`])
      expect(render(`{{config materialized="table" tags=${list}}}\nselect 1`).errors).toEqual([
        {
          line: 1,
          message: `{{config tags=${list}}} is a list, which {{config}} takes as one quoted text: tags="a,b"`,
        },
      ]);
  });

  it("answers dbt's two names (package and model, source and table, name and default) with the one to write", () => {
    const two = (text: string) => render(text).errors.map((e) => e.message);
    expect(two('select * from {{source "raw" "events"}}')).toEqual([
      '{{source "raw" "events"}} gives two names, where it takes one: write {{source "events"}} (a source here has one name, the one project.yml declares)',
    ]);
    expect(two('select * from {{ref "shop" "orders"}}')).toEqual([
      '{{ref "shop" "orders"}} gives two names, where it takes one: write {{ref "orders"}} (a project here is one package, named by no ref)',
    ]);
    expect(two('select {{var "n" 3}}')).toEqual([
      `{{var "n" 3}} gives two names, where it takes one: write {{var "n"}} (a variable's default goes in project.yml vars:)`,
    ]);
  });

  it("says to quote an unquoted name given to ref, var or source", () => {
    expect(render("select {{var n}} from {{ref orders}}\njoin {{source events}} using (id)").errors).toEqual([
      { line: 1, message: '{{var n}} reads a variable named "n": quote the name, {{var "n"}}' },
      {
        line: 1,
        message: '{{ref orders}} reads a variable named "orders": quote the name, {{ref "orders"}}',
      },
      {
        line: 2,
        message: '{{source events}} reads a variable named "events": quote the name, {{source "events"}}',
      },
    ]);
    // Inside a block, a bare name is the item's: {{ref this}}, {{ref t}} for `as |t|`.
    const each = "{{#each vars.tables as |t|}}select * from {{ref t}} union all {{ref this}}{{/each}}";
    const refs = render(each, { tables: ["a", "b"] }).refs.map((r) => r.name);
    expect(refs).toEqual(["a", "a", "b", "b"]);
  });

  it("says what usually breaks Handlebars' parse: a }} written }, a block left open", () => {
    const [unclosed] = render('select * from {{ref "a"}\nwhere 1 = 1').errors;
    expect(unclosed?.line).toBe(1);
    expect(unclosed?.message).toContain("a {{…}} here cannot be read: closed with } instead of }}");
    expect(unclosed?.message).not.toContain("Expecting");
    const [open] = render("select 1 as id\n{{#if is_incremental}}\nwhere 1=1\n").errors;
    expect(open?.message).toContain(
      "the file ends inside a block: a {{#if}}, {{#unless}} or {{#each}} above has no",
    );
  });

  it("refuses a printed field of a block parameter that has no value, which printed nothing", () => {
    const vars = { steps: [{ name: "a", opt: null }] };
    expect(render("select 1\n{{#each vars.steps as |s|}}{{s.nmae}}{{/each}}", vars).errors).toEqual([
      { line: 2, message: "{{s.nmae}} has no value (is it spelt right?)" },
    ]);
    // Fields that are there print as before, a YAML null as nothing, and #if still tests a missing one.
    const ok = render(
      "{{#each vars.steps as |s|}}{{s.name}}{{this.name}}{{s.opt}}{{#if s.gone}}x{{/if}}{{/each}}",
      vars,
    );
    expect(ok.errors).toEqual([]);
    expect(ok.sql).toBe("aa");
  });

  it("refuses {{#each}} over a text or a number, which Handlebars renders as an empty list", () => {
    const vars = { steps: "page_view", n: 3, none: null, list: ["a"] };
    expect(render("select 1\n{{#each vars.steps}}{{name}}{{/each}}", vars).errors).toEqual([
      { line: 2, message: '{{#each}} needs a list or a mapping, not the text "page_view"' },
    ]);
    expect(render("{{#each vars.n}}x{{/each}}", vars).errors[0]?.message).toBe(
      "{{#each}} needs a list or a mapping, not the number 3",
    );
    // A YAML null is an empty list, as before; a list is read as ever.
    expect(
      render("{{#each vars.none}}x{{else}}none{{/each}}{{#each vars.list}}{{this}}{{/each}}", vars).sql,
    ).toBe("nonea");
  });

  it("refuses {{this}} and {{vars}}, which would render as [object Object], but not an item's {{this}}", () => {
    const errors = (text: string) => render(text, { cols: ["a", "b"] }, true).errors;
    expect(errors("select 1 as x\nwhere x > (select max(x) from {{ this }})")).toEqual([
      {
        line: 2,
        message: "{{this}} is the template's context, not the model's relation as in dbt: write {{self}}",
      },
    ]);
    expect(errors("select {{{vars}}}")).toEqual([
      { line: 1, message: '{{vars}} holds every variable: write {{var "name"}} for one' },
    ]);
    const items = render("select {{#each vars.cols}}{{this}}, {{/each}}1", { cols: ["a", "b"] });
    expect(items.errors).toEqual([]);
    expect(items.sql).toBe("select a, b, 1");
  });

  it("names the line that includes a macro when the macro is unknown or fails", () => {
    const withMacros = (text: string) =>
      renderTemplate({
        text,
        vars: {},
        isIncremental: false,
        self: 'main."me"',
        relationOf: (m) => `main."${m}"`,
        knownSources: new Set(),
        macros: { broken: "x\n{{nothing_here}}" },
      }).errors;
    expect(withMacros("select 1\n{{> nomac}}")).toEqual([
      { line: 2, message: "unknown macro {{> nomac}} (macros are models/macros/*.sql)" },
    ]);
    expect(withMacros("select 1\n\n{{> broken}}")[0]).toMatchObject({
      line: 3,
      macroLines: [{ file: "broken", line: 2 }],
      message: expect.stringMatching(/^"nothing_here" is not defined/),
    });
  });

  it("names the line of the errors Handlebars raises without one, in macros too", () => {
    const withMacros = (text: string) =>
      renderTemplate({
        text,
        vars: { days: 3 },
        isIncremental: false,
        self: 'main."me"',
        relationOf: (m) => `main."${m}"`,
        knownSources: new Set(),
        macros: { outer: "x\n{{> inner}}", inner: "{{nothing_here}}", pick: "{{literal col}}" },
      }).errors;
    expect(withMacros('select 1\n{{lookup vars "dayz"}}')).toEqual([
      { line: 2, message: 'unknown variable "vars.dayz" (project.yml vars: days)' },
    ]);
    expect(withMacros("select 1\n\nwhere {{vars.days.x}}")).toEqual([
      { line: 3, message: '"x" is not defined: it is read from 3, which has no fields' },
    ]);
    expect(withMacros("select 1\n{{#with vars}}\n{{../../x}}{{/with}}")).toEqual([
      { line: 3, message: '"x" is not defined (a missing helper or variable)' },
    ]);
    expect(withMacros("select 1\n{{> outer}}")).toEqual([
      {
        line: 2,
        macroLines: [
          { file: "inner", line: 1 },
          { file: "outer", line: 2 },
        ],
        message: '"nothing_here" is not defined (a missing helper or variable)',
      },
    ]);
    // The include that fails, not the macro's first one.
    expect(withMacros("select {{> pick col=1}}\n, {{> pick}}")).toEqual([
      {
        line: 2,
        macroLines: [{ file: "pick", line: 1 }],
        message: '"col" is not defined (a missing helper or variable)',
      },
    ]);
  });

  it("names a value called as a helper in parentheses, (is_incremental), with what to write", () => {
    const errors = (text: string) => render(text, { on: true, days: [1], steps: [{ name: "a" }] }).errors;
    expect(errors("select 1\n{{#if (is_incremental)}}where false{{/if}}")).toEqual([
      {
        line: 2,
        message:
          '(is_incremental) calls "is_incremental" as a helper, but it is a value: write is_incremental, without the parentheses',
      },
    ]);
    expect(errors("select 1\n\n{{#each (vars.days)}}{{this}}{{/each}}")).toEqual([
      {
        line: 3,
        message:
          '(vars.days) calls "vars.days" as a helper, but it is a value: write vars.days, without the parentheses',
      },
    ]);
    expect(errors("select 1\n{{#each vars.days}}{{#if (@root.vars.on)}}1{{/if}}{{/each}}")).toEqual([
      {
        line: 2,
        message:
          '(@root.vars.on) calls "@root.vars.on" as a helper, but it is a value: write @root.vars.on, without the parentheses',
      },
    ]);
    // One Handlebars can only find while rendering, as a field of an item, names the line too.
    expect(errors("select 1\n{{#each vars.steps}}\n{{#if (name)}}1{{/if}}{{/each}}")).toEqual([
      {
        line: 3,
        message:
          'a (…) here calls a value as a helper: write the value without the parentheses (a subexpression starts with a helper, as (lookup vars "x"))',
      },
    ]);
  });
});
