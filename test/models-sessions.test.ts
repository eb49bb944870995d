// sessions on hand-written sessions whose right answers are worked out here.
import { beforeAll, describe, expect, it } from "vitest";
import { type Built, buildWith, query } from "./models-kit.ts";
import { events, monday, tuesday } from "./models-sessions-events.ts";

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
      referring_site: "linkedin.com",
      page_views: 4,
      events: 10,
      max_scroll_pct: 75,
      engaged_s: 60,
      converted: true,
      converted_at: monday("09:04"),
      is_bounce: false,
      device_type: "desktop",
      browser: "Chrome",
      os: "Linux",
      country: "DE",
    });
  });

  it("names the source as sources and attribution do: utm_source, else (direct) whatever the referrer", async () => {
    const rows = await query(
      built.data,
      "select session_id, channel, source, referring_site from sessions where session_id in ('A', 'C', 'D') order by 1",
    );
    expect(rows).toEqual([
      { session_id: "A", channel: "social", source: "linkedin", referring_site: "linkedin.com" },
      // From Google without tags: a search session, and "(direct)" in sources; the site names Google.
      { session_id: "C", channel: "search", source: "(direct)", referring_site: "google.co.uk" },
      { session_id: "D", channel: "email", source: "newsletter", referring_site: "(none)" },
    ]);
  });

  it("takes visitor, device, browser, OS and country from the first event", async () => {
    const [b] = await query(
      built.data,
      "select visitor_id, device_type, browser, os, country, is_bounce, page_views from sessions where session_id = 'B'",
    );
    expect(b).toEqual({
      visitor_id: null,
      device_type: "mobile",
      browser: "Mobile Safari",
      os: "iOS",
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
