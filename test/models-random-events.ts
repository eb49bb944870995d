// Seeded random raw event sets that look like a small site's traffic, written to probe the metric
// definitions' edges: ties in event_ts, sessions across midnight and ISO weeks, visitors without an
// id, bots, duplicate event_ids, every event type, messy UTM values, referrers of every kind and
// event_ts with any ISO-8601 offset.
import type { Random } from "../local/demo-random.ts";
import type { RawEvent } from "./models-kit.ts";
import { parseIso, type Vars } from "./models-reference-shared.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** A Wednesday: the sets span a Sunday→Monday week boundary or two. */
const origin = Date.parse("2026-03-04T00:00:00Z");

const hex = (r: Random, n: number) => Array.from({ length: n }, () => r.int(0, 15).toString(16)).join("");
const uuid = (r: Random) =>
  `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-${r.pick(["8", "9", "a", "b"])}${hex(r, 3)}-${hex(r, 12)}`;

const pad = (n: number) => String(Math.abs(n)).padStart(2, "0");

/** The instant written as ISO-8601 in one of the forms the models must read. */
export function formatTs(r: Random, ms: number): string {
  const form = r.int(0, 5);
  if (form <= 1) return new Date(ms).toISOString();
  if (form === 2 && ms % 1000 === 0) return new Date(ms).toISOString().replace(".000Z", "Z");
  const offset = r.pick([120, -330, 345, -600, 840, 0, 60, -480, -30, -570]);
  const local = new Date(ms + offset * MINUTE).toISOString().slice(0, 23);
  const sign = offset < 0 ? "-" : "+";
  const [h, m] = [pad(Math.trunc(offset / 60)), pad(offset % 60)];
  const zone = r.pick([`${sign}${h}:${m}`, `${sign}${h}${m}`, ...(m === "00" ? [`${sign}${h}`] : [])]);
  const time = ms % MINUTE === 0 && r.chance(0.3) ? local.slice(0, 16) : local;
  return `${time}${zone}`;
}

const PATHS = ["/", "/pricing", "/blog/launch", "/docs"];
const SITES = ["example.com", "example.com", "www.example.com", "shop.example.com:8443"];
const REFERRERS = [
  "https://www.google.com/search",
  "https://WWW.Google.CO.UK/",
  "https://notgoogle.com/",
  "https://t.co/abc",
  "https://microsoft.com/",
  "https://lnkd.in/x",
  "https://www.linkedin.com/feed/",
  "https://news.ycombinator.com/item",
  "https://ycombinator.com/",
  "https://search.brave.com/search",
  "https://brave.com/",
  "https://box.com/",
  "https://bsky.app/profile",
  "https://duckduckgo.com/",
  "https://mail.google.com/mail/u/0/",
  "android-app://com.google.android.gm/",
  "https://user@blog.other.org:8080/post",
  "https://example.com/pricing",
  "https://www.example.com/",
  "https://shop.example.com:8443/cart",
  "https://docs.example.com/",
];
const SOURCES = [
  "Google",
  " newsletter",
  "LinkedIn ",
  "x",
  "bluesky",
  "hackernews",
  "partner",
  "\tEmail\n",
  "\u00a0bluesky\u2003",
  "",
  "twitter.com",
];
const MEDIUMS = ["CPC", "email", " social", "organic", "referral", "Paid_Social", "", "banner\t"];
const CAMPAIGNS = ["Launch", "launch ", "spring", ""];
const EXPERIMENTS: Record<string, string[]> = { hero: ["control", "a", "b"], pricing: ["blue", "green"] };

interface SessionPlan {
  session_id: string;
  visitor_id?: string;
  site: string;
  device_type: string;
  country: string;
  bot: boolean;
}

function touchFields(r: Random): RawEvent {
  const fields: RawEvent = {};
  if (r.chance(0.45)) fields.utm_source = r.pick(SOURCES);
  if (r.chance(0.35)) fields.utm_medium = r.pick(MEDIUMS);
  if (r.chance(0.3)) fields.utm_campaign = r.pick(CAMPAIGNS);
  if (r.chance(0.55)) fields.referrer = r.pick(REFERRERS);
  return fields;
}

