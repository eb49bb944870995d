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

// Arrow type ids (apache-arrow's Type enum) of the values that need more than String().
const arrowType = { binary: 4, decimal: 7, date: 8, time: 9, timestamp: 10, largeBinary: 19 };

/** An integer string with `scale` digits after the point: DECIMAL, and HUGEINT (what sum() of integers gives). */
function decimalText(unscaled, scale) {
  const digits = String(unscaled);
  if (!scale) return digits;
  const sign = digits.startsWith("-") ? "-" : "";
  const whole = digits.slice(sign.length).padStart(scale + 1, "0");
  return `${sign}${whole.slice(0, -scale)}.${whole.slice(-scale)}`;
}

/** Milliseconds since the epoch (with a fraction for microseconds) as DuckDB writes a timestamp. */
function timestampText(ms, zoned) {
  let whole = Math.floor(ms);
  let micros = Math.round((ms - whole) * 1000);
  if (micros === 1000) {
    whole += 1;
    micros = 0;
  }
  const iso = new Date(whole).toISOString();
  const fraction = `${iso.slice(20, 23)}${String(micros).padStart(3, "0")}`.replace(/0+$/, "");
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ""}${zoned ? "+00" : ""}`;
}

/** A time of day in the column's unit (seconds to nanoseconds) as HH:MM:SS[.ffffff]. */
function timeText(value, unit) {
  const micros = (BigInt(value) * 1_000_000n) / 10n ** BigInt(unit * 3);
  const seconds = micros / 1_000_000n;
  const pad = (n) => String(n).padStart(2, "0");
  const fraction = String(micros % 1_000_000n)
    .padStart(6, "0")
    .replace(/0+$/, "");
  return `${pad(seconds / 3600n)}:${pad((seconds / 60n) % 60n)}:${pad(seconds % 60n)}${fraction ? `.${fraction}` : ""}`;
}

/** Bytes as DuckDB writes a BLOB: printable ASCII as is, every other byte as \xNN. */
function blobText(bytes) {
  return Array.from(bytes, (b) =>
    b >= 0x20 && b < 0x7f && b !== 0x5c
      ? String.fromCharCode(b)
      : `\\x${b.toString(16).toUpperCase().padStart(2, "0")}`,
  ).join("");
}

function cell(value, type) {
  if (value === null || value === undefined) return "NULL";
  switch (type.typeId) {
    case arrowType.decimal:
      return decimalText(value, type.scale);
    case arrowType.timestamp:
      return timestampText(Number(value), Boolean(type.timezone));
    case arrowType.date:
      return new Date(value instanceof Date ? value.getTime() : Number(value)).toISOString().slice(0, 10);
    case arrowType.time:
      return timeText(value, type.unit);
    case arrowType.binary:
    case arrowType.largeBinary:
      return blobText(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "object")
    return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
  return String(value);
}

function show(table) {
  // By position, not by name: a result may hold two columns of one name (SELECT 1 AS a, 2 AS a).
  const fields = table.schema.fields;
  const columns = fields.map((_, i) => table.getChildAt(i));
  const rowCount = Math.max(table.numRows, ...columns.map((column) => column?.length ?? 0));
  const element = document.createElement("table");
  const caption = element.createCaption();
  caption.textContent = `${rowCount} row${rowCount === 1 ? "" : "s"}${rowCount > maxRows ? `, first ${maxRows} shown` : ""}`;
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
      tr.insertCell().textContent = cell(columns[i]?.get(row), field.type);
    });
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
