import { afterEach, describe, expect, it } from "vitest";
import { openWarehouse, type Warehouse } from "../runner/warehouse.ts";
import { tempFolder } from "../test/temp-folders.ts";
import { findAlerts } from "./alerts.ts";

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

interface Hour {
  hour: string;
  events: number;
  baseline?: number;
  z?: number;
}

let open: Warehouse | undefined;
afterEach(() => open?.close());

/** A warehouse whose anomalies mart holds `hours` (every other hour of the span is absent). */
async function anomalies(hours: Hour[]): Promise<Warehouse> {
  open = await openWarehouse(tempFolder("ownstats-alerts-"));
  await open.run(
    "CREATE TABLE anomalies (hour TIMESTAMP, events BIGINT, baseline DOUBLE, z DOUBLE, is_anomaly BOOLEAN)",
  );
  for (const h of hours)
    await open.run(
      `INSERT INTO anomalies VALUES (TIMESTAMP '${h.hour.replace("T", " ").replace("Z", "")}', ${h.events},
       ${h.baseline ?? "NULL"}, ${h.z ?? "NULL"}, ${h.z === undefined ? false : Math.abs(h.z) > 3.5})`,
    );
  return open;
}

/** `perHour` events in every hour from `from` until `until` (ISO, UTC). */
function steady(from: string, until: string, perHour: number): Hour[] {
  const hours: Hour[] = [];
  for (let t = at(from); t < at(until); t += HOUR)
    hours.push({ hour: new Date(t).toISOString(), events: perHour, baseline: perHour, z: 0 });
  return hours;
}

const settleMs = 15 * 60_000;

