// Days and weeks in a reporting time zone stay exact incrementally: seeded random event sets built
// after each arrival hour give every table the same rows as one build of all of them, in a zone half
// an hour off UTC that changes to summer time inside the sets (St John's) and in one far from UTC
// (Auckland). A failure names its zone and seed.
import { describe, expect, it } from "vitest";
import { Random } from "../local/demo-random.ts";
import { ev, query, type RawEvent, stepwiseAndWhole } from "./models-kit.ts";
import { randomEventSet } from "./models-random-events.ts";

const HOUR = 3_600_000;

/** The set's events by the hour they arrive in, earliest first: what each hourly build finds new. */
function byArrivalHour(events: RawEvent[]): RawEvent[][] {
  const hours = new Map<number, RawEvent[]>();
  for (const e of events) {
    const hour = Math.floor(Date.parse(String(e.ingest_ts)) / HOUR);
    hours.set(hour, [...(hours.get(hour) ?? []), e]);
  }
  return [...hours.entries()].sort(([a], [b]) => a - b).map(([, batch]) => batch);
}

/** Every table of the warehouse, without the columns that say when a row was stored. */
async function tables(data: string): Promise<Record<string, unknown[]>> {
  const names = await query<{ name: string }>(
    data,
    "select table_name as name from duckdb_tables() where schema_name = 'main' order by 1",
  );
  const out: Record<string, unknown[]> = {};
  for (const { name } of names) {
    const columns = await query<{ name: string }>(
      data,
      `select column_name as name from duckdb_columns() where table_name = '${name}'
       and column_name not similar to '.*(loaded_at|changed_at)' order by column_index`,
    );
    const list = columns.map((c) => `"${c.name}"`).join(", ");
    // An incremental model merges by key and cannot delete one: a visitor whose only session a late
    // event gave to another visitor keeps a row with no sites, which one build never makes.
    const where = name === "int_referrer_visitors" ? "where len(referrers) > 0" : "";
    // Sums of shares may differ in the last bits with the order of addition.
    out[name] = (await query(data, `select ${list} from "${name}" ${where} order by all`)).map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, typeof v === "number" ? Math.round(v * 1e9) / 1e9 : v]),
      ),
    );
  }
  return out;
}

describe("incremental builds in a reporting time zone", () => {
  // Each set's days begin at the zone's midnight of Wednesday 4 March, so that its sessions late in
  // the evening cross local midnights; St John's moves to summer time on Sunday 8 March.
  const cases = [
    { zone: "America/St_Johns", midnight: "2026-03-04T03:30:00Z" },
    { zone: "Pacific/Auckland", midnight: "2026-03-03T11:00:00Z" },
  ].flatMap((c) => [7_001, 7_002].map((seed) => ({ ...c, seed })));

  it.each(cases)("$zone, seed $seed: hour by hour as in one build", async ({ zone, midnight, seed }) => {
    const { vars, base, extra } = randomEventSet(new Random(seed), Date.parse(midnight));
    const zoned = { ...vars, timezone: zone };
    const { stepwise, whole } = await stepwiseAndWhole([...byArrivalHour(base), extra], zoned);
    const [got, want] = [await tables(stepwise), await tables(whole)];
    expect(Object.keys(got)).toEqual(Object.keys(want));
    for (const name of Object.keys(want))
      expect(got[name], `${zone}, seed ${seed}: ${name}`).toEqual(want[name]);
    expect(await query(whole, "select distinct timezone from daily")).toEqual([{ timezone: zone }]);
  });

  // Two sessions of one local day and ISO week that fall on two UTC days and weeks, loaded by two
  // runs: the second run must recompute the whole local day and week, not the part after UTC midnight.
  const straddling = [
    // Monday 2 March 09:00 and 14:00 in Auckland (UTC+13): Sunday 20:00 and Monday 01:00 UTC.
    { zone: "Pacific/Auckland", first: "2026-03-01T20:00:00Z", second: "2026-03-02T01:00:00Z" },
    // Sunday 1 March 20:00 and 23:00 in St John's (UTC−3:30): Sunday 23:30 and Monday 02:30 UTC.
    { zone: "America/St_Johns", first: "2026-03-01T23:30:00Z", second: "2026-03-02T02:30:00Z" },
  ];

  it.each(straddling)("$zone: a local day across UTC midnight, loaded in two runs", async (c) => {
    const session = (id: string, start: string) => {
      const t = (minutes: number) => new Date(Date.parse(start) + minutes * 60_000).toISOString();
      return [
        ev({ session_id: id, visitor_id: `v-${id}`, event_ts: t(0), page_path: "/pricing", utm_source: id }),
        ev({ session_id: id, visitor_id: `v-${id}`, event_ts: t(1), event_type: "cta_click" }),
      ];
    };
    const { stepwise, whole } = await stepwiseAndWhole(
      [session("early", c.first), session("late", c.second)],
      { timezone: c.zone },
    );
    const [got, want] = [await tables(stepwise), await tables(whole)];
    for (const name of Object.keys(want)) expect(got[name], `${c.zone}: ${name}`).toEqual(want[name]);
    expect(await query(whole, "select sessions, conversions from daily")).toEqual([
      { sessions: 2, conversions: 2 },
    ]);
    expect(await query(whole, "select count(*) as cohorts, sum(visitors) as visitors from cohorts")).toEqual([
      { cohorts: 1, visitors: 2 },
    ]);
  });
});