function oneEvent(r: Random, plan: SessionPlan, ms: number, ingest: number, type: string): RawEvent {
  const e: RawEvent = {
    event_id: uuid(r),
    event_type: type,
    session_id: plan.session_id,
    event_ts: formatTs(r, ms),
    ingest_ts: new Date(ingest).toISOString(),
    site: plan.site,
    page_path: r.pick(PATHS),
    device_type: r.chance(0.85) ? plan.device_type : r.pick(["desktop", "mobile", "tablet"]),
    country: r.chance(0.85) ? plan.country : r.pick(["DE", "FR", "US"]),
    schema_version: 1,
  };
  // Browser and OS follow the event's device and country, which vary within a session, without
  // drawing from the random stream (the seeds' event sets stay as they were).
  e.browser = e.device_type === "mobile" ? "Mobile Safari" : e.country === "FR" ? "Firefox" : "Chrome";
  if (e.device_type !== "tablet") e.os = e.device_type === "mobile" ? "iOS" : "Windows";
  if (plan.visitor_id !== undefined && r.chance(0.92)) e.visitor_id = plan.visitor_id;
  if (plan.bot || r.chance(0.04)) e.is_bot = true;
  else if (r.chance(0.7)) e.is_bot = false;
  if (type === "page_view" && r.chance(0.3)) Object.assign(e, touchFields(r));
  if (type === "scroll_depth") e.scroll_pct = r.pick([25, 50, 75, 100]);
  if (type === "time_on_page") e.seconds = r.pick([0, 5, 29, 30, 45, 60, 179, 180, 300, 400]);
  if (type === "custom") e.name = "signup";
  if (type === "experiment_exposure") {
    e.experiment = r.pick(Object.keys(EXPERIMENTS));
    e.variant = r.pick(EXPERIMENTS[e.experiment as string]!);
  }
  return e;
}

const TYPES = [
  ...["page_view", "page_view", "page_view", "scroll_depth", "scroll_depth", "time_on_page"],
  ...["cta_click", "form_start", "form_submit", "exit_intent", "experiment_exposure", "custom"],
];

/** One session's events from `start`; each arrives up to 90 s after it happened. */
function sessionEvents(r: Random, plan: SessionPlan, start: number): RawEvent[] {
  const events: RawEvent[] = [];
  let ms = start;
  const count = r.int(1, 8);
  const viewless = r.chance(0.1);
  for (let i = 0; i < count; i++) {
    const type = i === 0 && !viewless && r.chance(0.85) ? "page_view" : r.pick(TYPES);
    const e = oneEvent(
      r,
      plan,
      ms,
      ms + r.int(1, 90) * 1000,
      viewless && type === "page_view" ? "custom" : type,
    );
    if (i === 0) Object.assign(e, r.chance(0.7) ? touchFields(r) : {});
    events.push(e);
    ms += r.pick([0, 0, 0, 1, 2, 5, 17]) * MINUTE + (r.chance(0.2) ? r.int(1, 59_999) : 0);
  }
  return events;
}

/** A re-delivery of `e`: same event_id, other content, arriving `delay` ms after it (maybe before). */
function redelivery(r: Random, e: RawEvent, delay: number): RawEvent {
  return {
    ...e,
    event_type: r.pick(["custom", "page_view", "cta_click"]),
    page_path: "/redelivered",
    is_bot: r.chance(0.3),
    ingest_ts: new Date(parseIso(String(e.ingest_ts)) + delay).toISOString(),
  };
}

export interface EventSet {
  vars: Vars;
  base: RawEvent[];
  /** One more hour of arrivals after every base event: late events, new sessions, re-deliveries. */
  extra: RawEvent[];
}

/**
 * `midnight` is where the sets' days begin (default Wednesday 4 March 00:00 UTC): a zone's local
 * midnight puts their late evenings across that zone's midnights.
 */
