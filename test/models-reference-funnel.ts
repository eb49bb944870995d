// The funnel table worked out from its definition (models/schema.yml, design §5): sessions reaching
// each step in order.

import type { Session } from "./models-reference-sessions.ts";
import type { Row } from "./models-reference-shared.ts";
import type { Stg } from "./models-reference-staging.ts";

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
