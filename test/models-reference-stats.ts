// The anomalies and experiments tables worked out in plain TypeScript from their definitions
// (models/schema.yml), for the random-event test: medians and spreads by sorting, the normal tail
// and the Beta posteriors by direct numerical integration.
import { eventsBySession } from "./models-reference-sessions.ts";
import { DAY, iso, local, mean, type Row, type Vars } from "./models-reference-shared.ts";
import type { Stg } from "./models-reference-staging.ts";

const HOUR = 3_600_000;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export function anomalies(stg: Stg[], vars: Vars): Row[] {
  const counts = new Map<number, number>();
  for (const e of stg.filter((x) => !x.is_bot)) {
    const hour = Math.floor(e.ts / HOUR) * HOUR;
    counts.set(hour, (counts.get(hour) ?? 0) + 1);
  }
  if (counts.size === 0) return [];
  const first = Math.min(...counts.keys());
  const last = Math.max(...counts.keys());
  const rows: Row[] = [];
  for (let hour = first; hour <= last; hour += HOUR) {
    const events = counts.get(hour) ?? 0;
    // The same hour of day on the zone's clock, within the 14 days before (13 or 15 of them around a
    // clock change).
    const hourOfDay = (ms: number) => new Date(local(ms, vars.timezone)).getUTCHours();
    const points: number[] = [];
    for (let earlier = Math.max(first, hour - 14 * DAY); earlier < hour; earlier += HOUR)
      if (hourOfDay(earlier) === hourOfDay(hour)) points.push(counts.get(earlier) ?? 0);
    let baseline: number | null = null;
    let z: number | null = null;
    if (points.length >= 7) {
      baseline = median(points);
      const deviations = points.map((p) => Math.abs(p - (baseline as number)));
      const mad = median(deviations);
      const spread = Math.max(mad > 0 ? 1.4826 * mad : 1.2533 * mean(deviations), 1);
      z = (events - baseline) / spread;
    }
    rows.push({
      hour: iso(hour),
      events,
      baseline,
      z,
      is_anomaly: z !== null && Math.abs(z) > vars.anomaly_z,
    });
  }
  return rows;
}

/** Simpson's rule with `intervals` (even) pieces. */
function integrate(f: (x: number) => number, from: number, to: number, intervals: number): number {
  const h = (to - from) / intervals;
  let sum = f(from) + f(to);
  for (let i = 1; i < intervals; i++) sum += (i % 2 ? 4 : 2) * f(from + i * h);
  return (sum * h) / 3;
}

/** erfc(x) for x ≥ 0: the tail integral of e^(−t²) is negligible past x + 12. */
const erfc = (x: number) => (2 / Math.sqrt(Math.PI)) * integrate((t) => Math.exp(-t * t), x, x + 12, 6000);

const logFactorial = (n: number) => {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
};

/** Beta(a, b) with whole a, b: its density, and its distribution function as a binomial tail. */
function beta(a: number, b: number) {
  const n = a + b - 1;
  const logNorm = logFactorial(n) - logFactorial(a - 1) - logFactorial(b - 1);
  const logChoose = (k: number) => logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  const pow = (x: number, k: number) => (k === 0 ? 1 : x ** k);
  const [mean, sd] = [a / (a + b), Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)))];
  return {
    span: [Math.max(0, mean - 20 * sd), Math.min(1, mean + 20 * sd)] as const,
    pdf: (x: number) => Math.exp(logNorm) * pow(x, a - 1) * pow(1 - x, b - 1),
    cdf: (x: number) => {
      let tail = 0;
      for (let k = a; k <= n; k++) tail += Math.exp(logChoose(k)) * pow(x, k) * pow(1 - x, n - k);
      return tail;
    },
  };
}

/**
 * The chi-square distribution's upper tail by its closed forms: for even k, e^(−x/2) Σ_{j<k/2}
 * (x/2)^j / j!; for odd k, erfc(√(x/2)) + √(2x/π) e^(−x/2) Σ_{j=1}^{(k−1)/2} x^(j−1) / (1·3···(2j−1)).
 */
