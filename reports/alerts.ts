// Alerts: the hours the anomalies model flags, and a site gone quiet, once each. The model scores
// only hours up to the last event, so a tracker that stopped sending (a deploy that dropped the
// script tag, a broken collector) leaves no hour to flag: that is the quiet alert.
import type { Warehouse } from "../runner/warehouse.ts";
import { num } from "./format.ts";
import { timestamp } from "./period.ts";
import { localRangeSql, wallClock } from "./zone.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What a first check looks back over: older flags are history, which the anomalies page lists. */
export const FIRST_LOOK_BACK_MS = DAY;

/**
 * How long before the last check an hour is looked at again: events landing late (Firehose retries a
 * delivery for up to a day, a visitor's clock runs behind) can make an hour checked already a flagged one.
 */
export const LATE_LOOK_BACK_MS = DAY;

/**
 * The previous days whose same hours tell what a quiet stretch would have held, and whose busiest
 * hour a spike must beat.
 */
export const QUIET_DAYS = 7;

/**
 * The median of those days' events at least this many: a stretch with none, where a Poisson count of
 * that mean is 0 with a chance of 1 in 22,000, is an outage, not a slow night.
 */
export const QUIET_EXPECTED_EVENTS = 10;

export interface Alert {
  kind: "spike" | "drop" | "quiet";
  /** The flagged hour's start, or the start of the quiet stretch (ISO, UTC). */
  from: string;
  /** The end of the flagged hour, or of the quiet stretch so far. */
  until: string;
  events: number;
  /** The hour's baseline, or the median of the previous days' events over the quiet stretch. */
  expected: number;
  /** The robust z-score of a flagged hour. */
  z?: number;
  /** The most events of any hour of the previous QUIET_DAYS days before a flagged hour. */
  weekMost?: number;
  /** The hours of a quiet stretch (its first day at most) whose events on earlier days gave `expected`. */
  comparedHours?: number;
  /** The earlier days compared. */
  comparedDays?: number;
}

/** What was alerted already: persisted between checks, so each alert is sent once. */
export interface AlertState {
  /** Every hour ending by then was checked. */
  checkedThrough: string;
  /** The start of the quiet stretch already alerted, while it lasts. */
  quietSince?: string;
  /** The flagged hours alerted within LATE_LOOK_BACK_MS before checkedThrough, so that none is sent twice. */
  alerted?: string[];
}

export interface AlertCheck {
  /** The time to judge from. */
  now: number;
  /** How long after an hour ends its events have surely landed (Firehose's buffer, a sync's delay). */
  settleMs: number;
  /**
   * Every spike the model flags, not only those with more events than any hour of the previous
   * QUIET_DAYS days. @default false
   */
  everySpike?: boolean;
  state?: AlertState;
  /**
   * The zone whose clock the previous days' same hours are on, as the anomalies model's baseline is: after
   * a clock change, a night is still compared with the nights before. @default "UTC"
   */
  zone?: string;
}

