// The README's sentence on the model names compile refuses, against what compile refuses: each kind
// of name it refuses is named there.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { compileProject } from "../runner/compile.ts";
import { tempProject } from "../runner/testkit.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

it("names every kind of model name that compile refuses", () => {
  const sentence = /the file name is the model name \(([^)]*)\)/.exec(readme)?.[1] ?? "";
  expect(sentence, "the README's sentence").toContain("refused");
  const refused: [string, string][] = [
    ["a b", "a space"],
    ["a,b", "a comma"],
    ["a:b", "a colon"],
    ["a*", "a wildcard"],
    ["+a", "leading"],
    ["@a", "`@`"],
    ["a+", "trailing"],
  ];
  for (const [name, words] of refused) {
    expect(compileProject(tempProject({ [`${name}.sql`]: "select 1" }).models).errors, name).toHaveLength(1);
    expect(sentence, name).toContain(words);
  }
});
