// The referrers mart by hand: which sites sent the sessions, by their first touch, with "www." folded
// and the site's own pages not counted as a referrer; and its daily rollup kept exact incrementally.
import { describe, expect, it } from "vitest";
import { buildWith, clock, ev, query, stepwiseAndWhole } from "./models-kit.ts";

const view = (session: string, visitor: string | undefined, referrer: string | undefined, more = {}) =>
  ev({ session_id: session, visitor_id: visitor, referrer, event_ts: clock("10:00"), ...more });

describe("referrers", () => {
  it("counts each referring site of the sessions' first touch, www. folded, own site as (none)", async () => {
    const { data } = await buildWith([
      view("s1", "v1", "https://www.google.com/search"),
      ev({ session_id: "s1", visitor_id: "v1", event_type: "cta_click", event_ts: clock("10:01") }),
      view("s2", "v2", "https://google.com/"),
      ev({
        session_id: "s2",
        visitor_id: "v2",
        event_type: "time_on_page",
        seconds: 40,
        event_ts: clock("10:02"),
      }),
      // The same visitor again: two sessions, one visitor.
      view("s3", "v1", "https://www.google.com/", { event_ts: clock("12:00") }),
      view("s4", "v4", "https://mail.google.com/mail"),
      // The site's own pages, with www. or a port, are no referrer; nor is a tagged link without one.
      view("s5", "v5", "https://www.example.com/pricing"),
      view("s6", "v6", "http://127.0.0.1:8787/", { site: "127.0.0.1:8787" }),
      view("s7", undefined, undefined, { utm_source: "newsletter" }),
      view("s9", "v9", "https://example.com/", { site: "www.example.com" }),
      // The landing page's referrer counts, not a later page's.
      view("s8", "v8", "https://news.ycombinator.com/item"),
      view("s8", "v8", "https://t.co/abc", { event_ts: clock("10:05"), page_path: "/next" }),
    ]);
    expect(await query(data, "select * from referrers")).toEqual([
      {
        referrer: "(none)",
        visitors: 4,
        sessions: 4,
        conversions: 0,
        conversion_rate: 0,
        bounce_rate: 1,
        avg_engaged_s: 0,
      },
      {
        referrer: "google.com",
        visitors: 2,
        sessions: 3,
        conversions: 1,
        conversion_rate: 33.3,
        bounce_rate: 1 / 3,
        avg_engaged_s: 40 / 3,
      },
      {
        referrer: "mail.google.com",
        visitors: 1,
        sessions: 1,
        conversions: 0,
        conversion_rate: 0,
        bounce_rate: 1,
        avg_engaged_s: 0,
      },
      {
        referrer: "news.ycombinator.com",
        visitors: 1,
        sessions: 1,
        conversions: 0,
        conversion_rate: 0,
        bounce_rate: 0,
        avg_engaged_s: 0,
      },
    ]);
  });

  it("moves a session to its new first touch and day when an earlier event arrives late", async () => {
    const later = { ingest_ts: clock("12:00", 1) };
    const { stepwise, whole } = await stepwiseAndWhole([
      [
        view("late", "v1", "https://www.google.com/", { event_ts: clock("10:00", 1) }),
        view("other", "v2", "https://github.com/owner/repo", { event_ts: clock("09:00") }),
      ],
      [view("late", "v1", "https://news.ycombinator.com/", { event_ts: clock("23:00"), ...later })],
    ]);
    const daily =
      "select strftime(date, '%Y-%m-%d') as day, * exclude (date, source, loaded_at) from int_daily_sources order by all";
    const mart = "select referrer, visitors, sessions from referrers";
    expect(await query(stepwise, daily)).toEqual([
      { day: "2026-03-02", referrer: "github.com", sessions: 1, conversions: 0, bounces: 1, engaged_s: 0 },
      {
        day: "2026-03-02",
        referrer: "news.ycombinator.com",
        sessions: 1,
        conversions: 0,
        bounces: 0,
        engaged_s: 0,
      },
    ]);
    expect(await query(stepwise, daily)).toEqual(await query(whole, daily));
    expect(await query(stepwise, mart)).toEqual([
      { referrer: "github.com", visitors: 1, sessions: 1 },
      { referrer: "news.ycombinator.com", visitors: 1, sessions: 1 },
    ]);
    expect(await query(stepwise, mart)).toEqual(await query(whole, mart));
  });
});
