// attribution, funnel and cohorts on hand-written journeys whose right answers are worked out here.
import { beforeAll, describe, expect, it } from "vitest";
import { at, type Built, buildWith, clock, ev, query, type RawEvent } from "./models-kit.ts";

type Touch = RawEvent & { session_id: string; event_ts: string; converts?: boolean };

/** One session: a landing page view with its touch fields, and a CTA click when it converts. */
function session({ converts, ...fields }: Touch): RawEvent[] {
  const view = ev(fields);
  if (!converts) return [view];
  const { utm_source, utm_medium, utm_campaign, referrer, ...rest } = fields;
  const later = new Date(Date.parse(fields.event_ts) + 60_000).toISOString();
  return [view, ev({ ...rest, event_type: "cta_click", event_ts: later })];
}

const conversionDay = 40;
const conversionStart = clock("10:00", conversionDay);
const minutesBefore = (m: number) => new Date(Date.parse(conversionStart) - m * 60_000).toISOString();

const attributionEvents: RawEvent[] = [
  // Visitor V: five sessions; the first started one minute too early for the 30-day window.
  ...session({
    session_id: "v1",
    visitor_id: "V",
    event_ts: minutesBefore(30 * 1440 + 1),
    referrer: "https://www.google.com/",
  }),
  ...session({
    session_id: "v2",
    visitor_id: "V",
    event_ts: minutesBefore(30 * 1440),
    utm_source: "linkedin",
    utm_campaign: "launch",
  }),
  ...session({
    session_id: "v3",
    visitor_id: "V",
    event_ts: minutesBefore(5 * 1440),
    utm_source: "newsletter",
  }),
  ...session({ session_id: "v4", visitor_id: "V", event_ts: minutesBefore(1440) }),
  ...session({
    session_id: "v5",
    visitor_id: "V",
    event_ts: conversionStart,
    utm_source: "google",
    utm_medium: "cpc",
    utm_campaign: "spring",
    converts: true,
  }),
  // Visitor W: two sessions starting at the same instant; session_id orders them (w-a first).
  ...session({ session_id: "w-b", visitor_id: "W", event_ts: clock("10:00", 10), converts: true }),
  ...session({ session_id: "w-a", visitor_id: "W", event_ts: clock("10:00", 10), utm_source: "partner" }),
  ...session({ session_id: "w-c", visitor_id: "W", event_ts: clock("11:00", 10), utm_source: "partner" }),
  // No visitor_id: the conversion has only itself as touchpoint.
  ...session({
    session_id: "n-1",
    visitor_id: undefined,
    event_ts: clock("09:00", 12),
    referrer: "https://duckduckgo.com/",
    converts: true,
  }),
  ...session({
    session_id: "n-2",
    visitor_id: undefined,
    event_ts: clock("08:00", 12),
    utm_source: "partner",
  }),
];

type Credit = { model: string; channel: string; source: string; campaign: string; conversions: number };
const row = (
  model: string,
  channel: string,
  source: string,
  campaign: string,
  conversions: number,
): Credit => ({
  model,
  channel,
  source,
  campaign,
  conversions,
});

let attribution: Built;
let narrowWindow: Built;
beforeAll(async () => {
  attribution = await buildWith(attributionEvents);
  narrowWindow = await buildWith(attributionEvents, { attribution_window_days: 3 });
});

async function credits(built: Built): Promise<Credit[]> {
  const rows = await query<Credit>(
    built.data,
    "select * from attribution order by model, channel, source, campaign",
  );
  return rows.map((r) => ({ ...r, conversions: Math.round(r.conversions * 1e9) / 1e9 }));
}

describe("attribution", () => {
  it("credits touchpoints in the window under the four models, without zero rows", async () => {
    // Conversions: v5 (touches v2 v3 v4 v5), w-b (touches w-a w-b), n-1 (itself).
    expect(await credits(attribution)).toEqual([
      row("first_touch", "referral", "partner", "(none)", 1),
      row("first_touch", "search", "(direct)", "(none)", 1),
      row("first_touch", "social", "linkedin", "launch", 1),
      row("last_touch", "direct", "(direct)", "(none)", 1),
      row("last_touch", "paid", "google", "spring", 1),
      row("last_touch", "search", "(direct)", "(none)", 1),
      row("linear", "direct", "(direct)", "(none)", 0.25 + 0.5),
      row("linear", "email", "newsletter", "(none)", 0.25),
      row("linear", "paid", "google", "spring", 0.25),
      row("linear", "referral", "partner", "(none)", 0.5),
      row("linear", "search", "(direct)", "(none)", 1),
      row("linear", "social", "linkedin", "launch", 0.25),
      row("position_based", "direct", "(direct)", "(none)", 0.1 + 0.5),
      row("position_based", "email", "newsletter", "(none)", 0.1),
      row("position_based", "paid", "google", "spring", 0.4),
      row("position_based", "referral", "partner", "(none)", 0.5),
      row("position_based", "search", "(direct)", "(none)", 1),
      row("position_based", "social", "linkedin", "launch", 0.4),
    ]);
  });

  it("follows var attribution_window_days", async () => {
    // A 3-day window leaves v5 with v4 (1 day before) and itself.
    const rows = (await credits(narrowWindow)).filter(
      (r) => r.model === "first_touch" || r.model === "position_based",
    );
    expect(rows).toEqual([
      row("first_touch", "direct", "(direct)", "(none)", 1),
      row("first_touch", "referral", "partner", "(none)", 1),
      row("first_touch", "search", "(direct)", "(none)", 1),
      row("position_based", "direct", "(direct)", "(none)", 0.5 + 0.5),
      row("position_based", "paid", "google", "spring", 0.5),
      row("position_based", "referral", "partner", "(none)", 0.5),
      row("position_based", "search", "(direct)", "(none)", 1),
    ]);
  });

  it("passes the credit-sum singular test", () => {
    expect(attribution.output).toMatch(/PASS attribution_credit_sums_to_conversions/);
    expect(attribution.output).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0/);
  });
});