describe("alerts", () => {
  it("takes the flagged hours of the last day on a first check, each ended and settled, oldest first", async () => {
    const wh = await anomalies([
      ...steady("2026-11-20T00:00:00Z", "2026-11-29T12:00:00Z", 20).filter(
        (h) =>
          !["2026-11-28T09", "2026-11-29T03", "2026-11-29T10", "2026-11-29T11"].includes(h.hour.slice(0, 13)),
      ),
      { hour: "2026-11-28T09:00:00.000Z", events: 2, baseline: 20, z: -5 }, // more than a day ago
      { hour: "2026-11-29T03:00:00.000Z", events: 1, baseline: 20, z: -4 },
      { hour: "2026-11-29T10:00:00.000Z", events: 150, baseline: 20, z: 7 },
      { hour: "2026-11-29T11:00:00.000Z", events: 300, baseline: 20, z: 12 }, // ended 10 min ago: not settled
    ]);
    const { alerts, state } = await findAlerts(wh, { now: at("2026-11-29T12:10:00Z"), settleMs });
    expect(alerts).toMatchObject([
      {
        kind: "drop",
        from: "2026-11-29T03:00:00.000Z",
        until: "2026-11-29T04:00:00.000Z",
        events: 1,
        expected: 20,
        z: -4,
      },
      {
        kind: "spike",
        from: "2026-11-29T10:00:00.000Z",
        until: "2026-11-29T11:00:00.000Z",
        events: 150,
        expected: 20,
        z: 7,
      },
    ]);
    expect(state).toEqual({
      checkedThrough: "2026-11-29T11:00:00.000Z",
      alerted: ["2026-11-29T03:00:00.000Z", "2026-11-29T10:00:00.000Z"],
    });

    // The next check takes the hour that has settled since, and none of those sent.
    const next = await findAlerts(wh, { now: at("2026-11-29T12:20:00Z"), settleMs, state });
    expect(next.alerts.map((a) => [a.kind, a.from])).toEqual([["spike", "2026-11-29T11:00:00.000Z"]]);
    expect(next.state.checkedThrough).toBe("2026-11-29T12:00:00.000Z");
    const again = await findAlerts(wh, { now: at("2026-11-29T12:50:00Z"), settleMs, state: next.state });
    expect(again.alerts).toEqual([]);
  });

  it("takes an hour flagged after it was checked, by events that landed late, and sends none twice", async () => {
    const wh = await anomalies([
      ...steady("2026-11-20T00:00:00Z", "2026-11-29T15:00:00Z", 20).filter(
        (h) => h.hour.slice(0, 13) !== "2026-11-29T10",
      ),
      { hour: "2026-11-29T10:00:00.000Z", events: 150, baseline: 20, z: 7 },
    ]);
    const first = await findAlerts(wh, { now: at("2026-11-29T12:10:00Z"), settleMs });
    expect(first.alerts.map((a) => a.from)).toEqual(["2026-11-29T10:00:00.000Z"]);

    // Events that landed after that check make 08:00, and 27 November's 09:00, a spike.
    for (const [hour, events] of [
      ["2026-11-29 08:00:00", 160],
      ["2026-11-27 09:00:00", 150],
    ])
      await wh.run(
        `UPDATE anomalies SET events = ${events}, z = 8, is_anomaly = true WHERE hour = TIMESTAMP '${hour}'`,
      );
    const next = await findAlerts(wh, { now: at("2026-11-29T13:10:00Z"), settleMs, state: first.state });
    // Within the day before the last check, the late flag is taken; the spike already sent is not again.
    expect(next.alerts.map((a) => [a.kind, a.from])).toEqual([["spike", "2026-11-29T08:00:00.000Z"]]);
    const again = await findAlerts(wh, { now: at("2026-11-29T14:10:00Z"), settleMs, state: next.state });
    expect(again.alerts).toEqual([]);
  });

  it("takes the empty hours of a quiet stretch already alerted for no drops once traffic resumes", async () => {
    const wh = await anomalies(steady("2026-11-20T00:00:00Z", "2026-11-29T06:00:00Z", 12));
    const quiet = await findAlerts(wh, { now: at("2026-11-29T09:20:00Z"), settleMs });
    expect(quiet.alerts.map((a) => [a.kind, a.from])).toEqual([["quiet", "2026-11-29T06:00:00.000Z"]]);
    // Traffic again at 10:00: the model now scores the empty hours before it, and flags them.
    for (const hour of ["06", "07", "08", "09"])
      await wh.run(`INSERT INTO anomalies VALUES (TIMESTAMP '2026-11-29 ${hour}:00:00', 0, 12, -8, true)`);
    for (const hour of ["10", "11", "12"])
      await wh.run(`INSERT INTO anomalies VALUES (TIMESTAMP '2026-11-29 ${hour}:00:00', 12, 12, 0, false)`);
    const resumed = await findAlerts(wh, { now: at("2026-11-29T11:20:00Z"), settleMs, state: quiet.state });
    expect(resumed.alerts).toEqual([]);
    const later = await findAlerts(wh, { now: at("2026-11-29T12:20:00Z"), settleMs, state: resumed.state });
    expect(later.alerts).toEqual([]);
  });

  it("takes a flagged spike only when it beats every hour of the week before, unless every spike is asked for", async () => {
    // A quiet night with one long visit in it, six days after a busier hour: flagged, not news.
    const wh = await anomalies([
      ...steady("2026-11-20T00:00:00Z", "2026-11-29T10:00:00Z", 20).map((h) =>
        h.hour.startsWith("2026-11-23T15") ? { ...h, events: 90 } : h,
      ),
      { hour: "2026-11-29T10:00:00.000Z", events: 80, baseline: 20, z: 5 },
      { hour: "2026-11-29T11:00:00.000Z", events: 300, baseline: 20, z: 12 },
    ]);
    const check = { now: at("2026-11-29T12:30:00Z"), settleMs };
    expect((await findAlerts(wh, check)).alerts).toMatchObject([
      { kind: "spike", events: 300, weekMost: 90 },
    ]);
    expect((await findAlerts(wh, { ...check, everySpike: true })).alerts.map((a) => a.events)).toEqual([
      80, 300,
    ]);
    // Seven days on, the busy hour has left the week: 80 is the most since.
    const { alerts } = await findAlerts(wh, {
      ...check,
      state: { checkedThrough: "2026-11-29T10:00:00.000Z" },
    });
    expect(alerts.map((a) => a.events)).toEqual([300]);
    await wh.run("UPDATE anomalies SET events = 20 WHERE hour = TIMESTAMP '2026-11-23 15:00:00'");
    expect((await findAlerts(wh, check)).alerts).toMatchObject([
      { events: 80, weekMost: 20 },
      { events: 300, weekMost: 80 },
    ]);
  });

  it("says once that a site with traffic went quiet, and again only after a new quiet stretch", async () => {
    const history = steady("2026-11-20T00:00:00Z", "2026-11-29T06:00:00Z", 12);
    const wh = await anomalies(history);
    const first = await findAlerts(wh, { now: at("2026-11-29T09:20:00Z"), settleMs });
    expect(first.alerts).toEqual([
      {
        kind: "quiet",
        from: "2026-11-29T06:00:00.000Z",
        until: "2026-11-29T09:00:00.000Z",
        events: 0,
        expected: 36,
        comparedHours: 3,
        comparedDays: 7,
      },
    ]);
    expect(first.state.quietSince).toBe("2026-11-29T06:00:00.000Z");
    const later = await findAlerts(wh, { now: at("2026-11-29T15:20:00Z"), settleMs, state: first.state });
    expect(later.alerts).toEqual([]);
    expect(later.state.quietSince).toBe("2026-11-29T06:00:00.000Z");

    // Events again at 16:00, then none: a new stretch, a new alert.
    await wh.run("INSERT INTO anomalies VALUES (TIMESTAMP '2026-11-29 16:00:00', 5, 12, -1, false)");
    const resumed = await findAlerts(wh, { now: at("2026-11-29T17:20:00Z"), settleMs, state: later.state });
    expect(resumed.alerts).toEqual([]);
    expect(resumed.state.quietSince).toBeUndefined();
    const quietAgain = await findAlerts(wh, {
      now: at("2026-11-29T19:20:00Z"),
      settleMs,
      state: resumed.state,
    });
    expect(quietAgain.alerts.map((a) => [a.kind, a.from, a.expected])).toEqual([
      ["quiet", "2026-11-29T17:00:00.000Z", 24],
    ]);

    // Found three days on, the stretch is compared by its first day: 12 × 24, not a sum overlapping it.
    const late = await findAlerts(wh, { now: at("2026-12-02T17:20:00Z"), settleMs });
    expect(late.alerts).toMatchObject([
      { kind: "quiet", from: "2026-11-29T17:00:00.000Z", expected: 288, comparedHours: 24, comparedDays: 7 },
    ]);
  });

  it("compares a quiet stretch with the same hours on the zone's clock, across a clock change", async () => {
    // Traffic from 07:00 to midnight in New York, none at night; the clocks went back on 1 November.
    const hour = new Intl.DateTimeFormat("en-GB", {
      timeZone: "America/New_York",
      hour: "numeric",
      hourCycle: "h23",
    });
    const days = steady("2026-10-20T00:00:00Z", "2026-11-02T17:00:00Z", 20).map((h) =>
      Number(hour.format(new Date(h.hour))) >= 7 ? h : { ...h, events: 0 },
    );
    const wh = await anomalies(days);
    const zone = "America/New_York";
    // 07:20 the morning after: the night was as quiet as every night.
    expect((await findAlerts(wh, { now: at("2026-11-02T12:20:00Z"), settleMs, zone })).alerts).toEqual([]);

    // Nothing since 10:00 EST, where every day before held 20 events an hour from 10:00 to 12:00.
    await wh.run("DELETE FROM anomalies WHERE hour >= TIMESTAMP '2026-11-02 15:00:00'");
    expect((await findAlerts(wh, { now: at("2026-11-02T17:20:00Z"), settleMs, zone })).alerts).toMatchObject([
      { kind: "quiet", from: "2026-11-02T15:00:00.000Z", expected: 40, comparedHours: 2, comparedDays: 7 },
    ]);
  });

  it("is not raised for a stretch that usually holds few events, a site whose same hours are as quiet, or too short a history", async () => {
    // Six events an hour: one hour without any is not yet unusual, two are. Events stamped by a
    // visitor's clock running ahead do not count as traffic now.
    const ahead = { hour: "2026-11-30T02:00:00.000Z", events: 1 };
    const busy = await anomalies([...steady("2026-11-20T00:00:00Z", "2026-11-29T08:00:00Z", 6), ahead]);
    expect((await findAlerts(busy, { now: at("2026-11-29T09:20:00Z"), settleMs })).alerts).toEqual([]);
    expect((await findAlerts(busy, { now: at("2026-11-29T10:20:00Z"), settleMs })).alerts).toMatchObject([
      { kind: "quiet", from: "2026-11-29T08:00:00.000Z", expected: 12 },
    ]);
    busy.close();

    // Three events an hour: three quiet hours are what the same hours usually hold, 9 < 10.
    const small = await anomalies(steady("2026-11-20T00:00:00Z", "2026-11-29T06:00:00Z", 3));
    expect((await findAlerts(small, { now: at("2026-11-29T09:20:00Z"), settleMs })).alerts).toEqual([]);
    small.close();

    // Three days of history, where four of the previous seven are needed.
    const young = await anomalies(steady("2026-11-26T00:00:00Z", "2026-11-29T06:00:00Z", 50));
    expect((await findAlerts(young, { now: at("2026-11-29T12:20:00Z"), settleMs })).alerts).toEqual([]);
  });
});
