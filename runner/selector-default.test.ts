import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownstats } from "../cli-run.ts";
import { fullRefreshMarkPath } from "./full-refresh-mark.ts";
import { listNodes, run, tempProject, writeFiles } from "./testkit.ts";

// stg → sessions (tagged nightly, tested) → daily; the default selector leaves daily out.
const files = {
  "staging/stg.sql": 'select event_id, session_id from {{source "events"}}',
  "marts/sessions.sql": '{{config tags="nightly"}}\nselect session_id from {{ref "stg"}}',
  "marts/daily.sql": 'select count(*) as n from {{ref "sessions"}}',
  "schema.yml":
    "models:\n  - name: sessions\n    columns:\n      - name: session_id\n        tests: [not_null]",
  "selectors.yml": `selectors:
  - name: all_but_daily
    default: true
    definition:
      union:
        - "fqn:*"
        - exclude: [daily]
  - name: nightly
    definition: "tag:nightly"
`,
};

describe("selectors.yml's default: true", () => {
  it("is applied when a command is given no --select, --exclude or --selector, and only then, as dbt does", () => {
    const p = tempProject(files);
    const bare = listNodes(p);
    expect(bare.lines).toEqual(["stg", "sessions", "not_null_sessions_session_id"]);
    expect(bare.errors).toEqual([
      'Using the default selector "all_but_daily" of models/selectors.yml (default: true); --select, --exclude or --selector choose otherwise',
    ]);
    // Any selection of the command's own replaces it; it is not combined with the default.
    expect(listNodes(p, { select: ["daily"] }).lines).toEqual(["daily"]);
    expect(listNodes(p, { exclude: ["stg"] }).lines).toEqual([
      "sessions",
      "not_null_sessions_session_id",
      "daily",
    ]);
    expect(listNodes(p, { selector: "nightly" }).lines).toEqual(["sessions", "not_null_sessions_session_id"]);
  });

  it("makes a run a selection: run_results.json names the selector and the full-refresh mark waits for a whole run", async () => {
    const p = tempProject(files);
    writeFileSync(fullRefreshMarkPath(p.data), "2026-03-01T01:00:00Z\n");
    const built = await run("build", p);
    expect(built.code).toBe(0);
    expect(built.output).toContain("TOTAL=3");
    expect(built.output).toContain("a selection does not build in full");
    expect(existsSync(fullRefreshMarkPath(p.data))).toBe(true);
    const results = JSON.parse(readFileSync(join(p.data, "target", "run_results.json"), "utf8"));
    expect(results.args.selector).toBe("all_but_daily");
  });

  it("is not announced by a bare compile, which compiles every model whatever a selector picks", async () => {
    const p = tempProject(files);
    const compiled = await ownstats("compile", "--data", p.data, "--models", p.models);
    expect(compiled.code).toBe(0);
    expect(compiled.stdout.trim().split("\n")).toEqual([
      `Compiled 3 models (0 with an incremental query) and 1 data tests into ${join(p.data, "target", "compiled")}`,
    ]);
    // daily, which the default selector leaves out, is compiled too.
    expect(readdirSync(join(p.data, "target", "compiled"), { recursive: true })).toContainEqual(
      expect.stringMatching(/daily\.sql$/),
    );
  });

  it("is one selector at most: a second default is an error naming both, with the file and line", async () => {
    const p = tempProject({
      ...files,
      "selectors.yml": `${files["selectors.yml"]}    default: true\n`,
    });
    const expected =
      'Selection error: models/selectors.yml:10 selectors.1.default: selectors "all_but_daily" and "nightly" are both default: true; only one selector may be the default';
    expect(listNodes(p)).toMatchObject({ code: 2, errors: [expected] });
    const ran = await ownstats("run", "--data", p.data, "--models", p.models, "--select", "stg");
    expect(ran.code).toBe(2);
    expect(ran.stdout).toContain(expected);
  });

  it("is taken by the command line's run and ls, and default: false is no default", async () => {
    const p = tempProject(files);
    const listed = await ownstats("ls", "--data", p.data, "--models", p.models);
    expect(listed).toMatchObject({ code: 0, stdout: "stg\nsessions\nnot_null_sessions_session_id\n" });
    const ran = await ownstats("run", "--data", p.data, "--models", p.models);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain("TOTAL=2");
    writeFiles(p.models, {
      "selectors.yml": files["selectors.yml"].replace("default: true", "default: false"),
    });
    const whole = await ownstats("run", "--data", p.data, "--models", p.models);
    expect(whole.stdout).toContain("TOTAL=3");
  });
});
