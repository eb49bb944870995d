// Days and ISO weeks in var timezone, worked out by hand: a session counts on the calendar day and
// in the week (Monday) of its start where the site's owner lives, while stored times stay UTC.
import { describe, expect, it } from "vitest";
import { build, buildWith, ev, query, stepwiseAndWhole, tempData, writeRaw } from "./models-kit.ts";

const session = (id: string, eventTs: string) =>
  ev({ session_id: id, visitor_id: `v-${id}`, event_ts: eventTs });
const days = "select strftime(date, '%Y-%m-%d') as day, sessions, timezone from daily order by date";

describe("var timezone", () => {
  it("counts 23:30 UTC on the next day in Berlin, and on the same day in UTC", async () => {
    const events = [session("night", "2026-03-02T23:30:00Z")];
    const berlin = await buildWith(events, { timezone: "Europe/Berlin" });
    expect(await query(berlin.data, days)).toEqual([
      { day: "2026-03-03", sessions: 1, timezone: "Europe/Berlin" },
    ]);
    for (const table of ["int_daily_sources", "int_daily_pages", "int_daily_paths", "int_daily_funnel"])
      expect(
        await query(berlin.data, `select distinct strftime(date, '%Y-%m-%d') as day from ${table}`),
        table,
      ).toEqual([{ day: "2026-03-03" }]);
    // Stored times stay UTC.
    expect(await query(berlin.data, "select started_at from sessions")).toEqual([
      { started_at: "2026-03-02T23:30:00.000Z" },
    ]);
    const utc = await buildWith(events);
    expect(await query(utc.data, days)).toEqual([{ day: "2026-03-02", sessions: 1, timezone: "UTC" }]);
  });

  it("puts a session of Monday 02:00 UTC in the previous ISO week in Los Angeles", async () => {
    // Monday 2 March 02:00 UTC is Sunday 1 March 18:00 in Los Angeles: the week of Monday 23 February.
    const events = [session("sunday", "2026-03-02T02:00:00Z"), session("monday", "2026-03-02T10:00:00Z")];
    const { data } = await buildWith(events, { timezone: "America/Los_Angeles" });
    expect(
      await query(
        data,
        "select strftime(cohort_week, '%Y-%m-%d') as week, visitors, timezone from cohorts order by 1",
      ),
    ).toEqual([
      { week: "2026-02-23", visitors: 1, timezone: "America/Los_Angeles" },
      { week: "2026-03-02", visitors: 1, timezone: "America/Los_Angeles" },
    ]);
    expect(
      await query(data, "select strftime(date, '%Y-%m-%d') as day, sessions from daily order by 1"),
    ).toEqual([
      { day: "2026-03-01", sessions: 1 },
      { day: "2026-03-02", sessions: 1 },
    ]);
  });

  it("gives a day of 23 and a day of 25 hours where the clocks change", async () => {
    const { data } = await buildWith(
      [
        // Sunday 29 March 2026, Berlin moves from UTC+1 to UTC+2: the day runs 23:00 to 22:00 UTC.
        session("before", "2026-03-28T22:59:00Z"),
        session("first", "2026-03-28T23:00:00Z"),
        session("last", "2026-03-29T21:59:00Z"),
        session("after", "2026-03-29T22:00:00Z"),
        // Sunday 25 October 2026, back to UTC+1: the day runs 22:00 to 23:00 UTC the next day.
        session("autumn-first", "2026-10-24T22:00:00Z"),
        session("autumn-last", "2026-10-25T22:59:00Z"),
        session("autumn-after", "2026-10-25T23:00:00Z"),
      ],
      { timezone: "Europe/Berlin" },
    );
    expect(
      await query(data, "select strftime(date, '%Y-%m-%d') as day, sessions from daily order by 1"),
    ).toEqual([
      { day: "2026-03-28", sessions: 1 },
      { day: "2026-03-29", sessions: 2 },
      { day: "2026-03-30", sessions: 1 },
      { day: "2026-10-25", sessions: 2 },
      { day: "2026-10-26", sessions: 1 },
    ]);
  });

  it("counts a page's exit on the day its session first viewed the page, among that day's sessions of it", async () => {
    // "early" views /x and leaves on Monday; "late" starts on /a before midnight and leaves from /x,
    // first viewed after it, on Tuesday (its view arrives in a later hour than the rest).
    const first = [
      ev({ session_id: "early", visitor_id: "v-early", event_ts: "2026-03-02T20:00:00Z", page_path: "/x" }),
      ev({ session_id: "late", visitor_id: "v-late", event_ts: "2026-03-02T23:50:00Z", page_path: "/a" }),
    ];
    const second = [
      ev({
        session_id: "late",
        visitor_id: "v-late",
        event_ts: "2026-03-03T00:10:00Z",
        ingest_ts: "2026-03-03T03:00:00Z",
        page_path: "/x",
      }),
    ];
    const { stepwise, whole } = await stepwiseAndWhole([first, second]);
    const pages = `select strftime(date, '%Y-%m-%d') as day, page_path, sessions, exits
      from int_daily_pages order by 1, 2`;
    const expected = [
      { day: "2026-03-02", page_path: "/a", sessions: 1, exits: 0 },
      { day: "2026-03-02", page_path: "/x", sessions: 1, exits: 1 },
      { day: "2026-03-03", page_path: "/x", sessions: 1, exits: 1 },
    ];
    expect(await query(whole, pages)).toEqual(expected);
    expect(await query(stepwise, pages)).toEqual(expected);
  });

  it("rebuilds the day and week tables in full when it changes, and says so", async () => {
    const data = tempData();
    await writeRaw(data, [session("night", "2026-03-02T23:30:00Z")]);
    expect((await build(data)).code).toBe(0);
    const berlin = await build(data, { vars: { timezone: "Europe/Berlin" } });
    expect(berlin.code, berlin.output).toBe(0);
    for (const model of [
      "daily",
      "int_daily_sources",
      "int_daily_pages",
      "int_daily_paths",
      "int_daily_attribution",
      "int_daily_funnel",
      "int_cohort_activity",
    ])
      expect(berlin.output, model).toMatch(
        new RegExp(`${model} was rebuilt in full: its definition changed`),
      );
    // The sessions do not depend on the zone: they are not rebuilt.
    expect(berlin.output).not.toMatch(/sessions was rebuilt in full/);
    expect(await query(data, days)).toEqual([{ day: "2026-03-03", sessions: 1, timezone: "Europe/Berlin" }]);
    expect((await build(data)).code).toBe(0);
    expect(await query(data, days)).toEqual([{ day: "2026-03-02", sessions: 1, timezone: "UTC" }]);
  });
});
