// A singular test is named by its file, and, as in dbt, that name is one data test's alone: a second
// file of that name, or a schema.yml test named so, is a project error rather than a test renamed.
import { describe, expect, it } from "vitest";
import { compileProject } from "./compile.ts";
import { run, tempProject } from "./testkit.ts";

const errorsOf = (files: Record<string, string>) =>
  compileProject(tempProject(files).models).errors.map(
    (e) => `${e.line ? `${e.file}:${e.line}` : e.file} ${e.message}`,
  );

describe("a singular test's name", () => {
  it("given to two files is a project error naming both, among the other errors", async () => {
    const files = {
      "a.sql": "select 1 as id",
      "b.sql": 'select * from {{ref "nowhere"}}',
      "tests/a/dup.sql": 'select * from {{ref "a"}} where id < 0',
      "tests/b/dup.sql": 'select * from {{ref "a"}} where id > 1',
    };
    expect(errorsOf(files)).toEqual([
      'models/b.sql:1 ref to a model that does not exist: "nowhere"',
      'models/tests/b/dup.sql two data tests are named "dup": models/tests/a/dup.sql and models/tests/b/dup.sql (data test names must be unique)',
    ]);
    const built = await run("build", tempProject(files));
    expect(built.code).toBe(2);
    expect(built.output).toContain("Encountered 2 project errors:");
    expect(built.output).not.toContain("dup_2");
  });

  it("taken by a generic test is a project error naming the schema.yml line and the file", () => {
    expect(
      errorsOf({
        "a.sql": "select 1 as id",
        "schema.yml": "models:\n  - name: a\n    columns:\n      - name: id\n        tests: [not_null]\n",
        "tests/not_null_a_id.sql": 'select * from {{ref "a"}} where id is null',
      }),
    ).toEqual([
      'models/tests/not_null_a_id.sql two data tests are named "not_null_a_id": models/schema.yml:5 and models/tests/not_null_a_id.sql (data test names must be unique)',
    ]);
  });

  it("may be a disabled test's too", () => {
    expect(
      errorsOf({
        "a.sql": "select 1 as id",
        "tests/a/dup.sql": '{{config enabled=false}}\nselect * from {{ref "a"}}',
        "tests/b/dup.sql": 'select * from {{ref "a"}}',
      }),
    ).toEqual([]);
  });
});
