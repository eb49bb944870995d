// The paths mart worked out from its definition (models/schema.yml), for the random-event test.
import type { Session } from "./models-reference-sessions.ts";
import type { Row } from "./models-reference-shared.ts";

/** The session's steps in order: its page views with repeats of the same path dropped, between the ends. */
function steps(s: Session): [string, string][] {
  const visits: string[] = [];
  for (const e of s.ordered)
    if (e.event_type === "page_view" && e.page_path !== null && visits.at(-1) !== e.page_path)
      visits.push(e.page_path);
  if (visits.length === 0) return [];
  const pages = ["(entrance)", ...visits, "(exit)"];
  return pages.slice(1).map((to, i) => [pages[i]!, to]);
}

export function paths(all: Session[]): Row[] {
  const perStep = new Map<
    string,
    { from_page: string; to_page: string; transitions: number; sessions: Set<string> }
  >();
  for (const s of all)
    for (const [from_page, to_page] of steps(s)) {
      const key = JSON.stringify([from_page, to_page]);
      const found = perStep.get(key) ?? { from_page, to_page, transitions: 0, sessions: new Set<string>() };
      found.transitions += 1;
      found.sessions.add(s.session_id);
      perStep.set(key, found);
    }
  const leaving = new Map<string, number>();
  for (const p of perStep.values()) leaving.set(p.from_page, (leaving.get(p.from_page) ?? 0) + p.transitions);
  return [...perStep.values()].map((p) => ({
    from_page: p.from_page,
    to_page: p.to_page,
    transitions: p.transitions,
    sessions: p.sessions.size,
    share: p.transitions / leaving.get(p.from_page)!,
  }));
}
