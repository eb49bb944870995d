// The sources and attribution tables worked out from their definitions (models/schema.yml, design §5):
// conversions per source, and credit for them shared among the sessions that led to them.

import type { Session } from "./models-reference-sessions.ts";
import { countBy, DAY, type Row, type Vars } from "./models-reference-shared.ts";

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
