// The SQL playground's data and engine. Only the marts go out, as Parquet: aggregates, never raw
// events or sessions, because the site may be published (GitHub Pages sites are public).
// The engine is DuckDB-WASM 1.28.0 from the npm package (later versions fetch the parquet
// extension from the internet), copied into the site so the page asks no other host for anything.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Warehouse } from "../runner/warehouse.ts";
import { ReportQueryError } from "./page.ts";
import { temporaryPath } from "./temporary-files.ts";

/** The tables the playground offers, in the order it lists them. */
export const publishedMarts = [
  "daily",
  "sources",
  "referrers",
  "attribution",
  "funnel",
  "cohorts",
  "experiments",
  "pages",
  "paths",
  "goals",
  "goal_props",
  "anomalies",
] as const;

export const engineFolder = "duckdb";

const engineFiles = [
  "duckdb-mvp.wasm",
  "duckdb-eh.wasm",
  "duckdb-browser-mvp.worker.js",
  "duckdb-browser-eh.worker.js",
];

function packageDist(): string {
  return dirname(fileURLToPath(import.meta.resolve("@duckdb/duckdb-wasm")));
}

export interface MartExports {
  files: { path: string; bytes: number }[];
  /** Moves the exports into place: called once every page has rendered. */
  publish(): void;
  /** Removes the exports: called when a page failed, so the previous site stays whole. */
  discard(): void;
}

/** Writes each mart as Parquet under a temporary name beside its place in SITE/data/. */
export async function exportMarts(warehouse: Warehouse, site: string): Promise<MartExports> {
  const folder = join(site, "data");
  mkdirSync(folder, { recursive: true });
  const pending: { temporary: string; target: string }[] = [];
  const discard = () => {
    for (const { temporary } of pending) rmSync(temporary, { force: true });
  };
  const files: { path: string; bytes: number }[] = [];
  for (const mart of publishedMarts) {
    const target = join(folder, `${mart}.parquet`);
    const temporary = temporaryPath(target);
    pending.push({ temporary, target });
    try {
      await warehouse.run(
        `COPY (SELECT * FROM ${mart}) TO '${temporary.replace(/'/g, "''")}' (FORMAT parquet)`,
      );
    } catch (error) {
      discard();
      throw new ReportQueryError("sql.html", `export ${mart}`, error);
    }
    files.push({ path: `data/${mart}.parquet`, bytes: statSync(temporary).size });
  }
  return {
    files,
    publish: () => {
      for (const { temporary, target } of pending) renameSync(temporary, target);
    },
    discard,
  };
}

/**
 * Copies the engine into SITE/duckdb/ once (files unchanged since the last build are kept) and
 * bundles the library's browser module with its Arrow dependency into one ES module.
 */
export async function installEngine(site: string): Promise<void> {
  const dist = packageDist();
  const folder = join(site, engineFolder);
  mkdirSync(folder, { recursive: true });
  for (const file of engineFiles) {
    const from = join(dist, file);
    const to = join(folder, file);
    if (existsSync(to) && statSync(to).size === statSync(from).size) continue;
    // Under a temporary name first: a browser loading the SQL page meanwhile (the dev server serves
    // the site while it is built) gets the whole old file or the whole new one, never part of one.
    const temporary = temporaryPath(to);
    copyFileSync(from, temporary);
    renameSync(temporary, to);
  }
  const version = JSON.parse(readFileSync(join(dist, "..", "package.json"), "utf8")).version as string;
  const stamp = join(folder, "VERSION");
  const bundle = join(folder, "duckdb-wasm.js");
  if (existsSync(bundle) && existsSync(stamp) && readFileSync(stamp, "utf8") === version) return;
  // Loaded only when the bundle is missing: most builds find it in place.
  const { build } = await import("esbuild");
  const temporary = temporaryPath(bundle);
  await build({
    entryPoints: [join(dist, "duckdb-browser.mjs")],
    bundle: true,
    format: "esm",
    platform: "browser",
    minify: true,
    legalComments: "none",
    outfile: temporary,
    logLevel: "silent",
  });
  renameSync(temporary, bundle);
  writeFileSync(stamp, version);
}

/** Bytes of the engine in a site folder, left out of the site-size budget. */
export function engineBytes(site: string): number {
  const folder = join(site, engineFolder);
  return [...engineFiles, "duckdb-wasm.js", "VERSION"]
    .map((file) => join(folder, file))
    .filter((path) => existsSync(path))
    .reduce((sum, path) => sum + statSync(path).size, 0);
}
