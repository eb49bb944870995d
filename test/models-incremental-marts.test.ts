// The marts catch up incrementally with what changed upstream: late events of an old session, a
// conversion's touchpoints when a session moves or the window changes, hours scored again after a
// late recount, and vars whose change rebuilds them.
import { describe, expect, it } from "vitest";
import {
  build,
  ev,
  query,
  type RawEvent,
  resultOf,
  selectedRunAndWhole,
  stepwiseAndWhole,
  tempData,
  writeRaw,
} from "./models-kit.ts";

describe("incremental marts", () => {
  it("rebuild the funnel in full when funnel_steps changed", async () => {
    const data = tempData();
    await writeRaw(data, [
      ev({ session_id: "s1", event_ts: "2026-03-02T10:00:00Z" }),
      ev({ session_id: "s1", event_type: "cta_click", event_ts: "2026-03-02T10:01:00Z" }),
    ]);
    expect((await build(data)).code).toBe(0);
    const steps = [{ name: "clicked", event_type: "cta_click" }];
    const changed = await build(data, { vars: { funnel_steps: steps } });
    expect(changed.code, changed.output).toBe(0);
    expect(changed.output).toContain("int_session_funnel was rebuilt in full: its definition changed");
    expect(changed.output).toContain("int_daily_funnel was rebuilt in full: its definition changed");
    expect(await query(data, "select step_name, sessions from funnel")).toEqual([
      { step_name: "clicked", sessions: 1 },
    ]);
  });

  it("fills the marts when the first events arrive after a build on no data", async () => {
    const data = tempData();
    const empty = await build(data);
    expect(empty.code, empty.output).toBe(0);
    expect(await query(data, "select count(*) as n from sessions")).toEqual([{ n: 0 }]);
    await writeRaw(data, [
      ev({ session_id: "s1", event_ts: "2026-03-02T10:00:00Z", page_path: "/a" }),
      ev({ session_id: "s1", event_type: "cta_click", event_ts: "2026-03-02T10:01:00Z" }),
    ]);
    const next = await build(data);
    expect(next.code, next.output).toBe(0);
    expect(await query(data, "select session_id, converted from sessions")).toEqual([
      { session_id: "s1", converted: true },
    ]);
    expect(await query(data, "select page_path, views from pages")).toEqual([{ page_path: "/a", views: 1 }]);
    expect(await query(data, "select step, sessions from funnel where step <= 3 order by step")).toEqual([
      { step: 1, sessions: 1 },
      { step: 2, sessions: 0 },
      { step: 3, sessions: 0 },
    ]);
  });

  it("recomputes a touched session from all its events, also those hours older than the new ones", async () => {
    const data = tempData();
    const x = { session_id: "x", visitor_id: "vx", page_path: "/a" };
    await writeRaw(data, [
      ev({ ...x, event_ts: "2026-03-02T10:00:00Z" }),
      ev({
        ...x,
        event_type: "experiment_exposure",
        experiment: "hero",
        variant: "b",
        event_ts: "2026-03-02T10:01:00Z",
      }),
      ev({ ...x, event_type: "scroll_depth", scroll_pct: 80, event_ts: "2026-03-02T10:05:00Z" }),
      // Other traffic, so that the old events are not in the newest row groups alone.
      ...Array.from({ length: 50 }, (_, i) =>
        ev({
          session_id: `o${i}`,
          event_ts: new Date(Date.parse("2026-03-02T11:00:00Z") + i * 60_000).toISOString(),
        }),
      ),
    ]);
    expect((await build(data, { step: "run" })).code).toBe(0);
    await writeRaw(data, [
      ev({ ...x, event_ts: "2026-03-02T14:00:00Z" }),
      ev({ ...x, event_type: "cta_click", event_ts: "2026-03-02T14:01:00Z" }),
    ]);
    expect((await build(data, { step: "run" })).code).toBe(0);
    for (const model of ["sessions", "int_session_pages", "int_session_funnel", "int_session_exposures"])
      expect(resultOf(data, model)?.adapter_response.mode, model).toBe("incremental");
    expect(
      await query(data, "select views, max_scroll_pct from int_session_pages where session_id = 'x'"),
    ).toEqual([{ views: 2, max_scroll_pct: 80 }]);
    expect(await query(data, "select steps_reached from int_session_funnel where session_id = 'x'")).toEqual([
      { steps_reached: 3 },
    ]);
    expect(
      await query(data, "select variant, converted from int_session_exposures where session_id = 'x'"),
    ).toEqual([{ variant: "b", converted: true }]);
    expect(await query(data, "select page_views, started_at from sessions where session_id = 'x'")).toEqual([
      { page_views: 2, started_at: "2026-03-02T10:00:00.000Z" },
    ]);
  });

  it("recomputes every conversion's touchpoints when attribution_window_days changes", async () => {
    const data = tempData();
    await writeRaw(data, [
      ev({ session_id: "s1", visitor_id: "v", event_ts: "2026-03-02T10:00:00Z", utm_source: "news" }),
      ev({ session_id: "s2", visitor_id: "v", event_ts: "2026-03-05T10:00:00Z", utm_source: "ads" }),
      ev({ session_id: "s2", visitor_id: "v", event_type: "cta_click", event_ts: "2026-03-05T10:01:00Z" }),
    ]);
    expect((await build(data)).code).toBe(0);
    const firstTouch = () =>
      query(data, "select source, conversions from attribution where model = 'first_touch' order by 1");
    expect(await firstTouch()).toEqual([{ source: "news", conversions: 1 }]);
    // No new data and no --full-refresh: a 1-day window leaves s1 out of s2's touchpoints.
    const narrower = await build(data, { vars: { attribution_window_days: 1 } });
    expect(narrower.code, narrower.output).toBe(0);
    expect(await firstTouch()).toEqual([{ source: "ads", conversions: 1 }]);
  });

  it("gives the same touchpoints incrementally when a late session falls between two conversions", async () => {
    const vars = { attribution_window_days: 1 };
    const first = [
      ev({ session_id: "s0", visitor_id: "v", event_ts: "2026-03-05T09:30:00Z", utm_source: "x" }),
      ev({ session_id: "s1", visitor_id: "v", event_ts: "2026-03-05T20:00:00Z", utm_source: "m" }),
      ev({ session_id: "s3", visitor_id: "v", event_ts: "2026-03-06T09:00:00Z", utm_source: "y" }),
      ev({ session_id: "s3", visitor_id: "v", event_type: "cta_click", event_ts: "2026-03-06T09:01:00Z" }),
      ev({ session_id: "s4", visitor_id: "v", event_ts: "2026-03-06T11:00:00Z", utm_source: "z" }),
      ev({ session_id: "s4", visitor_id: "v", event_type: "cta_click", event_ts: "2026-03-06T11:01:00Z" }),
    ];
    // A session delivered late, between the two conversions (1-day window): s4's touchpoints change
    // and still include s1 and s3 before it; s3's stay, s0 among them, more than a window before s5.
    const second = [
      ev({
        session_id: "s5",
        visitor_id: "v",
        event_ts: "2026-03-06T10:30:00Z",
        ingest_ts: "2026-03-06T15:00:00Z",
        utm_source: "w",
      }),
    ];
    const stepwise = tempData();
    await writeRaw(stepwise, first);
    expect((await build(stepwise, { vars, step: "run" })).code).toBe(0);
    const changedAt = (id: string) =>
      query(stepwise, `select changed_at from int_conversion_touches where conversion_id = '${id}'`);
    const [s3Before, s4Before] = [await changedAt("s3"), await changedAt("s4")];
    await writeRaw(stepwise, second);
    const next = await build(stepwise, { vars });
    expect(next.code, next.output).toBe(0);
    // s3 came out as it was, so it keeps its changed_at (int_daily_attribution leaves its day alone).
    expect(await changedAt("s3")).toEqual(s3Before);
    expect(await changedAt("s4")).not.toEqual(s4Before);
    // Only the conversion from the late session's start on is recomputed.
    expect(resultOf(stepwise, "int_conversion_touches")?.adapter_response).toMatchObject({
      mode: "incremental",
      rows_affected: 1,
    });
    const whole = tempData();
    await writeRaw(whole, [...first, ...second]);
    expect((await build(whole, { vars, step: "run" })).code).toBe(0);
    const touches = (data: string) =>
      query(
        data,
        "select conversion_id, list_transform(touches, t -> t.source) as sources from int_conversion_touches order by 1",
      );
    expect(await touches(stepwise)).toEqual([
      { conversion_id: "s3", sources: ["x", "m", "y"] },
      { conversion_id: "s4", sources: ["m", "y", "w", "z"] },
    ]);
    expect(await touches(whole)).toEqual(await touches(stepwise));
    const attribution = (data: string) => query(data, "select * from attribution order by all");
    expect(await attribution(stepwise)).toEqual(await attribution(whole));
  });

  it("recomputes a returning visitor's conversions from their new session on, not their history", async () => {
    // A visitor who converted in each of 20 daily sessions, then comes back twice more.
    const day = (d: number, minute = 0) => `2026-03-${String(d).padStart(2, "0")}T10:${minute}0:00Z`;
    const visit = (d: number, converts: boolean): RawEvent[] => [
      ev({ session_id: `s${d}`, visitor_id: "v", event_ts: day(d), utm_source: `src${d % 3}` }),
      ...(converts
        ? [ev({ session_id: `s${d}`, visitor_id: "v", event_type: "cta_click", event_ts: day(d, 1) })]
        : []),
    ];
    const history = Array.from({ length: 20 }, (_, n) => visit(n + 1, true)).flat();
    const batches = [history, visit(21, false), visit(22, true)];
    const { stepwise, whole } = await stepwiseAndWhole(batches);
    // The last run recomputed the one new conversion, not the visitor's 21 (which a run before
    // did for every new session, so a frequent converter's runs grew with the square of their visits).
    expect(resultOf(stepwise, "int_conversion_touches")?.adapter_response).toMatchObject({
      mode: "incremental",
      rows_affected: 1,
    });
    const rows = (data: string) =>
      query(data, "select * exclude (loaded_at, changed_at) from int_conversion_touches order by all");
    expect(await rows(stepwise)).toEqual(await rows(whole));
    const sum = await query(stepwise, "select count(*)::INT as n from int_conversion_touches");
    expect(sum).toEqual([{ n: 21 }]);
    const attribution = (data: string) => query(data, "select * from attribution order by all");
    expect(await attribution(stepwise)).toEqual(await attribution(whole));
  });

  it("scores the hours after a late recount again, from the 14 days before it", async () => {
    // 20 days of one hour of day; then a late event on day 10 and a new day 21.
    const day = (d: number) => `2026-03-${String(d).padStart(2, "0")}T10:15:00Z`;
    const first: RawEvent[] = [];
    for (let d = 1; d <= 20; d++)
      for (let n = 0; n < 4 + (d % 3); n++) first.push(ev({ session_id: `d${d}-${n}`, event_ts: day(d) }));
    const second = [
      ev({ session_id: "late", event_ts: day(10), ingest_ts: "2026-03-21T10:30:00Z" }),
      ...Array.from({ length: 30 }, (_, n) => ev({ session_id: `spike-${n}`, event_ts: day(21) })),
    ];
    const { stepwise, whole } = await stepwiseAndWhole([first, second]);
    expect(resultOf(stepwise, "int_hourly_scores")?.adapter_response.mode).toBe("incremental");
    const scores = (data: string) =>
      query(data, "select hour, events, baseline, z, is_anomaly from anomalies order by hour");
    const stepwiseScores = await scores(stepwise);
    expect(stepwiseScores).toEqual(await scores(whole));
    // Day 21's spike is scored against the 14 days before it, day 10's late event among them.
    expect(stepwiseScores.at(-1)).toMatchObject({ events: 30, is_anomaly: true });
  });

  it("lays out the empty hours between one run's last hour and the next run's first", async () => {
    const { stepwise, whole } = await stepwiseAndWhole([
      [ev({ session_id: "a", event_ts: "2026-03-02T10:15:00Z" })],
      [ev({ session_id: "b", event_ts: "2026-03-02T12:15:00Z" })],
    ]);
    const hours = (data: string) => query(data, "select hour, events from anomalies order by hour");
    expect(await hours(stepwise)).toEqual(await hours(whole));
    expect(await hours(stepwise)).toEqual([
      { hour: "2026-03-02T10:00:00.000Z", events: 1 },
      { hour: "2026-03-02T11:00:00.000Z", events: 0 },
      { hour: "2026-03-02T12:00:00.000Z", events: 1 },
    ]);
  });

  it("catches up with each input after a selection built only one of them", async () => {
    const first = [ev({ session_id: "s1", page_path: "/a", event_ts: "2026-03-02T10:15:00Z" })];
    const second = [
      ev({ session_id: "s2", page_path: "/b", event_ts: "2026-03-02T12:15:00Z" }),
      // Without a time: left out by every model, as by a full build.
      ev({ session_id: "s3", page_path: "/c", event_ts: undefined }),
    ];
    // sessions and int_daily_pages are built, int_session_pages is not: it catches up in the next run.
    const { stepwise, whole } = await selectedRunAndWhole(first, second, ["+sessions+"]);
    const pages = (data: string) =>
      query(data, "select page_path, views, sessions, exits from pages order by 1");
    expect(await pages(stepwise)).toEqual(await pages(whole));
    expect(await pages(stepwise)).toEqual([
      { page_path: "/a", views: 1, sessions: 1, exits: 1 },
      { page_path: "/b", views: 1, sessions: 1, exits: 1 },
    ]);
  });

  it("takes a touchpoint away from a conversion when its session moves to another visitor", async () => {
    const first = [
      ev({ session_id: "sx", visitor_id: "va", event_ts: "2026-03-02T09:00:00Z", utm_source: "news" }),
      ev({ session_id: "sc", visitor_id: "va", event_ts: "2026-03-03T10:00:00Z", utm_source: "ads" }),
      ev({ session_id: "sc", visitor_id: "va", event_type: "cta_click", event_ts: "2026-03-03T10:01:00Z" }),
    ];
    // An earlier event of sx, from another visitor: sx is now theirs.
    const second = [
      ev({
        session_id: "sx",
        visitor_id: "vb",
        event_ts: "2026-03-02T08:59:00Z",
        ingest_ts: "2026-03-03T12:00:00Z",
      }),
    ];
    const { stepwise, whole } = await stepwiseAndWhole([first, second]);
    const credit = (data: string) =>
      query(data, "select model, source, conversions from attribution order by 1, 2");
    expect(await credit(stepwise)).toEqual(await credit(whole));
    expect(await credit(stepwise)).toContainEqual({ model: "first_touch", source: "ads", conversions: 1 });
  });

  it("follows var conversion_events, rebuilding the sessions in full after it changed", async () => {
    const data = tempData();
    await writeRaw(data, [
      ev({ session_id: "s1", event_ts: "2026-03-02T10:00:00Z" }),
      ev({ session_id: "s1", event_type: "cta_click", event_ts: "2026-03-02T10:01:00Z" }),
      ev({ session_id: "s2", event_ts: "2026-03-02T11:00:00Z" }),
      ev({ session_id: "s2", event_type: "form_submit", event_ts: "2026-03-02T11:02:00Z" }),
    ]);
    expect((await build(data)).code).toBe(0);
    const converted = () =>
      query(data, "select session_id, converted_at from sessions where converted order by 1");
    expect(await converted()).toEqual([{ session_id: "s1", converted_at: "2026-03-02T10:01:00.000Z" }]);
    const vars = { conversion_events: ["form_submit"] };
    const rebuilt = await build(data, { vars });
    expect(rebuilt.code, rebuilt.output).toBe(0);
    expect(rebuilt.output).toContain("sessions was rebuilt in full: its definition changed");
    expect(await converted()).toEqual([{ session_id: "s2", converted_at: "2026-03-02T11:02:00.000Z" }]);
  });
});
