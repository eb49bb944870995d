// The static reports' face: renders DATA/site/ from the warehouse. Every page declares its
// queries; the first that fails stops the build, naming the page and the query, and leaves the
// previous site as it was (nothing is written until every page has rendered).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { defaultModelsFolder } from "../runner/default-models.ts";
import { heldByAnotherProcess } from "../runner/lock.ts";
import { refusedWriteOf } from "../runner/refused-write.ts";
import { takeTurnsPerFolder } from "../runner/turns.ts";
import { noWarehouseReason, openWarehouse, type Row, type Warehouse } from "../runner/warehouse.ts";
import { attachCsvFiles, type CsvFile, removeStaleCsv } from "./csv.ts";
import { zonedTime } from "./format.ts";
import { isTable, type Page, type PageInput, ReportQueryError } from "./page.ts";

export { ReportQueryError };

import { pages } from "./pages/all.ts";
import { type DataSpan, type Period, reportPeriod } from "./period.ts";
import { exportMarts, installEngine, type MartExports, publishedMarts } from "./playground.ts";
import { renderTemplate } from "./templates.ts";
import { removeLeftoverTemporaries, temporaryPath } from "./temporary-files.ts";
import { projectZone, warehouseZone, zonedMinute } from "./zone.ts";

export interface SiteOptions {
  data: string;
  days: number;
  /**
   * The model project, for the zone its builds use while the warehouse's days have no rows yet;
   * by default ./models where the command runs, else the package's own, as the commands take it.
   */
  models?: string;
}

/** The models the pages read: the marts they publish, and the eight they query beside them. */
const reportModels = [
  "stg_events",
  "sessions",
  "int_daily_sources",
  "int_daily_attribution",
  "int_daily_pages",
  "int_daily_paths",
  "int_goal_events",
  "int_daily_funnel",
  ...publishedMarts,
];

export interface RenderedSite {
  folder: string;
  files: { path: string; bytes: number }[];
}

/**
 * Renders the site and says how it went; the exit code. With `optional` (as in `build`), a warehouse
 * without the models the pages read (a project of other models) is skipped with a note instead.
 */
export async function renderSite(opts: SiteOptions & { optional?: boolean }): Promise<number> {
  const started = performance.now();
  try {
    const noWarehouse = noWarehouseReason(opts.data);
    if (noWarehouse) {
      console.error(`report: ${noWarehouse}`);
      return 1;
    }
    const missing = await missingModels(opts.data);
    if (missing.length > 0) {
      const what = `the warehouse has no ${missing.join(", ")}: the reports read the models of ownstats' own project`;
      if (opts.optional) console.log(`report: skipped, ${what}`);
      // Never built, or a build that failed or ran only some models: building them is the way on.
      else console.error(`report: ${what}; build them with \`ownstats build\``);
      return opts.optional ? 0 : 1;
    }
    const site = await buildSite(opts);
    const pagesWritten = site.files.filter((f) => f.path.endsWith(".html")).length;
    const bytes = site.files.reduce((sum, f) => sum + f.bytes, 0);
    console.log(
      `report: wrote ${pagesWritten} pages and ${site.files.length - pagesWritten} other files ` +
        `(${(bytes / 1024).toFixed(0)} KiB, engine files aside) to ${site.folder} in ${Math.round(performance.now() - started)} ms`,
    );
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // As `ownstats build` says it, DuckDB's words kept.
    const held = heldByAnotherProcess(message)
      ? "another process has the warehouse open (a running `ownstats dev` renders the reports itself: stop it, or wait for the other command). "
      : "";
    console.error(`report: ${held}${message}`);
    return 1;
  }
}

async function missingModels(data: string): Promise<string[]> {
  const warehouse = await openWarehouse(data);
  try {
    const rows = await warehouse.all<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'main'",
    );
    const present = new Set(rows.map((row) => row.name));
    return reportModels.filter((name) => !present.has(name));
  } finally {
    warehouse.close();
  }
}

