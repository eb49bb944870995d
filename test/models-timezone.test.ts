// The models never depend on the machine's time zone: built by `ownstats run` under
// TZ=America/Los_Angeles, and run in a DuckDB session set to that zone (where DuckDB's own
// TIMESTAMPTZ → TIMESTAMP cast shifts to local time), days, weeks and hours are still UTC.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { ev, modelsDir, query, tempData, writeRaw } from "./models-kit.ts";

const cli = resolve(fileURLToPath(new URL("../bin/ownstats.js", import.meta.url)));
const pacific = { ...process.env, TZ: "America/Los_Angeles" };

function ownstats(args: string[]): string {
  // The child's whole process, DuckDB included, starts in the Pacific zone.
  const child = spawnSync(process.execPath, [cli, ...args], {
    env: pacific,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (child.status !== 0) throw new Error(`ownstats ${args[0]} failed:\n${child.stdout}\n${child.stderr}`);
  return child.stdout;
}

let data: string;
beforeAll(async () => {
  data = tempData();
  await writeRaw(data, [
    // Sunday 1 March 23:30 in Los Angeles is Monday 2 March 07:30 UTC: a new day and a new ISO week.
    ev({
      session_id: "s1",
      visitor_id: "v1",
      event_ts: "2026-03-01T23:30:00-08:00",
      ingest_ts: "2026-03-02T07:30:05Z",
    }),
    ev({ session_id: "s1", visitor_id: "v1", event_ts: "2026-03-02T07:45:00Z", event_type: "cta_click" }),
    ev({ session_id: "s2", visitor_id: "v1", event_ts: "2026-03-09T01:15:00+01:00" }),
  ]);
  ownstats(["run", "--data", data, "--models", modelsDir]);
});

describe("models under another time zone", () => {
  it("parse offsets the same in a session set to another zone, where DuckDB's own cast shifts", async () => {
    // The warehouse connection pins UTC; an analyst's DuckDB may not. Run the compiled staging SQL
    // in a session set to Los Angeles.
    const sql = readFileSync(join(data, "target", "compiled", "models", "staging", "stg_events.sql"), "utf8");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      await connection.run("SET TimeZone = 'America/Los_Angeles'");
      const naive = await connection.runAndReadAll(
        "select strftime('2026-03-02T07:30:00Z'::TIMESTAMPTZ::TIMESTAMP, '%Y-%m-%d %H:%M') as t",
      );
      expect(naive.getRowObjectsJson()).toEqual([{ t: "2026-03-01 23:30" }]);
      const staged = await connection.runAndReadAll(
        `select strftime(event_ts, '%Y-%m-%d %H:%M') as t from (${sql}) order by 1`,
      );
      expect(staged.getRowObjectsJson()).toEqual([
        { t: "2026-03-02 07:30" },
        { t: "2026-03-02 07:45" },
        { t: "2026-03-09 00:15" },
      ]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("keeps event times, days, weeks and hours in UTC", async () => {
    expect(await query(data, "select event_ts from stg_events order by event_ts")).toEqual([
      { event_ts: "2026-03-02T07:30:00.000Z" },
      { event_ts: "2026-03-02T07:45:00.000Z" },
      { event_ts: "2026-03-09T00:15:00.000Z" },
    ]);
    expect(await query(data, "select date, sessions, conversions from daily order by date")).toEqual([
      { date: "2026-03-02T00:00:00.000Z", sessions: 1, conversions: 1 },
      { date: "2026-03-09T00:00:00.000Z", sessions: 1, conversions: 0 },
    ]);
    expect(
      await query(data, "select cohort_week, weeks_since, retention from cohorts order by 1, 2"),
    ).toEqual([
      { cohort_week: "2026-03-02T00:00:00.000Z", weeks_since: 0, retention: 1 },
      { cohort_week: "2026-03-02T00:00:00.000Z", weeks_since: 1, retention: 1 },
    ]);
    const [first] = await query(data, "select hour, events from anomalies order by hour limit 1");
    expect(first).toEqual({ hour: "2026-03-02T07:00:00.000Z", events: 2 });
    expect(
      await query(data, "select started_at, converted_at from sessions where session_id = 's1'"),
    ).toEqual([{ started_at: "2026-03-02T07:30:00.000Z", converted_at: "2026-03-02T07:45:00.000Z" }]);
  });
});