export function randomEventSet(r: Random, midnight = origin): EventSet {
  const plans: { plan: SessionPlan; start: number }[] = [];
  const visitors = r.int(2, 5);
  for (let v = 0; v < visitors; v++) {
    let start = midnight + r.int(0, 5) * DAY;
    for (let s = r.int(1, 4); s > 0; s--) {
      const plan = {
        session_id: `s-${v}-${s}-${hex(r, 4)}`,
        visitor_id: `visitor-${v}`,
        site: r.pick(SITES),
        device_type: r.pick(["desktop", "mobile"]),
        country: r.pick(["DE", "US"]),
        bot: false,
      };
      // Late evenings (crossing midnight), and now and then two sessions starting at the same minute.
      if (!r.chance(0.15))
        start += r.int(0, 3) * DAY + (r.chance(0.3) ? 23 * 60 + r.int(45, 59) : r.int(0, 1439)) * MINUTE;
      start = Math.floor(start / MINUTE) * MINUTE;
      plans.push({ plan, start });
    }
  }
  for (let a = r.int(1, 3); a > 0; a--)
    plans.push({
      plan: {
        session_id: `anon-${a}-${hex(r, 4)}`,
        site: "example.com",
        device_type: "mobile",
        country: "FR",
        bot: false,
      },
      start: midnight + r.int(0, 10 * 1440) * MINUTE,
    });
  if (r.chance(0.5))
    plans.push({
      plan: {
        session_id: `bot-${hex(r, 6)}`,
        visitor_id: "visitor-bot",
        site: "example.com",
        device_type: "other",
        country: "US",
        bot: true,
      },
      start: midnight + r.int(0, 10 * 1440) * MINUTE,
    });

  const base = plans.flatMap(({ plan, start }) => sessionEvents(r, plan, start));
  for (const e of [...base])
    if (r.chance(0.08)) base.push(redelivery(r, e, r.pick([-1, 1]) * r.int(1_000, 3 * HOUR)));

  const lastIngest = Math.max(...base.map((e) => parseIso(String(e.ingest_ts))));
  const hour = (Math.floor(lastIngest / HOUR) + 1) * HOUR;
  const arriving = (events: RawEvent[]) =>
    events.map((e) => ({ ...e, ingest_ts: new Date(hour + r.int(0, HOUR - 1)).toISOString() }));
  const extra: RawEvent[] = [];
  for (let k = r.int(1, 3); k > 0; k--) {
    const { plan, start } = r.pick(plans);
    extra.push(...arriving(sessionEvents(r, plan, start + r.int(-30, 40) * MINUTE)));
  }
  const { plan } = r.pick(plans);
  const later = { ...plan, session_id: `late-${hex(r, 6)}` };
  extra.push(...arriving(sessionEvents(r, later, midnight + r.int(0, 10 * 1440) * MINUTE)));
  extra.push(...arriving(Array.from({ length: r.int(1, 2) }, () => redelivery(r, r.pick(base), 0))));

  const vars: Vars = {
    attribution_window_days: r.pick([30, 30, 2, 1]),
    conversion_events: r.pick([["cta_click"], ["cta_click"], ["cta_click", "form_submit"]]),
    anomaly_z: r.pick([3.5, 2]),
    // Days and weeks of a zone half an hour off UTC with a clock change in the sets, of one far from
    // UTC, and of UTC.
    timezone: r.pick(["UTC", "UTC", "Europe/Berlin", "America/St_Johns", "Pacific/Auckland"]),
  };
  return { vars, base, extra };
}

/**
 * Twenty days of page views with a daily rhythm, the odd spike, one hour of day that never varies
 * (no spread: the one-event floor) and one that seldom does (no MAD: the mean absolute deviation instead).
 */
export function hourlySeries(r: Random): RawEvent[] {
  const events: RawEvent[] = [];
  for (let h = 0; h < 20 * 24; h++) {
    const hourOfDay = h % 24;
    let count = r.int(0, 2) + (hourOfDay >= 9 && hourOfDay < 18 ? 2 : 0) + (r.chance(0.01) ? 15 : 0);
    if (hourOfDay === 3) count = 1;
    if (hourOfDay === 4) count = r.chance(0.1) ? 3 : 1;
    const plan = {
      session_id: `series-${Math.floor(h / 6)}`,
      visitor_id: `visitor-${h % 5}`,
      site: "example.com",
      device_type: "desktop",
      country: "DE",
      bot: false,
    };
    for (let i = 0; i < count; i++) {
      const ms = origin + h * HOUR + r.int(0, HOUR - 1);
      events.push(oneEvent(r, plan, ms, ms + 1000, r.pick(TYPES)));
    }
  }
  return events;
}
