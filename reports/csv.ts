// Every table of a report page downloads as CSV: a file beside the site per table, written with the
// page, holding the table's rows with figures as numbers (shares as 0–1) rather than as display text.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { csvTextField } from "./assets/values.js";
import type { CsvValue, Table } from "./page.ts";

export interface CsvFile {
  path: string;
  content: string;
}

/**
 * A field of a CSV file (RFC 4180): text kept from running as a spreadsheet formula, as the SQL
 * playground's downloads keep it (one function for both). Numbers are written as they are: a
 * negative number is no formula.
 */
export function csvField(value: CsvValue): string {
  if (value === null) return "";
  // Six decimals keep a share's hundredth of a percent and a second's microsecond, not float noise.
  if (typeof value === "number") return Number.isFinite(value) ? String(Math.round(value * 1e6) / 1e6) : "";
  return csvTextField(value);
}

/**
 * A table as CSV: a header row and its rows, lines ended by CRLF (RFC 4180), with a byte order mark
 * so that a spreadsheet opened by double-click reads the UTF-8 of page titles and paths right.
 */
export function tableCsv(table: Table): string {
  const lines = table.csvRows
    ? [table.csvRows.columns, ...table.csvRows.rows]
    : [table.columns.map((c) => c.csvLabel ?? c.label), ...table.rows.map((row) => row.map((c) => c.value))];
  return `\ufeff${lines.map((line) => `${line.map(csvField).join(",")}\r\n`).join("")}`;
}

/** A view's key as part of a file name: "pageMilestonesTable" → "page-milestones". */
function keyName(key: string): string {
  return key.replace(/Table$|^table$/, "").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * An item of a list in a view (an experiment, a model) as part of a file name: its name where it has
 * one (names may come from visitors: only letters, digits and hyphens are kept), else its place.
 */
function itemName(item: unknown, index: number): string {
  const name = (item as { name?: unknown }).name;
  const kept =
    typeof name === "string"
      ? name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .slice(0, 60)
      : "";
  return kept.replace(/^-|-$/g, "") || String(index + 1);
}

/**
 * Finds every table in a page's view, wherever the view holds it, links it to its CSV file and returns
 * the files: a new page or table gets its download without saying so.
 */
export function attachCsvFiles(slug: string, view: unknown, isTable: (value: object) => boolean): CsvFile[] {
  const files: CsvFile[] = [];
  const taken = new Set<string>();
  const visit = (value: unknown, path: string[]) => {
    if (value === null || typeof value !== "object") return;
    if (isTable(value)) {
      const table = value as Table;
      const stem = [slug, ...path].filter((part) => part !== "").join("-");
      let file = `csv/${stem}.csv`;
      // Two experiments whose names differ only in punctuation would share a file.
      for (let n = 2; taken.has(file); n++) file = `csv/${stem}-${n}.csv`;
      taken.add(file);
      table.csv = { href: file, label: `Download '${table.caption}' as CSV` };
      files.push({ path: file, content: tableCsv(table) });
      return;
    }
    // "models-stg-events-columns", not "models-models-…": a list named as its page says nothing more.
    const list = path.at(-1) === slug ? path.slice(0, -1) : path;
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...list, itemName(item, i)]));
    else for (const [key, item] of Object.entries(value)) visit(item, [...path, keyName(key)]);
  };
  visit(view, []);
  return files;
}

/** A table gone since the last render (an experiment ended, a page removed) takes its CSV file along. */
export function removeStaleCsv(folder: string, written: CsvFile[]): void {
  const current = new Set(written.map((file) => file.path));
  let names: string[];
  try {
    names = readdirSync(join(folder, "csv"));
  } catch {
    return;
  }
  for (const name of names) {
    if (!current.has(`csv/${name}`)) rmSync(join(folder, "csv", name), { force: true });
  }
}
