import { describe, expect, it } from "vitest";
import { compile } from "./inspect.ts";
import { event, eventsSource, run, tempProject, writeEvents } from "./testkit.ts";

const projectYml = (source: string) => `name: demo\nvars:\n  conversion_events: [cta_click]\n${source}`;
const models = { "ev.sql": 'select event_id, event_type from {{source "events"}}' };

describe("a source's column types", () => {
  it("are checked before a run reads the source: a misspelt one is a project error naming its key and line", async () => {
    const p = tempProject(
      models,
      projectYml(
        eventsSource
          .replace("event_type: VARCHAR", "event_type: VARCHR")
          .replace("hour: INTEGER", "hour: INTGER"),
      ),
    );
    writeEvents(p.data, new Date("2026-03-01T05:00:00Z"), [event("a", "2026-03-01T05:10:00Z")]);
    for (const step of ["run", "test", "build"] as const) {
      const { code, output } = await run(step, p);
      expect(code).toBe(2);
      expect(output).toContain("Encountered 2 project errors:");
      expect(output).toContain("Compilation Error in models/project.yml:9");
      expect(output).toMatch(
        /sources\.events\.columns\.event_type: "VARCHR" is not a DuckDB type \(did you mean "VARCHAR"\?\): .*VARCHR does not exist/,
      );
      expect(output).toContain("Compilation Error in models/project.yml:10");
      expect(output).toMatch(/sources\.events\.partitions\.hour: "INTGER" is not a DuckDB type/);
      expect(output).not.toContain("START");
    }
    // compile opens no database: the run is where DuckDB checks the types.
    expect(compile({ ...p, log: () => {} })).toBe(0);
  });

  it("take DuckDB's aliases, decimals and lists", async () => {
    const p = tempProject(
      models,
      projectYml(
        eventsSource
          .replace("event_type: VARCHAR", "event_type: STRING")
          .replace("scroll_pct: INTEGER", "scroll_pct: 'DECIMAL(5,2)'")
          .replace("props: JSON", "props: 'VARCHAR[]'")
          .replace("hour: INTEGER", "hour: INT4"),
      ),
    );
    writeEvents(p.data, new Date("2026-03-01T05:00:00Z"), [event("a", "2026-03-01T05:10:00Z")]);
    const { code, lines } = await run("build", p);
    expect(code).toBe(0);
    expect(lines.at(-1)).toBe("Done. PASS=1 WARN=0 ERROR=0 SKIP=0 TOTAL=1");
  });
});
