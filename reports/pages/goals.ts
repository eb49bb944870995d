// Goals: which CTA was clicked how often, which form was started and submitted, and which custom
// events the site sent with which property values, in the period.

import type { Row } from "../../runner/warehouse.ts";
import { barChart } from "../charts.ts";
import { type Figure, figure, formatCount, formatCountOf, formatShare, num, type Value } from "../format.ts";
import { type Page, shownOf, table } from "../page.ts";
import { contextShown, ctaContextQueries } from "../period-cta-context.ts";
import { goalsQueries, goalsShown, valuesShown } from "../period-goals.ts";

const empty = "No data in this period.";

function goalTable(caption: string, part: string, label: string, rows: Row[], sessions: number) {
  return table(
    shownOf(
      rows,
      `${caption} (period)`,
      (n, total) => `The ${n} ${part} with the most events, of ${total} (period)`,
    ),
    [label, "Events#", "Sessions#", "Visitors#", "Share of sessions#"],
    rows.map((r) => [
      String(r.goal),
      formatCount(r.events),
      formatCount(r.sessions),
      formatCount(r.visitors),
      shareOf(r.sessions, sessions),
    ]),
    empty,
  );
}

/** A share (a number from 0 to 1 in the CSV files), or "–" where there is nothing to take it of. */
function shareOf(part: Value, whole: Value): Figure | string {
  return num(whole) > 0 ? figure(formatShare, num(part) / num(whole)) : "–";
}

/** Where the most clicked CTAs are clicked, and the channels and sources of the sessions clicking them. */
function ctaContext(pages: Row[], sources: Row[]) {
  const ctas = new Set(pages.map((r) => r.cta)).size;
  // "the 0 most clicked CTAs" above an empty table, or "each" of one CTA, would read oddly.
  const which =
    ctas === 1
      ? `the CTA, ${contextShown} at most (period)`
      : `the ${ctas > 1 ? `${ctas} ` : ""}most clicked CTAs, ${contextShown} at most each (period)`;
  return {
    ctaPagesTable: table(
      `Where each CTA is clicked: the pages of ${which}`,
      ["CTA", "Page", "Clicks#", "Share of the CTA's clicks#", "Click rate#"],
      pages.map((r) => [
        String(r.cta),
        String(r.page_path),
        formatCount(r.clicks),
        shareOf(r.clicks, r.cta_clicks),
        shareOf(r.clicking_viewers, r.page_sessions),
      ]),
      empty,
    ),
    ctaSourcesTable: table(
      `Who clicks each CTA: the channels and sources of ${which}`,
      ["CTA", "Channel", "Source", "Sessions#", "Share of the source's sessions#"],
      sources.map((r) => [
        String(r.cta),
        String(r.channel),
        String(r.source),
        formatCount(r.sessions),
        shareOf(r.sessions, r.source_sessions),
      ]),
      empty,
    ),
  };
}

export const goals: Page = {
  slug: "goals",
  title: "Goals: CTAs, forms and events",
  nav: "Goals",
  queries: ({ period }) => ({ ...goalsQueries(period), ...ctaContextQueries(period) }),
  view(rows) {
    const sessions = num(rows.period_sessions?.[0]?.sessions ?? 0);
    const goalRows = rows.goals ?? [];
    const clicks = goalRows.filter((r) => r.event_type === "cta_click");
    const custom = goalRows.filter((r) => r.event_type === "custom");
    const forms = rows.forms ?? [];
    const props = rows.props ?? [];
    // The chart counts sessions: its CTAs are those clicked in the most sessions (the table's order
    // is by clicks, where one session clicking often leads), of all the period's CTAs.
    const top = rows.cta_chart ?? [];
    const clicksTitle = "Sessions clicking each CTA (period)";
    return {
      clicksChart: top.length
        ? barChart(
            clicksTitle,
            top.map((r) => String(r.goal)),
            [{ name: "sessions", values: top.map((r) => num(r.sessions)) }],
            { horizontal: true, height: 100 + top.length * 40, valueName: "sessions" },
          )
        : { title: clicksTitle, svg: "" },
      // The share's denominator, and why it can differ from the overview's sessions (started in the period).
      sessionsNote: sessions
        ? `Shares are of the period's ${formatCountOf(sessions, "session")} with an event in it, including those that started before it (the overview counts the sessions that started in it); visitors count only sessions with a visitor id.`
        : "",
      clicksTable: goalTable("CTA clicks by data-cta value", "CTAs", "CTA", clicks, sessions),
      ...ctaContext(rows.cta_pages ?? [], rows.cta_sources ?? []),
      formsTable: table(
        shownOf(
          forms,
          "Forms by id or name: started, submitted, completed (period)",
          (n, total) => `Forms by id or name: the ${n} most started of ${total} (period)`,
        ),
        ["Form", "Sessions started#", "Sessions submitted#", "Completion#"],
        forms.map((r) => [
          String(r.form),
          formatCount(r.started),
          formatCount(r.submitted),
          // Of the sessions that started the form, the share that submitted it too.
          shareOf(r.completed, r.started),
        ]),
        empty,
      ),
      customTable: goalTable("Custom events by name", "custom events", "Event", custom, sessions),
      propsTable: table(
        shownOf(
          props,
          `Custom events' top ${valuesShown} values of each property (period)`,
          (n, total) =>
            `Custom events' top ${valuesShown} values of each property: the first ${n} of ${total} rows, the most sent events first (period)`,
        ),
        ["Event", "Property", "Value", "Events#", "Sessions#"],
        props.map((r) => [
          String(r.name),
          // A property with more values than shown says how many it had.
          num(r.values) > valuesShown
            ? `${r.prop_key} (${formatCount(r.values)} values)`
            : String(r.prop_key),
          String(r.prop_value),
          formatCount(r.events),
          formatCount(r.sessions),
        ]),
        empty,
      ),
      limits: `The tables list at most ${goalsShown} CTAs, forms and custom events, and ${valuesShown} values of each property. The SQL playground has every goal over all data (the goals table) and the 25 most frequent values of each property (goal_props).`,
    };
  },
};
