// A small hand-made warehouse with the columns of every model, for the reports' own tests while
// they must not depend on the models being built (and to test one page failing on its own).
// Deterministic: values come from hashes of row numbers, never from a random source.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openWarehouse, type Row, type Warehouse } from "../runner/warehouse.ts";
import { buildSite } from "./index.ts";

/** The last day of the sample data; the report period anchors here. */
export const sampleEnd = "2026-11-20";

export async function seedSampleWarehouse(warehouse: Warehouse): Promise<void> {
  await warehouse.run(`
    CREATE OR REPLACE TABLE sessions AS
    SELECT 'sess' || lpad(i::VARCHAR, 6, '0') AS session_id,
           CASE WHEN i % 7 = 0 THEN NULL ELSE 'vis' || lpad((i % 140)::VARCHAR, 5, '0') END AS visitor_id,
           TIMESTAMP '${sampleEnd} 23:00:00' - to_minutes(CAST(i * 41 % (56 * 1440) AS BIGINT)) AS started_at,
           started_at + to_seconds(CAST((hash(i) % 600)::BIGINT AS BIGINT)) AS ended_at,
           CAST((hash(i) % 600)::BIGINT AS INTEGER) AS duration_s,
           ['/', '/blog/duckdb', '/pricing', '/about', '/blog/<tags>'][1 + i % 5] AS landing_page,
           ['/', '/contact', '/pricing', '/blog/duckdb'][1 + i % 4] AS exit_page,
           [NULL, 'linkedin', 'google', 'newsletter', 'twitter'][1 + i % 5] AS utm_source,
           [NULL, 'social', 'organic', 'email', 'social'][1 + i % 5] AS utm_medium,
           CASE WHEN i % 3 = 0 THEN 'launch' END AS utm_campaign,
           ['direct', 'social', 'search', 'email', 'social'][1 + i % 5] AS channel,
           coalesce(utm_source, '(direct)') AS source,
           NULL::VARCHAR AS referrer_host,
           -- A third came from no other site; the rest from one of 40 (the sample keeps no referrer hosts).
           CASE WHEN hash(session_id) % 3 = 0 THEN '(none)'
                ELSE 'site' || (hash(session_id) % 40)::VARCHAR || '.example' END AS referring_site,
           CAST(1 + (hash(i) % 4)::BIGINT AS INTEGER) AS page_views,
           CAST(3 + (hash(i) % 9)::BIGINT AS INTEGER) AS events,
           CAST([0, 25, 50, 75, 100][1 + (hash(i) % 5)::BIGINT] AS INTEGER) AS max_scroll_pct,
           CAST([0, 30, 60, 180, 300][1 + (hash(i * 3) % 5)::BIGINT] AS INTEGER) AS engaged_s,
           (hash(i * 7) % 9)::BIGINT = 0 AS converted,
           CASE WHEN (hash(i * 7) % 9)::BIGINT = 0 THEN started_at + INTERVAL 1 MINUTE END AS converted_at,
           (hash(i) % 4)::BIGINT = 0 AS is_bounce,
           ['desktop', 'mobile', 'tablet'][1 + i % 3] AS device_type,
           ['Chrome', 'Mobile Safari', 'Firefox', 'Edge', NULL][1 + i % 5] AS browser,
           ['Windows', 'iOS', 'macOS', 'Android'][1 + i % 4] AS os,
           ['DE', 'US', 'FR', NULL][1 + i % 4] AS country,
           'example.com' AS site
    FROM range(3000) t(i);

    CREATE OR REPLACE TABLE stg_events AS
    SELECT md5('ev' || s.session_id || '-' || n)::UUID AS event_id,
           CASE WHEN n = 0 THEN 'page_view' WHEN n = 1 THEN 'scroll_depth' ELSE 'time_on_page' END AS event_type,
           s.session_id, s.visitor_id,
           s.started_at + to_seconds(CAST(n * 20 AS BIGINT)) AS event_ts,
           s.started_at + to_seconds(CAST(n * 20 + 3 AS BIGINT)) AS ingest_ts,
           'example.com' AS site, s.landing_page AS page_path, 'Title' AS page_title,
           NULL::VARCHAR AS referrer, s.utm_source, s.utm_medium, s.utm_campaign,
           NULL::VARCHAR AS utm_term, NULL::VARCHAR AS utm_content,
           CASE WHEN n = 1 THEN 50 END AS scroll_pct,
           CASE WHEN n = 2 THEN s.engaged_s END AS seconds,
           false AS is_bot, s.referrer_host, s.channel,
           NULL::VARCHAR AS element, NULL::VARCHAR AS name, NULL::JSON AS props
    FROM sessions s, range(3) r(n);

    -- Goals in about half the sessions: two CTAs, a form started (and in some sessions submitted),
    -- and a custom event with a text, a number and a boolean property.
    INSERT INTO stg_events BY NAME
    SELECT md5('goal' || s.session_id || '-' || g.event_type)::UUID AS event_id, g.event_type,
           s.session_id, s.visitor_id, s.started_at + INTERVAL 30 SECOND AS event_ts,
           s.started_at + INTERVAL 33 SECOND AS ingest_ts, 'example.com' AS site,
           s.landing_page AS page_path, 'Title' AS page_title, false AS is_bot, s.channel,
           g.element, g.name, g.props::JSON AS props
    FROM sessions s
    JOIN (VALUES
      (0, 'cta_click', 'book_call', NULL, NULL),
      (1, 'cta_click', 'get_started', NULL, NULL),
      (2, 'form_start', 'contact', NULL, NULL),
      (3, 'form_start', 'contact', NULL, NULL),
      (3, 'form_submit', 'contact', NULL, NULL),
      (4, 'custom', NULL, 'plan_toggle', '{"billing": "yearly", "seats": 3, "trial": true}'),
      (5, 'custom', NULL, 'plan_toggle', '{"billing": "monthly", "seats": 1, "trial": false}')
    ) g(k, event_type, element, name, props) ON (hash(s.session_id) % 10)::BIGINT = g.k;

    CREATE OR REPLACE TABLE daily AS
    SELECT CAST(started_at AS DATE) AS "date",
           count(DISTINCT coalesce(visitor_id, session_id)) AS visitors, count(*) AS sessions,
           sum(page_views) AS page_views, count(*) FILTER (WHERE converted) AS conversions,
           avg(CASE WHEN is_bounce THEN 1.0 ELSE 0.0 END) AS bounce_rate, avg(engaged_s) AS avg_engaged_s
    FROM sessions GROUP BY 1;

    CREATE OR REPLACE TABLE sources AS
    SELECT source, count(*) AS sessions,
           count(*) FILTER (WHERE converted) AS conversions,
           round(100.0 * count(*) FILTER (WHERE converted) / count(*), 1) AS conversion_rate
    FROM sessions GROUP BY 1 ORDER BY conversion_rate DESC, sessions DESC;

    CREATE OR REPLACE TEMP VIEW session_referrers AS
    SELECT *, referring_site AS referrer FROM sessions;

    CREATE OR REPLACE TABLE int_daily_sources AS
    SELECT started_at::DATE AS date, source, referrer,
           count(*) AS sessions, count(*) FILTER (WHERE converted) AS conversions,
           count(*) FILTER (WHERE is_bounce) AS bounces, sum(engaged_s) AS engaged_s
    FROM session_referrers
    GROUP BY 1, 2, 3;

    CREATE OR REPLACE TABLE referrers AS
    SELECT referrer, count(DISTINCT coalesce(visitor_id, session_id)) AS visitors, count(*) AS sessions,
           count(*) FILTER (WHERE converted) AS conversions,
           round(100.0 * count(*) FILTER (WHERE converted) / count(*), 1) AS conversion_rate,
           avg(CASE WHEN is_bounce THEN 1.0 ELSE 0.0 END) AS bounce_rate, avg(engaged_s) AS avg_engaged_s
    FROM session_referrers
    GROUP BY 1 ORDER BY visitors DESC, sessions DESC, referrer;

    CREATE OR REPLACE TABLE int_daily_attribution AS
    SELECT s.started_at::DATE AS date, m.model, s.channel, s.source,
           coalesce(s.utm_campaign, '(none)') AS campaign,
           CAST(sum(1 + m.k * 0.1) AS DOUBLE) AS conversions
    FROM sessions s,
         (VALUES ('first_touch', 0), ('last_touch', 1), ('linear', 2), ('position_based', 3)) m(model, k)
    WHERE s.converted GROUP BY ALL;

    CREATE OR REPLACE TABLE attribution AS
    SELECT model, channel, source, campaign, sum(conversions) AS conversions
    FROM int_daily_attribution GROUP BY ALL;

    CREATE OR REPLACE TABLE funnel AS
    SELECT * FROM (VALUES
      (1, 'page_view', 3000, 1.0, 1.0),
      (2, 'scroll_50', 1800, 0.6, 0.6),
      (3, 'cta_click', 360, 0.2, 0.12),
      (4, 'form_start', 180, 0.5, 0.06),
      (5, 'form_submit', 90, 0.5, 0.03)
    ) f(step, step_name, sessions, conversion_from_previous, conversion_from_start);

    -- How far each session got, by the day it started, in step with the funnel rows above: all data
    -- sums to them.
    CREATE OR REPLACE TABLE int_daily_funnel AS
    SELECT started_at::DATE AS date,
           CASE WHEN n < 90 THEN 5 WHEN n < 180 THEN 4 WHEN n < 360 THEN 3 WHEN n < 1800 THEN 2 ELSE 1 END AS steps_reached,
           count(*) AS sessions
    FROM (SELECT started_at, CAST(substr(session_id, 5) AS INTEGER) AS n FROM sessions)
    GROUP BY ALL;

    CREATE OR REPLACE TABLE cohorts AS
    SELECT DATE '2026-09-28' + CAST(7 * w AS INTEGER) AS cohort_week, k AS weeks_since,
           CAST(round(100 / (1 + k)) AS BIGINT) AS visitors, CAST(100 AS BIGINT) AS cohort_size,
           round(100 / (1 + k)) / 100 AS retention
    FROM range(8) a(w), range(8) b(k) WHERE w + k < 8;

    CREATE OR REPLACE TABLE experiments AS
    SELECT * FROM (VALUES
      ('cta_copy', 'B', 820, 1000, 114, 0.114, 0.14, 0.01, 0.986, 1.0, false),
      ('cta_copy', 'control', 810, 1000, 100, 0.1, 0.0, NULL, 0.014, 1.0, true),
      ('hero_image', 'control', 350, 400, 40, 0.1, 0.0, NULL, 0.45, 1.0, true),
      ('hero_image', 'photo', 340, 400, 42, 0.105, 0.05, 0.74, 0.55, 1.0, false)
    ) e(experiment, variant, visitors, sessions, conversions, conversion_rate, uplift, p_value, prob_best, srm_p_value, is_control);

    -- Each session views its landing page three times and leaves from it when that is its exit page;
    -- the pages mart sums these days, as the model does.
    CREATE OR REPLACE TABLE int_daily_pages AS
    SELECT started_at::DATE AS date, landing_page AS page_path, count(*) * 3 AS views, count(*) AS sessions,
           count(*) FILTER (WHERE hash(session_id) % 10 < 9) AS reached_25,
           count(*) FILTER (WHERE hash(session_id) % 10 < 6) AS reached_50,
           count(*) FILTER (WHERE hash(session_id) % 10 < 4) AS reached_75,
           count(*) FILTER (WHERE hash(session_id) % 10 < 2) AS reached_100,
           sum(engaged_s) AS engaged_s, count(*) FILTER (WHERE engaged_s >= 30) AS engaged_30s,
           count(*) FILTER (WHERE engaged_s >= 60) AS engaged_60s,
           count(*) FILTER (WHERE engaged_s >= 180) AS engaged_180s,
           count(*) FILTER (WHERE engaged_s >= 300) AS engaged_300s,
           count(*) FILTER (WHERE exit_page = landing_page) AS exits
    FROM sessions GROUP BY 1, 2;

    CREATE OR REPLACE TABLE pages AS
    SELECT page_path, sum(views) AS views, sum(sessions) AS sessions,
           sum(reached_25) / sum(sessions) AS reach_25, sum(reached_50) / sum(sessions) AS reach_50,
           sum(reached_75) / sum(sessions) AS reach_75, sum(reached_100) / sum(sessions) AS reach_100,
           sum(engaged_s) / sum(sessions) AS avg_engaged_s, sum(exits) AS exits
    FROM int_daily_pages GROUP BY 1;

    -- Each session lands, goes on to its exit page when that is another, and leaves.
    CREATE OR REPLACE TEMP VIEW session_steps AS
    SELECT session_id, started_at, '(entrance)' AS from_page, landing_page AS to_page FROM sessions
    UNION ALL
    SELECT session_id, started_at, landing_page, exit_page FROM sessions WHERE exit_page <> landing_page
    UNION ALL
    SELECT session_id, started_at, exit_page, '(exit)' FROM sessions;

    CREATE OR REPLACE TABLE int_daily_paths AS
    SELECT started_at::DATE AS date, from_page, to_page, count(*) AS transitions,
           count(DISTINCT session_id) AS sessions
    FROM session_steps GROUP BY 1, 2, 3;

    CREATE OR REPLACE TABLE paths AS
    SELECT from_page, to_page, sum(transitions) AS transitions, sum(sessions) AS sessions,
           sum(transitions) / sum(sum(transitions)) OVER (PARTITION BY from_page) AS share
    FROM int_daily_paths GROUP BY 1, 2;

    -- A view, as the model is: the tests' changes to stg_events show through it.
    CREATE OR REPLACE VIEW int_goal_events AS
    SELECT event_id, session_id, visitor_id, event_ts, event_type,
           coalesce(CASE WHEN event_type = 'custom' THEN name ELSE element END, '(unnamed)') AS name, page_path
    FROM stg_events
    WHERE NOT is_bot AND event_type IN ('cta_click', 'form_start', 'form_submit', 'custom');

    CREATE OR REPLACE TABLE goals AS
    SELECT event_type, name, count(*)::INTEGER AS events, count(DISTINCT session_id)::INTEGER AS sessions,
           count(DISTINCT visitor_id)::INTEGER AS visitors, (count(*) / 3000)::DOUBLE AS session_share,
           CASE WHEN event_type LIKE 'form%' THEN 0.5 END AS completion
    FROM int_goal_events GROUP BY 1, 2;

    CREATE OR REPLACE TABLE goal_props AS
    SELECT name, k AS prop_key, props ->> k AS prop_value, count(*)::INTEGER AS events,
           count(DISTINCT session_id)::INTEGER AS sessions
    FROM (SELECT name, session_id, props, unnest(json_keys(props)) AS k FROM stg_events WHERE props IS NOT NULL)
    GROUP BY 1, 2, 3;

    CREATE OR REPLACE TABLE anomalies AS
    SELECT TIMESTAMP '${sampleEnd} 23:00:00' - to_hours(CAST(h AS BIGINT)) AS hour,
           CAST(CASE WHEN h = 30 THEN 400 ELSE 20 + h % 24 END AS BIGINT) AS events,
           CAST(20 + h % 24 AS DOUBLE) AS baseline,
           CASE WHEN h = 30 THEN 12.5 ELSE 0.1 END AS z,
           h = 30 AS is_anomaly
    FROM range(24 * 40) t(h);
  `);
}

