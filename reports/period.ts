// The report period: the last N days ending at the latest data (or today when there is none),
// and the N days before it for comparisons. Dates are calendar days of the reporting time zone:
// everything here is wall-clock time there, and the SQL bounds are compared with stored UTC times
// converted to it (localRangeSql).
import { wallClock } from "./zone.ts";

const dayMs = 86_400_000;
const hourMs = 3_600_000;

export interface Period {
  days: number;
  /** The IANA time zone whose calendar days these are, and whose clock every time shown reads. */
  zone: string;
  /** First and last day, inclusive, as YYYY-MM-DD. */
  start: string;
  end: string;
  previousStart: string;
  previousEnd: string;
  /** SQL TIMESTAMP literals of wall-clock time in the zone bounding the period (half-open: from ≤ t < until). */
  from: string;
  until: string;
  previousFrom: string;
  /**
   * The previous period's exclusive end: as far into its last day as the data reaches into the
   * period's last day, so that both spans are equally long. The period's last day is usually still
   * filling (the reports are rebuilt every hour), and a whole previous day against a few hours of
   * today would read as a fall.
   */
  previousUntil: string;
  /** "HH:MM", the time of day (in the zone) where both spans stop on their last day. */
  cutTime: string;
  /** Whether the data reaches back to the previous period's start (its first hour): else a comparison misleads. */
  previousCovered: boolean;
  /** The first day with data (YYYY-MM-DD), or null without data: days before it were not recorded. */
  dataStart: string | null;
}

/** The first and the latest event time in the warehouse (ISO-8601, UTC), or null without data. */
export interface DataSpan {
  earliest: string | null;
  latest: string | null;
}

/** The UTC date of a time in ms: "2026-11-29". */
export function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A time in ms as a SQL TIMESTAMP literal (UTC), to the millisecond. */
export function timestamp(ms: number): string {
  return `TIMESTAMP '${new Date(ms).toISOString().slice(0, 23).replace("T", " ")}'`;
}

/** The wall-clock time in the zone of an ISO instant, as ms of the same wall time in UTC. */
function parsed(name: string, value: string, zone: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${name} data time "${value}" is not a date`);
  return Date.parse(`${wallClock(zone, ms)}Z`);
}

export function reportPeriod(days: number, span: DataSpan, now = new Date(), zone = "UTC"): Period {
  if (!Number.isInteger(days) || days < 1) throw new Error(`--days must be a whole number ≥ 1, got ${days}`);
  const anchor = parsed("latest", span.latest ?? now.toISOString(), zone);
  const endDay = Math.floor(anchor / dayMs) * dayMs;
  const startDay = endDay - (days - 1) * dayMs;
  const previousStartDay = startDay - days * dayMs;
  const earliest = span.earliest ? parsed("earliest", span.earliest, zone) : null;
  return {
    days,
    zone,
    start: day(startDay),
    end: day(endDay),
    previousStart: day(previousStartDay),
    previousEnd: day(startDay - dayMs),
    from: `TIMESTAMP '${day(startDay)} 00:00:00'`,
    until: `TIMESTAMP '${day(endDay + dayMs)} 00:00:00'`,
    previousFrom: `TIMESTAMP '${day(previousStartDay)} 00:00:00'`,
    // Times are read to the millisecond: the latest one itself is inside the span.
    previousUntil: timestamp(anchor + 1 - days * dayMs),
    cutTime: new Date(anchor).toISOString().slice(11, 16),
    // Data from the previous period's first hour on: a site's first event seldom falls on the
    // minute, and an hour is at most a 24th of a day's figures. Any later, and the comparison would
    // set a whole period against one that misses a part of its first day.
    previousCovered: earliest !== null && earliest < previousStartDay + hourMs,
    dataStart: earliest === null ? null : day(earliest),
  };
}

/** The rows of a per-day rollup (int_daily_*) whose local `"date"` is one of the period's days. */
export function periodDatesSql(period: Period): string {
  return `"date" >= DATE '${period.start}' AND "date" <= DATE '${period.end}'`;
}

/** Every day of the period, for chart axes that must show days without data. */
export function periodDays(period: Period): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${period.start}T00:00:00Z`); day(t) <= period.end; t += dayMs) out.push(day(t));
  return out;
}

/** The period's last day runs only to the latest data, unless that reached the day's last minute. */
export function lastDayPartial(period: Period): boolean {
  return period.dataStart !== null && period.cutTime !== "23:59";
}

/** The line under a daily chart that says how its last day is drawn, or "" when that day is whole. */
export function lastDayNote(period: Period, drawn: string): string {
  return lastDayPartial(period)
    ? `The last day, ${period.end}, is drawn ${drawn}: it is counted only up to ${period.cutTime} ${period.zone}.`
    : "";
}
