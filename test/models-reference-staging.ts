// The stg_events table worked out from its definition (models/schema.yml, design §5): raw events
// deduplicated, typed and cleaned, with the channel each one came through.
import type { RawEvent } from "./models-kit.ts";
import { parseIso } from "./models-reference-shared.ts";

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
const MAIL_NAMES = ["mail.google", "mail.yahoo", "mail.yandex", "mail.proton"];
const MAIL_DOMAINS = [
  "com.google.android.gm",
  "outlook.live.com",
  "outlook.office.com",
  "outlook.office365.com",
  "mail.aol.com",
];
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
  const mailHost =
    host !== null &&
    (MAIL_NAMES.some((n) => hasLabels(host, n)) || MAIL_DOMAINS.some((d) => underDomain(host, d)));
  const searchHost = host !== null && !mailHost && SEARCH_NAMES.some((n) => hasLabels(host, n));
  const ownHost = host !== null && isOwnHost(host, e.site);
  if (e.utm_medium !== null && PAID.includes(e.utm_medium)) return "paid";
  if (
    e.utm_medium === "email" ||
    e.utm_source === "newsletter" ||
    e.utm_source === "email" ||
    (mailHost && e.utm_source === null && e.utm_medium === null)
  )
    return "email";
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
  browser: string | null;
  os: string | null;
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
      browser: (e.browser as string | undefined) ?? null,
      os: (e.os as string | undefined) ?? null,
      country: (e.country as string | undefined) ?? null,
    };
    return { ...stg, channel: channelOf(stg as Stg) };
  });
}
