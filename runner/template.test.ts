// What a model's template renders to: lines mapped back to the model file, variables as SQL
// literals, {{watermark}} in an incremental render, and no HTML escaping. Its errors are tested in
// template-errors.test.ts.
import { describe, expect, it } from "vitest";
import { renderTemplate } from "./template.ts";
import { bindWatermark } from "./template-marks.ts";
import { renderModelText as render } from "./testkit.ts";

describe("renderTemplate", () => {
  it("maps every output line back to its line in the model file, across blocks and config", () => {
    const text = [
      '{{config materialized="incremental" unique_key="id" watermark="ts"}}', // 1
      "select *", // 2
      'from {{ref "a"}}', // 3
      "{{#if is_incremental}}", // 4
      "where ts > (select max(ts) from {{self}})", // 5
      "{{/if}}", // 6
      '  and x = {{var "n"}}', // 7
    ].join("\n");
    const full = render(text, { n: 3 });
    expect(full.errors).toEqual([]);
    const fullLines = full.sql.split("\n");
    expect(fullLines[full.lineMap.findIndex((l) => l === 7)]).toBe("  and x = 3");
    const inc = render(text, { n: 3 }, true);
    const incLines = inc.sql.split("\n");
    const at = (source: number) => incLines[inc.lineMap.indexOf(source)];
    expect(at(3)).toBe('from main."a"');
    expect(at(5)).toBe('where ts > (select max(ts) from main."me")');
    expect(at(7)).toBe("  and x = 3");
    expect(inc.config).toEqual({
      args: { materialized: "incremental", unique_key: "id", watermark: "ts" },
      line: 1,
    });
    expect(inc.refs).toEqual([{ name: "a", line: 3 }]);
  });

  it("renders variables as SQL literals and exposes them for structure", () => {
    const r = render(
      'select {{var "events"}}, {{var "name"}}, {{var "z"}}, {{var "on"}}\n{{#each vars.steps}}{{literal name}}{{#unless @last}},{{/unless}}{{/each}}',
      {
        events: ["cta_click", "it's"],
        name: "o'hara",
        z: 3.5,
        on: true,
        steps: [{ name: "a" }, { name: "b" }],
      },
    );
    expect(r.errors).toEqual([]);
    expect(r.sql).toBe("select ['cta_click', 'it''s'], 'o''hara', 3.5, TRUE\n'a','b'");
  });

  it("renders {{watermark}} as the self subquery between marks, only in an incremental render", () => {
    const text = "select * from t\n{{#if is_incremental}}where ts > {{watermark}}{{/if}}";
    const inc = renderTemplate({
      text,
      vars: {},
      isIncremental: true,
      self: 'main."me"',
      relationOf: (m) => `main."${m}"`,
      knownSources: new Set(),
      watermark: "ts",
    });
    expect(inc.errors).toEqual([]);
    expect(bindWatermark(inc.sql)).toBe('select * from t\nwhere ts > (select max("ts") from main."me")');
    expect(bindWatermark(inc.sql, "CAST('2026-03-01 05:30:00' AS TIMESTAMP)")).toBe(
      "select * from t\nwhere ts > CAST('2026-03-01 05:30:00' AS TIMESTAMP)",
    );
    // Outside an incremental render it has no value: an error naming the line, not an empty string.
    expect(render("select 1\nwhere ts > {{watermark}}").errors).toEqual([
      {
        line: 2,
        message: expect.stringMatching(/^\{\{watermark\}\} has a value only in an incremental run/),
      },
    ]);
  });

  it("never HTML-escapes", () => {
    expect(render("select {{literal vars.s}}", { s: `<a href="x">&</a>` }).sql).toBe(
      `select '<a href="x">&</a>'`,
    );
  });
});
