// experiments: the sample ratio check, a chi-square test of the variants' exposed visitors against an
// even split. The expected p-values were computed independently with SciPy (scipy.stats.chi2.sf).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Built, buildWith, clock, ev, query, type RawEvent, removeTempData } from "./models-kit.ts";

afterAll(removeTempData);

describe("experiments' sample ratio check", () => {
  let built: Built;
  /** `visitors` visitors exposed to the variant, each in `sessions` sessions. */
  const arm = (experiment: string, variant: string, visitors: number, sessions = 1): RawEvent[] =>
    Array.from({ length: visitors * sessions }, (_, i) =>
      ev({
        session_id: `${experiment}-${variant}-${i}`,
        visitor_id: `${experiment}-${variant}-visitor-${i % visitors}`,
        event_type: "experiment_exposure",
        experiment,
        variant,
        event_ts: clock("10:00"),
      }),
    );

  // Visitors per variant of each experiment (one session each).
  const splits: Record<string, Record<string, number>> = {
    two: { control: 40, b: 60 }, // chi-square 4 with 1 degree of freedom
    three: { a: 30, b: 30, c: 60 }, // 15 with 2
    four: { a: 10, b: 20, c: 30, d: 40 }, // 20 with 3
    even: { control: 25, b: 25 },
    alone: { control: 10 }, // one variant: nothing to compare
  };

  beforeAll(async () => {
    built = await buildWith(
      Object.entries(splits)
        .flatMap(([experiment, variants]) =>
          Object.entries(variants).flatMap(([variant, visitors]) => arm(experiment, variant, visitors)),
        )
        .concat(
          // b brings its visitors back for a second session: 100 sessions against 200, 100 visitors each.
          arm("returns", "control", 100),
          arm("returns", "b", 100, 2),
        ),
    );
  });

  const splitOf = async (experiment: string) => {
    const rows = await query<{ srm_p_value: number | null }>(
      built.data,
      `select distinct srm_p_value from experiments where experiment = '${experiment}'`,
    );
    expect(rows, `one value for every variant of ${experiment}`).toHaveLength(1);
    return rows[0]!.srm_p_value;
  };

  it("gives every variant of an experiment the p-value of its split against an even one", async () => {
    expect(await splitOf("two")).toBeCloseTo(0.04550026389635857, 9);
    expect(await splitOf("three")).toBeCloseTo(0.0005530843701478337, 9);
    expect(await splitOf("four")).toBeCloseTo(0.00016974243555282632, 9);
    expect(await splitOf("even")).toBe(1);
    expect(await splitOf("alone")).toBeNull();
  });

  it("counts visitors, not sessions: a variant that brings visitors back more often is no broken split", async () => {
    expect(await splitOf("returns")).toBe(1);
  });
});
