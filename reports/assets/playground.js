// The SQL playground: DuckDB-WASM from this site's duckdb/ folder, the marts' Parquet files
// from data/, results drawn as a table with textContent only (query output is never HTML).
import * as duckdb from "../duckdb/duckdb-wasm.js";

const status = document.getElementById("sql-status");
const form = document.getElementById("sql-form");
const text = document.getElementById("sql-text");
const example = document.getElementById("sql-example");
const run = document.getElementById("sql-run");
const result = document.getElementById("sql-result");
const config = JSON.parse(document.getElementById("sql-config").textContent);
const maxRows = 500;

async function start() {
  const engine = new URL("../duckdb/", import.meta.url).href;
  const bundle = await duckdb.selectBundle({
    mvp: { mainModule: `${engine}duckdb-mvp.wasm`, mainWorker: `${engine}duckdb-browser-mvp.worker.js` },
    eh: { mainModule: `${engine}duckdb-eh.wasm`, mainWorker: `${engine}duckdb-browser-eh.worker.js` },
  });
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(bundle.mainWorker));
  await db.instantiate(bundle.mainModule);
  const connection = await db.connect();
  // The page asks no other host for anything: a query needing an extension fails with a clear
  // message instead of fetching it from the extension repository.
  await connection.query("SET autoinstall_known_extensions = false");
  for (const table of config.tables) {
    const response = await fetch(new URL(`../data/${table}.parquet`, import.meta.url));
    if (!response.ok) throw new Error(`data/${table}.parquet: HTTP ${response.status}`);
    await db.registerFileBuffer(`${table}.parquet`, new Uint8Array(await response.arrayBuffer()));
    await connection.query(`CREATE VIEW "${table}" AS SELECT * FROM read_parquet('${table}.parquet')`);
  }
  return connection;
}

function cell(value) {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object")
    return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
  return String(value);
}

function show(table) {
  const names = table.schema.fields.map((field) => field.name);
  const rows = table.toArray().slice(0, maxRows);
  const element = document.createElement("table");
  const caption = element.createCaption();
  caption.textContent = `${table.numRows} row${table.numRows === 1 ? "" : "s"}${table.numRows > maxRows ? `, first ${maxRows} shown` : ""}`;
  const head = element.createTHead().insertRow();
  for (const name of names) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    head.appendChild(th);
  }
  const body = element.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    const values = row.toJSON();
    for (const name of names) tr.insertCell().textContent = cell(values[name]);
  }
  result.replaceChildren(element);
}

example.addEventListener("change", () => {
  text.value = config.examples[Number(example.value)].sql;
});

try {
  const connection = await start();
  status.textContent = `Ready: ${config.tables.join(", ")}.`;
  run.disabled = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    run.disabled = true;
    status.textContent = "Running…";
    try {
      const started = performance.now();
      show(await connection.query(text.value));
      status.textContent = `Done in ${Math.round(performance.now() - started)} ms.`;
    } catch (error) {
      status.textContent = `Query failed: ${error.message}`;
      result.replaceChildren();
    } finally {
      run.disabled = false;
    }
  });
} catch (error) {
  status.textContent = `The playground could not start: ${error.message}`;
}
