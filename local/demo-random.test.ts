import { describe, expect, it } from "vitest";
import { Random, Weighted } from "./demo-random.ts";

describe("demo Random", () => {
  it("repeats its sequence for a seed and differs between neighbouring seeds", () => {
    const draw = (seed: number) => {
      const random = new Random(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    for (const x of draw(3)) expect(x >= 0 && x < 1).toBe(true);
  });

  it("draws version 7 UUIDs the collector accepts, starting with their time", () => {
    const random = new Random(5);
    const start = Date.parse("2026-03-02T10:00:00Z");
    const ids = Array.from({ length: 2000 }, (_, i) => random.uuid(start + i * 1000));
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Number.parseInt(ids[3]!.replace(/-/g, "").slice(0, 12), 16)).toBe(start + 3000);
    // Made later sorts later, as text and as DuckDB's UUID type.
    expect([...ids].sort()).toEqual(ids);
  });

  it("draws weighted options in proportion to their weights", () => {
    const random = new Random(9);
    const weighted = new Weighted([
      ["rare", 1],
      ["common", 3],
    ] as const);
    let common = 0;
    for (let i = 0; i < 20_000; i++) if (weighted.draw(random) === "common") common++;
    expect(common / 20_000).toBeGreaterThan(0.72);
    expect(common / 20_000).toBeLessThan(0.78);
  });
});
