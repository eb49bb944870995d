import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownstats } from "../cli-run.ts";
import { tempFolder } from "../test/temp-folders.ts";
import type { Manifest } from "./index.ts";
import { eventsSource, listNodes, run, type TempProject, tempProject, writeFiles } from "./testkit.ts";

// stg (view, reads the source) → sessions (table, tested) → daily; pages includes a macro.
const files = {
  "staging/stg.sql": 'select event_id, session_id, event_ts from {{source "events"}}',
  "marts/sessions.sql":
    '{{config materialized="table"}}\nselect session_id, count(*) as n from {{ref "stg"}} group by 1',
  "marts/daily.sql": '{{config materialized="table"}}\nselect count(*) as sessions from {{ref "sessions"}}',
  "marts/pages.sql": 'select {{> answer}} as answer from {{ref "stg"}}',
  "macros/answer.sql": "42",
  "schema.yml": [
    "models:",
    "  - name: sessions",
    "    columns:",
    "      - name: session_id",
    "        tests: [unique, { accepted_values: { values: [a, b] } }]",
  ].join("\n"),
};

/** A project whose manifest.json, as it is now, is kept in `state/` (as CI keeps production's). */
function projectWithState(): TempProject & { state: string } {
  const p = tempProject(files);
  expect(ls(p, [], undefined).code).toBe(0);
  const state = join(p.root, "state");
  mkdirSync(state);
  copyFileSync(join(p.data, "target", "manifest.json"), join(state, "manifest.json"));
  return { ...p, state };
}

const ls = (p: TempProject, select: string[], state: string | undefined) => listNodes(p, { select, state });

