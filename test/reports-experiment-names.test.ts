// An experiment or a variant sent with a blank name (the collector takes "" and "  ") is named by the
// models, as a goal is: the experiments mart (what the SQL playground exports) and the experiments page
// say "(unnamed)", where the page had an empty heading and an empty variant label.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { buildSite } from "../reports/index.ts";
import { at, buildWith, ev, query } from "./models-kit.ts";

it('names a blank experiment or variant "(unnamed)" in the experiments mart and on its page', async () => {
  const exposure = (session: string, experiment: string, variant: string, minutes: number) =>
    ev({
      session_id: session,
      visitor_id: session,
      event_type: "experiment_exposure",
      experiment,
      variant,
      event_ts: at(minutes),
    });
  const { data } = await buildWith([
    exposure("s1", "", "control", 0),
    exposure("s2", "  ", "b", 1),
    exposure("s3", "hero", "  ", 2),
    exposure("s4", "hero", "control", 3),
  ]);
  expect(await query(data, "select experiment, variant, sessions from experiments order by all")).toEqual([
    { experiment: "(unnamed)", variant: "b", sessions: 1 },
    { experiment: "(unnamed)", variant: "control", sessions: 1 },
    { experiment: "hero", variant: "(unnamed)", sessions: 1 },
    { experiment: "hero", variant: "control", sessions: 1 },
  ]);

  await buildSite({ data, days: 7 });
  const page = readFileSync(join(data, "site", "experiments.html"), "utf8");
  const headings = [...page.matchAll(/<h2 id="experiment-\d+">([^<]*)<\/h2>/g)].map((m) => m[1]);
  expect(headings).toEqual(["(unnamed)", "hero"]);
  expect(page).toContain("<caption>Variants of (unnamed) (all data)</caption>");
  const variants = [...page.matchAll(/<tr><td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
  expect(variants).toEqual(["control", "b", "control", "(unnamed)"]);
});
