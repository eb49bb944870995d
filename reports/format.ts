// Number and text formatting for the report pages. Everything is formatted in TypeScript so the
// templates stay free of logic, and every figure reads the same on every page.
import type { Plain } from "../runner/warehouse.ts";
import { zonedMinute } from "./zone.ts";

/** A cell read from a row: a missing column reads as undefined. */
export type Value = Plain | undefined;

export function num(value: Value): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return Number.NaN;
}

/** A table cell's figure: the text a reader sees, and the number its table's CSV file holds. */
export interface Figure {
  text: string;
  value: number | null;
}

/** A figure as `format` shows it, kept as the number it is for a spreadsheet: a share stays 0–1. */
export function figure(format: (value: Value) => string, value: Value): Figure {
  const n = num(value);
  return { text: format(value), value: Number.isFinite(n) ? n : null };
}

export function formatCount(value: Value): string {
  const n = num(value);
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–";
}

/** A count and its noun, in the singular for one: "1 session", "1,204 sessions". */
export function formatCountOf(value: Value, singular: string, plural = `${singular}s`): string {
  return `${formatCount(value)} ${num(value) === 1 ? singular : plural}`;
}

/**
 * A share (0–1) as a percentage. "0 %" and "100 %" say none and all: a share that only rounds to
 * them (1 conversion in 3,000 sessions, 2,999 of 3,000 scrolling) reads "< 0.1 %" or "> 99.9 %".
 */
export function formatShare(value: Value, digits = 1): string {
  const n = num(value);
  if (!Number.isFinite(n)) return "–";
  const step = 10 ** -digits;
  if (n > 0 && n * 100 < step / 2) return `< ${step.toFixed(digits)} %`;
  if (n < 1 && n * 100 >= 100 - step / 2) return `> ${(100 - step).toFixed(digits)} %`;
  return `${(n * 100).toFixed(digits)} %`;
}

/** A share with one decimal where it says something: "50 %", "33.3 %", "< 0.1 %" (retention cells). */
export function formatShareBrief(value: Value): string {
  return formatShare(value).replace(/\.0 %$/, " %");
}

/** A probability as a percentage; near-certainties are not rounded up to a certain 100 %. */
export function formatProbability(value: Value): string {
  const n = num(value);
  if (!Number.isFinite(n)) return "–";
  if (n > 0.999) return "> 99.9 %";
  if (n < 0.001) return "< 0.1 %";
  return `${(n * 100).toFixed(1)} %`;
}

/** A value that is already a percentage (0–100). */
export function formatPercent(value: Value, digits = 1): string {
  const n = num(value);
  return Number.isFinite(n) ? `${n.toFixed(digits)} %` : "–";
}

export function formatDecimal(value: Value, digits = 2): string {
  const n = num(value);
  return Number.isFinite(n) ? n.toFixed(digits) : "–";
}

export function formatSeconds(value: Value): string {
  const n = num(value);
  if (!Number.isFinite(n)) return "–";
  const s = Math.round(n);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}

export function formatPValue(value: Value): string {
  const n = num(value);
  if (!Number.isFinite(n)) return "–";
  return n < 0.001 ? "< 0.001" : n.toFixed(3);
}

/** The date part of an ISO timestamp or date, as YYYY-MM-DD. */
export function isoDate(value: Value): string {
  return typeof value === "string" ? value.slice(0, 10) : "–";
}

/** "2026-11-25 15:07 Europe/Berlin" from an ISO timestamp (UTC), in the reporting time zone. */
export function zonedTime(value: Value, zone: string): string {
  return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? zonedMinute(zone, value) : "–";
}

export interface Change {
  text: string;
  direction: "up" | "down" | "flat" | "none";
  /** Whether the change is good news: a falling bounce rate is, a falling visitor count is not. */
  tone: "better" | "worse" | "neutral";
}

/** Figures where a fall is the good news. */
export type Polarity = "higher is better" | "lower is better";

function toneOf(direction: Change["direction"], polarity: Polarity): Change["tone"] {
  if (direction !== "up" && direction !== "down") return "neutral";
  return (direction === "up") === (polarity === "higher is better") ? "better" : "worse";
}

/**
 * No change to show when either side has no figure (NaN: a rate of no sessions): which side, since a
 * period without sessions beside a previous one that had them is no "no previous data".
 */
function missingSide(current: number, previous: number): Change | undefined {
  if (!Number.isFinite(previous)) return { text: "no previous data", direction: "none", tone: "neutral" };
  if (!Number.isFinite(current))
    return { text: "no data in this period", direction: "none", tone: "neutral" };
  return undefined;
}

/** Below this, a relative change or a change in points is a float's rounding, not a change. */
const NO_CHANGE = 1e-9;

/**
 * A change's size in percent or points, one decimal; a fall to a figure still above 0 (2 sessions
 * after 5,000) keeps as many more as it needs not to read "100.0", which says that none are left:
 * "99.96"; and a change too small for one decimal (5,001 sessions after 5,000) as many as it needs not
 * to read "0.0", which says that nothing changed: "0.02". Past six, a change still reads as one:
 * "< 0.000001", as a share under its digits does.
 */
function changeSize(size: number, someLeft: boolean): string {
  const readsAs = (digits: number, figure: number) => size.toFixed(digits) === figure.toFixed(digits);
  let digits = 1;
  while (digits < 6 && (readsAs(digits, 0) || (someLeft && readsAs(digits, 100)))) digits++;
  return readsAs(digits, 0) ? `< ${(10 ** -digits).toFixed(digits)}` : size.toFixed(digits);
}

/** The relative change of a figure against the previous period, for the KPI tiles; NaN: no previous period. */
export function change(current: number, previous: number, polarity: Polarity = "higher is better"): Change {
  const missing = missingSide(current, previous);
  if (missing) return missing;
  // The previous period had data, and none of this figure: no ratio, but not "no data" either.
  if (previous === 0 && current !== 0) {
    return { text: "up from 0 in the previous period", direction: "up", tone: toneOf("up", polarity) };
  }
  const ratio = previous === 0 ? 0 : current / previous - 1;
  // "±0" says no change at all: a change too small to show at one decimal shows more of them, but a
  // difference of rounding alone (two averages summed in another order) is none.
  if (Math.abs(ratio) < NO_CHANGE)
    return { text: "±0 % vs previous period", direction: "flat", tone: "neutral" };
  const sign = ratio > 0 ? "+" : "−";
  const direction = ratio > 0 ? "up" : "down";
  return {
    text: `${sign}${changeSize(Math.abs(ratio * 100), current !== 0)} % vs previous period`,
    direction,
    tone: toneOf(direction, polarity),
  };
}

/** A change in percentage points, for rates where a relative change would mislead. */
export function changePoints(
  current: number,
  previous: number,
  polarity: Polarity = "higher is better",
): Change {
  const missing = missingSide(current, previous);
  if (missing) return missing;
  const points = (current - previous) * 100;
  if (Math.abs(points) < NO_CHANGE)
    return { text: "±0 pt vs previous period", direction: "flat", tone: "neutral" };
  const sign = points > 0 ? "+" : "−";
  const direction = points > 0 ? "up" : "down";
  return {
    // "100.0 pt" says the rate went from all to none (or none to all): one that did not keeps more digits.
    text: `${sign}${changeSize(Math.abs(points), points < 0 ? current > 0 : current < 1)} pt vs previous period`,
    direction,
    tone: toneOf(direction, polarity),
  };
}
