// The tables of the models are worked out in plain TypeScript in models-reference-*.ts, straight from
// the metric definitions (models/schema.yml, design §5), without reading the SQL: the random-event
// test compares the models' rows against them. What they all use: the model variables, the row
// type, ISO times and the zone's clock, and small aggregates.
import { wallClock } from "../reports/zone.ts";

export interface Vars {
  attribution_window_days: number;
  conversion_events: string[];
  anomaly_z: number;
  timezone: string;
}
export const defaultVars: Vars = {
  attribution_window_days: 30,
  conversion_events: ["cta_click"],
  anomaly_z: 3.5,
  timezone: "UTC",
};

export type Row = Record<string, string | number | boolean | null>;

export const DAY = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString();
/** An instant's wall-clock time in the zone, as the ms of that wall time in UTC: days of it are local days. */
export const local = (ms: number, zone: string) => Date.parse(`${wallClock(zone, ms)}Z`);

/** ISO-8601 with Z, ±HH:MM, ±HHMM or ±HH, with or without seconds and fractions, to epoch ms. */
export function parseIso(text: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?(Z|[+-]\d\d(?::?\d\d)?)?$/i.exec(
    text,
  );
  if (!m) throw new Error(`not an ISO time: ${text}`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const local = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +(s ?? 0), Math.floor(+`0.${frac ?? 0}` * 1000));
  if (!zone || zone.toUpperCase() === "Z") return local;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return local - sign * (+digits.slice(0, 2) * 60 + +(digits.slice(2) || 0)) * 60_000;
}

export const maxOf = (values: (number | null)[]) =>
  Math.max(0, ...values.filter((v): v is number => v !== null));
export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export function countBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}
