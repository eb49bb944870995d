// The plain-language verdict of an experiment, read from the `experiments` model's columns.
import { formatProbability, formatShareBrief } from "./format.ts";
export interface VariantResult {
  variant: string;
  /** The variant the others are read against (the mart's is_control). */
  is_control: boolean;
  sessions: number;
  conversions: number;
  conversion_rate: number;
  uplift: number | null;
  p_value: number | null;
  /** NULL for an experiment of more variants than the mart works it out for. */
  prob_best: number | null;
  /** The experiment's sample ratio check of its visitors against the intended split (NULL with one variant). */
  srm_p_value: number | null;
}

const significance = 0.05;
/** A split this unlikely under an even assignment is a fault, not chance (the usual SRM alarm). */
const sampleRatioAlarm = 0.001;
/** Below this many exposed sessions per variant a verdict would only read noise. */
const minimumSessions = 30;

/**
 * "B converts 14 % better; 98.6 % likely best; significant at 5 %", or "not enough evidence yet"
 * when the leader is not significantly different from the control.
 */
export function experimentVerdict(variants: VariantResult[]): string {
  if (variants.length < 2) return "not enough evidence yet: the experiment has fewer than two variants";
  // The mart leaves prob_best out past 50 variants: more sessions would not bring a verdict.
  const scored = variants.filter((v): v is VariantResult & { prob_best: number } => v.prob_best !== null);
  if (scored.length < variants.length)
    return `no verdict: ${variants.length} variants are more than an experiment is scored for (50); a page that names its variants by an id or a price runs no A/B test`;
  // Before the wait for sessions: a variant whose tracking is broken may never reach them.
  const split = variants[0]?.srm_p_value ?? null;
  if (split !== null && split < sampleRatioAlarm) {
    return `no verdict: the visitors are not split as intended (sample ratio p < ${sampleRatioAlarm}); look for a fault in the assignment or the tracking of a variant`;
  }
  if (variants.some((v) => v.sessions < minimumSessions)) {
    return `not enough evidence yet: a variant has fewer than ${minimumSessions} sessions`;
  }
  // With no conversion anywhere the posteriors differ only by sample size: no variant leads.
  if (variants.every((v) => v.conversions === 0))
    return "not enough evidence yet: no variant has a conversion yet";
  // Not "the variant without a p-value": early on, one whose rate and the control's are both 0 has none too.
  const control = variants.find((v) => v.is_control) ?? variants[0];
  const leader = scored.reduce((best, v) => (v.prob_best > best.prob_best ? v : best));
  const likely = `${formatProbability(leader.prob_best)} likely best`;
  if (leader !== control) {
    const p = leader.p_value ?? 1;
    if (p >= significance) return `not enough evidence yet (${leader.variant} leads; ${likely})`;
    const uplift = leader.uplift;
    const better =
      uplift === null ? "converts where the control does not" : `converts ${upliftSize(uplift)} better`;
    return `${leader.variant} ${better}; ${likely}; significant at 5 %`;
  }
  // The control leads: a verdict only when every other variant is significantly worse.
  const others = variants.filter((v) => v !== control);
  if (others.every((v) => (v.p_value ?? 1) < significance)) {
    const closest = others.reduce((a, b) => ((a.uplift ?? -1) > (b.uplift ?? -1) ? a : b));
    const worse = upliftSize(closest.uplift ?? 0);
    return `${control.variant} converts best (${closest.variant} ${worse} worse); ${likely}; significant at 5 %`;
  }
  return `not enough evidence yet (${control.variant} leads; ${likely})`;
}

/**
 * How much better or worse, in whole percent from 1 % on and finer below (a huge test can make a
 * tiny difference significant): "14 %", "0.4 %", "< 0.1 %", never a "0 % better" that contradicts itself.
 */
function upliftSize(uplift: number): string {
  const size = Math.abs(uplift);
  return size >= 0.01 ? `${Math.round(size * 100)} %` : formatShareBrief(size);
}
