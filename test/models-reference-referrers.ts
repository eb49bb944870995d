// The referrers mart worked out from its definition (models/schema.yml), for the random-event test.
import { referringSite, type Session } from "./models-reference-sessions.ts";
import { countBy, mean, type Row } from "./models-reference-shared.ts";

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
