// Experiments: each variant's visitors and sessions, conversion rate, uplift against the control, p-value,
// probability to be best, and a verdict in plain words.
import { barChart } from "../charts.ts";
import {
  figure,
  formatCount,
  formatPercent,
  formatProbability,
  formatPValue,
  formatShare,
  num,
  type Value,
} from "../format.ts";
import { type Page, table } from "../page.ts";
import { experimentVerdict, type VariantResult } from "../verdict.ts";

export const experiments: Page = {
  slug: "experiments",
  title: "Experiments",
  nav: "Experiments",
  queries: () => ({
    // A page can name an experiment per product or id, thousands of them: the page shows those with
    // the most exposed sessions, by name.
    experiments: `
      WITH shown AS (
        SELECT experiment FROM experiments GROUP BY experiment
        ORDER BY sum(sessions) DESC, experiment LIMIT ${experimentsShown}
      )
      SELECT experiment, variant, is_control, visitors, sessions, conversions, conversion_rate, uplift, p_value, prob_best,
             srm_p_value, (SELECT count(DISTINCT experiment) FROM experiments) AS total
      FROM experiments WHERE experiment IN (SELECT experiment FROM shown)
      ORDER BY experiment, is_control DESC, variant`,
  }),
  view(rows) {
    // The control is listed first, the baseline its variants are read against.
    const byExperiment = new Map<string, ShownVariant[]>();
    for (const r of rows.experiments ?? []) {
      const name = String(r.experiment);
      const list = byExperiment.get(name) ?? [];
      list.push({
        variant: String(r.variant),
        is_control: r.is_control === true,
        visitors: num(r.visitors),
        sessions: num(r.sessions),
        conversions: num(r.conversions),
        conversion_rate: num(r.conversion_rate),
        uplift: r.uplift === null ? null : num(r.uplift),
        p_value: r.p_value === null ? null : num(r.p_value),
        prob_best: r.prob_best === null ? null : num(r.prob_best),
        srm_p_value: r.srm_p_value === null ? null : num(r.srm_p_value),
      });
      byExperiment.set(name, list);
    }
    const total = num(rows.experiments?.[0]?.total ?? 0);
    return {
      limits:
        total > byExperiment.size
          ? `The ${byExperiment.size} experiments with the most exposed sessions of ${formatCount(total)} are shown. The SQL playground has every one (the experiments table).`
          : "",
      experiments: [...byExperiment].map(([name, variants], index) => ({
        id: `experiment-${index + 1}`,
        name,
        verdict: experimentVerdict(variants),
        split: sampleRatioNote(variants[0]?.srm_p_value ?? null),
        chart: barChart(
          `Conversion rate by variant in ${name} (all data)`,
          variants.map((v) => v.variant),
          [
            {
              name: "conversion rate",
              // Unrounded: the bar's label rounds as the table does.
              values: variants.map((v) => v.conversion_rate * 100),
            },
          ],
          { horizontal: true, percent: true, valueName: "conversion rate" },
        ),
        table: table(
          `Variants of ${name} (all data)`,
          [
            "Variant",
            "Visitors#",
            "Sessions#",
            "Conversions#",
            "Rate#",
            "Uplift#",
            "p-value#",
            "Probability best#",
          ],
          variants.map((v) => [
            v.variant,
            formatCount(v.visitors),
            formatCount(v.sessions),
            formatCount(v.conversions),
            figure(formatShare, v.conversion_rate),
            // The control's field holds the mart's uplift (0): a word would make the column text.
            v.is_control ? { text: "control", value: v.uplift } : figure(signed, v.uplift),
            figure(formatPValue, v.p_value),
            figure(formatProbability, v.prob_best),
          ]),
        ),
      })),
    };
  },
};

/** How many experiments the page shows at most. */
export const experimentsShown = 25;

/** A variant's results and its visitors, the figures its experiment's sample ratio check tests. */
type ShownVariant = VariantResult & { visitors: number };

/** The check behind a verdict of a broken split, shown always so that a reader sees how near it is. */
function sampleRatioNote(srmPValue: number | null): string {
  return srmPValue === null
    ? ""
    : `Sample ratio check (the split of visitors against the intended one): p-value ${formatPValue(srmPValue)}.`;
}

/**
 * An uplift is a ratio, not a share: it may exceed 100 %. One too small for a tenth of a percent keeps
 * its first digit ("−0.04 %"), where one decimal would read "−0.0 %".
 */
function signed(value: Value): string {
  const uplift = num(value);
  if (!Number.isFinite(uplift)) return "–";
  const size = Math.abs(uplift) * 100;
  return `${uplift >= 0 ? "+" : "−"}${size > 0 && size < 0.05 ? `${size.toPrecision(1)} %` : formatPercent(size)}`;
}
