// Every table of the models worked out in plain TypeScript, straight from the metric definitions
// (models/schema.yml, design §5), without reading the SQL: the random-event test compares the
// models' rows against these.
import { wallClock } from "../reports/zone.ts";
import type { RawEvent } from "./models-kit.ts";

export interface Vars {
  attribution_window_days: number;
  conversion_events: string[];
  anomaly_z: number;
  timezone: string;
}
export const defaultVars: Vars = {
  attribution_window_days: 30,
  conversion_events: ["cta_click"],
  anomaly_z: 3.5,
  timezone: "UTC",
};

export type Row = Record<string, string | number | boolean | null>;

export const DAY = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString();
const dayOf = (ms: number) => Math.floor(ms / DAY) * DAY;
// Day 0 (1970-01-01) was a Thursday, three days after a Monday.
const mondayOf = (ms: number) => dayOf(ms) - ((Math.floor(ms / DAY) + 3) % 7) * DAY;
/** An instant's wall-clock time in the zone, as the ms of that wall time in UTC: days of it are local days. */
export const local = (ms: number, zone: string) => Date.parse(`${wallClock(zone, ms)}Z`);

/** ISO-8601 with Z, ±HH:MM, ±HHMM or ±HH, with or without seconds and fractions, to epoch ms. */
export function parseIso(text: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?(Z|[+-]\d\d(?::?\d\d)?)?$/i.exec(
    text,
  );
  if (!m) throw new Error(`not an ISO time: ${text}`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const local = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +(s ?? 0), Math.floor(+`0.${frac ?? 0}` * 1000));
  if (!zone || zone.toUpperCase() === "Z") return local;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return local - sign * (+digits.slice(0, 2) * 60 + +(digits.slice(2) || 0)) * 60_000;
}

const clean = (v: unknown) => {
  const s = typeof v === "string" ? v.trim().toLowerCase() : "";
  return s === "" ? null : s;
};

// A domain matches itself and its subdomains; a name or label sequence matches as whole labels.
const hasLabels = (host: string, labels: string) => `.${host}.`.includes(`.${labels}.`);
const underDomain = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);
const SOCIAL_NAMES = [
  "linkedin",
  "twitter",
  "facebook",
  "instagram",
  "reddit",
  "youtube",
  "mastodon",
  "bsky",
];
const SOCIAL_DOMAINS = ["lnkd.in", "x.com", "t.co", "news.ycombinator.com"];
const SEARCH_NAMES = ["google", "bing", "duckduckgo", "yahoo", "ecosia", "baidu", "yandex", "search.brave"];
const SOCIAL_SOURCES = [
  ...["linkedin", "twitter", "x", "facebook", "instagram", "reddit", "youtube", "mastodon", "bluesky"],
  ...["hackernews", "lnkd.in", "x.com", "t.co", "bsky", "news.ycombinator.com"],
];
const PAID = ["cpc", "ppc", "paid", "paidsocial", "paid_social", "display", "cpm"];

/** A referrer host that is the site itself: the Origin's host without its port, with or without "www.". */
export function isOwnHost(host: string, site: string | null): boolean {
  const siteHost = (site ?? "").replace(/:\d+$/, "");
  return host === siteHost || host === `www.${siteHost}` || siteHost === `www.${host}`;
}

export function channelOf(e: Stg): string {
  const host = e.referrer_host;
  const socialHost =
    host !== null &&
    (SOCIAL_NAMES.some((n) => hasLabels(host, n)) || SOCIAL_DOMAINS.some((d) => underDomain(host, d)));
  const searchHost = host !== null && SEARCH_NAMES.some((n) => hasLabels(host, n));
  const ownHost = host !== null && isOwnHost(host, e.site);
  if (e.utm_medium !== null && PAID.includes(e.utm_medium)) return "paid";
  if (e.utm_medium === "email" || e.utm_source === "newsletter" || e.utm_source === "email") return "email";
  if (
    e.utm_medium === "social" ||
    (e.utm_source !== null && SOCIAL_SOURCES.includes(e.utm_source)) ||
    socialHost
  )
    return "social";
  if (e.utm_medium === "organic" || searchHost) return "search";
  if (e.utm_source !== null || (host !== null && !ownHost)) return "referral";
  return "direct";
}

