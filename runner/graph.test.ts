import { describe, expect, it } from "vitest";
import { findCycles, type GraphNode, topoOrder } from "./graph.ts";
import { SelectorError, selectNodes } from "./select.ts";

const graph = (edges: Record<string, string[]>, tags: Record<string, string[]> = {}) =>
  new Map<string, GraphNode>(
    Object.entries(edges).map(([name, parents]) => [name, { name, parents, tags: tags[name] ?? [] }]),
  );

// raw → stg → sessions → daily ; stg → pages
const g = graph(
  { stg: [], sessions: ["stg"], daily: ["sessions"], pages: ["stg"], other: [] },
  { daily: ["nightly"], pages: ["nightly", "web"] },
);

describe("graph", () => {
  it("orders parents before children", () => {
    const order = topoOrder(g);
    expect(order.indexOf("stg")).toBeLessThan(order.indexOf("sessions"));
    expect(order.indexOf("sessions")).toBeLessThan(order.indexOf("daily"));
  });

  it("reports each cycle once as a chain", () => {
    expect(findCycles(graph({ a: ["c"], b: ["a"], c: ["b"], d: [] }))).toEqual([["a", "c", "b", "a"]]);
    expect(findCycles(g)).toEqual([]);
  });

  it("selects name, +name, name+, tag:x, and excludes", () => {
    const sel = (s: string[], e?: string[]) => [...selectNodes(g, s, e)].sort();
    expect(sel(["sessions"])).toEqual(["sessions"]);
    expect(sel(["+daily"])).toEqual(["daily", "sessions", "stg"]);
    expect(sel(["stg+"])).toEqual(["daily", "pages", "sessions", "stg"]);
    expect(sel(["tag:nightly"])).toEqual(["daily", "pages"]);
    expect(sel(["stg+"], ["tag:web"])).toEqual(["daily", "sessions", "stg"]);
    expect(sel(["daily other"])).toEqual(["daily", "other"]);
    expect(sel([])).toHaveLength(5);
    expect(() => selectNodes(g, ["kind:table"])).toThrow(SelectorError);
  });

  it("selects what reads a source with source:name+, as dbt does, tests included", () => {
    const nodes = new Map<string, GraphNode>([
      ["stg", { name: "stg", parents: [], tags: [], sources: ["events"], fqn: ["demo", "stg"] }],
      ["sessions", { name: "sessions", parents: ["stg"], tags: [], fqn: ["demo", "sessions"] }],
      ["seeds", { name: "seeds", parents: [], tags: [], sources: ["lookups"] }],
      ["test:raw_ids", { name: "raw_ids", parents: [], tags: [], sources: ["events"], test: true }],
    ]);
    const warnings: string[] = [];
    const sel = (s: string[], e?: string[]) => [...selectNodes(nodes, s, e, (w) => warnings.push(w))].sort();
    expect(sel(["source:events+"])).toEqual(["sessions", "stg", "test:raw_ids"]);
    expect(sel(["source:events+1"])).toEqual(["stg", "test:raw_ids"]);
    expect(sel(["source:*"])).toEqual([]);
    expect(sel(["@source:lookups"])).toEqual(["seeds"]);
    expect(sel([], ["source:events+"])).toEqual(["seeds"]);
    expect(sel(["source:raw+"])).toEqual([]);
    // dbt's source_name.table_name and package.source_name.table_name: the manifest's
    // source.demo.events.events is the source events, whose one table is events.
    expect(sel(["source:events.events+"])).toEqual(["sessions", "stg", "test:raw_ids"]);
    expect(sel(["source:demo.events.events+1"])).toEqual(["stg", "test:raw_ids"]);
    expect(sel(["source:events.*+1"])).toEqual(["stg", "test:raw_ids"]);
    expect(warnings).toEqual([
      'the selector "source:*" takes the source itself, which does not run: source:*+ takes what reads it',
      'the selector "source:raw+" matches nothing: no model or test reads a source named "raw"',
    ]);
  });

  it("selects nothing for a selector that matches no model, and says so, as dbt does", () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    expect([...selectNodes(g, ["nope"], undefined, warn)]).toEqual([]);
    expect([...selectNodes(g, ["daily"], ["tag:none"], warn)]).toEqual(["daily"]);
    expect([...selectNodes(g, ["sesions+", "tag:nigthly"], undefined, warn)]).toEqual([]);
    expect(warnings).toEqual([
      'the selector "nope" matches nothing: no model named "nope"',
      'the selector "tag:none" matches nothing: no model or data test has the tag "none"',
      'the selector "sesions+" matches nothing: no model named "sesions" (did you mean "sessions"?)',
      'the selector "tag:nigthly" matches nothing: no model or data test has the tag "nigthly" (did you mean "nightly"?)',
    ]);
  });
});

