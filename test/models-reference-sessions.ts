// The sessions table worked out from its definition (models/schema.yml, design §5): the non-bot
// events of a session in order, its touch, engagement, conversion and bounce.
import { iso, maxOf, type Row, type Vars } from "./models-reference-shared.ts";
import { isOwnHost, type Stg } from "./models-reference-staging.ts";

export const byTime = (a: Stg, b: Stg) =>
  a.ts - b.ts || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);

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
  browser: string | null;
  os: string | null;
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
      browser: first.browser,
      os: first.os,
      country: first.country,
      site: first.site,
      ordered,
    };
  });
}

/** The site a session came from: its referrer host without "www.", or "(none)" (none, or its own site). */
export function referringSite(s: Session): string {
  const host = s.referrer_host;
  return host === null || isOwnHost(host, s.site) ? "(none)" : host.replace(/^www\./, "");
}

export function sessionRows(all: Session[]): Row[] {
  return all.map((session) => {
    const { ordered, started, ended, converted_at, ...s } = session;
    return {
      ...s,
      started_at: iso(started),
      ended_at: iso(ended),
      duration_s: Math.floor((ended - started) / 1000),
      converted: converted_at !== null,
      converted_at: converted_at === null ? null : iso(converted_at),
      source: s.utm_source ?? "(direct)",
      referring_site: referringSite(session),
    };
  });
}
