// What a report page is: its file, its title, the queries it declares (each named, so a failure
// names the page and the query) and the view that turns their rows into the template's context.
import type { Row } from "../runner/warehouse.ts";
import { formatCount, formatShare, num } from "./format.ts";
import type { Period } from "./period.ts";

export interface PageInput {
  period: Period;
  data: string;
  builtAt: string;
  /** The latest event time in the warehouse, for the freshness line. */
  latest: string | null;
  /** The warehouse's tables in main (views aside). */
  tables: string[];
}

export interface Page {
  slug: string;
  title: string;
  /** Short text for the navigation. */
  nav: string;
  queries(input: PageInput): Record<string, string>;
  view(
    rows: Record<string, Row[]>,
    input: PageInput,
  ): Promise<Record<string, unknown>> | Record<string, unknown>;
}

export interface TableColumn {
  label: string;
  numeric: boolean;
  /** Dates and times: kept on one line, where a narrow screen would break them at their hyphens. */
  time: boolean;
}

export interface Table {
  caption: string;
  columns: TableColumn[];
  rows: { text: string; numeric: boolean; time: boolean; href: string | null }[][];
  empty: string;
}

/** A cell that links somewhere in the site (a relative path, never another host). */
export interface LinkCell {
  text: string;
  href: string;
}

/**
 * A table whose columns are text unless named with a trailing "#" (numbers, right-aligned) or "@"
 * (dates and times, never broken across lines).
 */
export function table(
  caption: string,
  columns: string[],
  rows: (string | LinkCell)[][],
  empty = "No data yet.",
): Table {
  const cols = columns.map((c) => {
    const numeric = c.endsWith("#");
    const time = c.endsWith("@");
    return { label: numeric || time ? c.slice(0, -1) : c, numeric, time };
  });
  return {
    caption,
    columns: cols,
    rows: rows.map((row) =>
      row.map((cell, i) => ({
        text: typeof cell === "string" ? cell : cell.text,
        href: typeof cell === "string" ? null : cell.href,
        numeric: cols[i]?.numeric ?? false,
        time: cols[i]?.time ?? false,
      })),
    ),
    empty,
  };
}

/**
 * Sessions, conversions and conversion rate per `key` (a source, a referring site). The rate is
 * taken from the counts: a mart's rate is rounded to one decimal, which reads 0.0 % beside a conversion.
 */
export function conversionTable(caption: string, label: string, key: string, rows: Row[]): Table {
  return table(
    caption,
    [label, "Sessions#", "Conversions#", "Conversion rate#"],
    rows.map((r) => [
      String(r[key]),
      formatCount(r.sessions),
      formatCount(r.conversions),
      formatShare(num(r.conversions) / num(r.sessions)),
    ]),
  );
}

/**
 * A table's caption that says when it shows only the first rows of more: `rows` carry the count of
 * all rows before the LIMIT as `total` (count(*) OVER ()).
 */
export function shownOf(rows: Row[], whole: string, part: (shown: number, total: number) => string): string {
  const total = Number(rows[0]?.total ?? 0);
  return total > rows.length ? part(rows.length, total) : whole;
}

/** SQL string literal, for the few values (names from the manifest) that go into a query. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** SQL identifier, for a table named in the manifest. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A query of a page failed: the build stops and says which. */
export class ReportQueryError extends Error {
  constructor(
    readonly page: string,
    readonly query: string,
    cause: unknown,
  ) {
    super(
      `page "${page}", query "${query}" failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}
