// Hand-written sessions for the sessions tests, each built to reach one rule of the definitions
// (ties, re-deliveries, bots, midnight, bounce thresholds); the tests work out their right answers.
import { clock, ev, type RawEvent } from "./models-kit.ts";

export const monday = (time: string) => clock(time, 0);
export const tuesday = (time: string) => clock(time, 1);

export const events: RawEvent[] = [
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
    browser: "Mobile Safari",
    os: "iOS",
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
    browser: "Chrome",
    os: "Android",
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