function chiSquareTail(x: number, k: number): number {
  let sum = 0;
  let term = 1;
  if (k % 2 === 0) {
    for (let j = 0; j < k / 2; j++, term *= x / 2 / j) sum += term;
    return Math.exp(-x / 2) * sum;
  }
  for (let j = 1; j <= (k - 1) / 2; j++) {
    term = j === 1 ? 1 : (term * x) / (2 * j - 1);
    sum += term;
  }
  return erfc(Math.sqrt(x / 2)) + Math.sqrt((2 * x) / Math.PI) * Math.exp(-x / 2) * sum;
}

/** Pearson's chi-square of the variants' exposed visitors against an even split; NULL with one variant. */
function splitPValue(visitors: number[]): number | null {
  if (visitors.length < 2) return null;
  const expected = mean(visitors);
  const chiSquare = visitors.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
  return chiSquare <= 0 ? 1 : chiSquareTail(chiSquare, visitors.length - 1);
}

export function experiments(stg: Stg[], vars: Vars): Row[] {
  type Tally = { sessions: number; conversions: number; visitors: Set<string> };
  const tally = new Map<string, Map<string, Tally>>();
  for (const ordered of eventsBySession(stg).values()) {
    const firstExposure = new Map<string, Stg>();
    for (const e of ordered)
      if (e.event_type === "experiment_exposure" && e.experiment !== null && e.variant !== null)
        if (!firstExposure.has(e.experiment)) firstExposure.set(e.experiment, e);
    for (const [experiment, exposure] of firstExposure) {
      const converted = ordered.some(
        (e) => vars.conversion_events.includes(e.event_type) && e.ts >= exposure.ts,
      );
      const variants = tally.get(experiment) ?? new Map();
      tally.set(experiment, variants);
      const counts = variants.get(exposure.variant!) ?? { sessions: 0, conversions: 0, visitors: new Set() };
      variants.set(exposure.variant!, counts);
      counts.sessions += 1;
      // The session's visitor is its first event's; a session without one counts as a visitor.
      counts.visitors.add(ordered[0]!.visitor_id ?? ordered[0]!.session_id);
      if (converted) counts.conversions += 1;
    }
  }
  const rows: Row[] = [];
  for (const [experiment, variants] of tally) {
    const names = [...variants.keys()].sort();
    const control = names.find((name) => name.toLowerCase() === "control") ?? names[0]!;
    const c = variants.get(control)!;
    const controlRate = c.conversions / c.sessions;
    const srm_p_value = splitPValue(names.map((v) => variants.get(v)!.visitors.size));
    const posteriors = names.map((v) =>
      beta(1 + variants.get(v)!.conversions, 1 + variants.get(v)!.sessions - variants.get(v)!.conversions),
    );
    for (const [i, variant] of names.entries()) {
      const { sessions, conversions, visitors } = variants.get(variant)!;
      const rate = conversions / sessions;
      const isControl = variant === control;
      const pooled = (conversions + c.conversions) / (sessions + c.sessions);
      let p_value: number | null = null;
      if (!isControl) {
        const z =
          pooled > 0 && pooled < 1
            ? Math.abs(rate - controlRate) /
              Math.sqrt(pooled * (1 - pooled) * (1 / sessions + 1 / c.sessions))
            : 0;
        p_value = Math.min(1, erfc(z / Math.SQRT2));
      }
      const mine = posteriors[i]!;
      const others = posteriors.filter((_, j) => j !== i);
      // Over the variant's own posterior (its mean ± 20 sd, where all but e^−20 of it lies): over all of
      // [0, 1] a narrow one, a large arm's, falls between a few of the points.
      const [lo, hi] = mine.span;
      const prob_best = integrate(
        (x) => mine.pdf(x) * others.reduce((p, o) => p * o.cdf(x), 1),
        lo,
        hi,
        8000,
      );
      rows.push({
        experiment,
        variant,
        visitors: visitors.size,
        sessions,
        conversions,
        conversion_rate: rate,
        is_control: isControl,
        uplift: isControl ? 0 : controlRate > 0 ? rate / controlRate - 1 : null,
        p_value,
        prob_best,
        srm_p_value,
      });
    }
  }
  return rows;
}
