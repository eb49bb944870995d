// The SQL playground: DuckDB-WASM from this site's duckdb/ folder, the marts' Parquet files
// from data/, results drawn as a table with textContent only (query output is never HTML).
import * as duckdb from "../duckdb/duckdb-wasm.js";
import { cell, csvField, csvText } from "./values.js";

const status = document.getElementById("sql-status");
const form = document.getElementById("sql-form");
const text = document.getElementById("sql-text");
const example = document.getElementById("sql-example");
const run = document.getElementById("sql-run");
const stop = document.getElementById("sql-stop");
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
  return { db, connection };
}

let download;

/**
 * A link to the whole result as CSV: every row, not only those shown. The file is made when the link
 * is first clicked, so a large result that nobody downloads costs nothing more.
 */
function csvLink(fields, columns, rowCount) {
  const link = document.createElement("a");
  link.id = "sql-download";
  link.href = "#";
  link.download = "ownstats-query.csv";
  link.textContent = `Download CSV (${rowCount} row${rowCount === 1 ? "" : "s"})`;
  link.addEventListener(
    "click",
    () => {
      const lines = [fields.map((field) => csvText(field.name)).join(",")];
      for (let row = 0; row < rowCount; row++)
        lines.push(fields.map((field, i) => csvField(columns[i], row, field.type)).join(","));
      if (download) URL.revokeObjectURL(download);
      // A byte order mark, as the report pages' CSV files have: a spreadsheet opened by double-click
      // would read UTF-8 (an accented path or campaign) as another encoding without it.
      download = URL.createObjectURL(new Blob([`\ufeff${lines.join("\r\n")}\r\n`], { type: "text/csv" }));
      link.href = download;
    },
    { once: true },
  );
  const paragraph = document.createElement("p");
  paragraph.append(link);
  return paragraph;
}

function rowsText(rowCount) {
  return `${rowCount} row${rowCount === 1 ? "" : "s"}${rowCount > maxRows ? `, first ${maxRows} shown` : ""}`;
}

function show(table) {
  // By position, not by name: a result may hold two columns of one name (SELECT 1 AS a, 2 AS a).
  const fields = table.schema.fields;
  const columns = fields.map((_, i) => table.getChildAt(i));
  const rowCount = Math.max(table.numRows, ...columns.map((column) => column?.length ?? 0));
  const element = document.createElement("table");
  const caption = element.createCaption();
  caption.textContent = rowsText(rowCount);
  const head = element.createTHead().insertRow();
  for (const field of fields) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = field.name;
    head.appendChild(th);
  }
  const body = element.createTBody();
  for (let row = 0; row < Math.min(rowCount, maxRows); row++) {
    const tr = body.insertRow();
    fields.forEach((field, i) => {
      tr.insertCell().textContent = cell(columns[i], row, field.type);
    });
  }
  result.replaceChildren(csvLink(fields, columns, rowCount), element);
  return rowCount;
}

/** DuckDB's message, with the way out added where the engine's own words name none. */
function failureText(message) {
  // The page's engine has a few GB at most; a wide result asks for more and fails in the allocator.
  if (/^malloc of size \d+ failed/.test(message))
    return `the result does not fit in the browser's memory (${message}). Add a LIMIT, select fewer or shorter columns, or aggregate.`;
  return message;
}

// The query survives a reload of the tab (the browser refills the box only sometimes), and stays in
// this tab: session storage, never sent anywhere.
const savedQuery = "ownstats-sql-query";
function remember() {
  try {
    sessionStorage.setItem(savedQuery, text.value);
  } catch {
    // Storage refused (a private mode, a full quota): the query is simply not kept.
  }
}
try {
  const saved = sessionStorage.getItem(savedQuery);
  if (saved !== null) text.value = saved;
} catch {
  // As above: nothing kept, nothing to restore.
}
text.addEventListener("input", remember);

// Typed into the box as an edit, so Ctrl+Z brings back the query it replaced: arrow keys on the
// focused list change the example at once, and a keyboard user would otherwise lose their query.
example.addEventListener("change", () => {
  const sql = config.examples[Number(example.value)].sql;
  const focused = document.activeElement;
  text.focus();
  text.select();
  if (!document.execCommand("insertText", false, sql)) text.value = sql;
  remember();
  text.setSelectionRange(0, 0);
  text.scrollTop = 0;
  focused?.focus();
});

try {
  let engine = await start();
  status.textContent = `Ready: ${config.tables.join(", ")}.`;
  run.disabled = false;
  // DuckDB-WASM cannot interrupt a query: Stop ends its worker and starts the engine afresh.
  let stopped = () => {};
  stop.addEventListener("click", () => stopped());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    // DuckDB answers an empty query with an empty result, which would read as "no rows".
    if (!text.value.trim()) {
      status.textContent = "Nothing to run: the SQL box is empty. Write a query or pick an example.";
      result.replaceChildren();
      return;
    }
    // A disabled button loses the keyboard's focus: it goes to Stop, and back to Run after.
    const keyboardOnRun = document.activeElement === run;
    run.disabled = true;
    stop.hidden = false;
    if (keyboardOnRun) stop.focus();
    status.classList.remove("failed");
    status.textContent = "Running…";
    const started = performance.now();
    const seconds = () => `${Math.round((performance.now() - started) / 100) / 10} s`;
    try {
      const outcome = await Promise.race([
        engine.connection.query(text.value),
        new Promise((resolve) => {
          stopped = () => resolve(null);
        }),
      ]);
      if (outcome === null) {
        stop.hidden = true;
        status.textContent = `Stopped after ${seconds()}. Restarting the database engine…`;
        await engine.db.terminate();
        engine = await start();
        status.textContent = `Stopped after ${seconds()}; the engine restarted. Ready: ${config.tables.join(", ")}.`;
        result.replaceChildren();
        return;
      }
      const rowCount = show(outcome);
      // The status alone is announced: a live result area would read every cell of the table aloud.
      status.textContent = `Done in ${Math.round(performance.now() - started)} ms: ${rowsText(rowCount)}.`;
    } catch (error) {
      // DuckDB's message marks the error with a ^ under the query's line: kept aligned in monospace.
      status.classList.add("failed");
      status.textContent = `Query failed: ${failureText(error.message)}`;
      result.replaceChildren();
    } finally {
      const keyboardOnStop = document.activeElement === stop || document.activeElement === document.body;
      stop.hidden = true;
      run.disabled = false;
      if (keyboardOnRun && keyboardOnStop) run.focus();
    }
  });
} catch (error) {
  status.textContent = `The playground could not start: ${error.message}`;
}
