// paths: steps from page to page within sessions, worked out by hand from small event sets — a reload
// is no step, "(entrance)" and "(exit)" close each session, and a late event in the middle of a
// session gives incrementally what one build of everything gives.
import { describe, expect, it } from "vitest";
import { buildWith, clock, ev, query, type RawEvent, resultOf, stepwiseAndWhole } from "./models-kit.ts";

/** A page view at `time` on Monday 2 March (UTC), or `days` later. */
const view = (session_id: string, time: string, page_path: string, fields: RawEvent = {}, days = 0) =>
  ev({ session_id, visitor_id: `v-${session_id}`, event_ts: clock(time, days), page_path, ...fields });

const pathsSql = "select from_page, to_page, transitions, sessions, share from paths order by all";

describe("paths", () => {
  it("counts the steps of two sessions, a reload not being one", async () => {
    const built = await buildWith([
      // home, reloaded, a scroll (no page view), then pricing → docs → pricing.
      view("s1", "10:00", "/"),
      view("s1", "10:01", "/"),
      view("s1", "10:02", "/", { event_type: "scroll_depth", scroll_pct: 50 }),
      view("s1", "10:03", "/pricing"),
      view("s1", "10:04", "/docs"),
      view("s1", "10:05", "/pricing"),
      // home → pricing → signup.
      view("s2", "11:00", "/"),
      view("s2", "11:01", "/pricing"),
      view("s2", "11:02", "/signup"),
      // A bot's visit is no one's path.
      view("bot", "12:00", "/signup", { is_bot: true }),
      view("bot", "12:01", "/docs", { is_bot: true }),
    ]);
    // From "/pricing" three steps leave: to /docs, to the exit (s1), to /signup (s2).
    expect(await query(built.data, pathsSql)).toEqual([
      { from_page: "(entrance)", to_page: "/", transitions: 2, sessions: 2, share: 1 },
      { from_page: "/", to_page: "/pricing", transitions: 2, sessions: 2, share: 1 },
      { from_page: "/docs", to_page: "/pricing", transitions: 1, sessions: 1, share: 1 },
      { from_page: "/pricing", to_page: "(exit)", transitions: 1, sessions: 1, share: 1 / 3 },
      { from_page: "/pricing", to_page: "/docs", transitions: 1, sessions: 1, share: 1 / 3 },
      { from_page: "/pricing", to_page: "/signup", transitions: 1, sessions: 1, share: 1 / 3 },
      { from_page: "/signup", to_page: "(exit)", transitions: 1, sessions: 1, share: 1 },
    ]);
  });

  it("counts a step a session takes twice in transitions and once in sessions", async () => {
    const built = await buildWith([
      view("back", "10:00", "/a"),
      view("back", "10:01", "/b"),
      view("back", "10:02", "/a"),
      view("back", "10:03", "/b"),
      // Two views at the same instant follow their event_id: /b, then /a.
      view("tie", "11:00", "/a", { event_id: "00000000-0000-7000-8000-000000000002" }),
      view("tie", "11:00", "/b", { event_id: "00000000-0000-7000-8000-000000000001" }),
    ]);
    expect(await query(built.data, pathsSql)).toEqual([
      { from_page: "(entrance)", to_page: "/a", transitions: 1, sessions: 1, share: 0.5 },
      { from_page: "(entrance)", to_page: "/b", transitions: 1, sessions: 1, share: 0.5 },
      { from_page: "/a", to_page: "(exit)", transitions: 1, sessions: 1, share: 1 / 3 },
      { from_page: "/a", to_page: "/b", transitions: 2, sessions: 1, share: 2 / 3 },
      { from_page: "/b", to_page: "(exit)", transitions: 1, sessions: 1, share: 1 / 3 },
      { from_page: "/b", to_page: "/a", transitions: 2, sessions: 2, share: 2 / 3 },
    ]);
  });

  it("gives incrementally what one build gives when late events land inside sessions", async () => {
    const timezone = "Europe/Berlin";
    const late = { ingest_ts: clock("15:00") };
    const { stepwise, whole } = await stepwiseAndWhole(
      [
        [
          // /a viewed twice: one visit, until a late view of /b between them splits it.
          view("split", "10:00", "/a"),
          view("split", "10:10", "/a"),
          // Starts at 00:10 Berlin on Monday 2 March…
          view("moved", "23:10", "/x", {}, -1),
        ],
        [
          view("split", "10:05", "/b", late),
          // …until a view at 23:50 Berlin on Sunday 1 March moves it, and its steps, to that day.
          view("moved", "22:50", "/y", late, -1),
        ],
      ],
      { timezone },
    );
    for (const model of ["int_session_paths", "int_daily_paths"])
      expect(resultOf(stepwise, model)?.adapter_response.mode, model).toBe("incremental");
    const daily =
      "select date::VARCHAR as date, from_page, to_page, transitions, sessions from int_daily_paths order by all";
    for (const data of [stepwise, whole]) {
      expect(await query(data, pathsSql)).toEqual([
        { from_page: "(entrance)", to_page: "/a", transitions: 1, sessions: 1, share: 0.5 },
        { from_page: "(entrance)", to_page: "/y", transitions: 1, sessions: 1, share: 0.5 },
        { from_page: "/a", to_page: "(exit)", transitions: 1, sessions: 1, share: 0.5 },
        { from_page: "/a", to_page: "/b", transitions: 1, sessions: 1, share: 0.5 },
        { from_page: "/b", to_page: "/a", transitions: 1, sessions: 1, share: 1 },
        { from_page: "/x", to_page: "(exit)", transitions: 1, sessions: 1, share: 1 },
        { from_page: "/y", to_page: "/x", transitions: 1, sessions: 1, share: 1 },
      ]);
      expect((await query<{ date: string }>(data, daily)).map((r) => r.date)).toEqual([
        ...Array(3).fill("2026-03-01"),
        ...Array(4).fill("2026-03-02"),
      ]);
    }
    expect(await query(stepwise, daily)).toEqual(await query(whole, daily));
  });
});
