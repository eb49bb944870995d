// sessions, sources, daily and pages on hand-written sessions whose right answers are worked out here.
import { beforeAll, describe, expect, it } from "vitest";
import { type Built, buildWith, clock, ev, query, type RawEvent } from "./models-kit.ts";

const monday = (time: string) => clock(time, 0);
const tuesday = (time: string) => clock(time, 1);

const events: RawEvent[] = [
  // A: two page views at the same first instant (event_id breaks the tie: a1 lands), two at the same
  // last instant (b2 exits), scrolls, time on page, a conversion, a bot event later and a re-delivery.
  ev({
    session_id: "A",
    event_id: "a2000000-0000-4000-8000-000000000000",
    event_ts: monday("09:00"),
    page_path: "/second",
    utm_source: "google",
    utm_medium: "cpc",
  }),
  ev({
    session_id: "A",
    event_id: "a1000000-0000-4000-8000-000000000000",
    event_ts: monday("09:00"),
    page_path: "/landing",
    utm_source: "LinkedIn",
    utm_medium: "social",
    utm_campaign: "Launch",
    referrer: "https://www.linkedin.com/feed",
  }),
  ev({
    session_id: "A",
    event_id: "a3000000-0000-4000-8000-000000000000",
    event_type: "scroll_depth",
    scroll_pct: 50,
    event_ts: monday("09:02"),
    page_path: "/landing",
  }),
  ev({
    session_id: "A",
    event_id: "a4000000-0000-4000-8000-000000000000",
    event_type: "scroll_depth",
    scroll_pct: 75,
    event_ts: monday("09:03"),
    page_path: "/landing",
  }),
  ev({
    session_id: "A",
    event_id: "a5000000-0000-4000-8000-000000000000",
    event_type: "time_on_page",
    seconds: 30,
    event_ts: monday("09:03"),
    page_path: "/landing",
  }),
  ev({
    session_id: "A",
    event_id: "a6000000-0000-4000-8000-000000000000",
    event_type: "time_on_page",
    seconds: 60,
    event_ts: monday("09:04"),
    page_path: "/landing",
  }),
  ev({
    session_id: "A",
    event_id: "a7000000-0000-4000-8000-000000000000",
    event_type: "cta_click",
    element: "book",
    event_ts: monday("09:04"),
    page_path: "/landing",
  }),
  ev({
    session_id: "A",
    event_id: "a7100000-0000-4000-8000-000000000000",
    event_type: "cta_click",
    element: "book",
    event_ts: monday("09:05"),
    page_path: "/landing",
  }),
  ev({
    session_id: "A",
    event_id: "b2000000-0000-4000-8000-000000000000",
    event_ts: monday("09:05"),
    page_path: "/exit",
  }),
  ev({
    session_id: "A",
    event_id: "b1000000-0000-4000-8000-000000000000",
    event_ts: monday("09:05"),
    page_path: "/not-exit",
  }),
  ev({
    session_id: "A",
    event_id: "b1000000-0000-4000-8000-000000000000",
    event_ts: monday("09:05"),
    page_path: "/not-exit",
    ingest_ts: monday("10:30"),
  }),
  ev({
    session_id: "A",
    event_id: "c9000000-0000-4000-8000-000000000000",
    event_ts: monday("09:30"),
    page_path: "/bot",
    is_bot: true,
  }),
  // B: the first event (same instant, smaller event_id) has no visitor_id; the next one does: the session has none; one page view → bounce.
  ev({
    session_id: "B",
    event_id: "d0000000-0000-4000-8000-000000000000",
    visitor_id: undefined,
    event_ts: monday("10:00"),
    page_path: "/landing",
    device_type: "mobile",
    country: "FR",
  }),
  ev({
    session_id: "B",
    event_id: "d9000000-0000-4000-8000-000000000000",
    visitor_id: "visitor-late",
    event_type: "exit_intent",
    event_ts: monday("10:00"),
    page_path: "/landing",
    device_type: "tablet",
    country: "US",
  }),
  // C: crosses midnight; belongs to Monday.
  ev({
    session_id: "C",
    visitor_id: "visitor-c",
    event_ts: monday("23:50"),
    page_path: "/late",
    referrer: "https://www.google.co.uk/",
  }),
  ev({ session_id: "C", visitor_id: "visitor-c", event_ts: tuesday("00:10"), page_path: "/later" }),
  // D: no page view at all: its touch is its first event.
  ev({
    session_id: "D",
    visitor_id: "visitor-d",
    event_type: "custom",
    name: "signup",
    event_ts: monday("11:00"),
    utm_source: "newsletter",
  }),
  ev({
    session_id: "D",
    visitor_id: "visitor-d",
    event_type: "cta_click",
    event_ts: monday("11:01"),
    utm_source: "partner",
  }),
  // E, F, G: one page view each, on the bounce thresholds.
  ev({ session_id: "E", visitor_id: "visitor-e", event_ts: monday("12:00"), page_path: "/landing" }),
  ev({
    session_id: "E",
    visitor_id: "visitor-e",
    event_type: "time_on_page",
    seconds: 30,
    event_ts: monday("12:01"),
    page_path: "/landing",
  }),
  ev({ session_id: "F", visitor_id: "visitor-f", event_ts: monday("12:00"), page_path: "/landing" }),
  ev({
    session_id: "F",
    visitor_id: "visitor-f",
    event_type: "scroll_depth",
    scroll_pct: 50,
    event_ts: monday("12:01"),
    page_path: "/landing",
  }),
  ev({ session_id: "G", visitor_id: "visitor-f", event_ts: monday("13:00"), page_path: "/landing" }),
  ev({
    session_id: "G",
    visitor_id: "visitor-f",
    event_type: "time_on_page",
    seconds: 29,
    event_ts: monday("13:01"),
    page_path: "/landing",
  }),
  ev({
    session_id: "G",
    visitor_id: "visitor-f",
    event_type: "scroll_depth",
    scroll_pct: 25,
    event_ts: monday("13:01"),
    page_path: "/landing",
  }),
  // H: bots only: no session.
  ev({ session_id: "H", visitor_id: "visitor-h", event_ts: monday("14:00"), is_bot: true }),
  // I: Tuesday, the same visitor as A, from a newsletter.
  ev({
    session_id: "I",
    event_ts: tuesday("08:00"),
    page_path: "/landing",
    utm_source: "newsletter",
    utm_medium: "email",
  }),
];

