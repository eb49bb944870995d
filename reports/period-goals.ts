// The goals page's queries: CTA clicks, forms and custom events of the period, read from the events
// (int_goal_events, stg_events) as the overview's top pages are, since sessions and visitors do not
// add up across days. Goals go by int_goal_events' name, the goals mart's, never a rule of the page's.
import type { Period } from "./period.ts";
import { localRangeSql } from "./zone.ts";

/** Rows shown per kind of goal, and values shown per property of a custom event. */
export const goalsShown = 25;
export const valuesShown = 5;
/** CTAs in the goals page's chart, those clicked in the most sessions. */
export const chartedCtas = 8;

/** The period's non-bot events of stg_events. */
export function periodEvents(period: Period): string {
  return `NOT coalesce(is_bot, false) AND ${localRangeSql("event_ts", period.from, period.until, period.zone)}`;
}

/** The period's goal events of these types: int_goal_events holds no bot's. */
export function periodGoalEvents(period: Period, types: string): string {
  return `int_goal_events
        WHERE event_type IN (${types}) AND ${localRangeSql("event_ts", period.from, period.until, period.zone)}`;
}

export function goalsQueries(period: Period): Record<string, string> {
  return {
    // The sessions with an event in the period, the population the goals' sessions are counted in: a
    // session that started before the period and clicks in it counts in both, so a share is at most 1.
    period_sessions: `
      SELECT count(DISTINCT session_id) AS sessions FROM stg_events WHERE ${periodEvents(period)}`,
    goals: `
      SELECT event_type, name AS goal, count(*) AS events, count(DISTINCT session_id) AS sessions,
             count(DISTINCT visitor_id) AS visitors,
             count(*) OVER (PARTITION BY event_type) AS total
      FROM ${periodGoalEvents(period, "'cta_click', 'custom'")}
      GROUP BY event_type, goal
      QUALIFY row_number() OVER (PARTITION BY event_type ORDER BY events DESC, goal) <= ${goalsShown}
      ORDER BY event_type, events DESC, goal`,
    // The chart ranks every CTA of the period by sessions: the table's rows, the most clicked, could
    // leave out one clicked once in each of many sessions.
    cta_chart: `
      SELECT name AS goal, count(DISTINCT session_id) AS sessions
      FROM ${periodGoalEvents(period, "'cta_click'")}
      GROUP BY goal
      ORDER BY sessions DESC, goal LIMIT ${chartedCtas}`,
    forms: `
      WITH per_session AS (
        SELECT name AS form, session_id,
               bool_or(event_type = 'form_start') AS started, bool_or(event_type = 'form_submit') AS submitted
        FROM ${periodGoalEvents(period, "'form_start', 'form_submit'")}
        GROUP BY form, session_id
      )
      SELECT form, count(*) FILTER (WHERE started) AS started, count(*) FILTER (WHERE submitted) AS submitted,
             count(*) FILTER (WHERE started AND submitted) AS completed, count(*) OVER () AS total
      FROM per_session GROUP BY form
      ORDER BY started DESC, submitted DESC, form LIMIT ${goalsShown}`,
    props: `
      -- Named by int_goal_events, as the custom events table names them: one sent with a blank name
      -- is "(unnamed)" there, and would be a blank row here.
      WITH customs AS (
        SELECT goal.name, goal.session_id, event.props
        FROM (SELECT event_id, name, session_id FROM ${periodGoalEvents(period, "'custom'")}) AS goal
        JOIN (SELECT event_id, props FROM stg_events WHERE event_type = 'custom' AND ${periodEvents(period)}) AS event
          USING (event_id)
      ),
      pairs AS (
        -- json_each, as int_session_goal_props: ->> would read a visitor's key "$[" as a JSON path.
        SELECT name, session_id, prop.key AS prop_key, prop.value ->> '$' AS prop_value
        FROM customs, json_each(customs.props) AS prop
        WHERE props IS NOT NULL
      ),
      counted AS (
        SELECT name, prop_key, prop_value, count(*) AS events, count(DISTINCT session_id) AS sessions
        FROM pairs WHERE prop_value IS NOT NULL
        GROUP BY name, prop_key, prop_value
      ),
      shown AS (
        SELECT *, count(*) OVER (PARTITION BY name, prop_key) AS values
        FROM counted
        QUALIFY row_number() OVER (PARTITION BY name, prop_key ORDER BY events DESC, prop_value) <= ${valuesShown}
      ),
      -- The events in the custom events table's order, most sent first: a rare event with many
      -- properties must not push out the values of the frequent ones.
      ranked AS (
        SELECT name, count(*) AS name_events FROM customs GROUP BY name
      )
      SELECT shown.*, count(*) OVER () AS total
      FROM shown JOIN ranked USING (name)
      ORDER BY name_events DESC, name, prop_key, events DESC, prop_value LIMIT ${goalsShown * valuesShown}`,
  };
}
