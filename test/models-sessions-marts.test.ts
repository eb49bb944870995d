// sources, daily and pages on the hand-written sessions, whose right answers are worked out here.
import { beforeAll, describe, expect, it } from "vitest";
import { type Built, buildWith, query } from "./models-kit.ts";
import { events } from "./models-sessions-events.ts";

let built: Built;
beforeAll(async () => {
  built = await buildWith(events);
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
