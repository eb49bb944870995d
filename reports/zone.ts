// The reporting time zone. The models count days and weeks in var timezone and record it beside
// them (daily.timezone, cohorts.timezone); the reports read it from there, not from the project,
// so a site rendered from a warehouse built with another zone cannot label its days wrongly. Only
// before those tables have rows do the reports take the zone the project builds with.
// Stored times are UTC: the reports convert what they show and the bounds they filter by.
import { loadProjectFiles } from "../runner/project.ts";
import { readRunResults } from "../runner/run-results.ts";
import { timeZoneProblem } from "../runner/vars.ts";
import type { Warehouse } from "../runner/warehouse.ts";

/** The tables whose dates are calendar days (weeks) of the zone they name. */
const zonedTables = ["daily", "cohorts"];

/**
 * The zone the project builds its days in: var timezone of the --vars its last run of every model
 * was given (`ownstats dev --vars`, a scheduled `build --vars`), else of its project.yml, else UTC.
 * A run of a selection (`--select daily --vars …`, `--selector`) says nothing of what the others are built with.
 */
export function projectZone(data: string, models: string): string {
  const zone =
    unlessUnreadable(() => {
      const args = readRunResults(data)?.args;
      const whole = args && !args.select?.length && !args.exclude?.length && args.selector === undefined;
      return whole ? args.vars?.timezone : undefined;
    }) ?? unlessUnreadable(() => loadProjectFiles(models).config.vars.timezone);
  // Neither says (the runner's own default is UTC), or the zone is none.
  return typeof zone === "string" && !timeZoneProblem(zone) ? zone : "UTC";
}

/** A file that cannot be read or parsed says nothing, rather than stopping the render. */
function unlessUnreadable(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * The zone the warehouse's days are in. A table built before the zone was recorded says nothing
 * (those were UTC); before daily and cohorts have rows, they are in the zone the project builds
 * with. Two zones at once (a selection rebuilt one table with another zone) is an error, as any
 * label would be wrong for some figures.
 */
export async function warehouseZone(warehouse: Warehouse, projectsZone: () => string): Promise<string> {
  const recording = await warehouse.all<{ table_name: string }>(
    `SELECT table_name FROM duckdb_columns()
     WHERE schema_name = 'main' AND column_name = 'timezone'
       AND table_name IN (${zonedTables.map((t) => `'${t}'`).join(", ")})
     ORDER BY table_name`,
  );
  const found = new Map<string, string[]>();
  for (const { table_name: table } of recording) {
    const rows = await warehouse.all<{ zone: string }>(`SELECT DISTINCT timezone AS zone FROM "${table}"`);
    for (const { zone } of rows) found.set(zone, [...(found.get(zone) ?? []), table]);
  }
  if (found.size > 1) throw new Error(twoZones(found, projectsZone()));
  // A warehouse of tables that predate the recorded zone has tables but no zone: those were UTC.
  const [zone = recording.length === zonedTables.length ? projectsZone() : "UTC"] = found.keys();
  const problem = timeZoneProblem(zone);
  if (problem) throw new Error(`the warehouse's time zone: ${problem}`);
  return zone;
}

/** Names each zone's tables, and the command for each zone, the project's first. */
function twoZones(found: Map<string, string[]>, projectsZone: string): string {
  const zones = [...found].map(([zone, tables]) => `${tables.join(" and ")} in ${zone}`).join(", ");
  const choices = [projectsZone, ...[...found.keys()].filter((zone) => zone !== projectsZone)];
  const commands = choices.map(
    (zone) => `ownstats build --vars '{timezone: ${zone}}'${zone === projectsZone ? " (the project's)" : ""}`,
  );
  return `the warehouse's days are in more than one time zone (${zones}): build every model with one timezone: ${commands.join(", or ")}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(zone: string, ms: number): Record<string, string> {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, format);
  }
  return Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

/**
 * The wall-clock time in `zone` of an instant (ISO-8601 with its offset, or epoch ms), as an ISO text
 * without offset: "2026-03-03T00:30:00.000". Date arithmetic on it (as if it were UTC) is calendar
 * arithmetic in the zone, whatever its clock changes.
 */
export function wallClock(zone: string, instant: string | number): string {
  const ms = typeof instant === "number" ? instant : Date.parse(instant);
  if (zone === "UTC") return new Date(ms).toISOString().slice(0, 23);
  const p = partsIn(zone, ms);
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, "0");
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${millis}`;
}

/**
 * "2026-11-25 14:00 Europe/Berlin": an instant's date, hour and minute in the zone, named. In the
 * hour that a clock change back repeats, each of the two is told by its offset ("01:00
 * America/Los_Angeles (UTC−7)" and "(UTC−8)"): two flagged hours would otherwise read the same.
 */
export function zonedMinute(zone: string, instant: string | number): string {
  const ms = typeof instant === "number" ? instant : Date.parse(instant);
  const wall = wallClock(zone, ms).slice(0, 16);
  const named = `${wall.slice(0, 10)} ${wall.slice(11, 16)} ${zone}`;
  // The same wall minute under the offset in force a few hours before or after, if it is another instant.
  const wallMs = Date.parse(`${wall}Z`);
  const repeated = [ms - 3 * hourMs, ms + 3 * hourMs].some((near) => {
    const other = wallMs - offsetMs(zone, near);
    return Math.abs(other - ms) >= 60_000 && wallClock(zone, other).slice(0, 16) === wall;
  });
  return repeated ? `${named} (${utcOffset(zone, ms)})` : named;
}

const hourMs = 3_600_000;

/** How far the zone's clock is ahead of UTC at an instant, in ms. */
function offsetMs(zone: string, ms: number): number {
  return Date.parse(`${wallClock(zone, ms)}Z`) - ms;
}

/** "UTC−7", "UTC+10:30": the zone's offset at an instant. */
function utcOffset(zone: string, ms: number): string {
  const minutes = Math.round(offsetMs(zone, ms) / 60_000);
  const sign = minutes < 0 ? "−" : "+";
  const abs = Math.abs(minutes);
  const rest = abs % 60 ? `:${String(abs % 60).padStart(2, "0")}` : "";
  return `UTC${sign}${Math.floor(abs / 60)}${rest}`;
}

/** SQL for a stored UTC TIMESTAMP column as wall-clock time in the zone; in UTC the column itself. */
export function localSql(column: string, zone: string): string {
  return zone === "UTC" ? column : `timezone('${zone}', timezone('UTC', ${column}))`;
}

/**
 * SQL: the column's wall-clock time in the zone is in [from, until), SQL TIMESTAMP literals of wall
 * time. The UTC bounds widened by 14 hours (the furthest any zone is from UTC) come first, so that
 * DuckDB still skips the row groups outside them.
 */
export function localRangeSql(column: string, from: string, until: string, zone: string): string {
  if (zone === "UTC") return `${column} >= ${from} AND ${column} < ${until}`;
  const local = localSql(column, zone);
  return `${column} >= ${from} - INTERVAL 14 HOUR AND ${column} < ${until} + INTERVAL 14 HOUR AND ${local} >= ${from} AND ${local} < ${until}`;
}