export interface Stg {
  event_id: string;
  event_type: string;
  session_id: string;
  visitor_id: string | null;
  ts: number;
  ingest: number;
  site: string | null;
  page_path: string | null;
  referrer_host: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  channel: string;
  is_bot: boolean;
  scroll_pct: number | null;
  seconds: number | null;
  experiment: string | null;
  variant: string | null;
  device_type: string | null;
  country: string | null;
}

export function staging(raw: RawEvent[]): Stg[] {
  const earliest = new Map<string, RawEvent>();
  for (const e of raw) {
    const id = String(e.event_id);
    const kept = earliest.get(id);
    if (!kept || parseIso(String(e.ingest_ts)) < parseIso(String(kept.ingest_ts))) earliest.set(id, e);
  }
  return [...earliest.values()].map((e) => {
    const referrer = typeof e.referrer === "string" ? e.referrer : null;
    const stg: Omit<Stg, "channel"> = {
      event_id: String(e.event_id),
      event_type: String(e.event_type),
      session_id: String(e.session_id),
      visitor_id: (e.visitor_id as string | undefined) ?? null,
      ts: parseIso(String(e.event_ts)),
      ingest: parseIso(String(e.ingest_ts)),
      site: clean(e.site),
      page_path: (e.page_path as string | undefined) ?? null,
      referrer_host: referrer === null ? null : new URL(referrer).hostname.toLowerCase() || null,
      utm_source: clean(e.utm_source),
      utm_medium: clean(e.utm_medium),
      utm_campaign: clean(e.utm_campaign),
      is_bot: e.is_bot === true,
      scroll_pct: (e.scroll_pct as number | undefined) ?? null,
      seconds: (e.seconds as number | undefined) ?? null,
      experiment: (e.experiment as string | undefined) ?? null,
      variant: (e.variant as string | undefined) ?? null,
      device_type: (e.device_type as string | undefined) ?? null,
      country: (e.country as string | undefined) ?? null,
    };
    return { ...stg, channel: channelOf(stg as Stg) };
  });
}

export const byTime = (a: Stg, b: Stg) =>
  a.ts - b.ts || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);
const maxOf = (values: (number | null)[]) => Math.max(0, ...values.filter((v): v is number => v !== null));
export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export interface Session {
  session_id: string;
  visitor_id: string | null;
  started: number;
  ended: number;
  landing_page: string | null;
  exit_page: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  channel: string;
  referrer_host: string | null;
  page_views: number;
  events: number;
  max_scroll_pct: number;
  engaged_s: number;
  converted_at: number | null;
  is_bounce: boolean;
  device_type: string | null;
  country: string | null;
  site: string | null;
  ordered: Stg[];
}

/** The non-bot events of each session, in (event_ts, event_id) order. */
export function eventsBySession(stg: Stg[]): Map<string, Stg[]> {
  const out = new Map<string, Stg[]>();
  for (const e of [...stg].filter((x) => !x.is_bot).sort(byTime)) {
    const list = out.get(e.session_id) ?? [];
    list.push(e);
    out.set(e.session_id, list);
  }
  return out;
}

/** Events the visitor makes happen on a page: a session with one makes no bounce. */
const INTERACTIONS = ["cta_click", "form_start", "form_submit", "custom"];

export function sessions(stg: Stg[], vars: Vars): Session[] {
  return [...eventsBySession(stg)].map(([session_id, ordered]) => {
    const first = ordered[0]!;
    const views = ordered.filter((e) => e.event_type === "page_view");
    const touch = views[0] ?? first;
    const conversion = ordered.find((e) => vars.conversion_events.includes(e.event_type));
    const max_scroll_pct = maxOf(
      ordered.filter((e) => e.event_type === "scroll_depth").map((e) => e.scroll_pct),
    );
    const longestOnPath = new Map<string | null, number>();
    for (const e of ordered.filter((x) => x.event_type === "time_on_page"))
      longestOnPath.set(e.page_path, Math.max(longestOnPath.get(e.page_path) ?? 0, e.seconds ?? 0));
    const engaged_s = [...longestOnPath.values()].reduce((sum, s) => sum + s, 0);
    return {
      session_id,
      visitor_id: first.visitor_id,
      started: first.ts,
      ended: ordered[ordered.length - 1]!.ts,
      landing_page: views[0]?.page_path ?? null,
      exit_page: views[views.length - 1]?.page_path ?? null,
      utm_source: touch.utm_source,
      utm_medium: touch.utm_medium,
      utm_campaign: touch.utm_campaign,
      channel: touch.channel,
      referrer_host: touch.referrer_host,
      page_views: views.length,
      events: ordered.length,
      max_scroll_pct,
      engaged_s,
      converted_at: conversion?.ts ?? null,
      is_bounce:
        views.length <= 1 &&
        !conversion &&
        !ordered.some((e) => INTERACTIONS.includes(e.event_type)) &&
        engaged_s < 30 &&
        max_scroll_pct < 50,
      device_type: first.device_type,
      country: first.country,
      site: first.site,
      ordered,
    };
  });
}

