// The daily and cohorts tables worked out from their definitions (models/schema.yml, design §5):
// sessions by the local day and ISO week they started on, in the zone of the timezone variable.

import type { Session } from "./models-reference-sessions.ts";
import { countBy, DAY, iso, local, mean, type Row, type Vars } from "./models-reference-shared.ts";

const dayOf = (ms: number) => Math.floor(ms / DAY) * DAY;
// Day 0 (1970-01-01) was a Thursday, three days after a Monday.
const mondayOf = (ms: number) => dayOf(ms) - ((Math.floor(ms / DAY) + 3) % 7) * DAY;

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
