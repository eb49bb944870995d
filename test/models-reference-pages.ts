// The pages table worked out from its definition (models/schema.yml, design §5): views, scroll reach,
// engaged time and exits per path that had a page view.

import type { Session } from "./models-reference-sessions.ts";
import { countBy, maxOf, mean, type Row } from "./models-reference-shared.ts";

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
