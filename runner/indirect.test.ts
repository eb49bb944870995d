import { describe, expect, it } from "vitest";
import { ownstats } from "../cli-run.ts";
import { listNodes, tempProject } from "./testkit.ts";

// a → b; c apart. b's tests: not_null (b alone), relationships (b and its parent a); a singular test
// reads b and c.
const p = tempProject({
  "a.sql": "select 1 as id",
  "b.sql": 'select id from {{ref "a"}}',
  "c.sql": "select 2 as id",
  "schema.yml": [
    "models:",
    "  - name: b",
    "    columns:",
    "      - name: id",
    "        tests: [not_null, { relationships: { to: a, field: id } }]",
  ].join("\n"),
  "tests/b_beside_c.sql": 'select * from {{ref "b"}} join {{ref "c"}} using (id)',
  "selectors.yml": [
    "selectors:",
    "  - name: b_cautious",
    "    definition: { method: fqn, value: b, indirect_selection: cautious }",
  ].join("\n"),
});

const ls = (indirectSelection?: "eager" | "cautious" | "buildable" | "empty", select = ["b"]) =>
  listNodes(p, { select, indirectSelection }).lines;

describe("--indirect-selection", () => {
  it("takes the tests of the chosen models by dbt's modes", () => {
    const relationships = "relationships_b_id__id__a";
    expect(ls()).toEqual(["b", "not_null_b_id", relationships, "b_beside_c"]);
    expect(ls("eager")).toEqual(ls());
    expect(ls("cautious")).toEqual(["b", "not_null_b_id"]);
    expect(ls("buildable")).toEqual(["b", "not_null_b_id", relationships]);
    expect(ls("empty")).toEqual(["b"]);
    // A test selected by its own name comes in any mode.
    expect(ls("empty", ["b", "b_beside_c"])).toEqual(["b", "b_beside_c"]);
    expect(listNodes(p, { selector: "b_cautious" }).lines).toEqual(["b", "not_null_b_id"]);
  });

  it("is taken on the command line, and a mode dbt does not have is a usage error", async () => {
    const args = ["ls", "--data", p.data, "--models", p.models, "-s", "b", "--indirect-selection"];
    expect(await ownstats(...args, "empty")).toMatchObject({ code: 0, stdout: "b\n" });
    const wrong = await ownstats(...args, "strict");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      "argument 'strict' is invalid. Allowed choices are eager, cautious, buildable, empty",
    );
  });
});
