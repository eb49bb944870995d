// The README's table of models against the project: it names every staging model and mart, and each
// name it quotes in a model's highlights is a column of that model (models/schema.yml) or a variable
// (models/project.yml), so a renamed column or variable cannot leave the README behind.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { modelsDir } from "./models-kit.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const schema = parse(readFileSync(join(modelsDir, "schema.yml"), "utf8")) as {
  models: { name: string; columns?: { name: string }[] }[];
};
const project = parse(readFileSync(join(modelsDir, "project.yml"), "utf8")) as {
  vars: Record<string, unknown>;
};

/** Model name → its highlights, from the table under "Models: what each number means". */
function readmeModels(): Map<string, string> {
  const section = readme.slice(readme.indexOf("## Models: what each number means"));
  const table = /\n(\| model [\s\S]*?)\n\n/.exec(section)?.[1] ?? "";
  const rows = table.split("\n").slice(2);
  return new Map(
    rows.map((row) => {
      const [model = "", , highlights = ""] = row.split("|").slice(1);
      return [model.trim().replaceAll("`", ""), highlights];
    }),
  );
}

it("lists every staging model and mart", () => {
  const files = ["staging", "marts"].flatMap((folder) =>
    readdirSync(join(modelsDir, folder)).map((file) => file.replace(/\.sql$/, "")),
  );
  expect([...readmeModels().keys()].sort()).toEqual(files.sort());
});

it("quotes only columns of the model and declared variables", () => {
  const unknown: string[] = [];
  let quoted = 0;
  for (const [model, highlights] of readmeModels()) {
    const columns = new Set(schema.models.find((m) => m.name === model)?.columns?.map((c) => c.name));
    for (const [, name = ""] of highlights.matchAll(/`([a-z_]+)`/g)) {
      quoted++;
      if (!columns.has(name) && !(name in project.vars)) unknown.push(`${model}: ${name}`);
    }
  }
  expect(quoted).toBeGreaterThan(5);
  expect(unknown).toEqual([]);
});