/** A second render of one site folder (the dev server after a quick rebuild) waits its turn. */
const renderTurn = takeTurnsPerFolder();

/** Renders every page and writes the site; throws ReportQueryError naming a failing page and query. */
export function buildSite(opts: SiteOptions, now = new Date()): Promise<RenderedSite> {
  return renderTurn(opts.data, () => renderOnce(opts, now));
}

async function renderOnce(opts: SiteOptions, now: Date): Promise<RenderedSite> {
  const warehouse = await openWarehouse(opts.data);
  try {
    const input = await pageInput(warehouse, opts, now);
    const folder = join(opts.data, "site");
    // The warehouse open here keeps another process's render out (DuckDB locks the file) and this
    // process's renders take turns, so a temporary file in the site is a killed render's leftover:
    // it goes before anything is written, and is never published with the site.
    removeLeftoverTemporaries(folder);
    // Pages run on connections of their own, so one page's charts are drawn while another's
    // queries run; a failure is reported for the first failing page in navigation order.
    const cache: QueryCache = new Map();
    const outcomes = await Promise.allSettled([
      exportMarts(warehouse, folder),
      ...pages.map((page) => renderPageOnOwnConnection(opts.data, page, input, cache)),
    ]);
    const exports = outcomes[0]?.status === "fulfilled" ? (outcomes[0].value as MartExports) : null;
    const failed = outcomes.slice(1).find((o) => o.status === "rejected") ?? outcomes[0];
    if (failed?.status === "rejected") {
      exports?.discard();
      throw failed.reason;
    }
    if (!exports) throw new Error("the marts' Parquet exports did not finish");
    const pagesRendered = outcomes
      .slice(1)
      .map((o) => (o.status === "fulfilled" ? (o.value as RenderedPage) : null));
    const rendered = pagesRendered.map((page, i) => ({
      path: `${pages[i]?.slug}.html`,
      content: page?.html ?? "",
    }));
    const csvFiles = pagesRendered.flatMap((page) => page?.csv ?? []);
    // What the pages load goes first, and the overview last: the dev server shows the site from the
    // moment the overview is there, and the SQL page opened then would find no engine or data.
    try {
      await installEngine(folder);
    } catch (error) {
      exports.discard();
      throw error;
    }
    exports.publish();
    const overviewLast = [...rendered].sort(
      (a, b) => Number(a.path === "index.html") - Number(b.path === "index.html"),
    );
    // A page's CSV files are there before the page that links them.
    const files = [...assetFiles(), ...csvFiles, ...overviewLast].map(({ path, content }) => {
      writeAtomically(join(folder, path), content);
      return { path, bytes: typeof content === "string" ? Buffer.byteLength(content) : content.byteLength };
    });
    removeStaleCsv(folder, csvFiles);
    return { folder, files: [...files, ...exports.files] };
  } finally {
    warehouse.close();
  }
}

/** What every page is rendered from: the period, read from the data's span, and the warehouse's tables. */
export async function pageInput(
  warehouse: Warehouse,
  opts: SiteOptions,
  now = new Date(),
): Promise<PageInput> {
  const span = await dataSpan(warehouse);
  const zone = await timeZone(warehouse, () => projectZone(opts.data, opts.models ?? defaultModelsFolder()));
  return {
    period: reportPeriod(opts.days, span, now, zone),
    data: opts.data,
    builtAt: zonedMinute(zone, now.getTime()),
    latest: span.latest,
    tables: await tableNames(warehouse),
  };
}

async function dataSpan(warehouse: Warehouse): Promise<DataSpan> {
  try {
    const [row] = await warehouse.all(
      // Bots are in no report. A visitor's clock may run ahead (the collector takes event_ts up to a
      // day ahead), so an event counts no later than it arrived: one such clock must not move the
      // period into tomorrow. Nor, running behind (up to 72 hours), earlier than it arrived: it must
      // not make a site's first days look like a whole previous period to compare with.
      `SELECT min(greatest(event_ts, coalesce(ingest_ts, event_ts))) AS earliest,
              max(least(event_ts, coalesce(ingest_ts, event_ts))) AS latest
       FROM stg_events WHERE NOT is_bot`,
    );
    const time = (value: unknown) => (typeof value === "string" ? value : null);
    return { earliest: time(row?.earliest), latest: time(row?.latest) };
  } catch (error) {
    throw new ReportQueryError("every page", "first and latest event time", error);
  }
}