/** The alerts not sent yet, oldest first, and the state to keep once they are. */
export async function findAlerts(
  warehouse: Warehouse,
  check: AlertCheck,
): Promise<{ alerts: Alert[]; state: AlertState }> {
  const settledEnd = Math.floor((check.now - check.settleMs) / HOUR) * HOUR;
  const previous = check.state ? Date.parse(check.state.checkedThrough) : Number.NaN;
  const from = Number.isNaN(previous) ? settledEnd - FIRST_LOOK_BACK_MS : previous;
  // A state without the hours it alerted (none recorded yet) cannot tell which of those were sent.
  const alerted = new Set(check.state?.alerted ?? []);
  const recheckFrom = check.state?.alerted ? from - LATE_LOOK_BACK_MS : from;
  // On a small site a single long visit in a quiet hour scores far above that hour's baseline: the
  // model flags it (its page lists it), but a spike worth a message also beats every hour of the week.
  const flagged = await warehouse.all(
    `WITH scored AS (
       SELECT hour, events, baseline, z, is_anomaly,
         max(events) OVER (ORDER BY hour RANGE BETWEEN INTERVAL ${QUIET_DAYS} DAY PRECEDING
                                               AND INTERVAL 1 HOUR PRECEDING) AS week_most
       FROM anomalies
       WHERE hour >= ${timestamp(recheckFrom - QUIET_DAYS * DAY)} AND hour + INTERVAL 1 HOUR <= ${timestamp(settledEnd)}
     )
     SELECT CAST(hour AS TIMESTAMP) AS hour, events, baseline, z, week_most FROM scored
     WHERE is_anomaly AND hour >= ${timestamp(recheckFrom)}
       ${check.everySpike ? "" : "AND (z < 0 OR events > coalesce(week_most, 0))"}
     ORDER BY hour`,
  );
  // Once traffic resumes, the model scores the empty hours of a quiet stretch and flags them: the quiet
  // alert told of them already.
  const quietSince = check.state?.quietSince ? Date.parse(check.state.quietSince) : Number.NaN;
  const hours = flagged.map((row) => ({ row, start: Date.parse(String(row.hour)) }));
  for (const { row, start } of hours)
    if (start >= quietSince && num(row.events) === 0) alerted.add(iso(start));
  const fresh = hours.filter(({ start }) => !alerted.has(iso(start)));
  const alerts: Alert[] = fresh.map(({ row, start }) => {
    const z = num(row.z);
    return {
      kind: z > 0 ? "spike" : "drop",
      from: iso(start),
      until: iso(start + HOUR),
      events: num(row.events),
      expected: num(row.baseline),
      z,
      ...(row.week_most === null ? {} : { weekMost: num(row.week_most) }),
    };
  });
  const quiet = await quietStretch(warehouse, settledEnd, check.zone ?? "UTC");
  const alreadySent = quiet && check.state?.quietSince === quiet.from;
  if (quiet && !alreadySent) alerts.push(quiet);
  const checkedThrough = Math.max(from, settledEnd);
  const stillRechecked = [...alerted, ...alerts.filter((a) => a.kind !== "quiet").map((a) => a.from)]
    .filter((hour) => Date.parse(hour) >= checkedThrough - LATE_LOOK_BACK_MS)
    .sort();
  return {
    alerts,
    state: {
      checkedThrough: iso(checkedThrough),
      ...(quiet ? { quietSince: quiet.from } : {}),
      alerted: stillRechecked,
    },
  };
}

/** No event since an hour that ended before `settledEnd`, where the previous days had traffic. */
async function quietStretch(
  warehouse: Warehouse,
  settledEnd: number,
  zone: string,
): Promise<Alert | undefined> {
  // Hours after settledEnd may hold events stamped by a visitor's clock running ahead: not traffic yet.
  const [span] = await warehouse.all(
    `SELECT CAST(min(hour) AS TIMESTAMP) AS first, CAST(max(hour) AS TIMESTAMP) AS last FROM anomalies
     WHERE events > 0 AND hour < ${timestamp(settledEnd)}`,
  );
  if (!span?.last || !span.first) return undefined;
  const start = Date.parse(String(span.last)) + HOUR;
  if (settledEnd - start < HOUR) return undefined;
  const firstHour = Date.parse(String(span.first));
  const days = Array.from({ length: QUIET_DAYS }, (_, i) => i + 1).filter(
    (back) => start - back * DAY >= firstHour,
  );
  // Fewer days than half the week say too little about what the stretch usually holds.
  if (days.length < Math.ceil(QUIET_DAYS / 2)) return undefined;
  // A stretch longer than a day is compared by its first day: shifted by a day, more would overlap itself.
  const compared = Math.min(settledEnd - start, DAY);
  // The stretch's wall-clock times, as ms of the same wall time in UTC: a day back is a day on the zone's calendar.
  const wall = (ms: number) => Date.parse(`${wallClock(zone, ms)}Z`);
  const [wallStart, wallEnd] = [wall(start), wall(start + compared)];
  const dayTotals = days.map((back) => {
    const [from, until] = [timestamp(wallStart - back * DAY), timestamp(wallEnd - back * DAY)];
    return `SELECT coalesce(sum(events), 0) AS events FROM anomalies WHERE ${localRangeSql("hour", from, until, zone)}`;
  });
  const totals = await warehouse.all(dayTotals.join(" UNION ALL "));
  const expected = median(totals.map((row) => num(row.events)));
  if (expected < QUIET_EXPECTED_EVENTS) return undefined;
  return {
    kind: "quiet",
    from: iso(start),
    until: iso(settledEnd),
    events: 0,
    expected,
    comparedHours: compared / HOUR,
    comparedDays: days.length,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const iso = (ms: number) => new Date(ms).toISOString();
