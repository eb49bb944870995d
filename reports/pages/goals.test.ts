import { describe, expect, it } from "vitest";
import { tableCsv } from "../csv.ts";
import type { Table } from "../page.ts";
import { renderedSamplePage } from "../sample-warehouse.ts";
import { goals } from "./goals.ts";

/** The rows of the table with this caption, as lists of cell texts. */
function tableRows(page: string, caption: RegExp): string[][] {
  const tables = [...page.matchAll(/<table>\s*<caption>([^<]*)<\/caption>[\s\S]*?<\/table>/g)];
  const found = tables.find((t) => caption.test(t[1] ?? ""))?.[0];
  if (!found) throw new Error(`no table captioned ${caption}`);
  return [...found.matchAll(/<tr>(<td[\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((cell) => cell[1] ?? ""),
  );
}

/**
 * The sample's clicks replaced by hand-made ones (the period is 2026-11-14 to 2026-11-20): book_call
 * clicked twice on /book in c1 and once on /plans in c2 and in c3, get_started once on /book in c4.
 * c1, c2 and c6 (which clicked nothing) came from GitHub, c3 from a Google ad, c4 from a link on
 * dev.to; /book was viewed by c1, c3 and c4, /plans by c2 and c3. An earlier session and a bot view /book and click book_call on it: neither counts.
 */
const ctaContextSql = `
  DELETE FROM stg_events WHERE event_type = 'cta_click';
  CREATE TEMP TABLE cta_sessions AS SELECT * FROM (VALUES
    ('ctasess01', TIMESTAMP '2026-11-18 10:00:00', 'referral', 'github', NULL, NULL, false),
    ('ctasess02', TIMESTAMP '2026-11-18 11:00:00', 'referral', 'github', NULL, NULL, false),
    ('ctasess03', TIMESTAMP '2026-11-19 09:00:00', 'paid', 'google', 'cpc', NULL, false),
    ('ctasess04', TIMESTAMP '2026-11-19 12:00:00', 'referral', NULL, NULL, 'www.dev.to', false),
    ('ctasess05', TIMESTAMP '2026-11-10 12:00:00', 'referral', 'github', NULL, NULL, false),
    ('ctasess06', TIMESTAMP '2026-11-20 08:00:00', 'referral', 'github', NULL, NULL, false),
    ('ctabot001', TIMESTAMP '2026-11-18 12:00:00', 'referral', 'github', NULL, NULL, true)
  ) s(session_id, started_at, channel, utm_source, utm_medium, referrer_host, is_bot);
  INSERT INTO sessions BY NAME
  SELECT session_id, started_at, started_at AS ended_at, 0 AS duration_s, '/book' AS landing_page,
         '/book' AS exit_page, utm_source, utm_medium, channel, coalesce(utm_source, '(direct)') AS source,
         referrer_host, 1 AS page_views, 2 AS events,
         0 AS max_scroll_pct, 0 AS engaged_s, false AS converted, false AS is_bounce,
         'desktop' AS device_type, 'DE' AS country
  FROM cta_sessions WHERE NOT is_bot;
  INSERT INTO stg_events BY NAME
  SELECT md5(e.session_id || e.n)::UUID AS event_id, e.event_type, e.session_id,
         s.started_at + to_minutes(e.n) AS event_ts, s.started_at + to_minutes(e.n) AS ingest_ts,
         'example.com' AS site, e.page_path, s.is_bot, s.channel, s.utm_source, s.utm_medium,
         s.referrer_host, e.element
  FROM (VALUES
    ('ctasess01', 0, 'page_view', '/book', NULL), ('ctasess01', 1, 'cta_click', '/book', 'book_call'),
    ('ctasess01', 2, 'cta_click', '/book', 'book_call'),
    ('ctasess02', 0, 'page_view', '/plans', NULL), ('ctasess02', 1, 'cta_click', '/plans', 'book_call'),
    ('ctasess03', 0, 'page_view', '/book', NULL), ('ctasess03', 1, 'page_view', '/plans', NULL),
    ('ctasess03', 2, 'cta_click', '/plans', 'book_call'),
    ('ctasess04', 0, 'page_view', '/book', NULL), ('ctasess04', 1, 'cta_click', '/book', 'get_started'),
    ('ctasess06', 0, 'page_view', '/about', NULL),
    ('ctasess05', 0, 'page_view', '/book', NULL), ('ctasess05', 1, 'cta_click', '/book', 'book_call'),
    ('ctabot001', 0, 'page_view', '/book', NULL), ('ctabot001', 1, 'cta_click', '/book', 'book_call')
  ) e(session_id, n, event_type, page_path, element)
  JOIN cta_sessions s USING (session_id);`;

describe("goals page", () => {
  it("shows CTA clicks by CTA, forms started and submitted, and custom events with their values", async () => {
    const page = await renderedSamplePage("goals.html", { days: 7 });
    expect(page).toContain('<th scope="col" class="num">Events</th>');
    const clicks = tableRows(page, /^CTA clicks/);
    expect(clicks.map((r) => r[0]).sort()).toEqual(["book_call", "get_started"]);
    const [form] = tableRows(page, /^Forms/);
    expect(form?.[0]).toBe("contact");
    // About as many sessions only started it as started and submitted it: about half completed.
    const [started, submitted] = [Number(form?.[1]?.replace(/,/g, "")), Number(form?.[2]?.replace(/,/g, ""))];
    expect(submitted).toBeGreaterThan(0);
    expect(started).toBeGreaterThan(submitted);
    expect(form?.[3]).toBe(`${((100 * submitted) / started).toFixed(1)} %`);
    expect(tableRows(page, /^Custom events by name/).map((r) => r[0])).toEqual(["plan_toggle"]);
    const values = tableRows(page, /^Custom events&#x27; top/).map((r) => r.slice(0, 3).join(" "));
    expect(values).toEqual(
      expect.arrayContaining([
        "plan_toggle seats 3",
        "plan_toggle trial true",
        "plan_toggle billing monthly",
      ]),
    );
    expect(page).toMatch(/<svg[^>]*aria-label="Sessions clicking each CTA \(period\)"/);
  });

  it("shows property names that look like JSON paths, and visitors' values as text, not markup", async () => {
    const page = await renderedSamplePage("goals.html", {
      days: 7,
      sql: `UPDATE stg_events SET props = '{"$[": "<img src=x onerror=alert(1)>", "/plan": "b"}'
            WHERE event_type = 'custom'`,
    });
    const values = tableRows(page, /^Custom events&#x27; top/).map((r) => r.slice(0, 3).join(" "));
    expect(values).toEqual([
      "plan_toggle $[ &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;",
      "plan_toggle /plan b",
    ]);
    expect(page).not.toContain("<img");
  });

  it("lists the property values of the most frequent custom events first, and says when it leaves some out", async () => {
    // One session sends a_debug 7 times in the period with 130 properties in all (20 an event at
    // most): 130 values, more than the table lists, of an event far rarer than plan_toggle, which
    // sorts after it by name.
    const page = await renderedSamplePage("goals.html", {
      days: 7,
      sql: `INSERT INTO stg_events BY NAME
            SELECT md5('debug' || e)::UUID AS event_id, 'custom' AS event_type, 'debugsess' AS session_id,
                   'debugvis' AS visitor_id, TIMESTAMP '2026-11-19 10:00:00' AS event_ts,
                   TIMESTAMP '2026-11-19 10:00:01' AS ingest_ts, 'example.com' AS site, '/' AS page_path,
                   false AS is_bot, 'a_debug' AS name,
                   (SELECT json_group_object('key' || lpad(k::VARCHAR, 3, '0'), 'x')
                    FROM range(e * 20, least(e * 20 + 20, 130)) t(k)) AS props
            FROM range(7) r(e)`,
    });
    expect(tableRows(page, /^Custom events by name/).map((r) => r[0])).toEqual(["plan_toggle", "a_debug"]);
    const values = tableRows(page, /^Custom events&#x27; top/);
    expect(values[0]?.slice(0, 2)).toEqual(["plan_toggle", "billing"]);
    expect(values.map((r) => r[0])).toContain("a_debug");
    expect(page).toMatch(
      /<caption>Custom events&#x27; top 5 values of each property: the first 125 of 13\d rows/,
    );
  });

  it("charts the 8 CTAs clicked in the most sessions among all the period's CTAs, not those with the most clicks", async () => {
    // 26 CTAs each clicked 10 times by one session lead the table (by clicks) and fill its 25 rows;
    // wide_cta, clicked once in each of 5 sessions, and six CTAs clicked once in each of 2 sessions,
    // are left out of it. By sessions they come third and after, behind the sample's book_call and
    // get_started, and no CTA of a single session is charted.
    const page = await renderedSamplePage("goals.html", {
      days: 7,
      sql: `
        INSERT INTO stg_events BY NAME
        SELECT md5('hammer' || c || '-' || n)::UUID AS event_id, 'cta_click' AS event_type,
               'hammer' || c AS session_id, 'hammervis' || c AS visitor_id,
               TIMESTAMP '2026-11-19 10:00:00' + to_seconds(n) AS event_ts,
               TIMESTAMP '2026-11-19 10:00:00' + to_seconds(n) AS ingest_ts, 'example.com' AS site,
               '/' AS page_path, false AS is_bot, 'hammered_' || lpad(c::VARCHAR, 2, '0') AS element
        FROM range(26) t(c), range(10) r(n);
        INSERT INTO stg_events BY NAME
        SELECT md5('spread' || c || '-' || s)::UUID AS event_id, 'cta_click' AS event_type,
               'spread' || c || '-' || s AS session_id, 'spreadvis' || c || '-' || s AS visitor_id,
               TIMESTAMP '2026-11-19 11:00:00' + to_minutes(s) AS event_ts,
               TIMESTAMP '2026-11-19 11:00:00' + to_minutes(s) AS ingest_ts, 'example.com' AS site,
               '/' AS page_path, false AS is_bot,
               CASE WHEN c = 0 THEN 'wide_cta' ELSE 'two_sessions_' || c END AS element
        FROM range(7) t(c), range(5) r(s)
        WHERE c = 0 OR s < 2;`,
    });
    const listed = tableRows(page, /CTAs with the most events/).map((r) => r[0]);
    expect(listed).toHaveLength(25);
    expect(listed).not.toContain("wide_cta");
    const svg =
      page.match(/<svg[^>]*aria-label="Sessions clicking each CTA \(period\)"[\s\S]*?<\/svg>/)?.[0] ?? "";
    for (const cta of ["book_call", "get_started", "wide_cta"]) expect(svg).toContain(cta);
    expect(svg.match(/two_sessions_\d/g)).toHaveLength(5);
    expect(svg).not.toContain("hammered");
  });

  it("writes shares of sessions and completions to the CSV files as numbers from 0 to 1", async () => {
    const view = (await goals.view(
      {
        period_sessions: [{ sessions: 8 }],
        goals: [
          { event_type: "cta_click", goal: "book_call", events: 3, sessions: 2, visitors: 1, total: 1 },
        ],
        forms: [{ form: "contact", started: 4, submitted: 1, completed: 1, total: 1 }],
        props: [],
        cta_pages: [
          {
            cta: "book_call",
            page_path: "/book",
            clicks: 1,
            cta_clicks: 4,
            clicking_viewers: 1,
            page_sessions: 2,
          },
        ],
        cta_sources: [
          { cta: "book_call", channel: "paid", source: "google", sessions: 1, source_sessions: 8 },
        ],
      },
      {} as never,
    )) as Record<string, Table>;
    expect(tableCsv(view.clicksTable as Table).split("\r\n")[1]).toBe("book_call,3,2,1,0.25");
    expect(tableCsv(view.formsTable as Table).split("\r\n")[1]).toBe("contact,4,1,0.25");
    expect(tableCsv(view.ctaPagesTable as Table).split("\r\n")[1]).toBe("book_call,/book,1,0.25,0.5");
    expect(tableCsv(view.ctaSourcesTable as Table).split("\r\n")[1]).toBe("book_call,paid,google,1,0.125");
  });

  it("shows on which pages each CTA is clicked and the channels and sources of the sessions clicking it", async () => {
    const page = await renderedSamplePage("goals.html", { days: 7, sql: ctaContextSql });
    expect(tableRows(page, /^Where each CTA is clicked/)).toEqual([
      ["book_call", "/book", "2", "50.0 %", "33.3 %"],
      ["book_call", "/plans", "2", "50.0 %", "100.0 %"],
      ["get_started", "/book", "1", "100.0 %", "33.3 %"],
    ]);
    expect(tableRows(page, /^Who clicks each CTA/)).toEqual([
      ["book_call", "referral", "github", "2", "66.7 %"],
      ["book_call", "paid", "google", "1", "100.0 %"],
      // No utm_source: "(direct)", as the sources page and attribution name it, whatever the referrer.
      ["get_started", "referral", "(direct)", "1", "100.0 %"],
    ]);
    expect(page).toContain(
      "<caption>Who clicks each CTA: the channels and sources of the 2 most clicked CTAs, 5 at most each (period)</caption>",
    );
    expect(page).toContain('<th scope="col" class="num">Click rate</th>');
    expect(page).toMatch(/<a download href="[^"]*cta-pages[^"]*\.csv"/);
    expect(page).toMatch(/<a download href="[^"]*cta-sources[^"]*\.csv"/);
  });

  it("takes shares of the sessions with an event in the period, those that started before it too", async () => {
    // The period is 2026-11-14 to 2026-11-20. early01 and early02 start the evening before it and click
    // book_call in it; late0001 only views a page in it. Of the sessions started in it (one), the two
    // clicking would be 200 %.
    const page = await renderedSamplePage("goals.html", {
      days: 7,
      sql: `
        DELETE FROM stg_events;
        INSERT INTO stg_events BY NAME
        SELECT md5(session_id || event_type)::UUID AS event_id, event_type, session_id, visitor_id,
               event_ts, event_ts AS ingest_ts, page_path, false AS is_bot, element
        FROM (VALUES
          ('early01', 'v1', 'page_view', TIMESTAMP '2026-11-13 23:50:00', '/book', NULL),
          ('early01', 'v1', 'cta_click', TIMESTAMP '2026-11-14 00:05:00', '/book', 'book_call'),
          ('early02', 'v2', 'page_view', TIMESTAMP '2026-11-13 23:55:00', '/book', NULL),
          ('early02', 'v2', 'cta_click', TIMESTAMP '2026-11-14 00:10:00', '/book', 'book_call'),
          ('late0001', 'v3', 'page_view', TIMESTAMP '2026-11-20 10:00:00', '/', NULL)
        ) e(session_id, visitor_id, event_type, event_ts, page_path, element);
        DELETE FROM sessions;
        INSERT INTO sessions BY NAME
        SELECT session_id, any_value(visitor_id) AS visitor_id, min(event_ts) AS started_at,
               max(event_ts) AS ended_at, 'direct' AS channel
        FROM stg_events GROUP BY session_id;`,
    });
    expect(tableRows(page, /^CTA clicks/)).toEqual([["book_call", "2", "2", "2", "66.7 %"]]);
    expect(page).toContain("Shares are of the period&#x27;s 3 sessions with an event in it");
  });

  it("names one session of the period in the singular", async () => {
    const page = await renderedSamplePage("goals.html", {
      days: 7,
      sql: "DELETE FROM stg_events WHERE session_id <> 'sess000000'",
    });
    expect(page).toContain("Shares are of the period&#x27;s 1 session with an event in it");
  });

  it("says there is no data in the period when no goal event falls in it", async () => {
    const page = await renderedSamplePage("goals.html", {
      sql: "DELETE FROM stg_events WHERE event_type IN ('cta_click', 'form_start', 'form_submit', 'custom')",
    });
    expect(tableRows(page, /^CTA clicks/)).toEqual([["No data in this period."]]);
    expect(tableRows(page, /^Forms/)).toEqual([["No data in this period."]]);
    expect(tableRows(page, /^Where each CTA is clicked/)).toEqual([["No data in this period."]]);
    expect(tableRows(page, /^Who clicks each CTA/)).toEqual([["No data in this period."]]);
    expect(page).toContain(
      "<caption>Where each CTA is clicked: the pages of the most clicked CTAs, 5 at most each (period)</caption>",
    );
    expect(page).toContain("no data in this period");
  });
});