export function sessionRows(all: Session[]): Row[] {
  return all.map(({ ordered, started, ended, converted_at, ...s }) => ({
    ...s,
    started_at: iso(started),
    ended_at: iso(ended),
    duration_s: Math.floor((ended - started) / 1000),
    converted: converted_at !== null,
    converted_at: converted_at === null ? null : iso(converted_at),
    source: s.utm_source ?? "(direct)",
  }));
}

export function countBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

export function sources(all: Session[]): Row[] {
  const rows = [...countBy(all, (s) => s.utm_source ?? "(direct)")].map(([source, list]) => {
    const conversions = list.filter((s) => s.converted_at !== null).length;
    return {
      source,
      sessions: list.length,
      conversions,
      conversion_rate: Math.round((1000 * conversions) / list.length) / 10,
    };
  });
  return rows.sort(
    (a, b) =>
      b.conversion_rate - a.conversion_rate || b.sessions - a.sessions || (a.source < b.source ? -1 : 1),
  );
}

export function attribution(all: Session[], vars: Vars): Row[] {
  const credit = new Map<string, number>();
  const add = (model: string, s: Session, value: number) => {
    const key = JSON.stringify([model, s.channel, s.utm_source ?? "(direct)", s.utm_campaign ?? "(none)"]);
    credit.set(key, (credit.get(key) ?? 0) + value);
  };
  const windowMs = vars.attribution_window_days * DAY;
  for (const conversion of all.filter((s) => s.converted_at !== null)) {
    const touches =
      conversion.visitor_id === null
        ? [conversion]
        : all
            .filter(
              (s) =>
                s.visitor_id === conversion.visitor_id &&
                s.started >= conversion.started - windowMs &&
                (s.started < conversion.started ||
                  (s.started === conversion.started && s.session_id <= conversion.session_id)),
            )
            .sort((a, b) => a.started - b.started || (a.session_id < b.session_id ? -1 : 1));
    const n = touches.length;
    touches.forEach((s, i) => {
      const ends = i === 0 || i === n - 1;
      add("first_touch", s, i === 0 ? 1 : 0);
      add("last_touch", s, i === n - 1 ? 1 : 0);
      add("linear", s, 1 / n);
      add("position_based", s, n === 1 ? 1 : n === 2 ? 0.5 : ends ? 0.4 : 0.2 / (n - 2));
    });
  }
  return [...credit]
    .filter(([, conversions]) => conversions > 0)
    .map(([key, conversions]) => {
      const [model, channel, source, campaign] = JSON.parse(key) as string[];
      return { model: model!, channel: channel!, source: source!, campaign: campaign!, conversions };
    });
}

const FUNNEL: [string, (e: Stg) => boolean][] = [
  ["page_view", (e) => e.event_type === "page_view"],
  ["scroll_50", (e) => e.event_type === "scroll_depth" && (e.scroll_pct ?? 0) >= 50],
  ["cta_click", (e) => e.event_type === "cta_click"],
  ["form_start", (e) => e.event_type === "form_start"],
  ["form_submit", (e) => e.event_type === "form_submit"],
];

