// Every table of the models against the same table worked out from the metric definitions, on seeded
// random event sets: built in one go, and built incrementally with one more hour of arrivals.
// A failure names its seed; `vitest run test/models-reference -t "seed 7003:"` repeats just that set.
import { describe, expect, it } from "vitest";
import { Random } from "../local/demo-random.ts";
import { openWarehouse } from "../runner/warehouse.ts";
import { build, type RawEvent, tempData, writeRaw } from "./models-kit.ts";
import { hourlySeries, randomEventSet } from "./models-random-events.ts";
import { attribution, sources } from "./models-reference-attribution.ts";
import { cohorts, daily } from "./models-reference-daily-cohorts.ts";
import { funnel } from "./models-reference-funnel.ts";
import { pages } from "./models-reference-pages.ts";
import { paths } from "./models-reference-paths.ts";
import { referrers } from "./models-reference-referrers.ts";
import { type Session, sessionRows, sessions } from "./models-reference-sessions.ts";
import { defaultVars, iso, type Row, type Vars } from "./models-reference-shared.ts";
import { type Stg, staging } from "./models-reference-staging.ts";
import { anomalies, experiments } from "./models-reference-stats.ts";

// More or other sets for a longer search: MODELS_REFERENCE_SEED=1 MODELS_REFERENCE_SETS=500.
const FIRST_SEED = Number(process.env.MODELS_REFERENCE_SEED ?? 7_001);
const SETS = Number(process.env.MODELS_REFERENCE_SETS ?? 20);

interface Table {
  sql: string;
  /** Columns that identify a row; rows are compared in this order unless the model's order is defined. */
  key: string[];
  ordered?: boolean;
  expected: (stg: Stg[], sessions: Session[], vars: Vars) => Row[];
}

const TABLES: Record<string, Table> = {
  stg_events: {
    sql: `select event_id::VARCHAR as event_id, event_type, session_id, visitor_id, event_ts, ingest_ts, site,
      page_path, referrer_host, utm_source, utm_medium, utm_campaign, channel, is_bot, scroll_pct, seconds,
      experiment, variant, device_type, browser, os, country from stg_events`,
    key: ["event_id"],
    expected: (stg) =>
      stg.map(({ ts, ingest, ...e }) => ({ ...e, event_ts: iso(ts), ingest_ts: iso(ingest) })),
  },
  sessions: {
    sql: "select * exclude (loaded_at) from sessions",
    key: ["session_id"],
    expected: (_, sessions) => sessionRows(sessions),
  },
  sources: {
    sql: "select * from sources",
    key: ["source"],
    ordered: true,
    expected: (_, s) => sources(s),
  },
  referrers: {
    sql: "select * from referrers",
    key: ["referrer"],
    ordered: true,
    expected: (_, s) => referrers(s),
  },
  attribution: {
    sql: "select * from attribution",
    key: ["model", "channel", "source", "campaign"],
    expected: (_, s, vars) => attribution(s, vars),
  },
  funnel: { sql: "select * from funnel", key: ["step"], ordered: true, expected: (_, s) => funnel(s) },
  cohorts: {
    sql: "select * exclude (loaded_at) from cohorts",
    key: ["cohort_week", "weeks_since"],
    expected: (_, s, vars) => cohorts(s, vars),
  },
  anomalies: {
    sql: "select * from anomalies",
    key: ["hour"],
    ordered: true,
    expected: (stg, _, vars) => anomalies(stg, vars),
  },
  experiments: {
    sql: "select * from experiments",
    key: ["experiment", "variant"],
    expected: (stg, _, vars) => experiments(stg, vars),
  },
  pages: { sql: "select * from pages", key: ["page_path"], expected: (_, s) => pages(s) },
  paths: { sql: "select * from paths", key: ["from_page", "to_page"], expected: (_, s) => paths(s) },
  daily: {
    sql: "select * exclude (loaded_at) from daily",
    key: ["date"],
    ordered: true,
    expected: (_, s, vars) => daily(s, vars),
  },
};

// The integration behind prob_best and the normal tail differ between the two sides by design.
const TOLERANCE: Record<string, number> = { prob_best: 1e-6, p_value: 1e-6, srm_p_value: 1e-6 };

