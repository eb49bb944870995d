// The referrers mart worked out from its definition (models/schema.yml), for the random-event test.
import type { Session } from "./models-reference-sessions.ts";
import { countBy, mean, type Row } from "./models-reference-shared.ts";
import { isOwnHost } from "./models-reference-staging.ts";

/** The site a session came from: its referrer host without "www.", or "(none)" (none, or its own site). */
export function referringSite(s: Session): string {
  const host = s.referrer_host;
  return host === null || isOwnHost(host, s.site) ? "(none)" : host.replace(/^www\./, "");
}

export function referrers(all: Session[]): Row[] {
  const rows = [...countBy(all, referringSite)].map(([referrer, list]) => {
    const conversions = list.filter((s) => s.converted_at !== null).length;
    return {
      referrer,
      visitors: new Set(list.map((s) => s.visitor_id ?? s.session_id)).size,
      sessions: list.length,
      conversions,
      conversion_rate: Math.round((1000 * conversions) / list.length) / 10,
      bounce_rate: list.filter((s) => s.is_bounce).length / list.length,
      avg_engaged_s: mean(list.map((s) => s.engaged_s)),
    };
  });
  return rows.sort(
    (a, b) => b.visitors - a.visitors || b.sessions - a.sessions || (a.referrer < b.referrer ? -1 : 1),
  );
}
