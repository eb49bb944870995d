// What a report page is: its file, its title, the queries it declares (each named, so a failure
// names the page and the query) and the view that turns their rows into the template's context.
import { withMemoryHint } from "../runner/memory-limit.ts";
import type { Row } from "../runner/warehouse.ts";
import { figure, formatCount, formatShare, num } from "./format.ts";
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
  /** The column's name in the CSV file, where it says more (a unit): the label otherwise. */
  csvLabel?: string;
  numeric: boolean;
  /** Dates and times: kept on one line, where a narrow screen would break them at their hyphens. */
  time: boolean;
}

/** What a cell holds in the table's CSV file: a figure as a number, missing as an empty field. */
export type CsvValue = string | number | null;

export interface Table {
  caption: string;
  columns: TableColumn[];
  rows: {
    text: string;
    value: CsvValue;
    numeric: boolean;
    time: boolean;
    /** Text with a run of LONG_TOKEN characters or more without a break, which may break anywhere. */
    long: boolean;
    href: string | null;
  }[][];
  empty: string;
  /** The table's CSV download, set when the page is rendered (see csv.ts). */
  csv: { href: string; label: string } | null;
  /**
   * The CSV's own columns and rows, for a table whose cells pack several figures into one text (the
   * paths' "Came from"): a spreadsheet needs each figure in a field of its own.
   */
  csvRows?: { columns: string[]; rows: CsvValue[][] };
}

/**
 * A cell that links somewhere in the site (a path from the site's root, where the pages are, never
 * another host); its CSV field holds that path.
 */
export interface LinkCell {
  text: string;
  href: string;
}

/**
 * A cell whose CSV field differs from its text: a figure (format.ts), or a day the page annotates,
 * whose field is the plain ISO date a spreadsheet reads as one.
 */
export interface ValueCell {
  text: string;
  value: CsvValue;
}

/** The tables made by table(): the renderer finds them in a page's view to write their CSV files. */
const tables = new WeakSet<object>();

export function isTable(value: object): boolean {
  return tables.has(value);
}

/**
 * A cell's CSV value from its text, where the page gave none: "–" (no figure) is empty, and a number
 * column's count or decimal ("1,234", "−0.5") a number.
 */
function csvValue(text: string, numeric: boolean): CsvValue {
  if (text === "–") return null;
  const plain = text.replace(/,/g, "").replace(/^−/, "-");
  return numeric && /^-?\d+(\.\d+)?$/.test(plain) ? Number(plain) : text;
}

/**
 * A path or name this long without a space (a visitor can send a segment of hundreds of characters)
 * would widen its column past the screen and push every figure beside it out of view: such a cell
 * breaks it where it must. Shorter ones keep whole, and a narrow screen scrolls the table instead.
 */
const LONG_TOKEN = /\S{40}/;

/**
 * A table whose columns are text unless named with a trailing "#" (numbers, right-aligned) or "@"
 * (dates and times, never broken across lines). A column given as `{ label, csv }` has another name
 * in the CSV file, such as the unit of the figures the page writes out ("1m 05s" is 65 there).
 */
export function table(
  caption: string,
  columns: (string | { label: string; csv: string })[],
  rows: (string | LinkCell | ValueCell)[][],
  empty = "No data yet.",
): Table {
  const cols = columns.map((column): TableColumn => {
    const { label, csv } = typeof column === "string" ? { label: column, csv: undefined } : column;
    const numeric = label.endsWith("#");
    const time = label.endsWith("@");
    return { label: numeric || time ? label.slice(0, -1) : label, csvLabel: csv, numeric, time };
  });
  const made: Table = {
    caption,
    columns: cols,
    rows: rows.map((row) =>
      row.map((cell, i) => {
        const text = typeof cell === "string" ? cell : cell.text;
        const numeric = cols[i]?.numeric ?? false;
        const href = typeof cell === "object" && "href" in cell ? cell.href : null;
        const time = cols[i]?.time ?? false;
        return {
          text,
          // A link's text is for reading ("daily.parquet"); a spreadsheet needs where it leads.
          value: typeof cell === "object" && "value" in cell ? cell.value : (href ?? csvValue(text, numeric)),
          href,
          numeric,
          time,
          long: !numeric && !time && LONG_TOKEN.test(text),
        };
      }),
    ),
    empty,
    csv: null,
  };
  tables.add(made);
  return made;
}

/** An engaged-time column: the page writes "1m 05s", the CSV file the seconds. */
export const engagedTimeColumn = { label: "Engaged time#", csv: "Engaged time (s)" };

export interface ConversionTableOptions {
  /** The first cell of a row, from its `key` value. @default String */
  name?: (value: unknown) => string | ValueCell;
  /** What the table says without rows (table's default when unset). */
  empty?: string;
}

/**
 * Sessions, conversions and conversion rate per `key` (a source, a referring site). The rate is
 * taken from the counts: a mart's rate is rounded to one decimal, which reads 0.0 % beside a
 * conversion.
 */
export function conversionTable(
  caption: string,
  label: string,
  key: string,
  rows: Row[],
  { name = String, empty }: ConversionTableOptions = {},
): Table {
  return table(
    caption,
    [label, "Sessions#", "Conversions#", "Conversion rate#"],
    rows.map((r) => [
      name(r[key]),
      formatCount(r.sessions),
      formatCount(r.conversions),
      figure(formatShare, num(r.conversions) / num(r.sessions)),
    ]),
    empty,
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
      `page "${page}", query "${query}" failed: ${withMemoryHint(cause instanceof Error ? cause.message : String(cause))}`,
    );
  }
}