const keyOf = (row: Row, key: string[]) => JSON.stringify(key.map((k) => row[k]));
const sortBy = (rows: Row[], key: string[]) =>
  [...rows].sort((a, b) => (keyOf(a, key) < keyOf(b, key) ? -1 : keyOf(a, key) > keyOf(b, key) ? 1 : 0));

function close(got: unknown, want: unknown, column: string): boolean {
  if (typeof got === "number" && typeof want === "number")
    return Math.abs(got - want) <= (TOLERANCE[column] ?? 1e-9) * Math.max(1, Math.abs(want));
  return got === want;
}

/** The first difference between two tables, described; undefined when they agree. */
function firstDifference(table: string, got: Row[], want: Row[]): string | undefined {
  const { key, ordered } = TABLES[table]!;
  const [g, w] = ordered ? [got, want] : [sortBy(got, key), sortBy(want, key)];
  for (let i = 0; i < Math.max(g.length, w.length); i++) {
    const [a, b] = [g[i], w[i]];
    const columns = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
    const column = a && b ? [...columns].find((c) => !close(a[c], b[c], c)) : "(row)";
    if (column !== undefined)
      return `${table} row ${i}, ${column}:\n  model:     ${JSON.stringify(a)}\n  reference: ${JSON.stringify(b)}`;
  }
  return undefined;
}

async function tablesOf(data: string): Promise<Record<string, Row[]>> {
  const wh = await openWarehouse(data);
  try {
    const out: Record<string, Row[]> = {};
    for (const [name, { sql }] of Object.entries(TABLES)) out[name] = (await wh.all(sql)) as Row[];
    return out;
  } finally {
    wh.close();
  }
}

function reference(raw: RawEvent[], vars: Vars): Record<string, Row[]> {
  const stg = staging(raw);
  const all = sessions(stg, vars);
  return Object.fromEntries(Object.entries(TABLES).map(([name, t]) => [name, t.expected(stg, all, vars)]));
}

function differences(got: Record<string, Row[]>, want: Record<string, Row[]>): string[] {
  return Object.keys(TABLES).flatMap((name) => firstDifference(name, got[name]!, want[name]!) ?? []);
}

async function built(data: string, vars: Vars, step: "build" | "run") {
  const result = await build(data, { vars: { ...vars }, step });
  expect(result.code, result.output).toBe(0);
}

describe("models against the metric definitions", () => {
  const seeds = Array.from({ length: SETS }, (_, i) => FIRST_SEED + i);

  it.each(seeds)("random event set, seed %i: full and incremental builds", async (seed) => {
    const { vars, base, extra } = randomEventSet(new Random(seed));
    const context = `seed ${seed}, vars ${JSON.stringify(vars)}`;

    const stepwise = tempData();
    await writeRaw(stepwise, base);
    await built(stepwise, vars, "run");
    expect(differences(await tablesOf(stepwise), reference(base, vars)), `${context}, first batch`).toEqual(
      [],
    );

    await writeRaw(stepwise, extra);
    await built(stepwise, vars, "run");
    const all = [...base, ...extra];
    const want = reference(all, vars);
    expect(differences(await tablesOf(stepwise), want), `${context}, after one more hour`).toEqual([]);

    const whole = tempData();
    await writeRaw(whole, all);
    await built(whole, vars, "build");
    expect(differences(await tablesOf(whole), want), `${context}, whole build`).toEqual([]);
  });

  it("scores twenty days of hourly counts as defined (seed 9001)", async () => {
    const events = hourlySeries(new Random(9_001));
    const data = tempData();
    await writeRaw(data, events);
    await built(data, defaultVars, "build");
    const got = await tablesOf(data);
    const want = reference(events, defaultVars);
    expect(differences(got, want)).toEqual([]);
    // The series reaches every branch of the score: none (its first 7 days), MAD, the mean absolute
    // deviation, the one-event floor (an hour that never varies), a flag.
    const z = want.anomalies!.map((row) => row.z);
    expect(z.filter((v) => v === null).length).toBe(7 * 24);
    expect(want.anomalies!.some((row) => row.is_anomaly)).toBe(true);
  });
});
