// anomalies where the history of an hour barely varies: a flat or empty history, and a quiet hour
// that moves by an event or two. Scores are worked out here by hand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Built, buildWith, clock, ev, query, type RawEvent, removeTempData } from "./models-kit.ts";

afterAll(removeTempData);

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
