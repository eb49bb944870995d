// The README's example of adding a model, done as an analyst would: the file goes into a copy of the
// shipped project, and `build --select` makes a table that holds what the example says it does.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeDemo } from "../local/demo.ts";
import { runProject } from "../runner/index.ts";
import { openWarehouse } from "../runner/warehouse.ts";
import { modelsDir } from "./models-kit.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const folder = mkdtempSync(join(tmpdir(), "ownstats-readme-model-"));

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("README: adding a model", () => {
  it("builds the example model, which holds a row for every converted session", async () => {
    const example = /Add a model by adding `models\/<folder>\/<name>\.sql`:\n\n```sql\n([\s\S]*?)```/.exec(
      readme,
    )?.[1];
    expect(example, "the README's example model").toBeDefined();
    const models = join(folder, "models");
    cpSync(modelsDir, models, { recursive: true });
    const data = join(folder, "data");
    await writeDemo({ data, visitors: 150, days: 7, seed: 4, now: "2026-03-01T00:00:00Z" });
    const lines: string[] = [];
    const build = (select?: string[]) =>
      runProject("build", { data, models, select, fullRefresh: false, log: (line) => lines.push(line) });
    expect(await build(), lines.join("\n")).toBe(0);

    // Step 4 of "Adding a model": the new file, then a build of it and what depends on it.
    writeFileSync(join(models, "marts", "converted_page_views.sql"), example as string);
    lines.length = 0;
    expect(await build(["converted_page_views+"]), lines.join("\n")).toBe(0);
    const warehouse = await openWarehouse(data);
    const [row] = await warehouse.all(`select
      (select count(*) from converted_page_views) as rows,
      (select count(*) from converted_page_views where page_views >= 1) as with_views,
      (select count(*) from sessions where converted) as converted`);
    warehouse.close();
    expect(Number(row?.converted)).toBeGreaterThan(0);
    expect(row).toEqual({ rows: row?.converted, with_views: row?.converted, converted: row?.converted });
  });
});
