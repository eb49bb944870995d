// SQL: a playground running DuckDB-WASM in the page over Parquet exports of the marts.
import { type Page, sqlString, table } from "../page.ts";
import { publishedMarts } from "../playground.ts";

export const exampleQueries = [
  {
    title: "Which traffic sources convert best? (the article's query, on the sources mart)",
    sql: "SELECT source, sessions, conversions, conversion_rate\nFROM sources\nORDER BY conversion_rate DESC, sessions DESC",
  },
  {
    title: "The last 14 days",
    // By date, not the 14 latest rows: daily has no row for a day without sessions.
    sql: 'SELECT "date", visitors, sessions, page_views, conversions, round(100 * bounce_rate, 1) AS bounce_pct\nFROM daily\nWHERE "date" > (SELECT max("date") FROM daily) - 14\nORDER BY "date" DESC',
  },
  {
    title: "Attribution models side by side, per channel",
    // The page's engine (DuckDB 0.9) takes only an aggregate in PIVOT's USING: rounding comes after.
    sql: "SELECT channel, round(first_touch, 2) AS first_touch, round(last_touch, 2) AS last_touch,\n       round(linear, 2) AS linear, round(position_based, 2) AS position_based\nFROM (PIVOT attribution ON model USING sum(conversions) GROUP BY channel)\nORDER BY channel",
  },
  {
    title: "Funnel drop-off",
    sql: "SELECT step, step_name, sessions, round(100 * (1 - conversion_from_previous), 1) AS drop_pct\nFROM funnel\nORDER BY step",
  },
  {
    title: "Pages people read to the end",
    sql: "SELECT page_path, views, round(100 * reach_100, 1) AS read_to_end_pct\nFROM pages\nWHERE views >= 10\nORDER BY reach_100 DESC\nLIMIT 10",
  },
  {
    title: "Where visitors go next from each page",
    sql: "SELECT from_page, to_page, transitions, round(100 * share, 1) AS share_pct\nFROM paths\nWHERE from_page <> '(entrance)'\nQUALIFY row_number() OVER (PARTITION BY from_page ORDER BY transitions DESC, to_page) = 1\nORDER BY transitions DESC, from_page\nLIMIT 20",
  },
];

export const sql: Page = {
  slug: "sql",
  title: "SQL playground",
  nav: "SQL",
  queries: () => ({
    columns: `
      SELECT table_name, list(column_name || ' ' || data_type ORDER BY ordinal_position) AS columns
      FROM information_schema.columns
      WHERE table_schema = 'main' AND table_name IN (${publishedMarts.map(sqlString).join(", ")})
      GROUP BY table_name`,
  }),
  view(rows) {
    const columns = new Map((rows.columns ?? []).map((r) => [String(r.table_name), r.columns]));
    const config = { tables: [...publishedMarts], examples: exampleQueries };
    return {
      examples: exampleQueries.map((e, index) => ({ index, title: e.title })),
      firstExample: exampleQueries[0]?.sql ?? "",
      // Escaped so no value can close the script element it sits in.
      config: JSON.stringify(config).replace(/</g, "\\u003c"),
      tables: table(
        "Tables you can query",
        ["Table", "Columns", "Download"],
        publishedMarts.map((t) => [
          t,
          Array.isArray(columns.get(t)) ? (columns.get(t) as string[]).join(", ") : "–",
          { text: `${t}.parquet`, href: `data/${t}.parquet` },
        ]),
      ),
    };
  },
};
