// Models: the lineage graph and, per model, its description, columns, tests and last run, read
// from the runner's artifacts: the analysts' documentation.
import { layers, type ModelDoc, readLineage } from "../artifacts.ts";
import { figure, formatCount, formatDecimal, num, zonedTime } from "../format.ts";
import { lineageChart } from "../lineage-chart.ts";
import { type Page, sqlIdentifier, sqlString, table } from "../page.ts";

/**
 * A model's section id, "model-daily": letters, digits, "_" and "-" as they are, any other character
 * as its code point between dots ("visits.by.day" is model-visits.2e.by.2e.day), so that names that
 * differ only there ("visits-by-day") keep ids of their own.
 */
function modelAnchor(name: string): string {
  const kept = [...name].map((c) => (/[A-Za-z0-9_-]/.test(c) ? c : `.${c.codePointAt(0)?.toString(16)}.`));
  return `model-${kept.join("")}`;
}

export const models: Page = {
  slug: "models",
  title: "Models",
  nav: "Models",
  // Counted, not DuckDB's estimated_size: that one keeps the rows an incremental run deleted
  // (the days it replaced, the sessions it merged), so it grows with every build.
  // Every table is counted (the models' and the runner's own few); the view picks the models'.
  queries: ({ tables }) => ({
    row_counts: tables.length
      ? tables
          .map(
            (name) =>
              `SELECT ${sqlString(name)} AS table_name, count(*) AS row_count FROM ${sqlIdentifier(name)}`,
          )
          .join("\nUNION ALL ")
      : "SELECT NULL AS table_name, 0 AS row_count WHERE false",
    // Each column's type as the warehouse holds it, as dbt docs shows it from its catalog; a type
    // written in schema.yml (data_type) comes first.
    column_types: `SELECT table_name, column_name, data_type FROM duckdb_columns()
      WHERE database_name = current_database() AND schema_name = 'main'
      ORDER BY table_name, column_index`,
  }),
  view(rows, { data, period }) {
    const lineage = readLineage(data);
    const rowCount = new Map((rows.row_counts ?? []).map((r) => [String(r.table_name), r.row_count ?? null]));
    const storedType = new Map(
      (rows.column_types ?? []).map((r) => [`${r.table_name}.${r.column_name}`, String(r.data_type)]),
    );
    // As dbt docs lists its catalog's columns too: a column schema.yml does not describe is still
    // one an analyst can query (one a project of the analyst's own adds without a description, say).
    const undocumented = (m: ModelDoc) => {
      const described = new Set(m.columns.map((c) => c.name));
      return (rows.column_types ?? [])
        .filter((r) => String(r.table_name) === m.name && !described.has(String(r.column_name)))
        .map((r) => [String(r.column_name), String(r.data_type), "Not described in schema.yml."]);
    };
    const depth = layers(lineage);
    const nameOf = new Map<string, string>([
      ...lineage.sources.map((s) => [s.id, `source: ${s.name}`] as [string, string]),
      ...lineage.models.map((m) => [m.id, m.name] as [string, string]),
    ]);
    const nodes = [
      ...lineage.sources.map((s) => ({ name: nameOf.get(s.id) ?? s.id, layer: 0 })),
      ...lineage.models.map((m) => ({
        name: m.name,
        layer: depth.get(m.id) ?? 0,
        status: m.status === "not run" ? undefined : m.status,
      })),
    ];
    const reads = (m: ModelDoc) => m.dependsOn.map((d) => nameOf.get(d) ?? d).join(", ") || "nothing";
    // From sources to marts, as the graph reads left to right.
    const inGraphOrder = [...lineage.models].sort(
      (a, b) => (depth.get(a.id) ?? 0) - (depth.get(b.id) ?? 0) || a.name.localeCompare(b.name),
    );
    const edges = lineage.models.flatMap((m) =>
      m.dependsOn.filter((d) => nameOf.has(d)).map((d) => [nameOf.get(d) ?? d, m.name] as [string, string]),
    );
    return {
      problem: lineage.problem,
      generatedAt: lineage.generatedAt ? zonedTime(lineage.generatedAt, period.zone) : "unknown",
      runAt: lineage.runAt ? zonedTime(lineage.runAt, period.zone) : "never",
      graph: lineage.models.length
        ? lineageChart("Model lineage: sources on the left, each model right of what it reads", nodes, edges)
        : { title: "Model lineage", svg: "" },
      // The graph for a reader who cannot see it: its aria-label names it, no more.
      graphTable: lineage.models.length
        ? table(
            "Each model, what it reads and its last run, from sources to marts",
            ["Model", "Reads", "Last run"],
            inGraphOrder.map((m) => [m.name, reads(m), m.status]),
          )
        : null,
      summary: table(
        "Models and their last run",
        ["Model", "Materialized", "Status", "Seconds#", "Rows#"],
        lineage.models.map((m) => [
          m.name,
          m.materialized || "–",
          m.status,
          m.seconds === null ? "–" : figure(formatDecimal, m.seconds),
          rowCount.has(m.name) ? formatCount(num(rowCount.get(m.name) ?? null)) : "–",
        ]),
        "No models in the manifest.",
      ),
      models: lineage.models.map((m) => ({
        anchor: modelAnchor(m.name),
        name: m.name,
        description: m.description || "No description.",
        dependsOn: reads(m),
        status: m.status,
        message: m.message,
        columns: table(
          `Columns of ${m.name}`,
          ["Column", "Type", "Meaning"],
          [
            ...m.columns.map((c) => [
              c.name,
              c.type || storedType.get(`${m.name}.${c.name}`) || "–",
              c.description || "–",
            ]),
            ...undocumented(m),
          ],
          "No documented columns, and no table in the warehouse yet.",
        ),
        tests: m.tests.map((t) => `${t.name}: ${t.status}`).join(" · ") || "none",
      })),
    };
  },
};
