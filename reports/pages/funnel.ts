// Funnel: sessions reaching each ordered step, with conversion and drop-off between steps.
import { barChart } from "../charts.ts";
import { figure, formatCount, formatShare, num } from "../format.ts";
import { type Page, table } from "../page.ts";

export const funnel: Page = {
  slug: "funnel",
  title: "Funnel",
  nav: "Funnel",
  queries: () => ({
    funnel:
      "SELECT step, step_name, sessions, conversion_from_previous, conversion_from_start FROM funnel ORDER BY step",
  }),
  view(rows) {
    const steps = rows.funnel ?? [];
    // The model writes every step with 0 sessions before any session: zero bars would look like a drawing error.
    const entered = num(steps[0]?.sessions ?? 0) > 0;
    return {
      funnelChart: entered
        ? barChart(
            "Sessions reaching each funnel step (all data)",
            steps.map((r) => `${r.step}. ${r.step_name}`),
            [{ name: "sessions", values: steps.map((r) => num(r.sessions)) }],
            { horizontal: true, valueName: "sessions" },
          )
        : { title: "Sessions reaching each funnel step (all data)", svg: "" },
      funnelTable: table(
        "Funnel steps (all data)",
        ["Step", "Sessions#", "From previous step#", "Dropped#", "From start#"],
        steps.map((r, i) => {
          const previous = i === 0 ? num(r.sessions) : num(steps[i - 1]?.sessions ?? 0);
          // No session reached the step before (the model writes 0 for it): nobody could go on or drop.
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
      ),
    };
  },
};
