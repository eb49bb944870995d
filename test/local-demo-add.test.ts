// `ownstats demo --add` into a folder whose warehouse was already built: the demo's events lie in hours
// an incremental build has read past, so the next build must read them in full, as after a sync.
import { describe, expect, it, vi } from "vitest";
import { demo } from "../local/index.ts";
import { fullRefreshMarked } from "../runner/full-refresh-mark.ts";
import { build, query, tempData } from "./models-kit.ts";

const stored = async (data: string) =>
  Number((await query<{ n: number }>(data, "select count(*) as n from stg_events"))[0]?.n);

const quietly = async <T>(run: () => Promise<T>): Promise<{ result: T; out: string }> => {
  const lines: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
  try {
    return { result: await run(), out: lines.join("\n") };
  } finally {
    log.mockRestore();
  }
};

describe("demo --add after a build", () => {
  it("leaves the mark that makes the next build read the added hours in full", async () => {
    const data = tempData();
    const now = "2026-03-02T10:00:00Z";
    const first = await quietly(() => demo({ data, visitors: 20, days: 1, seed: 1, now }));
    expect(first.result).toBe(0);
    expect((await build(data)).code).toBe(0);
    const before = await stored(data);

    const added = await quietly(() => demo({ data, visitors: 20, days: 3, seed: 2, now, add: true }));
    expect(added.result).toBe(0);
    const events = Number(/demo: ([\d,]+) events/.exec(added.out)?.[1]?.replace(/,/g, ""));
    expect(events).toBeGreaterThan(0);
    expect(fullRefreshMarked(data)?.toISOString()).toBe("2026-02-27T10:00:00.000Z");
    expect(added.out).toContain("needs-full-refresh");

    const after = await build(data);
    expect(after.code, after.output).toBe(0);
    expect(await stored(data)).toBe(before + events);
  });

  it("leaves no mark when the added hours are all still read by an incremental build", async () => {
    const data = tempData();
    await quietly(() => demo({ data, visitors: 20, days: 2, seed: 1, now: "2026-03-02T10:00:00Z" }));
    const later = await quietly(() =>
      demo({ data, visitors: 20, days: 1, seed: 2, now: "2026-03-04T10:00:00Z", add: true }),
    );
    expect(later.result).toBe(0);
    expect(fullRefreshMarked(data)).toBeUndefined();
  });
});
