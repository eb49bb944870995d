import { describe, expect, it } from "vitest";
import { findCycles, type GraphNode, SelectorError, selectNodes, topoOrder } from "./graph.ts";

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
    expect(() => selectNodes(g, ["nope"])).toThrow(SelectorError);
    expect(() => selectNodes(g, ["tag:none"])).toThrow(/no model has the tag "none"/);
  });
});
