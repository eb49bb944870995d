import { describe, expect, it } from "vitest";
import { compileProject } from "./compile.ts";
import { jinjaMistakes } from "./template-jinja.ts";
import { run, tempProject } from "./testkit.ts";

describe("Jinja in a model", () => {
  it("is a compile error naming the file, the line and the Handlebars to write instead", async () => {
    const p = tempProject({
      "base.sql": "select 1 as id, now() as ts",
      "inc.sql": [
        '{{config materialized="incremental" unique_key="id" watermark="ts"}}',
        'select * from {{ref "base"}}',
        "{% if is_incremental() %}",
        "where ts > (select max(ts) from {{self}})",
        "{% endif %}",
      ].join("\n"),
      "noted.sql": '{# the ids #}\nselect id from {{ref "base"}}',
      "called.sql": "select {{ dbt_utils.star(ref('base')) }}\nfrom {{ ref('base') }}",
      "macros/recent.sql": "where ts > now() - interval 1 day",
      "with_macro.sql": '{% set days = 3 %}\nselect * from {{ref "base"}}\n{{ recent() }}',
      "tests/no_future.sql": 'select * from {{ref "base"}}\n{%- if true %} where ts > now() {% endif %}',
    });
    const where = compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`);
    const tag = "is a Jinja tag, which models do not run (they are Handlebars): write";
    expect(where).toEqual(
      expect.arrayContaining([
        `models/inc.sql:3 {% if is_incremental() %} ${tag} {{#if is_incremental}} … {{/if}}`,
        `models/inc.sql:5 {% endif %} ${tag} {{/if}} (or {{/unless}})`,
        "models/noted.sql:1 {# … #} is a Jinja comment, which would reach DuckDB as text: write {{!-- … --}} or -- …",
        "models/called.sql:1 {{ dbt_utils.star(…) }} is Jinja's call syntax: dbt packages' macros do not exist here; a macro of your own is a file models/macros/name.sql",
        `models/called.sql:2 {{ ref(…) }} is Jinja's call syntax: write {{ref "base"}}`,
        `models/with_macro.sql:1 {% set days = 3 %} ${tag} a variable in project.yml vars, read with {{var "name"}}`,
        `models/with_macro.sql:3 {{ recent(…) }} is Jinja's call syntax: write {{> recent param="value"}} (a macro)`,
        `models/tests/no_future.sql:2 {%- if true %} ${tag} {{#if name}} … {{/if}} (it tests one value, no expression)`,
      ]),
    );
    expect(where).toHaveLength(9);
    const { code, output } = await run("run", p);
    expect(code).toBe(2);
    expect(output).toContain("Compilation Error in models/inc.sql:3");
  });

  it("names the very Handlebars to write for a ref, var or config call of plain values, in a test too", () => {
    const p = tempProject({
      "base.sql": `{{ config(materialized='table', tags=['a', "b"], enabled=False) }}\nselect {{ var("n") }} as id`,
      "other.sql": "{{ config(unique_key=some_var) }}\nselect 1 as id",
      "tests/few.sql":
        "{{ config(severity = 'warn', error_if='>10') }}\nselect * from {{ ref('base') }} where id < 0",
    });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      `models/base.sql:1 {{ config(…) }} is Jinja's call syntax: write {{config materialized="table" tags="a,b" enabled=false}}`,
      `models/base.sql:2 {{ var(…) }} is Jinja's call syntax: write {{var "n"}}`,
      `models/other.sql:1 {{ config(…) }} is Jinja's call syntax: write {{config materialized="table" unique_key="id"}}`,
      `models/tests/few.sql:1 {{ config(…) }} is Jinja's call syntax: write {{config severity="warn" error_if=">10"}}`,
      `models/tests/few.sql:2 {{ ref(…) }} is Jinja's call syntax: write {{ref "base"}}`,
    ]);
  });

  it("names the one name to write for dbt's two-name source, ref and var calls", () => {
    const text =
      "select * from {{ source('raw', 'events') }}, {{ ref('shop', 'orders') }}\nwhere {{ var('n', 3) }}";
    expect(jinjaMistakes(text)).toEqual([
      {
        line: 1,
        message: `{{ source(…) }} is Jinja's call syntax: write {{source "events"}} (a source here has one name, the one project.yml declares)`,
      },
      {
        line: 1,
        message: `{{ ref(…) }} is Jinja's call syntax: write {{ref "orders"}} (a project here is one package, named by no ref)`,
      },
      {
        line: 2,
        message: `{{ var(…) }} is Jinja's call syntax: write {{var "n"}} (a variable's default goes in project.yml vars:)`,
      },
    ]);
  });

  it("is a compile error in a macro file too, named with the macro file's line", () => {
    const p = tempProject({
      "macros/recent.sql":
        "{% macro recent(days) %}\nwhere ts > now() - interval {{days}} day\n{% endmacro %}",
      "a.sql": "select 1",
    });
    const where = compileProject(p.models).errors.map(
      (e) => `${e.file}:${e.line} ${e.message.split(":")[0]}`,
    );
    expect(where).toEqual([
      "models/macros/recent.sql:1 {% macro recent(days) %} is a Jinja tag, which models do not run (they are Handlebars)",
      "models/macros/recent.sql:3 {% endmacro %} is a Jinja tag, which models do not run (they are Handlebars)",
    ]);
  });

  it("names a Jinja call inside a Handlebars block, {{#if is_incremental()}}, with the block to write", () => {
    const text =
      "select 1\n{{#if is_incremental()}}where x{{else if var('on')}}{{/if}}\n{{~#unless is_incremental( ) }}{{/unless}}";
    expect(jinjaMistakes(text)).toEqual([
      {
        line: 2,
        message:
          "{{#if is_incremental(…)}} is Jinja's call syntax: write {{#if is_incremental}} (a name, without parentheses)",
      },
      {
        line: 2,
        message:
          "{{else if var(…)}} is Jinja's call syntax: write {{else if vars.name}} (a name, without parentheses)",
      },
      {
        line: 3,
        message:
          "{{#unless is_incremental(…)}} is Jinja's call syntax: write {{#unless is_incremental}} (a name, without parentheses)",
      },
    ]);
    const p = tempProject({ "a.sql": "select 1\n{{#if is_incremental()}}where false{{/if}}" });
    expect(compileProject(p.models).errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      "models/a.sql:2 {{#if is_incremental(…)}} is Jinja's call syntax: write {{#if is_incremental}} (a name, without parentheses)",
    ]);
  });

  it("is left alone inside a Handlebars comment, and a Handlebars subexpression is not taken for it", () => {
    const p = tempProject({
      "a.sql": "{{!-- was: {% if is_incremental() %} --}}\nselect 1",
      "b.sql": 'select {{literal (lookup vars "min_scroll")}} as s',
    });
    expect(compileProject(p.models).errors).toEqual([]);
  });
});
