// How engaged a session was: what makes a one-page session more than a bounce.
import { describe, expect, it } from "vitest";
import { at, buildWith, ev, query } from "./models-kit.ts";

/** A one-page session: its page view, then events of these types a few seconds later. */
const onePage = (session_id: string, minute: number, types: string[]) => [
  ev({ session_id, event_ts: at(minute), page_path: "/contact" }),
  ...types.map((event_type, i) =>
    ev({
      session_id,
      event_type,
      event_ts: new Date(Date.parse(at(minute)) + (i + 1) * 5_000).toISOString(),
      page_path: "/contact",
      element: event_type.startsWith("form") ? "contact" : undefined,
      name: event_type === "custom" ? "download" : undefined,
      experiment: event_type === "experiment_exposure" ? "hero" : undefined,
      variant: event_type === "experiment_exposure" ? "b" : undefined,
    }),
  ),
];

describe("bounce", () => {
  it("is not a bounce when the visitor acted on the page, even without a conversion event", async () => {
    const built = await buildWith([
      // Filled in and sent the contact form (conversion_events is [cta_click]).
      ...onePage("submitted", 0, ["form_start", "form_submit"]),
      // Started the form only.
      ...onePage("started", 10, ["form_start"]),
      // An event the site sends itself, e.g. a download.
      ...onePage("downloaded", 20, ["custom"]),
      // What happens without the visitor doing anything: still a bounce.
      ...onePage("glanced", 30, ["experiment_exposure", "exit_intent"]),
    ]);
    expect(
      await query(built.data, "select session_id, converted, is_bounce from sessions order by 1"),
    ).toEqual([
      { session_id: "downloaded", converted: false, is_bounce: false },
      { session_id: "glanced", converted: false, is_bounce: true },
      { session_id: "started", converted: false, is_bounce: false },
      { session_id: "submitted", converted: false, is_bounce: false },
    ]);
    expect(await query(built.data, "select bounce_rate from daily")).toEqual([{ bounce_rate: 0.25 }]);
  });
});

describe("engaged time", () => {
  it("adds up the time on each page the session read, as the tracker's clock restarts on each page view", async () => {
    const read = (session_id: string, minute: number, page_path: string, seconds: number[]) => [
      ev({ session_id, event_ts: at(minute), page_path }),
      ...seconds.map((s) =>
        ev({
          session_id,
          event_type: "time_on_page",
          seconds: s,
          event_ts: new Date(Date.parse(at(minute)) + s * 1000).toISOString(),
          page_path,
        }),
      ),
    ];
    const built = await buildWith([
      // Two articles, 1 and 3 minutes: 60 + 180 s.
      ...read("two_articles", 0, "/blog/a", [30, 60]),
      ...read("two_articles", 2, "/blog/b", [30, 60, 180]),
      // One page, 5 minutes: its largest milestone.
      ...read("one_page", 60, "/docs", [30, 60, 180, 300]),
      // A page read, then a glance at another: 30 s.
      ...read("glance", 120, "/pricing", [30]),
      ...read("glance", 121, "/", []),
    ]);
    expect(await query(built.data, "select session_id, engaged_s from sessions order by 1")).toEqual([
      { session_id: "glance", engaged_s: 30 },
      { session_id: "one_page", engaged_s: 300 },
      { session_id: "two_articles", engaged_s: 240 },
    ]);
    expect(await query(built.data, "select avg_engaged_s from daily")).toEqual([{ avg_engaged_s: 190 }]);
  });

  it("builds when a client's time on page adds up beyond a 32-bit count, holding the largest one", async () => {
    // The contract takes up to a week (604,800 s) per event: 3,600 paths of a week each are 2,177,280,000 s,
    // beyond 2,147,483,647. A session so made must not stop every build.
    const week = 604_800;
    const built = await buildWith([
      ev({ session_id: "flood", event_ts: at(0) }),
      ...Array.from({ length: 3_600 }, (_, i) =>
        ev({
          session_id: "flood",
          event_type: "time_on_page",
          seconds: week,
          event_ts: at(1),
          page_path: `/p${i}`,
        }),
      ),
    ]);
    expect(await query(built.data, "select engaged_s from sessions")).toEqual([{ engaged_s: 2_147_483_647 }]);
  });
});