let built: Built;
beforeAll(async () => {
  built = await buildWith(events);
});

describe("sessions", () => {
  it("builds one row per session from its non-bot events", async () => {
    const rows = await query(built.data, "select session_id from sessions order by session_id");
    expect(rows.map((r) => r.session_id)).toEqual(["A", "B", "C", "D", "E", "F", "G", "I"]);
  });

  it("takes landing and exit pages, first-touch UTM and engagement as defined", async () => {
    const [a] = await query(
      built.data,
      "select * exclude (site, loaded_at) from sessions where session_id = 'A'",
    );
    expect(a).toEqual({
      session_id: "A",
      visitor_id: "visitor-a",
      started_at: monday("09:00"),
      ended_at: monday("09:05"),
      duration_s: 300,
      landing_page: "/landing",
      exit_page: "/exit",
      utm_source: "linkedin",
      utm_medium: "social",
      utm_campaign: "launch",
      channel: "social",
      source: "linkedin",
      referrer_host: "www.linkedin.com",
      page_views: 4,
      events: 10,
      max_scroll_pct: 75,
      engaged_s: 60,
      converted: true,
      converted_at: monday("09:04"),
      is_bounce: false,
      device_type: "desktop",
      country: "DE",
    });
  });

  it("names the source as sources and attribution do: utm_source, else (direct) whatever the referrer", async () => {
    const rows = await query(
      built.data,
      "select session_id, channel, source from sessions where session_id in ('A', 'C', 'D') order by 1",
    );
    expect(rows).toEqual([
      { session_id: "A", channel: "social", source: "linkedin" },
      // From Google without tags: a search session, and "(direct)" in sources.
      { session_id: "C", channel: "search", source: "(direct)" },
      { session_id: "D", channel: "email", source: "newsletter" },
    ]);
  });

  it("takes visitor, device and country from the first event", async () => {
    const [b] = await query(
      built.data,
      "select visitor_id, device_type, country, is_bounce, page_views from sessions where session_id = 'B'",
    );
    expect(b).toEqual({
      visitor_id: null,
      device_type: "mobile",
      country: "FR",
      is_bounce: true,
      page_views: 1,
    });
  });

  it("keeps a session crossing midnight whole, on the day it started", async () => {
    const [c] = await query(
      built.data,
      "select started_at, ended_at, duration_s, landing_page, exit_page, channel from sessions where session_id = 'C'",
    );
    expect(c).toEqual({
      started_at: monday("23:50"),
      ended_at: tuesday("00:10"),
      duration_s: 1200,
      landing_page: "/late",
      exit_page: "/later",
      channel: "search",
    });
  });

  it("uses the first event as the touch of a session without page views", async () => {
    const [d] = await query(
      built.data,
      "select landing_page, exit_page, utm_source, channel, page_views, converted, is_bounce from sessions where session_id = 'D'",
    );
    expect(d).toEqual({
      landing_page: null,
      exit_page: null,
      utm_source: "newsletter",
      channel: "email",
      page_views: 0,
      converted: true,
      is_bounce: false,
    });
  });

  it("counts a bounce only below every engagement threshold", async () => {
    const rows = await query(
      built.data,
      "select session_id, is_bounce from sessions where session_id in ('E', 'F', 'G') order by 1",
    );
    expect(rows).toEqual([
      { session_id: "E", is_bounce: false }, // 30 s engaged
      { session_id: "F", is_bounce: false }, // scrolled 50 %
      { session_id: "G", is_bounce: true }, // 29 s and 25 %
    ]);
  });
});

