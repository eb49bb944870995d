import { describe, expect, it } from "vitest";
import { ownstats } from "../cli-run.ts";
import { listNodes, type TempProject, tempProject } from "./testkit.ts";

// stg → sessions (tagged nightly, tested) → daily (tagged nightly, slow); pages (tagged nightly) reads stg.
const files = {
  "staging/stg.sql": 'select event_id, session_id from {{source "events"}}',
  "marts/sessions.sql": '{{config tags="nightly"}}\nselect session_id from {{ref "stg"}}',
  "marts/daily.sql": '{{config tags="nightly,slow"}}\nselect count(*) as n from {{ref "sessions"}}',
  "marts/pages.sql": '{{config tags="nightly"}}\nselect 1 as x from {{ref "stg"}}',
  "schema.yml":
    "models:\n  - name: sessions\n    columns:\n      - name: session_id\n        tests: [not_null]",
};

// As dbt's documentation of selector inheritance: a selection reused, and modified by an exclude.
const selectorsYml = `selectors:
  - name: nightly_marts
    definition:
      intersection:
        - tag: nightly
        - path: models/marts
  - name: nightly_fast
    definition:
      intersection:
        - method: selector
          value: nightly_marts
        - exclude:
            - method: tag
              value: slow
  - name: fast_or_stg
    definition:
      union: ["selector:nightly_fast", stg]
  - name: key_value
    definition:
      selector: nightly_fast
`;

const ls = (p: TempProject, selector?: string, select?: string[], exclude?: string[]) =>
  listNodes(p, { selector, select, exclude });

describe("selector inheritance in selectors.yml (method: selector)", () => {
  const p = tempProject({ ...files, "selectors.yml": selectorsYml });

  it("reuses another selector's selection, in method/value, key-value and selector-string forms", () => {
    expect(ls(p, "nightly_fast").lines).toEqual(["sessions", "not_null_sessions_session_id", "pages"]);
    expect(ls(p, "key_value").lines).toEqual(["sessions", "not_null_sessions_session_id", "pages"]);
    expect(ls(p, "fast_or_stg").lines).toEqual(["stg", "sessions", "not_null_sessions_session_id", "pages"]);
  });

  it("is taken by --select and --exclude as dbt 1.12's selector: method, without graph operators", () => {
    expect(ls(p, undefined, ["selector:nightly_fast"]).lines).toEqual([
      "sessions",
      "not_null_sessions_session_id",
      "pages",
    ]);
    expect(ls(p, undefined, undefined, ["selector:nightly_marts"]).lines).toEqual(["stg"]);
    expect(ls(p, undefined, ["selector:nightly_fast+"]).errors).toEqual([
      'Selection error: "selector:nightly_fast+": selector:nightly_fast takes that selection as it is, without + or @ (define them in selectors.yml)',
    ]);
    expect(ls(p, undefined, ["selector:nightly_fsat"]).errors[0]).toBe(
      'Selection error: selector:nightly_fsat: models/selectors.yml has no selector named "nightly_fsat" (did you mean "nightly_fast"?)',
    );
  });

  it("names a cycle among selectors as its chain, an unknown one and a modifier, with the file and line", async () => {
    const cyclic = tempProject({
      ...files,
      "selectors.yml": `selectors:
  - name: a
    definition:
      union:
        - method: selector
          value: b
  - name: b
    definition: "selector:c"
  - name: c
    definition: { selector: a }
  - name: d
    definition: { method: selector, value: e }
`,
    });
    expect(ls(cyclic, "a").errors).toEqual([
      'Selection error: models/selectors.yml:10 selector "c" (definition): selectors reuse each other in a cycle: a > b > c > a',
    ]);
    expect(ls(cyclic, "d").errors).toEqual([
      'Selection error: models/selectors.yml:12 selector "d" (definition): models/selectors.yml has no selector named "e" (it has: a, b, c, d)',
    ]);
    const modified = tempProject({
      ...files,
      "selectors.yml":
        "selectors:\n  - name: a\n    definition: { method: selector, value: a, children: true }\n",
    });
    const listed = await ownstats("ls", "--data", modified.data, "--models", modified.models);
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain(
      'models/selectors.yml:3 definition: "children" cannot modify method: selector, which takes another selector\'s selection as it is (define a selector with children instead)',
    );
  });
});