describe("dbt's richer selectors", () => {
  // a → b → c → d, and x → c (x has no parents); files and materializations for path: and config.
  const chain = new Map<string, GraphNode>(
    [
      {
        name: "a",
        parents: [],
        tags: ["raw"],
        file: "models/staging/a.sql",
        config: { materialized: "incremental" },
      },
      {
        name: "b",
        parents: ["a"],
        tags: [],
        file: "models/intermediate/b.sql",
        config: { materialized: "incremental" },
      },
      {
        name: "x",
        parents: [],
        tags: [],
        file: "models/intermediate/x.sql",
        config: { materialized: "view" },
      },
      {
        name: "c",
        parents: ["b", "x"],
        tags: ["marts"],
        file: "models/marts/c.sql",
        config: { materialized: "table" },
      },
      {
        name: "d",
        parents: ["c"],
        tags: ["marts"],
        file: "models/marts/d.sql",
        config: { materialized: "table" },
      },
    ].map((n) => [n.name, n]),
  );
  const sel = (...s: string[]) => [...selectNodes(chain, s)].sort();

  it("limits graph operators to a depth: 1+name, name+1", () => {
    expect(sel("1+c")).toEqual(["b", "c", "x"]);
    expect(sel("2+c")).toEqual(["a", "b", "c", "x"]);
    expect(sel("a+1")).toEqual(["a", "b"]);
    expect(sel("a+2")).toEqual(["a", "b", "c"]);
    expect(sel("1+b+1")).toEqual(["a", "b", "c"]);
  });

  it("@name takes the descendants and every ancestor they need", () => {
    expect(sel("@b")).toEqual(["a", "b", "c", "d", "x"]);
    expect(sel("@x")).toEqual(["a", "b", "c", "d", "x"]);
    expect(sel("@d")).toEqual(["a", "b", "c", "d", "x"]);
    expect(sel("@a")).toEqual(["a", "b", "c", "d", "x"]);
    expect(() => sel("@a+")).toThrow(/"@" cannot be combined with "\+"/);
  });

  it("selects by path (from the project or the models folder), materialization and wildcard", () => {
    expect(sel("path:models/marts")).toEqual(["c", "d"]);
    expect(sel("path:intermediate")).toEqual(["b", "x"]);
    expect(sel("path:marts/d.sql")).toEqual(["d"]);
    expect(sel("config.materialized:incremental")).toEqual(["a", "b"]);
    expect(sel("?")).toEqual(["a", "b", "c", "d", "x"]);
    expect(sel("tag:mar*")).toEqual(["c", "d"]);
    const warnings: string[] = [];
    for (const s of ["path:nowhere", "config.materialized:ephemeral"])
      expect([...selectNodes(chain, [s], undefined, (m) => warnings.push(m))]).toEqual([]);
    expect(warnings).toEqual([
      'the selector "path:nowhere" matches nothing: no model file is at "nowhere"',
      'the selector "config.materialized:ephemeral" matches nothing: no model is materialized as "ephemeral"',
    ]);
    expect(() => sel("owner:me")).toThrow(/unknown selector method "owner"/);
  });

  it("intersects comma-joined parts and unions space-separated items", () => {
    expect(sel("tag:marts,c+")).toEqual(["c", "d"]);
    expect(sel("path:intermediate,+c")).toEqual(["b", "x"]);
    expect(sel("tag:marts,tag:raw")).toEqual([]);
    expect(sel("a tag:marts,d")).toEqual(["a", "d"]);
    expect(() => sel("a,")).toThrow(/has an empty part/);
    expect([...selectNodes(chain, ["+d"], ["path:intermediate,config.materialized:view"])].sort()).toEqual([
      "a",
      "b",
      "c",
      "d",
    ]);
  });
});
