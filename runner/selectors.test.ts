import { describe, expect, it } from "vitest";
import { ownstats } from "../cli-run.ts";
import { listNodes, type TempProject, tempProject, writeFiles } from "./testkit.ts";

// stg → sessions (tagged nightly, tested) → daily; pages (tagged nightly, deprecated) reads stg.
const files = {
  "staging/stg.sql": 'select event_id, session_id from {{source "events"}}',
  "marts/sessions.sql": '{{config tags="nightly"}}\nselect session_id from {{ref "stg"}}',
  "marts/daily.sql": 'select count(*) as n from {{ref "sessions"}}',
  "marts/pages.sql": '{{config tags="nightly,deprecated"}}\nselect 1 as x from {{ref "stg"}}',
  "schema.yml":
    "models:\n  - name: sessions\n    columns:\n      - name: session_id\n        tests: [not_null]",
};

const ls = (p: TempProject, selector: string, select?: string[]) => listNodes(p, { selector, select });

const selectorsYml = `selectors:
  - name: cli_string
    definition: "tag:nightly,marts"
  - name: key_value
    description: the nightly models
    definition:
      tag: nightly
  - name: with_children
    definition:
      method: tag
      value: nightly
      children: true
  - name: upstream
    definition:
      method: fqn
      value: daily
      parents: true
      parents_depth: 2
  - name: nightly_kept
    definition:
      union:
        - method: tag
          value: nightly
        - "daily"
        - exclude:
            - tag: deprecated
  - name: both
    definition:
      intersection:
        - tag: nightly
        - path: models/marts
        - exclude: [pages]
`;

describe("--selector, from selectors.yml", () => {
  const p = tempProject({ ...files, "selectors.yml": selectorsYml });

  it("resolves dbt's simple definition forms: a string, key-value, method/value with graph keys, union, intersection and exclude", () => {
    expect(ls(p, "cli_string").lines).toEqual(["sessions", "not_null_sessions_session_id", "pages"]);
    expect(ls(p, "key_value").lines).toEqual(["sessions", "not_null_sessions_session_id", "pages"]);
    expect(ls(p, "with_children").lines).toEqual([
      "sessions",
      "not_null_sessions_session_id",
      "daily",
      "pages",
    ]);
    expect(ls(p, "upstream").lines).toEqual(["stg", "sessions", "not_null_sessions_session_id", "daily"]);
    expect(ls(p, "nightly_kept").lines).toEqual(["sessions", "not_null_sessions_session_id", "daily"]);
    expect(ls(p, "both").lines).toEqual(["sessions", "not_null_sessions_session_id"]);
  });

  it("names the file and the selector for an unknown name, a bad definition or --select beside it", () => {
    expect(ls(p, "nightly")).toMatchObject({
      code: 2,
      errors: [
        'Selection error: --selector nightly: models/selectors.yml has no selector named "nightly" (it has: cli_string, key_value, with_children, upstream, nightly_kept, both)',
      ],
    });
    expect(ls(p, "key_valeu").errors[0]).toContain('(did you mean "key_value"?)');
    expect(ls(p, "both", ["daily"]).errors).toEqual([
      "Usage error: --selector both takes the place of --select and --exclude: give one or the other (or put the selection in selectors.yml)",
    ]);
    const badDefinitions = [
      "selectors:",
      "  - name: a",
      "    definition:",
      "      method: tag",
      "      vlaue: nightly",
      "  - name: b",
      "    definition: { union: [{ method: tag, value: nightly, indirect_selection: strict }] }",
      "  - name: c",
      '    definition: "kind:table"',
    ];
    const bad = tempProject({
      ...files,
      "selectors.yml": [...badDefinitions, "  - name: d", "    defintion: daily"].join("\n"),
    });
    expect(ls(bad, "c").errors).toEqual([
      [
        "Selection error: models/selectors.yml:10 selectors.3.definition: missing: give the selection (a selector string, method/value, union or intersection)",
        'models/selectors.yml:11 selectors.3: Unrecognized key: "defintion" (did you mean "definition"?)',
      ].join("\n"),
    ]);
    writeFiles(bad.models, { "selectors.yml": badDefinitions.join("\n") });
    expect(ls(bad, "c").errors).toEqual([
      [
        'Selection error: models/selectors.yml:5 definition: unknown key "vlaue" (it takes method, value, children, parents, childrens_parents, children_depth, parents_depth, indirect_selection)',
        "models/selectors.yml:7 definition.union.0.indirect_selection: expected one of eager, cautious, buildable, empty",
      ].join("\n"),
    ]);
    writeFiles(bad.models, {
      "selectors.yml": 'selectors:\n  - name: c\n    definition: "kind:table"',
    });
    expect(ls(bad, "c").errors[0]).toContain(
      'Selection error: models/selectors.yml:3 selector "c" (definition): unknown selector method "kind" in "kind:table"',
    );
    // Within a union, the line of the item whose method is unknown.
    writeFiles(bad.models, {
      "selectors.yml":
        "selectors:\n  - name: c\n    definition:\n      union:\n        - tag: nightly\n        - method: tagg\n          value: x",
    });
    expect(ls(bad, "c").errors[0]).toContain(
      'Selection error: models/selectors.yml:6 selector "c" (definition.union.1): unknown selector method "tagg" in "tagg:x"',
    );
    // No selectors.yml at all.
    const none = tempProject(files);
    expect(ls(none, "c").errors[0]).toContain("--selector c: there is no ");
  });

  it("is taken by run, test, build, compile and ls on the command line", async () => {
    const listed = await ownstats("ls", "--data", p.data, "--models", p.models, "--selector", "both");
    expect(listed).toMatchObject({ code: 0, stdout: "sessions\nnot_null_sessions_session_id\n" });
    const ran = await ownstats("run", "--data", p.data, "--models", p.models, "--selector", "upstream");
    expect(ran.stdout).toContain("TOTAL=3");
    expect(ran.code).toBe(0);
  });
});