describe("state: selection against an earlier manifest (--state)", () => {
  it("selects nothing when nothing changed, and a model whose SQL changed, with its tests and, with +, what reads it", () => {
    const p = projectWithState();
    expect(ls(p, ["state:modified"], p.state).lines).toEqual([]);
    expect(ls(p, ["state:unmodified"], p.state).lines).toContain("daily");
    writeFiles(p.models, {
      "marts/sessions.sql": '{{config materialized="table"}}\nselect session_id, 1 as n from {{ref "stg"}}',
    });
    expect(ls(p, ["state:modified"], p.state).lines).toEqual([
      "sessions",
      "unique_sessions_session_id",
      "accepted_values_sessions_session_id__a__b",
    ]);
    expect(ls(p, ["state:modified+"], p.state).lines).toEqual([
      "sessions",
      "unique_sessions_session_id",
      "accepted_values_sessions_session_id__a__b",
      "daily",
    ]);
    expect(ls(p, ["state:modified.body"], p.state).lines).toContain("sessions");
    expect(ls(p, ["state:modified.configs"], p.state).lines).toEqual([]);
  });

  it("tells new models from modified ones, and a config change from a tag change", () => {
    const p = projectWithState();
    writeFiles(p.models, {
      "marts/weekly.sql": 'select 1 as w from {{ref "daily"}}',
      "marts/daily.sql":
        '{{config materialized="view" tags="nightly"}}\nselect count(*) as sessions from {{ref "sessions"}}',
    });
    expect(ls(p, ["state:new"], p.state).lines).toEqual(["weekly"]);
    expect(ls(p, ["state:modified.configs"], p.state).lines).toEqual(["daily", "weekly"]);
    writeFiles(p.models, {
      "marts/daily.sql": files["marts/daily.sql"],
      "schema.yml": `${files["schema.yml"]}\n  - name: daily\n    meta: { owner: ops }\n    config: { tags: [nightly] }`,
    });
    // As in dbt, tags and meta describe a model and change nothing built.
    expect(ls(p, ["state:modified"], p.state).lines).toEqual(["weekly"]);
    expect(ls(p, ["tag:nightly"], p.state).lines).toEqual(["daily"]);
  });

  it("takes a model whose macro changed, a test whose arguments changed, and what reads a changed source", () => {
    const p = projectWithState();
    writeFiles(p.models, { "macros/answer.sql": "43" });
    expect(ls(p, ["state:modified"], p.state).lines).toEqual(["pages"]);
    expect(ls(p, ["state:modified.macros"], p.state).lines).toEqual(["pages"]);
    writeFiles(p.models, {
      "macros/answer.sql": "42",
      "schema.yml": files["schema.yml"].replace("[a, b]", "[a, c]"),
    });
    // As in dbt, a generic test's name holds its arguments: with another value it is a new test.
    expect(ls(p, ["state:modified"], p.state).lines).toEqual(["accepted_values_sessions_session_id__a__c"]);
    expect(ls(p, ["state:new"], p.state).lines).toEqual(["accepted_values_sessions_session_id__a__c"]);
    writeFiles(p.models, {
      "schema.yml": files["schema.yml"],
      "project.yml": `name: demo\nvars:\n  conversion_events: [cta_click]\n  min_scroll: 50\n${eventsSource.replace("page_path: VARCHAR, ", "")}`,
    });
    const sourceChanged = ls(p, ["state:modified"], p.state);
    expect(sourceChanged.lines).toEqual([]);
    expect(sourceChanged.errors.join("\n")).toContain("state:modified+ takes what reads it");
    expect(ls(p, ["state:modified+1"], p.state).lines).toEqual(["stg"]);
  });

  it("compares a generic test by its name and arguments with a manifest that gives it no checksum, as dbt's", () => {
    const p = projectWithState();
    const path = join(p.state, "manifest.json");
    const manifest = JSON.parse(readFileSync(path, "utf8")) as Manifest;
    for (const node of Object.values(manifest.nodes))
      if (node.resource_type === "test" && node.test_metadata) node.checksum = { name: "none", checksum: "" };
    writeFileSync(path, JSON.stringify(manifest));
    expect(ls(p, ["state:modified"], p.state).lines).toEqual([]);
    writeFiles(p.models, { "schema.yml": files["schema.yml"].replace("[a, b]", "[a, c]") });
    expect(ls(p, ["state:modified"], p.state).lines).toEqual(["accepted_values_sessions_session_id__a__c"]);
  });

  it("compares with the manifest a --state naming the data folder's target held, not the one the run writes", async () => {
    const p = tempProject(files);
    expect((await run("run", p)).code).toBe(0);
    writeFiles(p.models, {
      "marts/daily.sql":
        '{{config materialized="table"}}\nselect count(*) + 0 as sessions from {{ref "sessions"}}',
    });
    const rerun = await run("build", p, { select: ["state:modified+"], state: join(p.data, "target") });
    expect(rerun.code).toBe(0);
    expect(rerun.output).toContain("OK created sql table model main.daily");
    expect(rerun.output).not.toContain("main.sessions");
    expect(rerun.output).toContain("TOTAL=1");
  });

  it("reads result: from the --state folder's run_results.json, as dbt's", async () => {
    const p = tempProject({ "ok.sql": "select 1 as id", "broken.sql": 'select nope from {{ref "ok"}}' });
    expect((await run("run", p)).code).toBe(1);
    const state = tempFolder("ownstats-state-");
    for (const file of ["manifest.json", "run_results.json"])
      copyFileSync(join(p.data, "target", file), join(state, file));
    writeFiles(p.models, { "broken.sql": 'select id from {{ref "ok"}}' });
    expect((await run("run", p)).code).toBe(0);
    expect(ls(p, ["result:error"], undefined).lines).toEqual([]);
    expect(ls(p, ["result:error"], state).lines).toEqual(["broken"]);
  });

  it("refuses a --state with no readable manifest, naming the path, and state: without --state", () => {
    const p = projectWithState();
    const missing = join(p.root, "nowhere");
    expect(ls(p, ["state:modified"], missing)).toMatchObject({
      code: 2,
      errors: [`Usage error: --state ${missing}: no such folder`],
    });
    const empty = tempFolder("ownstats-state-");
    expect(ls(p, ["state:modified"], empty).errors[0]).toContain(
      `--state ${empty}: cannot read ${join(empty, "manifest.json")} (no such file)`,
    );
    writeFileSync(join(empty, "manifest.json"), "{ not json");
    expect(ls(p, ["state:modified"], empty).errors[0]).toContain("is not valid JSON");
    writeFileSync(join(empty, "manifest.json"), "[]");
    expect(ls(p, ["state:modified"], empty).errors[0]).toContain('is not a dbt manifest (it has no "nodes")');
    expect(ls(p, ["state:modified"], join(p.state, "manifest.json")).errors[0]).toBe(
      `Usage error: --state takes the folder that holds manifest.json: --state ${p.state}`,
    );
    const without = ls(p, ["state:modified+"], undefined);
    expect(without.code).toBe(2);
    expect(without.errors[0]).toContain(
      '"state:modified+" compares with an earlier run: give --state <folder> holding that run\'s manifest.json',
    );
    expect(ls(p, ["state:changed"], p.state).errors[0]).toContain(
      'unknown state "changed" in "state:changed"',
    );
  });

  it("takes --state on the command line, and exits 2 on a missing folder", async () => {
    const p = projectWithState();
    writeFiles(p.models, { "marts/new_one.sql": "select 1 as x" });
    const newOnes = (command: string, state: string) =>
      ownstats(command, "--data", p.data, "--models", p.models, "-s", "state:new", "--state", state);
    expect(await newOnes("ls", p.state)).toMatchObject({ code: 0, stdout: "new_one\n" });
    const missing = join(p.root, "nowhere");
    const refused = await newOnes("run", missing);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain(`Usage error: --state ${missing}: no such folder`);
  });
});
