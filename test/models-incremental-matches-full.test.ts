// A warehouse built step by step from two batches of raw files holds the same marts as one built
// whole from both: late events moving sessions, touches, exposures and scores included.
import { describe, expect, it } from "vitest";
import { at, build, ev, query, type RawEvent, resultOf, tempData, writeRaw } from "./models-kit.ts";

describe("incremental build against a full build", () => {
  it("gives the same marts incrementally as a full build of the same raw files", async () => {
    const first: RawEvent[] = [];
    const second: RawEvent[] = [];
    for (let i = 0; i < 40; i++) {
      const session = { session_id: `s${i}`, visitor_id: `v${i % 7}` };
      const start = Date.parse("2026-03-02T08:00:00Z") + i * 7 * 60_000;
      const t = (m: number) => new Date(start + m * 60_000).toISOString();
      const landing =
        i % 3 === 0
          ? { utm_source: "newsletter" }
          : i % 3 === 1
            ? { referrer: "https://www.google.com/" }
            : {};
      first.push(ev({ ...session, event_ts: t(0), page_path: `/p${i % 4}`, ...landing }));
      first.push(
        ev({
          ...session,
          event_type: "scroll_depth",
          scroll_pct: 50,
          event_ts: t(1),
          page_path: `/p${i % 4}`,
        }),
      );
      if (i % 6 === 1)
        first.push(ev({ ...session, event_type: "cta_click", event_ts: t(2), page_path: `/p${i % 4}` }));
      if (i % 5 === 0)
        first.push(
          ev({
            ...session,
            event_type: "experiment_exposure",
            experiment: "hero",
            variant: i % 2 ? "b" : "control",
            event_ts: t(1),
          }),
        );
      // Half the sessions go on in the second batch: more pages, clicks, forms, arriving hours later.
      const later = { ingest_ts: new Date(Date.parse("2026-03-02T16:00:00Z") + i * 1000).toISOString() };
      if (i % 2 === 0) {
        second.push(ev({ ...session, ...later, event_ts: t(3), page_path: "/pricing" }));
        second.push(
          ev({ ...session, ...later, event_type: "cta_click", event_ts: t(4), page_path: "/pricing" }),
        );
        if (i % 4 === 0) second.push(ev({ ...session, ...later, event_type: "form_start", event_ts: t(5) }));
        second.push(
          ev({
            ...session,
            ...later,
            event_type: "time_on_page",
            seconds: 60,
            event_ts: t(5),
            page_path: "/pricing",
          }),
        );
      }
    }
    second.push(
      ev({ session_id: "new", visitor_id: "v1", event_ts: "2026-03-02T16:30:00Z", utm_source: "partner" }),
      // A conversion whose touchpoints are v1's sessions of the first batch.
      ev({ session_id: "new", visitor_id: "v1", event_type: "cta_click", event_ts: "2026-03-02T16:31:00Z" }),
      // A stored session gets an event from before its start.
      ev({
        session_id: "s4",
        visitor_id: "v4",
        event_type: "scroll_depth",
        scroll_pct: 100,
        event_ts: "2026-03-02T07:30:00Z",
        ingest_ts: "2026-03-02T17:00:00Z",
        page_path: "/p0",
      }),
      // A session of v2 from before all others, delivered late: a new first touch of v2's conversions.
      ev({
        session_id: "late",
        visitor_id: "v2",
        event_ts: "2026-03-02T07:00:00Z",
        ingest_ts: "2026-03-02T17:00:00Z",
        utm_source: "podcast",
      }),
    );
    second.push(ev({ session_id: "bots", event_ts: "2026-03-02T16:30:00Z", is_bot: true }));
    // A visitor back from a site none of their earlier sessions came from.
    second.push(
      ev({
        session_id: "back",
        visitor_id: "v3",
        event_ts: "2026-03-02T16:40:00Z",
        referrer: "https://news.ycombinator.com/item",
      }),
      // ... and exposed again, now to the other variant than s10's (v3's) control.
      ev({
        session_id: "back",
        visitor_id: "v3",
        event_type: "experiment_exposure",
        experiment: "hero",
        variant: "b",
        event_ts: "2026-03-02T16:41:00Z",
      }),
      // An exposed session that a late earlier event gives to another visitor: ve1 is left unexposed.
      ev({
        session_id: "exposed-switch",
        visitor_id: "ve2",
        event_ts: "2026-03-02T11:59:00Z",
        ingest_ts: "2026-03-02T17:10:00Z",
      }),
    );
    // A session that began with a click and whose page view, from a search engine, came later: its
    // touch, and so its site, moves from "(none)" to google.com while its first event stays.
    first.push(ev({ session_id: "touch-moves", visitor_id: "vt", event_type: "custom", event_ts: at(600) }));
    second.push(
      ev({
        session_id: "touch-moves",
        visitor_id: "vt",
        event_ts: at(605),
        ingest_ts: "2026-03-02T17:10:00Z",
        referrer: "https://www.google.com/",
      }),
    );
    first.push(
      ev({
        session_id: "exposed-switch",
        visitor_id: "ve1",
        event_type: "experiment_exposure",
        experiment: "hero",
        variant: "b",
        event_ts: "2026-03-02T12:00:00Z",
      }),
    );
    // Moves that only a recompute from the earliest affected day and week gets right. "lonely" is the
    // only session of 2026-03-10 and of its week (a clock ahead); a later-delivered event moves it to
    // 03-02, so that day and that week's rows must go.
    first.push(
      ev({
        session_id: "lonely",
        visitor_id: "vl",
        event_ts: "2026-03-10T09:00:00Z",
        ingest_ts: "2026-03-02T12:50:00Z",
      }),
      ev({ session_id: "switch", visitor_id: "va", event_ts: "2026-03-02T10:00:00Z" }),
      // A cohort older than any change (two visitors, one back in the week of 03-02): its rows from
      // that week on are recomputed with its stored size.
      ev({ session_id: "old1", visitor_id: "vold", event_ts: "2026-02-16T10:00:00Z" }),
      ev({ session_id: "old2", visitor_id: "vold2", event_ts: "2026-02-16T11:00:00Z" }),
      ev({ session_id: "old3", visitor_id: "vold", event_ts: "2026-03-02T11:00:00Z" }),
      ev({ session_id: "night", visitor_id: "vn", event_ts: "2026-03-02T00:10:00Z", page_path: "/night" }),
    );
    const late = { ingest_ts: "2026-03-02T17:10:00Z" };
    second.push(
      ev({ session_id: "lonely", visitor_id: "vl", event_ts: "2026-03-02T09:00:00Z", ...late }),
      // s6 now starts on Sunday 03-01, a week earlier: v6's cohort moves back a week.
      ev({ session_id: "s6", visitor_id: "v6", event_ts: "2026-03-01T23:50:00Z", page_path: "/p2", ...late }),
      // An earlier event of another visitor: "switch" now belongs to vb, and va, with no session left, goes.
      ev({ session_id: "switch", visitor_id: "vb", event_ts: "2026-03-02T09:59:00Z", ...late }),
      // A scroll two days before "night"'s only page view: its start and exit move to 02-28, before
      // any first view that changed.
      ev({
        session_id: "night",
        visitor_id: "vn",
        event_type: "scroll_depth",
        scroll_pct: 25,
        event_ts: "2026-02-28T23:55:00Z",
        page_path: "/night",
        ...late,
      }),
    );

    const stepwise = tempData();
    await writeRaw(stepwise, first);
    expect((await build(stepwise, { step: "run" })).code).toBe(0);
    await writeRaw(stepwise, second);
    const next = await build(stepwise);
    expect(next.code, next.output).toBe(0);
    expect(resultOf(stepwise, "sessions")?.adapter_response).toMatchObject({
      mode: "incremental",
      rows_affected: 28,
    });
    for (const model of [
      "int_conversion_touches",
      "int_hourly_events",
      "int_session_exposures",
      "int_session_funnel",
      "int_daily_funnel",
      "daily",
      "int_cohort_activity",
      "int_daily_pages",
      "int_session_paths",
      "int_daily_paths",
      "int_daily_sources",
      "int_referrer_visitors",
      "int_daily_attribution",
      "int_hourly_scores",
      "int_session_goals",
    ])
      expect(resultOf(stepwise, model)?.adapter_response.mode, model).toBe("incremental");

    const whole = tempData();
    await writeRaw(whole, [...first, ...second]);
    expect((await build(whole, { step: "run" })).code).toBe(0);

    const marts = [
      "sessions",
      "sources",
      "referrers",
      "attribution",
      "funnel",
      "cohorts",
      "anomalies",
      "experiments",
      "pages",
      "paths",
      "daily",
      "goals",
      "goal_props",
    ];
    for (const mart of marts) {
      // loaded_at is when a row was stored, which differs between the two warehouses by design.
      const sql = `select * exclude (loaded_at) from ${mart} order by all`;
      const plain = `select * from ${mart} order by all`;
      const stamped = ["sessions", "daily", "cohorts"];
      // Sums of shares may differ in the last bits with the order of addition.
      const read = async (data: string) =>
        (await query(data, stamped.includes(mart) ? sql : plain)).map((row) =>
          Object.fromEntries(
            Object.entries(row).map(([k, v]) => [k, typeof v === "number" ? Math.round(v * 1e9) / 1e9 : v]),
          ),
        );
      expect(await read(stepwise), mart).toEqual(await read(whole));
    }
  });
});
