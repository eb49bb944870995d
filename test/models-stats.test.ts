// anomalies and experiments on hand-written counts whose right answers are worked out here; the
// experiment figures were computed independently with SciPy (norm.sf, and quad over beta.pdf × beta.cdf).
import { beforeAll, describe, expect, it } from "vitest";
import { type Built, buildWith, clock, ev, query, type RawEvent } from "./models-kit.ts";

const hour = (days: number, h: number) => clock(`${String(h).padStart(2, "0")}:00`, days);

describe("anomalies", () => {
  // Noon over days 0–13, then a spike on day 14. At 13:00 a flat series (mad = 0) before a jump.
  const noon = [10, 12, 11, 9, 10, 13, 10, 11, 12, 10, 9, 11, 10, 12, 60];
  const one = [5, 9, 5, 5, 9, 5, 5, 5, 9, 5, 5, 5, 9, 5, 20];
  let built: Built;
  let strict: Built;

  beforeAll(async () => {
    const events: RawEvent[] = [];
    const burst = (days: number, h: number, n: number, extra: RawEvent = {}) => {
      for (let i = 0; i < n; i++)
        events.push(
          ev({
            session_id: `d${days}h${h}n${i}`,
            event_ts: clock(`${h}:${String(i % 60).padStart(2, "0")}`, days),
            ...extra,
          }),
        );
    };
    noon.forEach((n, days) => burst(days, 12, n));
    one.forEach((n, days) => burst(days, 13, n));
    burst(14, 12, 5, { is_bot: true });
    built = await buildWith(events);
    strict = await buildWith(events, { anomaly_z: 40 });
  });

  type Scored = {
    hour: string;
    events: number;
    baseline: number | null;
    z: number | null;
    is_anomaly: boolean;
  };
  const at = async (b: Built, days: number, h: number) =>
    (
      await query<Scored>(b.data, `select * from anomalies where hour = '${hour(days, h).replace("Z", "")}'`)
    )[0];

  it("fills every hour between the first and the last with zeros", async () => {
    const [span] = await query(
      built.data,
      "select count(*) as hours, min(hour) as first, max(hour) as last from anomalies",
    );
    expect(span).toEqual({ hours: 14 * 24 + 2, first: hour(0, 12), last: hour(14, 13) });
    expect(await at(built, 10, 5)).toEqual({
      hour: hour(10, 5),
      events: 0,
      baseline: 0,
      z: 0,
      is_anomaly: false,
    });
  });

  it("flags a spike with the median and MAD of the same hour over 14 days", async () => {
    // Days 0–13 sorted: 9 9 10 10 10 10 10 11 11 11 12 12 12 13 → median 10.5; |x − 10.5| has median
    // 0.5, and 1.4826 × 0.5 is less than the one event the spread is at least.
    const spike = await at(built, 14, 12);
    expect(spike).toMatchObject({ events: 60, baseline: 10.5, is_anomaly: true });
    expect(spike?.z).toBeCloseTo(60 - 10.5, 9);
    // Day 13 (13 points): median 10, MAD 1 → z = 2 / 1.4826.
    const calm = await at(built, 13, 12);
    expect(calm).toMatchObject({ events: 12, baseline: 10, is_anomaly: false });
    expect(calm?.z).toBeCloseTo(2 / 1.4826, 9);
  });

  it("needs 7 earlier points", async () => {
    expect(await at(built, 6, 12)).toEqual({
      hour: hour(6, 12),
      events: 10,
      baseline: null,
      z: null,
      is_anomaly: false,
    });
    const seventh = await at(built, 7, 12); // 10 12 11 9 10 13 10 → median 10, MAD 1
    expect(seventh).toMatchObject({ events: 11, baseline: 10 });
    expect(seventh?.z).toBeCloseTo(1 / 1.4826, 9);
  });

  it("falls back to the mean absolute deviation when the MAD is 0", async () => {
    // Ten 5s and four 9s: median 5, MAD 0, mean absolute deviation 16/14.
    const jump = await at(built, 14, 13);
    expect(jump).toMatchObject({ events: 20, baseline: 5, is_anomaly: true });
    expect(jump?.z).toBeCloseTo(15 / (1.2533 * (16 / 14)), 9);
  });

  it("leaves bots out and follows var anomaly_z", async () => {
    expect((await at(built, 14, 12))?.events).toBe(60);
    expect((await at(strict, 14, 12))?.is_anomaly).toBe(true); // z = 49.5 > 40
    expect((await at(strict, 14, 13))?.is_anomaly).toBe(false); // z ≈ 10.5
  });
});

