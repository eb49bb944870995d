// anomalies where the history of an hour barely varies: a flat or empty history, a quiet hour that
// moves by an event or two, and a daily habit across a clock change. Scores are worked out here by hand.
import { beforeAll, describe, expect, it } from "vitest";
import { type Built, buildWith, clock, ev, query, type RawEvent } from "./models-kit.ts";

const hour = (days: number, h: number) => clock(`${String(h).padStart(2, "0")}:00`, days);

describe("anomalies on a history with little or no spread", () => {
  // 03:00 never had an event in 14 days, then 40 in one hour (a flood nobody flagged as a bot).
  // 12:00 had exactly 10 each day, then 100. 04:00 had one event a day and three on day 5, then three.
  const noon = [...Array(14).fill(10), 100];
  const four = [1, 1, 1, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 3];
  let built: Built;

  /** `n` one-event sessions in hour `h` of day `days`. */
  const burst = (days: number, h: number, n: number): RawEvent[] =>
    Array.from({ length: n }, (_, i) =>
      ev({
        session_id: `d${days}h${h}n${i}`,
        event_ts: clock(`${h}:${String(i % 60).padStart(2, "0")}`, days),
      }),
    );

  beforeAll(async () => {
    built = await buildWith([
      ...burst(14, 3, 40),
      ...noon.flatMap((n, days) => burst(days, 12, n)),
      ...four.flatMap((n, days) => burst(days, 4, n)),
    ]);
  });

  const scoreAt = async (days: number, h: number) =>
    (
      await query(
        built.data,
        `select events, baseline, z, is_anomaly from anomalies where hour = '${hour(days, h).replace("Z", "")}'`,
      )
    )[0];

  it("flags a flood in an hour that never had an event: the spread is at least one event", async () => {
    // 14 zeros: median 0, no deviation at all; 40 events are 40 events above it.
    expect(await scoreAt(14, 3)).toEqual({ events: 40, baseline: 0, z: 40, is_anomaly: true });
  });

  it("flags a jump after a perfectly flat history", async () => {
    expect(await scoreAt(14, 12)).toEqual({ events: 100, baseline: 10, z: 90, is_anomaly: true });
  });

  it("does not flag a quiet hour for two events more than usual", async () => {
    // Thirteen 1s and one 3: median 1, MAD 0, mean absolute deviation 2/14; 1.2533 × 2/14 < 1 event.
    expect(await scoreAt(14, 4)).toEqual({ events: 3, baseline: 1, z: 2, is_anomaly: false });
  });
});

describe("anomalies across a clock change", () => {
  // Ten visits every day at 09:00 in Berlin, from March 12 to April 10, 2026: 08:00 UTC until the
  // clocks go forward on Sunday, March 29 (day 27), 07:00 UTC from then on.
  const firstDay = 10;
  const lastDay = 39;
  const changeDay = 27;
  let built: Built;

  beforeAll(async () => {
    built = await buildWith(
      Array.from({ length: lastDay - firstDay + 1 }, (_, i) => firstDay + i).flatMap((days) =>
        Array.from({ length: 10 }, (_, n) =>
          ev({
            session_id: `d${days}n${n}`,
            event_ts: clock(`${days < changeDay ? "08" : "07"}:${String(n).padStart(2, "0")}`, days),
          }),
        ),
      ),
      { timezone: "Europe/Berlin" },
    );
  });

  it("compares an hour with the same hour of the zone's clock, so the change flags nothing", async () => {
    expect(await query(built.data, "select hour from anomalies where is_anomaly")).toEqual([]);
    // The first 09:00 after the change, against the fourteen 09:00s before it, most of them 08:00 UTC.
    const [after] = await query(
      built.data,
      `select events, baseline, z from anomalies where hour = '${clock("07:00", changeDay + 1).replace("Z", "")}'`,
    );
    expect(after).toEqual({ events: 10, baseline: 10, z: 0 });
  });
});
