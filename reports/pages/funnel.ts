// Funnel: sessions reaching each ordered step, with conversion and drop-off between steps, for the
// sessions that started in the period and, below, for all data (the funnel mart).

import type { Row } from "../../runner/warehouse.ts";
import { barChart } from "../charts.ts";
import { figure, formatCount, formatShare, num } from "../format.ts";
import { type Page, table } from "../page.ts";
import { type Period, periodDatesSql } from "../period.ts";
import { localRangeSql } from "../zone.ts";

/**
 * The funnel mart's counts for the sessions that started in the period: the mart sums every day of
 * int_daily_funnel (sessions by the last step they reached), this sums the period's.
 */
export function periodFunnelSql(period: Period): string {
  return `
    SELECT funnel.step, funnel.step_name, coalesce(sum(d.sessions), 0) AS sessions
    FROM funnel LEFT JOIN int_daily_funnel d ON d.steps_reached >= funnel.step AND ${periodDatesSql(period)}
    GROUP BY funnel.step, funnel.step_name
    ORDER BY funnel.step`;
}

export const funnel: Page = {
  slug: "funnel",
  title: "Funnel",
  nav: "Funnel",
  queries: ({ period }) => ({
    period_funnel: periodFunnelSql(period),
    funnel: "SELECT step, step_name, sessions FROM funnel ORDER BY step",
    // Whether a period without a session at step 1 has sessions at all (a site sending only custom events).
    period_sessions: `
      SELECT count(*) AS sessions FROM sessions
      WHERE ${localRangeSql("started_at", period.from, period.until, period.zone)}`,
  }),
  view(rows) {
    const steps = rows.period_funnel ?? [];
    // Every step has 0 sessions before any session entered: zero bars would look like a drawing error.
    const entered = num(steps[0]?.sessions ?? 0) > 0;
    const title = "Sessions reaching each funnel step";
    const first = steps[0];
    // A period without sessions has no data; with some, no step at all is funnel_steps: [].
    const noneEntered =
      num(rows.period_sessions?.[0]?.sessions ?? 0) === 0
        ? undefined
        : !first
          ? "the funnel has no steps (var funnel_steps is empty)"
          : `no session of the period reached the first step, ${first.step}. ${first.step_name}`;
    return {
      funnelChart: entered
        ? barChart(
            title,
            steps.map((r) => `${r.step}. ${r.step_name}`),
            [{ name: "sessions", values: steps.map((r) => num(r.sessions)) }],
            { horizontal: true, valueName: "sessions" },
          )
        : { title, svg: "", empty: noneEntered },
      periodTable: stepsTable("Funnel steps", steps),
      allDataTable: stepsTable("Funnel steps (all data)", rows.funnel ?? []),
    };
  },
};

/**
 * Sessions at each step with the funnel mart's shares, worked out here from the counts for the
 * period's table and the whole history's alike: of the step before, and of step 1.
 */
function stepsTable(caption: string, steps: Row[]) {
  const entered = num(steps[0]?.sessions ?? 0);
  return table(
    caption,
    ["Step", "Sessions#", "From previous step#", "Dropped#", "From start#"],
    steps.map((r, i) => {
      const sessions = num(r.sessions);
      const previous = i === 0 ? sessions : num(steps[i - 1]?.sessions ?? 0);
      // No session reached the step before (0 for it): nobody could go on or drop.
      const fromPrevious = previous > 0 ? sessions / previous : null;
      return [
        `${r.step}. ${r.step_name}`,
        formatCount(sessions),
        fromPrevious === null ? "–" : figure(formatShare, fromPrevious),
        // The CSV file holds the count: the share dropped is 1 − the share from the previous step.
        i === 0 || fromPrevious === null
          ? "–"
          : {
              text: `${formatCount(previous - sessions)} (${formatShare(1 - fromPrevious)})`,
              value: previous - sessions,
            },
        entered > 0 ? figure(formatShare, sessions / entered) : "–",
      ];
    }),
  );
}
