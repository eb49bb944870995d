import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { layers, readLineage } from "./artifacts.ts";

const folders: string[] = [];

function dataWith(files: Record<string, string>): string {
  const data = mkdtempSync(join(tmpdir(), "ownstats-artifacts-"));
  folders.push(data);
  mkdirSync(join(data, "target"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(data, "target", name), text);
  return data;
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const manifest = {
  metadata: { generated_at: "2026-11-26T08:00:00Z" },
  nodes: {
    "model.ownstats.stg_events": {
      resource_type: "model",
      name: "stg_events",
      description: "One row per event.",
      config: { materialized: "incremental" },
      depends_on: { nodes: ["source.ownstats.events.events"] },
      columns: { event_id: { name: "event_id", description: "The idempotency key." } },
    },
    "model.ownstats.sessions": {
      resource_type: "model",
      name: "sessions",
      config: { materialized: "table" },
      depends_on: { nodes: ["model.ownstats.stg_events"] },
      columns: {},
    },
    "test.ownstats.unique_stg_events_event_id": {
      resource_type: "test",
      name: "unique_stg_events_event_id",
      attached_node: "model.ownstats.stg_events",
      depends_on: { nodes: ["model.ownstats.stg_events"] },
    },
  },
  sources: { "source.ownstats.events.events": { source_name: "events", name: "events" } },
};

const runResults = {
  metadata: { generated_at: "2026-11-26T08:01:00Z" },
  results: [
    { unique_id: "model.ownstats.stg_events", status: "success", execution_time: 0.5, message: "OK" },
    { unique_id: "model.ownstats.sessions", status: "error", execution_time: 0.1, message: "Binder Error" },
    { unique_id: "test.ownstats.unique_stg_events_event_id", status: "pass", execution_time: 0.01 },
  ],
};

describe("reading the runner's artifacts", () => {
  it("gives each model its description, columns, tests, last run and depth", () => {
    const lineage = readLineage(
      dataWith({ "manifest.json": JSON.stringify(manifest), "run_results.json": JSON.stringify(runResults) }),
    );
    expect(lineage.problem).toBeNull();
    expect(lineage.sources.map((s) => s.name)).toEqual(["events"]);
    const [sessions, stg] = lineage.models;
    expect(stg).toMatchObject({
      name: "stg_events",
      description: "One row per event.",
      materialized: "incremental",
      status: "success",
      seconds: 0.5,
      columns: [{ name: "event_id", description: "The idempotency key.", type: "" }],
      tests: [{ name: "unique_stg_events_event_id", status: "pass" }],
    });
    expect(sessions).toMatchObject({ name: "sessions", status: "error", message: "Binder Error", tests: [] });
    const depth = layers(lineage);
    expect([
      depth.get("source.ownstats.events.events"),
      depth.get("model.ownstats.stg_events"),
      depth.get("model.ownstats.sessions"),
    ]).toEqual([0, 1, 2]);
  });

  it("marks models as not run without run results", () => {
    const lineage = readLineage(dataWith({ "manifest.json": JSON.stringify(manifest) }));
    expect(lineage.models.map((m) => m.status)).toEqual(["not run", "not run"]);
    expect(lineage.runAt).toBeNull();
  });

  it("says what is missing or unreadable instead of failing the build", () => {
    expect(readLineage(dataWith({})).problem).toMatch(/no target\/manifest.json yet/);
    expect(readLineage(dataWith({ "manifest.json": "{ not json" })).problem).toMatch(/unreadable artifact/);
    expect(readLineage(dataWith({ "manifest.json": '{"nodes": []}' })).models).toEqual([]);
  });

  it("names a source by its table, and by source and table where dbt's two differ", () => {
    const sources = {
      "source.ownstats.events.events": { source_name: "events", name: "events" },
      "source.shop.raw.orders": { source_name: "raw", name: "orders" },
    };
    const lineage = readLineage(dataWith({ "manifest.json": JSON.stringify({ nodes: {}, sources }) }));
    expect(lineage.sources.map((s) => s.name)).toEqual(["events", "raw.orders"]);
  });
});
