import { describe, expect, it } from "vitest";
import { innerStatementEnd, sqlLiteral, stripTrailingSemicolons } from "./sql.ts";

describe("stripTrailingSemicolons", () => {
  it("removes the semicolons, comments and blank lines after the last token", () => {
    expect(stripTrailingSemicolons("select 1; -- failing rows")).toBe("select 1");
    expect(stripTrailingSemicolons("select 1\n;\n-- a note\n/* and /* nested */ one */\n\n")).toBe(
      "select 1",
    );
    expect(stripTrailingSemicolons("select 1 -- no semicolon")).toBe("select 1");
  });

  it("keeps what only looks like a comment or a semicolon inside quotes", () => {
    for (const sql of [
      "select '; -- not a comment'",
      'select 1 as "a;--b"',
      "select 'it''s;'",
      "select E'a\\'; --'",
      "select $$ ; -- $$",
      "select $q$ ;-- $q$",
    ])
      expect(stripTrailingSemicolons(`${sql}; -- end`)).toBe(sql);
  });
});

describe("innerStatementEnd", () => {
  it("finds a ';' with more code after it, not one in quotes or comments, nor the last one", () => {
    expect(innerStatementEnd("select 1; select 2")).toBe(8);
    expect(innerStatementEnd("select ';' as a; -- end\n;")).toBeUndefined();
    expect(innerStatementEnd("select 1 /* ; */ -- ;\n")).toBeUndefined();
  });
});

describe("sqlLiteral", () => {
  it("quotes strings, lists arrays, and refuses values SQL cannot hold", () => {
    expect(sqlLiteral(null)).toBe("NULL");
    expect(sqlLiteral([1, "a", [false]])).toBe("[1, 'a', [FALSE]]");
    expect(sqlLiteral({ k: "v" })).toBe("{'k': 'v'}");
    expect(() => sqlLiteral(Number.NaN)).toThrow(/NaN/);
  });
});
