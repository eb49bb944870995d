// An experiment's name is a page's own value too: a page that names one experiment per product or per
// id makes thousands, a few sessions each. Every one costs its variants² × points, so the probability
// to be best is worked out for the experiments with the most exposed sessions first, up to the work of
// five experiments of ten variants, and left out (NULL) for the rest, while every other figure is kept.
import { beforeAll, describe, expect, it } from "vitest";
import { type Built, buildWith, clock, ev, query, type RawEvent } from "./models-kit.ts";

/** An experiment of `variants` variants with `sessions` sessions each, the first of them converting. */
function experiment(name: string, variants: number, sessions: number): RawEvent[] {
  const events: RawEvent[] = [];
  for (let v = 0; v < variants; v++)
    for (let s = 0; s < sessions; s++) {
      const session_id = `${name}-${v}-${s}`;
      events.push(
        ev({
          session_id,
          event_type: "experiment_exposure",
          experiment: name,
          variant: `v${v}`,
          event_ts: clock(`10:${String(s).padStart(2, "0")}`),
        }),
      );
      if (s === 0)
        events.push(ev({ session_id, event_type: "cta_click", element: "signup", event_ts: clock("11:00") }));
    }
  return events;
}

describe("many experiments", () => {
  let built: Built;
  beforeAll(async () => {
    // "big" has the most sessions; six of ten variants follow, "t01" with two sessions a variant,
    // the others with one (then by name): big and four of them fill the work of five of ten variants.
    const small = Array.from({ length: 6 }, (_, i) => `t${String(i + 1).padStart(2, "0")}`);
    built = await buildWith([
      ...experiment("big", 2, 40),
      ...small.flatMap((name, i) => experiment(name, 10, i === 0 ? 2 : 1)),
    ]);
  }, 120_000);

  type Row = {
    experiment: string;
    variant: string;
    sessions: number;
    prob_best: number | null;
    p_value: number | null;
  };
  const rows = () =>
    query<Row>(
      built.data,
      "select experiment, variant, sessions, prob_best, p_value from experiments order by all",
    );

  it("work out the probability to be best for the largest experiments, up to a bound, and leave it out of the rest", async () => {
    const all = await rows();
    expect(all).toHaveLength(2 + 6 * 10);
    const worked = [...new Set(all.filter((r) => r.prob_best !== null).map((r) => r.experiment))];
    expect(worked).toEqual(["big", "t01", "t02", "t03", "t04"]);
    for (const name of ["t05", "t06"]) {
      const left = all.filter((r) => r.experiment === name);
      expect(
        left.every((r) => r.prob_best === null),
        name,
      ).toBe(true);
      // Every other figure is still there.
      expect(
        left.every((r) => r.sessions === 1),
        name,
      ).toBe(true);
    }
    for (const name of worked)
      expect(
        all.filter((r) => r.experiment === name).reduce((sum, r) => sum + (r.prob_best ?? 0), 0),
        name,
      ).toBeCloseTo(1, 5);
    expect(built.output).toMatch(/PASS experiments_prob_best_sums_to_one/);
    expect(built.output).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0/);
  });
});
