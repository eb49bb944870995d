// Funnel: sessions reaching each ordered step, with conversion and drop-off between steps, for the
// sessions that started in the period and, below, for all data (the funnel mart).

import type { Row } from "../../runner/warehouse.ts";
import { barChart } from "../charts.ts";
import { figure, formatCount, formatShare, num } from "../format.ts";
import { type Page, table } from "../page.ts";
import type { Period } from "../period.ts";
import { localRangeSql } from "../zone.ts";

/**
 * The funnel mart's figures for the sessions that started in the period: int_session_funnel holds how
 * far each session got, and the sums and shares are the mart's, so a period holding all the data
 * shows the mart's rows.
 */
export function periodFunnelSql(period: Period): string {
  return `
    WITH furthest AS (
      SELECT f.steps_reached, count(*) AS sessions
      FROM int_session_funnel f JOIN sessions s USING (session_id)
      WHERE ${localRangeSql("s.started_at", period.from, period.until, period.zone)}
      GROUP BY f.steps_reached
    ),
    counts AS (
      SELECT funnel.step, funnel.step_name, coalesce(sum(furthest.sessions), 0) AS sessions
      FROM funnel LEFT JOIN furthest ON furthest.steps_reached >= funnel.step
      GROUP BY funnel.step, funnel.step_name
    )
    SELECT step, step_name, sessions,
           CASE WHEN step = 1 THEN 1.0
                ELSE coalesce(sessions / nullif(lag(sessions) OVER (ORDER BY step), 0), 0.0) END
             AS conversion_from_previous,
           coalesce(sessions / nullif(first_value(sessions) OVER (ORDER BY step), 0), 0.0) AS conversion_from_start
    FROM counts ORDER BY step`;
}

export const funnel: Page = {
  slug: "funnel",
  title: "Funnel",
  nav: "Funnel",
  queries: ({ period }) => ({
    period_funnel: periodFunnelSql(period),
    funnel:
      "SELECT step, step_name, sessions, conversion_from_previous, conversion_from_start FROM funnel ORDER BY step",
  }),
  view(rows) {
    const steps = rows.period_funnel ?? [];
    // Every step has 0 sessions before any session entered: zero bars would look like a drawing error.
    const entered = num(steps[0]?.sessions ?? 0) > 0;
    const title = "Sessions reaching each funnel step";
    return {
      funnelChart: entered
        ? barChart(
            title,
            steps.map((r) => `${r.step}. ${r.step_name}`),
            [{ name: "sessions", values: steps.map((r) => num(r.sessions)) }],
            { horizontal: true, valueName: "sessions" },
          )
        : { title, svg: "" },
      periodTable: stepsTable("Funnel steps", steps),
      allDataTable: stepsTable("Funnel steps (all data)", rows.funnel ?? []),
    };
  },
};

function stepsTable(caption: string, steps: Row[]) {
  const entered = num(steps[0]?.sessions ?? 0) > 0;
  return table(
    caption,
    ["Step", "Sessions#", "From previous step#", "Dropped#", "From start#"],
    steps.map((r, i) => {
      const previous = i === 0 ? num(r.sessions) : num(steps[i - 1]?.sessions ?? 0);
      // No session reached the step before (0 for it): nobody could go on or drop.
      const reachedBefore = previous > 0;
      return [
        `${r.step}. ${r.step_name}`,
        formatCount(r.sessions),
        reachedBefore ? figure(formatShare, r.conversion_from_previous) : "–",
        // The CSV file holds the count: the share dropped is 1 − the share from the previous step.
        i === 0 || !reachedBefore
          ? "–"
          : {
              text: `${formatCount(previous - num(r.sessions))} (${formatShare(1 - num(r.conversion_from_previous))})`,
              value: previous - num(r.sessions),
            },
        entered ? figure(formatShare, r.conversion_from_start) : "–",
      ];
    }),
  );
}