/**
 * A new temporary data folder holding the sample warehouse, changed by `sql`; the caller removes it.
 * When `sql` fails, the folder is removed here: the caller never learns its name.
 */
export async function sampleDataFolder(sql = ""): Promise<string> {
  const data = mkdtempSync(join(tmpdir(), "ownstats-report-sample-"));
  try {
    const warehouse = await openWarehouse(data);
    try {
      await seedSampleWarehouse(warehouse);
      if (sql) await warehouse.run(sql);
    } finally {
      warehouse.close();
    }
    return data;
  } catch (error) {
    rmSync(data, { recursive: true, force: true });
    throw error;
  }
}

/** One page of the site rendered from the sample warehouse after `sql` changed it; nothing is left behind. */
export async function renderedSamplePage(page: string, { sql = "", days = 28 } = {}): Promise<string> {
  return (await renderedSamplePageAndRows(page, "", { sql, days })).page;
}

/**
 * One page rendered as renderedSamplePage does, and the rows `query` reads from the warehouse it was
 * rendered from (a test's oracle for the page's figures; none for an empty query).
 */
export async function renderedSamplePageAndRows(
  page: string,
  query: string,
  { sql = "", days = 28 } = {},
): Promise<{ page: string; rows: Row[] }> {
  const data = await sampleDataFolder(sql);
  try {
    await buildSite({ data, days });
    const html = readFileSync(join(data, "site", page), "utf8");
    if (!query) return { page: html, rows: [] };
    const warehouse = await openWarehouse(data);
    try {
      return { page: html, rows: await warehouse.all(query) };
    } finally {
      warehouse.close();
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}
