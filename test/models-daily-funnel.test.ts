// int_daily_funnel: sessions by the local day they started and the last funnel step they reached,
// the rows the funnel mart and the report's period sum; kept right incrementally when a late event
// moves a session to an earlier day.
import { describe, expect, it } from "vitest";
import { ev, query, resultOf, selectedRunAndWhole, stepwiseAndWhole } from "./models-kit.ts";

const late = "2026-03-04T12:00:00Z";
const rows =
  "select strftime(date, '%Y-%m-%d') as day, steps_reached, sessions from int_daily_funnel order by all";

describe("int_daily_funnel", () => {
  it("counts sessions on the day they started by how far they got, and moves one when a late event moves its start", async () => {
    const first = [
      ev({ session_id: "a", event_ts: "2026-03-02T10:00:00Z" }),
      // Not touched by the second batch, but on the day recomputed then.
      ev({ session_id: "d", event_ts: "2026-03-02T12:00:00Z" }),
      ev({ session_id: "b", event_ts: "2026-03-03T10:00:00Z" }),
      ev({ session_id: "b", event_type: "scroll_depth", scroll_pct: 50, event_ts: "2026-03-03T10:01:00Z" }),
      // No page view: never entered the funnel.
      ev({ session_id: "c", event_type: "custom", name: "ping", event_ts: "2026-03-03T11:00:00Z" }),
    ];
    const second = [
      // b's page view of the evening before arrives a day late: b started on the 2nd.
      ev({ session_id: "b", event_ts: "2026-03-02T23:50:00Z", ingest_ts: late }),
      // a clicks without having scrolled: still at step 1.
      ev({
        session_id: "a",
        event_type: "cta_click",
        element: "signup",
        event_ts: "2026-03-02T10:05:00Z",
        ingest_ts: late,
      }),
    ];
    const { stepwise, whole } = await stepwiseAndWhole([first, second]);
    expect(resultOf(stepwise, "int_daily_funnel")?.adapter_response.mode).toBe("incremental");
    expect(await query(stepwise, rows)).toEqual([
      { day: "2026-03-02", steps_reached: 1, sessions: 2 },
      { day: "2026-03-02", steps_reached: 2, sessions: 1 },
    ]);
    expect(await query(whole, rows)).toEqual(await query(stepwise, rows));
    expect(await query(stepwise, "select step, sessions from funnel where step <= 3 order by step")).toEqual([
      { step: 1, sessions: 3 },
      { step: 2, sessions: 1 },
      { step: 3, sessions: 0 },
    ]);
  });

  it("catches up with the funnel of sessions that a run selecting only the sessions side loaded", async () => {
    const first = [ev({ session_id: "a", event_ts: "2026-03-02T10:00:00Z" })];
    const second = [
      // a scrolls: step 2 now; b is new on the same day.
      ev({ session_id: "a", event_type: "scroll_depth", scroll_pct: 50, event_ts: "2026-03-02T10:01:00Z" }),
      ev({ session_id: "b", event_ts: "2026-03-02T10:30:00Z" }),
    ];
    // sessions and int_daily_funnel are built, int_session_funnel is not: it catches up in the next run.
    const { stepwise, whole } = await selectedRunAndWhole(first, second, ["+sessions+"]);
    expect(await query(whole, rows)).toEqual([
      { day: "2026-03-02", steps_reached: 1, sessions: 1 },
      { day: "2026-03-02", steps_reached: 2, sessions: 1 },
    ]);
    expect(await query(stepwise, rows)).toEqual(await query(whole, rows));
  });
});
