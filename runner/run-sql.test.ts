import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempProject, writeFiles } from "./testkit.ts";

const filesUnder = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
        .sort()
    : [];

describe("target/run", () => {
  it("drops the SQL of a deleted or renamed model and keeps that of a model the run did not select", async () => {
    const p = tempProject({
      "staging/kept.sql": "select 1 as id",
      "marts/old_name.sql": '{{config materialized="table"}}\nselect id from {{ref "kept"}}',
      "gone/dropped.sql": "select 2 as id",
    });
    expect((await run("run", p)).code).toBe(0);
    rmSync(join(p.models, "marts", "old_name.sql"));
    rmSync(join(p.models, "gone"), { recursive: true });
    writeFiles(p.models, {
      "marts/new_name.sql": '{{config materialized="table"}}\nselect id from {{ref "kept"}}',
    });
    expect((await run("run", p, { select: ["new_name"] })).code).toBe(0);
    const target = join(p.data, "target");
    expect(filesUnder(join(target, "run"))).toEqual(["models/marts/new_name.sql", "models/staging/kept.sql"]);
    expect(readdirSync(join(target, "run", "models")).sort()).toEqual(["marts", "staging"]);
    expect(filesUnder(join(target, "compiled"))).toEqual([
      "models/marts/new_name.sql",
      "models/staging/kept.sql",
    ]);
    expect(readFileSync(join(target, "run", "models/marts/new_name.sql"), "utf8")).toContain('main."kept"');
  });

  it("holds the SQL of a model whose build failed, not that of its last build that worked", async () => {
    const p = tempProject({ "t.sql": '{{config materialized="table"}}\nselect 1 as v' });
    expect((await run("run", p)).code).toBe(0);
    writeFiles(p.models, { "t.sql": '{{config materialized="table"}}\nselect 1 as v, no_such_column' });
    expect((await run("run", p)).code).toBe(1);
    expect(readFileSync(join(p.data, "target", "run", "models", "t.sql"), "utf8")).toContain(
      "no_such_column",
    );
  });
});