describe("sources", () => {
  it("counts sessions and converted sessions per source, best rate first", async () => {
    // (direct): B C E F G — none converted. linkedin: A converted. newsletter: D converted, I not.
    expect(await query(built.data, "select * from sources")).toEqual([
      { source: "linkedin", sessions: 1, conversions: 1, conversion_rate: 100 },
      { source: "newsletter", sessions: 2, conversions: 1, conversion_rate: 50 },
      { source: "(direct)", sessions: 5, conversions: 0, conversion_rate: 0 },
    ]);
  });
});

describe("daily", () => {
  it("aggregates sessions by the date they started, in UTC by default, and names the zone", async () => {
    // Monday: A B C D E F G; visitors: visitor-a, B's own session_id, visitor-c, visitor-d, visitor-e,
    // visitor-f (F and G) = 6. Page views 4+1+2+0+1+1+1 = 10. Bounces: B and G of 7.
    // Engaged: 60 + 0 + 0 + 0 + 30 + 0 + 29 = 119 over 7. Tuesday: I alone.
    expect(await query(built.data, "select * exclude (loaded_at) from daily order by date")).toEqual([
      {
        date: "2026-03-02T00:00:00.000Z",
        visitors: 6,
        sessions: 7,
        page_views: 10,
        conversions: 2,
        bounce_rate: 2 / 7,
        avg_engaged_s: 119 / 7,
        timezone: "UTC",
      },
      {
        date: "2026-03-03T00:00:00.000Z",
        visitors: 1,
        sessions: 1,
        page_views: 1,
        conversions: 0,
        bounce_rate: 1,
        avg_engaged_s: 0,
        timezone: "UTC",
      },
    ]);
  });
});

describe("pages", () => {
  it("lists paths with a page view, with reach, engaged time and exits per session", async () => {
    const rows = await query(built.data, "select * from pages where page_path = '/landing'");
    // Sessions with a /landing view: A (scroll 75, 60 s), B, E (30 s), F (scroll 50), G (25, 29 s), I.
    expect(rows).toEqual([
      {
        page_path: "/landing",
        views: 6,
        sessions: 6,
        reach_25: 3 / 6,
        reach_50: 2 / 6,
        reach_75: 1 / 6,
        reach_100: 0,
        avg_engaged_s: (60 + 30 + 29) / 6,
        engaged_30s: 2 / 6,
        engaged_60s: 1 / 6,
        engaged_180s: 0,
        engaged_300s: 0,
        exits: 5, // B E F G I
      },
    ]);
    // D's custom event had page "/" but no page view; the bot's "/bot" is not a page either.
    const paths = await query(built.data, "select page_path, views, exits from pages order by page_path");
    expect(paths.map((p) => p.page_path)).toEqual([
      "/exit",
      "/landing",
      "/late",
      "/later",
      "/not-exit",
      "/second",
    ]);
    expect(paths.find((p) => p.page_path === "/exit")).toEqual({ page_path: "/exit", views: 1, exits: 1 });
    expect(paths.find((p) => p.page_path === "/not-exit")).toEqual({
      page_path: "/not-exit",
      views: 1,
      exits: 0,
    });
  });

  it("passes every data test", () => {
    expect(built.output).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0/);
  });
});