describe("experiments", () => {
  let built: Built;
  beforeAll(async () => {
    const events: RawEvent[] = [];
    const arm = (experiment: string, variant: string, sessions: number, conversions: number) => {
      for (let i = 0; i < sessions; i++) {
        const session_id = `${experiment}-${variant}-${i}`;
        events.push(
          ev({
            session_id,
            event_type: "experiment_exposure",
            experiment,
            variant,
            event_ts: clock("10:00"),
          }),
        );
        if (i < conversions)
          events.push(ev({ session_id, event_type: "cta_click", event_ts: clock("10:05") }));
      }
    };
    arm("hero", "control", 1000, 50);
    arm("hero", "b", 1000, 100);
    arm("color", "blue", 100, 10);
    arm("color", "green", 100, 10);
    arm("color", "red", 100, 0);
    arm("zero", "control", 50, 0);
    arm("zero", "b", 50, 5);
    arm("cased", "Control", 100, 10);
    arm("cased", "B", 100, 20);
    const s = (session_id: string, minute: string, fields: RawEvent) =>
      ev({ session_id, event_ts: clock(minute), ...fields });
    const exposure = (variant: string) => ({
      event_type: "experiment_exposure",
      experiment: "rules",
      variant,
    });
    const click = { event_type: "cta_click" };
    events.push(
      // The first exposure decides the variant; the conversion after it counts.
      s("r1", "10:00", exposure("control")),
      s("r1", "10:01", exposure("b")),
      s("r1", "10:02", click),
      // A conversion before the exposure does not count; one at the same instant does.
      s("r2", "09:59", click),
      s("r2", "10:00", exposure("b")),
      s("r3", "10:00", exposure("b")),
      s("r3", "10:00", click),
      // A bot is not a session.
      s("r4", "10:00", { ...exposure("control"), is_bot: true }),
    );
    built = await buildWith(events);
  });

  type Variant = {
    experiment: string;
    variant: string;
    sessions: number;
    conversions: number;
    conversion_rate: number;
    is_control: boolean;
    uplift: number | null;
    p_value: number | null;
    prob_best: number;
  };
  const variants = async (experiment: string) =>
    query<Variant>(
      built.data,
      `select * from experiments where experiment = '${experiment}' order by variant`,
    );

  it("finds a clear winner: uplift, p-value and probability to be best", async () => {
    const [b, control] = await variants("hero");
    expect(control).toMatchObject({
      sessions: 1000,
      conversions: 50,
      conversion_rate: 0.05,
      is_control: true,
      uplift: 0,
      p_value: null,
    });
    expect(b).toMatchObject({ sessions: 1000, conversions: 100, conversion_rate: 0.1, is_control: false });
    expect(b?.uplift).toBeCloseTo(1, 12);
    expect((b?.p_value ?? 0) / 2.188239933614016e-5).toBeCloseTo(1, 5);
    expect(b?.prob_best).toBeCloseTo(0.9999900873165728, 7);
    expect(control?.prob_best).toBeCloseTo(9.912683407068431e-6, 7);
  });

  it("takes the alphabetically first variant as control when none is named control", async () => {
    const [blue, green, red] = await variants("color");
    expect(blue).toMatchObject({ is_control: true, uplift: 0, p_value: null });
    expect(green).toMatchObject({ is_control: false, uplift: 0 });
    expect(green?.p_value).toBe(1);
    expect(red).toMatchObject({ uplift: -1 });
    expect(red?.p_value).toBeCloseTo(0.0011768659106247378, 6);
    // Three-way: equal arms share the probability; SciPy: 0.4999819, 0.4999819, 0.0000362.
    expect(blue?.prob_best).toBeCloseTo(0.4999819103260915, 7);
    expect(green?.prob_best).toBeCloseTo(0.4999819103260915, 7);
    expect(red?.prob_best).toBeCloseTo(3.617934778663555e-5, 7);
  });

  it("takes a variant named Control in another case as the control, though another sorts first", async () => {
    const [b, control] = await variants("cased");
    expect(control).toMatchObject({ variant: "Control", is_control: true, uplift: 0, p_value: null });
    expect(b).toMatchObject({ variant: "B", is_control: false });
    expect(b?.uplift).toBeCloseTo(1, 12);
  });

  it("has no uplift against a control that never converts", async () => {
    const [b, control] = await variants("zero");
    expect(control).toMatchObject({ conversion_rate: 0, uplift: 0 });
    expect(b).toMatchObject({ conversion_rate: 0.1, uplift: null });
    expect(b?.p_value).toBeCloseTo(0.021781462791119477, 6);
    expect(b?.prob_best).toBeCloseTo(0.9866254666703687, 7);
  });

  it("assigns sessions by first exposure and counts conversions at or after it", async () => {
    const [b, control] = await variants("rules");
    expect(control).toMatchObject({ sessions: 1, conversions: 1, conversion_rate: 1 });
    expect(b).toMatchObject({ sessions: 2, conversions: 1, conversion_rate: 0.5, uplift: -0.5 });
    expect(b?.p_value).toBeCloseTo(0.3864762307712327, 6);
    // Beta(2, 1) against Beta(2, 2): exactly 0.7 and 0.3.
    expect(control?.prob_best).toBeCloseTo(0.7, 7);
    expect(b?.prob_best).toBeCloseTo(0.3, 7);
  });

  it("resolves a narrow posterior beside a wide one: a large arm without conversions, a new arm", async () => {
    // 2,000 sessions of control and one of b, none converted yet: Beta(1, 2001) against Beta(1, 2).
    // Exactly, control is best with probability ∫ 2(1 − y) (1 − y)^2001 dy = 2 / 2003.
    const exposures = [...Array.from({ length: 2000 }, (_, i) => `control-${i}`), "b-0"].map((session_id) =>
      ev({
        session_id,
        event_type: "experiment_exposure",
        experiment: "rare",
        variant: session_id.split("-")[0],
        event_ts: clock("10:00"),
      }),
    );
    const rare = await buildWith(exposures);
    const [b, control] = await query<Variant>(
      rare.data,
      "select * from experiments where experiment = 'rare' order by variant",
    );
    expect(control?.prob_best).toBeCloseTo(2 / 2003, 9);
    expect(b?.prob_best).toBeCloseTo(1 - 2 / 2003, 9);
  });

  it("passes every data test", () => {
    expect(built.output).toMatch(/PASS experiments_prob_best_sums_to_one/);
    expect(built.output).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0/);
  });
});