async function timeZone(warehouse: Warehouse, projectsZone: () => string): Promise<string> {
  try {
    return await warehouseZone(warehouse, projectsZone);
  } catch (error) {
    throw new ReportQueryError("every page", "time zone", error);
  }
}

async function tableNames(warehouse: Warehouse): Promise<string[]> {
  try {
    const rows = await warehouse.all("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'");
    return rows.map((row) => String(row.table_name));
  } catch (error) {
    throw new ReportQueryError("every page", "table names", error);
  }
}

/** Query results by SQL text: pages that declare the same query share one run of it. */
type QueryCache = Map<string, Promise<Row[]>>;

/** A page's HTML and the CSV files of its tables. */
interface RenderedPage {
  html: string;
  csv: CsvFile[];
}

async function renderPageOnOwnConnection(
  data: string,
  page: Page,
  input: PageInput,
  cache: QueryCache,
): Promise<RenderedPage> {
  const warehouse = await openWarehouse(data);
  try {
    return await renderPage(warehouse, page, input, cache);
  } finally {
    warehouse.close();
  }
}

async function renderPage(
  warehouse: Warehouse,
  page: Page,
  input: PageInput,
  cache: QueryCache,
): Promise<RenderedPage> {
  const results: Record<string, Row[]> = {};
  for (const [name, sql] of Object.entries(page.queries(input))) {
    try {
      let rows = cache.get(sql);
      if (!rows) {
        rows = warehouse.all(sql);
        cache.set(sql, rows);
      }
      results[name] = await rows;
    } catch (error) {
      throw new ReportQueryError(`${page.slug}.html`, name, error);
    }
  }
  const view = await page.view(results, input);
  const csv = attachCsvFiles(page.slug, view, isTable);
  const body = renderTemplate(page.slug, view);
  const { period } = input;
  const html = renderTemplate("layout", {
    title: page.title,
    body,
    nav: pages.map((p) => ({ href: `${p.slug}.html`, label: p.nav, current: p === page })),
    periodText: periodLine(period),
    freshness: input.latest ? `Data up to ${zonedTime(input.latest, period.zone)}` : "No data yet",
    builtAt: input.builtAt,
    zone: period.zone,
  });
  return { html, csv };
}

/** The line under each page's title: the period, and what it is compared with when there is data. */
function periodLine(period: Period): string {
  const span = `${period.start} to ${period.end} (${period.days} ${period.days === 1 ? "day" : "days"})`;
  // Without data the period ends at the build's day: there is no latest data to cut at, nothing to compare.
  if (period.dataStart === null) return `${span}; no data yet`;
  // A young site: the period's figures cover fewer days than it names, and nothing came before.
  if (period.dataStart >= period.start)
    return `${span}; data from ${period.dataStart} on, so no earlier period to compare with`;
  const partly = period.previousCovered ? "" : ` (data from ${period.dataStart} on)`;
  return `${span}, compared with ${period.previousStart} to ${period.previousEnd}${partly}; both up to ${period.cutTime} ${period.zone} on their last day`;
}

const assets = ["style.css", "favicon.svg", "sql.js", "playground.js", "values.js"];

function assetFiles() {
  return assets.map((name) => ({
    path: `assets/${name}`,
    content: new Uint8Array(readFileSync(join(import.meta.dirname, "assets", name))),
  }));
}

function writeAtomically(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = temporaryPath(path);
  try {
    writeFileSync(temporary, content);
  } catch (error) {
    throw refusedWriteOf(error, path);
  }
  renameSync(temporary, path);
}
