// Report files as the dev server sends them: streamed from disk rather than read into memory whole
// for each request (the SQL page's DuckDB engine is 18 MB and more), and closed again when the
// browser goes away before the end or only asks for the headers.

import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, expect, it } from "vitest";
import { serveApp } from "../functions/collect/server.ts";
import { mountReports } from "./dev-static.ts";

const data = mkdtempSync(join(tmpdir(), "ownstats-static-file-"));
afterAll(() => rmSync(data, { recursive: true, force: true }));
mkdirSync(join(data, "site"));
const engine = join(data, "site", "duckdb-eh.wasm");
// Sparse: as large as a real engine several times over, without taking the disk space.
const engineBytes = 96 * 1024 * 1024;
writeFileSync(engine, "");
truncateSync(engine, engineBytes);
const app = new Hono();
mountReports(app, data);

/** How many of this process's open files are `path`. */
const openCount = (path: string) =>
  readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;

async function closedSoon(path: string): Promise<number> {
  for (let waited = 0; openCount(path) > 0 && waited < 5_000; waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
  return openCount(path);
}

it("sends a large report file without holding it in memory, with its length and type", async () => {
  const before = process.memoryUsage().arrayBuffers;
  const res = await app.request("/reports/duckdb-eh.wasm");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-length")).toBe(String(engineBytes));
  expect(res.headers.get("content-type")).toBe("application/wasm");
  expect(res.headers.get("etag")).toMatch(/^W\/"/);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const first = await reader.read();
  expect(first.value?.byteLength).toBeGreaterThan(0);
  // A file read whole would be in memory now, while its first bytes are being sent.
  expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(engineBytes / 4);
  let received = first.value?.byteLength ?? 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
    received += chunk.value.byteLength;
  expect(received).toBe(engineBytes);
  await expect(closedSoon(engine)).resolves.toBe(0);
});

it("answers HEAD with the length and type, and leaves no file open", async () => {
  const res = await app.request("/reports/duckdb-eh.wasm", { method: "HEAD" });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-length")).toBe(String(engineBytes));
  expect(res.headers.get("content-type")).toBe("application/wasm");
  await expect(closedSoon(engine)).resolves.toBe(0);
});

it("closes the file when the browser goes away part-way", async () => {
  const server = await serveApp(app, { port: 0 });
  try {
    await new Promise<void>((resolve, reject) => {
      const req = get(`http://127.0.0.1:${server.port}/reports/duckdb-eh.wasm`, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
    });
    await expect(closedSoon(engine)).resolves.toBe(0);
  } finally {
    await server.close();
  }
});

it("sends the file it opened whole when a build replaces it meanwhile", async () => {
  const page = join(data, "site", "big.html");
  writeFileSync(page, "a".repeat(4 * 1024 * 1024));
  const res = await app.request("/reports/big.html");
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const first = await reader.read();
  // The renderer writes a page to a temporary file and renames it over the old one.
  writeFileSync(`${page}.tmp`, "b".repeat(1024));
  renameSync(`${page}.tmp`, page);
  let text = Buffer.from(first.value ?? []).toString();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
    text += Buffer.from(chunk.value).toString();
  expect(text).toBe("a".repeat(4 * 1024 * 1024));
  expect(res.headers.get("content-length")).toBe(String(4 * 1024 * 1024));
});