export function funnel(all: Session[]): Row[] {
  const counts = FUNNEL.map(() => 0);
  for (const s of all) {
    let since = -Infinity;
    for (const [k, [, matches]] of FUNNEL.entries()) {
      const hit = s.ordered.find((e) => matches(e) && e.ts >= since);
      if (!hit) break;
      since = hit.ts;
      counts[k]! += 1;
    }
  }
  return FUNNEL.map(([step_name], k) => ({
    step: k + 1,
    step_name,
    sessions: counts[k]!,
    conversion_from_previous: k === 0 ? 1 : counts[k - 1] ? counts[k]! / counts[k - 1]! : 0,
    conversion_from_start: counts[0] ? counts[k]! / counts[0] : 0,
  }));
}

export function cohorts(all: Session[], vars: Vars): Row[] {
  const weeksOf = new Map<string, Set<number>>();
  for (const s of all.filter((x) => x.visitor_id !== null))
    weeksOf.set(
      s.visitor_id!,
      (weeksOf.get(s.visitor_id!) ?? new Set()).add(mondayOf(local(s.started, vars.timezone))),
    );
  const active = new Map<string, number>();
  for (const weeks of weeksOf.values()) {
    const cohort = Math.min(...weeks);
    for (const week of weeks) active.set(`${cohort}|${week}`, (active.get(`${cohort}|${week}`) ?? 0) + 1);
  }
  return [...active].map(([key, visitors]) => {
    const [cohort, week] = key.split("|").map(Number) as [number, number];
    const cohort_size = active.get(`${cohort}|${cohort}`)!;
    return {
      cohort_week: iso(cohort),
      weeks_since: Math.round((week - cohort) / (7 * DAY)),
      active_week: iso(week),
      visitors,
      cohort_size,
      retention: visitors / cohort_size,
      timezone: vars.timezone,
    };
  });
}

export function pages(all: Session[]): Row[] {
  const perPath = new Map<
    string,
    { views: number; sessions: number; reach: number[]; engaged: number[]; exits: number }
  >();
  const entry = (path: string) => {
    const found = perPath.get(path) ?? { views: 0, sessions: 0, reach: [0, 0, 0, 0], engaged: [], exits: 0 };
    perPath.set(path, found);
    return found;
  };
  for (const s of all) {
    const viewed = countBy(
      s.ordered.filter((e) => e.event_type === "page_view"),
      (e) => e.page_path!,
    );
    for (const [path, views] of viewed) {
      const p = entry(path);
      const here = s.ordered.filter((e) => e.page_path === path);
      const scrolled = maxOf(here.filter((e) => e.event_type === "scroll_depth").map((e) => e.scroll_pct));
      p.views += views.length;
      p.sessions += 1;
      [25, 50, 75, 100].forEach((pct, i) => {
        if (scrolled >= pct) p.reach[i]! += 1;
      });
      p.engaged.push(maxOf(here.filter((e) => e.event_type === "time_on_page").map((e) => e.seconds)));
    }
    if (s.exit_page !== null) entry(s.exit_page).exits += 1;
  }
  return [...perPath].map(([page_path, p]) => {
    const share = (n: number) => n / p.sessions;
    const reachedTime = (seconds: number) => share(p.engaged.filter((x) => x >= seconds).length);
    return {
      page_path,
      views: p.views,
      sessions: p.sessions,
      reach_25: share(p.reach[0]!),
      reach_50: share(p.reach[1]!),
      reach_75: share(p.reach[2]!),
      reach_100: share(p.reach[3]!),
      avg_engaged_s: mean(p.engaged),
      engaged_30s: reachedTime(30),
      engaged_60s: reachedTime(60),
      engaged_180s: reachedTime(180),
      engaged_300s: reachedTime(300),
      exits: p.exits,
    };
  });
}

export function daily(all: Session[], vars: Vars): Row[] {
  return [...countBy(all, (s) => iso(dayOf(local(s.started, vars.timezone))))].map(([date, list]) => ({
    date,
    visitors: new Set(list.map((s) => s.visitor_id ?? s.session_id)).size,
    sessions: list.length,
    page_views: list.reduce((a, s) => a + s.page_views, 0),
    conversions: list.filter((s) => s.converted_at !== null).length,
    bounce_rate: list.filter((s) => s.is_bounce).length / list.length,
    avg_engaged_s: mean(list.map((s) => s.engaged_s)),
    timezone: vars.timezone,
  }));
}
