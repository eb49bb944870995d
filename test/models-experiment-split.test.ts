// experiments: the sample ratio check, a chi-square test of the variants' exposed visitors against the
// intended split (even by default). The expected p-values were computed independently with SciPy (scipy.stats.chi2.sf).
import { beforeAll, describe, expect, it } from "vitest";
import { type Built, buildWith, clock, ev, query, type RawEvent } from "./models-kit.ts";

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

  it("tests the split against the weights of var experiment_splits where it gives them", async () => {
    const intended = await buildWith(
      [
        ...arm("ninety", "control", 90),
        ...arm("ninety", "b", 10),
        ...arm("lost", "control", 50), // b was intended half the visitors and got none
        ...arm("extra", "control", 50),
        ...arm("extra", "c", 5), // c was not intended any
        ...arm("even", "control", 25),
        ...arm("even", "b", 25),
      ],
      {
        experiment_splits: {
          ninety: { control: 9, b: 1 },
          lost: { control: 1, b: 1 },
          extra: { control: 1 },
        },
      },
    );
    const splitIn = async (experiment: string) =>
      (
        await query<{ srm_p_value: number | null }>(
          intended.data,
          `select distinct srm_p_value from experiments where experiment = '${experiment}'`,
        )
      )[0]?.srm_p_value;
    expect(await splitIn("ninety")).toBe(1);
    // SciPy: chi2.sf(50, 1), to the precision of 1 − Σ; the variant nobody reached is still a cell.
    expect(await splitIn("lost")).toBeCloseTo(1.537459794428033e-12, 13);
    expect(await splitIn("extra")).toBe(0);
    expect(await splitIn("even")).toBe(1);
    // The same 90/10 split where nothing says it was intended: a fault (SciPy: chi2.sf(64, 1) ≈ 1.2e-15).
    const unsaid = await buildWith([...arm("ninety", "control", 90), ...arm("ninety", "b", 10)]);
    const [row] = await query<{ srm_p_value: number }>(
      unsaid.data,
      "select distinct srm_p_value from experiments where experiment = 'ninety'",
    );
    expect(row?.srm_p_value).toBeLessThan(1e-9);
  });
});