describe("funnel", () => {
  let funnel: Built;
  let custom: Built;
  beforeAll(async () => {
    const s = (session_id: string, event_type: string, minute: number, extra: RawEvent = {}) =>
      ev({ session_id, event_type, event_ts: at(minute), ...extra });
    const events = [
      // F1 walks every step in order.
      s("F1", "page_view", 0),
      s("F1", "scroll_depth", 1, { scroll_pct: 50 }),
      s("F1", "cta_click", 2),
      s("F1", "form_start", 3),
      s("F1", "form_submit", 4),
      // F2 clicked before viewing (does not count) and scrolled after: steps 1 and 2.
      s("F2", "cta_click", 10),
      s("F2", "page_view", 11),
      s("F2", "scroll_depth", 12, { scroll_pct: 75 }),
      // F3 scrolled only 25 %: step 1.
      s("F3", "page_view", 20),
      s("F3", "scroll_depth", 21, { scroll_pct: 25 }),
      // F4 does steps 1–3 at the same instant (at or after counts) and submits without starting: 3 steps.
      s("F4", "page_view", 30),
      s("F4", "scroll_depth", 30, { scroll_pct: 50 }),
      s("F4", "cta_click", 30),
      s("F4", "form_submit", 31),
      // F5 has no page view: reaches nothing. A bot walks every step: not counted.
      s("F5", "cta_click", 40),
      s("F6", "page_view", 50, { is_bot: true }),
      s("F6", "scroll_depth", 51, { scroll_pct: 100, is_bot: true }),
    ];
    funnel = await buildWith(events);
    custom = await buildWith(events, {
      funnel_steps: [
        { name: "clicked", event_type: "cta_click" },
        { name: "read_most", event_type: "scroll_depth", condition: "scroll_pct >= 75" },
      ],
    });
  });

  it("counts sessions reaching each ordered step", async () => {
    expect(await query(funnel.data, "select * from funnel order by step")).toEqual([
      { step: 1, step_name: "page_view", sessions: 4, conversion_from_previous: 1, conversion_from_start: 1 },
      {
        step: 2,
        step_name: "scroll_50",
        sessions: 3,
        conversion_from_previous: 0.75,
        conversion_from_start: 0.75,
      },
      {
        step: 3,
        step_name: "cta_click",
        sessions: 2,
        conversion_from_previous: 2 / 3,
        conversion_from_start: 0.5,
      },
      {
        step: 4,
        step_name: "form_start",
        sessions: 1,
        conversion_from_previous: 0.5,
        conversion_from_start: 0.25,
      },
      {
        step: 5,
        step_name: "form_submit",
        sessions: 1,
        conversion_from_previous: 1,
        conversion_from_start: 0.25,
      },
    ]);
    expect(funnel.output).toMatch(/PASS funnel_never_grows/);
  });

  it("takes its steps from var funnel_steps", async () => {
    // Clicked: F1 F2 F4 F5. Scrolled ≥ 75 % at or after the click: F2 (75 % after its 10th-minute click).
    expect(await query(custom.data, "select step, step_name, sessions from funnel order by step")).toEqual([
      { step: 1, step_name: "clicked", sessions: 4 },
      { step: 2, step_name: "read_most", sessions: 1 },
    ]);
  });
});

describe("cohorts", () => {
  let cohorts: Built;
  beforeAll(async () => {
    const visit = (visitor: string | undefined, time: string, days: number) =>
      ev({
        session_id: `${visitor ?? "anon"}-${days}-${time}`,
        visitor_id: visitor,
        event_ts: clock(time, days),
      });
    cohorts = await buildWith([
      // c1: first seen Wednesday of the week of Monday 2 March; back in weeks 1 and 3.
      visit("c1", "12:00", 2),
      visit("c1", "12:00", 9),
      visit("c1", "12:00", 10),
      visit("c1", "12:00", 23),
      // c2: first seen Sunday 8 March 23:30 (still the week of 2 March); back Monday 00:10 (week 1).
      visit("c2", "23:30", 6),
      visit("c2", "00:10", 7),
      // c3: first seen in the week of 9 March, never again.
      visit("c3", "08:00", 8),
      // Sessions without a visitor_id are not in any cohort.
      visit(undefined, "08:00", 2),
    ]);
  });

  it("counts retained visitors by ISO week of their first session", async () => {
    const rows = await query(
      cohorts.data,
      "select cohort_week, weeks_since, active_week, visitors, cohort_size, retention from cohorts order by all",
    );
    const week = (d: string) => `${d}T00:00:00.000Z`;
    expect(rows).toEqual([
      {
        cohort_week: week("2026-03-02"),
        weeks_since: 0,
        active_week: week("2026-03-02"),
        visitors: 2,
        cohort_size: 2,
        retention: 1,
      },
      {
        cohort_week: week("2026-03-02"),
        weeks_since: 1,
        active_week: week("2026-03-09"),
        visitors: 2,
        cohort_size: 2,
        retention: 1,
      },
      {
        cohort_week: week("2026-03-02"),
        weeks_since: 3,
        active_week: week("2026-03-23"),
        visitors: 1,
        cohort_size: 2,
        retention: 0.5,
      },
      {
        cohort_week: week("2026-03-09"),
        weeks_since: 0,
        active_week: week("2026-03-09"),
        visitors: 1,
        cohort_size: 1,
        retention: 1,
      },
    ]);
    expect(cohorts.output).toMatch(/PASS cohorts_week_zero_retention_is_one/);
  });
});
