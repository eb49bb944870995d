// An experiment's variants are a page's own values: a page that names them by an id or a price makes
// hundreds. The probability to be best compares every variant with every other one, so past ten its
// grid is coarser and past 50 it is left out (NULL), while every other figure is still worked out.
import { beforeAll, describe, expect, it } from "vitest";
import { type Built, buildWith, clock, ev, query, type RawEvent } from "./models-kit.ts";

/** `variants` variants of 40 sessions each, variant i converting in `converting(i)` of them. */
function experiment(name: string, variants: number, converting: (i: number) => number): RawEvent[] {
  const events: RawEvent[] = [];
  for (let v = 0; v < variants; v++)
    for (let s = 0; s < 40; s++) {
      const session_id = `${name}-${v}-${s}`;
      const event_ts = clock(`10:${String(s).padStart(2, "0")}`);
      events.push(
        ev({ session_id, event_type: "experiment_exposure", experiment: name, variant: `v${v}`, event_ts }),
      );
      if (s < converting(v))
        events.push(ev({ session_id, event_type: "cta_click", element: "signup", event_ts: clock("11:00") }));
    }
  return events;
}

describe("experiments of many variants", () => {
  let built: Built;
  beforeAll(async () => {
    built = await buildWith([
      ...experiment("even", 24, () => 5),
      ...experiment("graded", 24, (i) => 2 + (i % 8)),
      ...experiment("prices", 60, (i) => 1 + (i % 7)),
    ]);
  });

  type Row = { variant: string; conversions: number; prob_best: number | null; p_value: number | null };
  const rows = (experiment: string) =>
    query<Row>(
      built.data,
      `select variant, conversions, prob_best, p_value from experiments where experiment = '${experiment}' order by variant`,
    );

  it("work out each variant's probability to be best for up to 50 variants, as closely as for a few", async () => {
    // 24 alike: each is best with probability 1/24 exactly.
    const even = await rows("even");
    expect(even).toHaveLength(24);
    for (const row of even) expect(row.prob_best, row.variant).toBeCloseTo(1 / 24, 6);
    // More conversions of as many sessions: more likely best; the variants share it all.
    const graded = await rows("graded");
    const byConversions = [...graded].sort((a, b) => a.conversions - b.conversions);
    for (const [i, row] of byConversions.entries())
      if (i > 0)
        expect((row.prob_best ?? 0) - (byConversions[i - 1]?.prob_best ?? 0), row.variant).toBeGreaterThan(
          -1e-12,
        );
    expect(graded.reduce((sum, r) => sum + (r.prob_best ?? 0), 0)).toBeCloseTo(1, 5);
  });

  it("leave it out past 50 variants, with every other figure", async () => {
    const prices = await rows("prices");
    expect(prices).toHaveLength(60);
    expect(prices.every((r) => r.prob_best === null)).toBe(true);
    expect(prices.filter((r) => r.p_value !== null)).toHaveLength(59);
    expect(built.output).toMatch(/PASS experiments_prob_best_sums_to_one/);
    expect(built.output).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0/);
  });
});
