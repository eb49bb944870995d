import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileProject, type ModelNode } from "./compile.ts";
import { definitionComment, taggedDefinitionComment } from "./definition.ts";
import type { RunResults } from "./run-results.ts";
import { event, run, type TempProject, tempProject, writeEvents } from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

// An incremental model of the views of each page, read from a view of the source.
const stgView = (path: string) =>
  `{{config materialized="view"}}\nselect event_id, ${path} as page_path, ingest_ts::TIMESTAMPTZ::TIMESTAMP as ingest_ts from {{source "events"}}`;
const pages = [
  '{{config materialized="incremental" unique_key="event_id" watermark="ingest_ts"}}',
  'select event_id, page_path, {{var "label"}} as label, ingest_ts from {{ref "stg"}}',
  "{{#if is_incremental}}where ingest_ts > (select max(ingest_ts) from {{self}}){{/if}}",
].join("\n");
const projectYml = (label: string) =>
  `name: demo\nvars:\n  label: ${label}\nsources:\n  events:\n    path: raw\n    format: ndjson\n    columns: { event_id: VARCHAR, ingest_ts: VARCHAR, page_path: VARCHAR }\n    partitions: { year: INTEGER, month: INTEGER, day: INTEGER, hour: INTEGER }\n    lookback_hours: 1\n`;

const at = (h: number) => new Date(Date.UTC(2026, 2, 1, h));
const iso = (h: number) => at(h).toISOString();

function project(): TempProject {
  const p = tempProject({ "stg.sql": stgView("page_path"), "pages.sql": pages }, projectYml("v1"));
  writeEvents(p.data, at(1), [event("a", iso(1), { page_path: "/Blog" })]);
  return p;
}

function pagesResult(p: TempProject) {
  const results = JSON.parse(readFileSync(join(p.data, "target/run_results.json"), "utf8")) as RunResults;
  return results.results.find((r) => r.unique_id === "model.demo.pages");
}

async function rows(p: TempProject) {
  const wh = await openWarehouse(p.data);
  try {
    return await wh.all("select event_id, page_path, label from pages order by event_id");
  } finally {
    wh.close();
  }
}

describe("an incremental model whose definition changed", () => {
  it("merges while nothing changed, and is rebuilt in full, old rows included, after its parent's SQL changed", async () => {
    const p = project();
    expect((await run("run", p)).code).toBe(0);
    writeEvents(p.data, at(2), [event("b", iso(2), { page_path: "/Docs" })]);
    expect((await run("run", p)).code).toBe(0);
    expect(pagesResult(p)?.adapter_response.mode).toBe("incremental");

    // The view now lower-cases paths. Merging only new rows would leave "/Blog" and "/Docs" as they were.
    writeFileSync(join(p.models, "stg.sql"), stgView("lower(page_path)"));
    writeEvents(p.data, at(3), [event("c", iso(3), { page_path: "/Pricing" })]);
    // Only the view is selected: the model that reads it finds out on its own next run.
    expect((await run("run", p, { select: ["stg"] })).code).toBe(0);
    const next = await run("run", p);
    expect(next.code, next.output).toBe(0);
    expect(next.output).toContain("pages was rebuilt in full: its definition changed since its last build");
    expect(pagesResult(p)?.adapter_response.mode).toBe("full");
    expect((await rows(p)).map((r) => r.page_path)).toEqual(["/blog", "/docs", "/pricing"]);

    // Built with the new definition, it merges again.
    writeEvents(p.data, at(4), [event("d", iso(4))]);
    expect((await run("run", p)).code).toBe(0);
    expect(pagesResult(p)?.adapter_response.mode).toBe("incremental");
  });

  it("is rebuilt when a var it uses takes another value, from --vars or from project.yml", async () => {
    const p = project();
    expect((await run("run", p)).code).toBe(0);
    writeEvents(p.data, at(2), [event("b", iso(2))]);
    expect((await run("run", p, { vars: { label: "v2" } })).code).toBe(0);
    expect(pagesResult(p)?.adapter_response.mode).toBe("full");
    expect((await rows(p)).map((r) => r.label)).toEqual(["v2", "v2"]);

    writeFileSync(join(p.models, "project.yml"), projectYml("v3"));
    expect((await run("run", p)).code).toBe(0);
    expect((await rows(p)).map((r) => r.label)).toEqual(["v3", "v3"]);
    expect((await run("run", p)).code).toBe(0);
    expect(pagesResult(p)?.adapter_response.mode).toBe("incremental");
  });

  it("merges, and keeps rows whose raw files are gone, after only its tags or meta changed", async () => {
    const p = project();
    expect((await run("run", p)).code).toBe(0);
    // The raw files of hour 1 expired (raw_retention_days): only the table still holds event a.
    rmSync(join(p.data, "raw"), { recursive: true });
    writeEvents(p.data, at(2), [event("b", iso(2), { page_path: "/Docs" })]);
    writeFileSync(
      join(p.models, "pages.sql"),
      pages.replace('watermark="ingest_ts"', 'watermark="ingest_ts" tags="marts" meta="{owner: web}"'),
    );
    writeFileSync(join(p.models, "stg.sql"), stgView("page_path").replace('"view"', '"view" tags="staging"'));
    const next = await run("run", p);
    expect(next.code, next.output).toBe(0);
    expect(next.output).not.toContain("rebuilt in full");
    expect(pagesResult(p)?.adapter_response.mode).toBe("incremental");
    expect((await rows(p)).map((r) => r.event_id)).toEqual(["a", "b"]);
  });

  it("merges into a table built when its tags counted as its definition, and records it without them", async () => {
    const p = project();
    writeFileSync(
      join(p.models, "pages.sql"),
      pages.replace('watermark="ingest_ts"', 'watermark="ingest_ts" tags="marts"'),
    );
    expect((await run("run", p)).code).toBe(0);
    const compiled = compileProject(p.models);
    const model = compiled.models.get("pages") as ModelNode;
    const wh = await openWarehouse(p.data);
    await wh.run(`COMMENT ON TABLE pages IS '${taggedDefinitionComment(model, compiled)}'`);
    wh.close();
    const next = await run("run", p);
    expect(next.output).not.toContain("rebuilt in full");
    expect(pagesResult(p)?.adapter_response.mode).toBe("incremental");
    const after = await openWarehouse(p.data);
    const [row] = await after.all<{ comment: string }>(
      "select comment from duckdb_tables() where table_name = 'pages'",
    );
    after.close();
    expect(row?.comment).toBe(definitionComment(model, compiled));
  });

  it("is rebuilt once when its table does not say what it was built with, as one from an older version", async () => {
    const p = project();
    expect((await run("run", p)).code).toBe(0);
    const wh = await openWarehouse(p.data);
    await wh.run("COMMENT ON TABLE pages IS NULL");
    wh.close();
    const next = await run("run", p);
    expect(next.output).toContain(
      "pages was rebuilt in full: its table does not record the definition its rows were built with",
    );
    expect((await run("run", p)).output).not.toContain("rebuilt in full");
  });
});
