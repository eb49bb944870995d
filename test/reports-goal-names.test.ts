// A goal's name has one definition (the models' goal_name macro): the goals mart and the goals page,
// which counts the period's events itself, show the names a project's models give, even changed ones.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { buildSite } from "../reports/index.ts";
import { runProject } from "../runner/index.ts";
import { at, ev, modelsDir, query, tempData, writeRaw } from "./models-kit.ts";
import { tempFolder } from "./temp-folders.ts";

/** The cells of the table whose caption starts with `caption`. */
function tableRows(page: string, caption: string): string[][] {
  const table = page.split("<caption>").find((t) => t.startsWith(caption)) ?? "";
  return [...table.split("</table>")[0]!.matchAll(/<tr>(<td[\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((cell) => cell[1] ?? ""),
  );
}

it("shows on the goals page the names the models give goals, as the goals mart has them", async () => {
  // A project that calls a goal sent without an identifier "(no id)" rather than "(unnamed)".
  const models = tempFolder("ownstats-models-copy-");
  cpSync(modelsDir, models, { recursive: true });
  const macro = join(models, "macros", "goal_name.sql");
  writeFileSync(macro, readFileSync(macro, "utf8").replace("'(unnamed)'", "'(no id)'"));

  const data = tempData();
  await writeRaw(data, [
    ev({ session_id: "s1", event_ts: at(0) }),
    ev({ session_id: "s1", event_type: "cta_click", event_ts: at(1) }),
    ev({ session_id: "s1", event_type: "form_start", event_ts: at(2) }),
    ev({ session_id: "s2", event_ts: at(10) }),
    ev({ session_id: "s2", event_type: "cta_click", element: "book_call", event_ts: at(11) }),
  ]);
  const lines: string[] = [];
  const code = await runProject("run", { data, models, fullRefresh: false, log: (l) => lines.push(l) });
  expect(code, lines.join("\n")).toBe(0);
  expect(await query(data, "select event_type, name from goals order by all")).toEqual([
    { event_type: "cta_click", name: "(no id)" },
    { event_type: "cta_click", name: "book_call" },
    { event_type: "form_start", name: "(no id)" },
  ]);

  await buildSite({ data, days: 7, models });
  const page = readFileSync(join(data, "site", "goals.html"), "utf8");
  expect(tableRows(page, "CTA clicks")).toEqual([
    ["(no id)", "1", "1", "1", "50.0 %"],
    ["book_call", "1", "1", "1", "50.0 %"],
  ]);
  expect(tableRows(page, "Forms")).toEqual([["(no id)", "1", "0", "0.0 %"]]);
  expect(tableRows(page, "Where each CTA is clicked").map((r) => r[0])).toEqual(["(no id)", "book_call"]);
});

it("names a custom event sent with a blank name the same in the property values as among the custom events", async () => {
  const data = tempData();
  await writeRaw(data, [
    ev({ session_id: "s1", event_ts: at(0) }),
    ev({ session_id: "s1", event_type: "custom", name: "", props: { plan: "pro" }, event_ts: at(1) }),
    ev({ session_id: "s1", event_type: "custom", name: "  ", props: { plan: "free" }, event_ts: at(2) }),
  ]);
  const lines: string[] = [];
  const code = await runProject("run", {
    data,
    models: modelsDir,
    fullRefresh: false,
    log: (l) => lines.push(l),
  });
  expect(code, lines.join("\n")).toBe(0);

  await buildSite({ data, days: 7, models: modelsDir });
  const page = readFileSync(join(data, "site", "goals.html"), "utf8");
  expect(tableRows(page, "Custom events by name")).toEqual([["(unnamed)", "2", "1", "1", "100.0 %"]]);
  expect(tableRows(page, "Custom events&#x27; top")).toEqual([
    ["(unnamed)", "plan", "free", "1", "1"],
    ["(unnamed)", "plan", "pro", "1", "1"],
  ]);
});
