// The demo site the report tests share: `ownstats demo` data built with `ownstats build` into a
// temporary folder, a static host for it, and the SQL playground driven in Chromium.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "./chromium.ts";
import { tempFolder } from "./temp-folders.ts";

/** A fresh data folder for demo data, and the site folder a build writes into it. */
function demoFolders() {
  const root = tempFolder("ownstats-reports-");
  const data = join(root, "data");
  return { root, data, site: join(data, "site") };
}

/** The report site's pages, in the order of its navigation. */
export const reportPageFiles = [
  "index.html",
  "sources.html",
  "pages.html",
  "audience.html",
  "goals.html",
  "funnel.html",
  "cohorts.html",
  "experiments.html",
  "anomalies.html",
  "models.html",
  "sql.html",
];

/**
 * The demo's data (400 visitors over 42 days, seed 7) built into a site before the test file's tests,
 * and removed after them; `buildOutput` is what `ownstats build` printed.
 */
export function builtDemoSite() {
  const folders = demoFolders();
  let output = "";
  beforeAll(() => {
    ownstats(folders.data, "demo", "--visitors", "400", "--days", "42", "--seed", "7");
    output = ownstats(folders.data, "build");
  });
  afterAll(() => rmSync(folders.root, { recursive: true, force: true }));
  return { ...folders, buildOutput: () => output };
}

/** Runs the ownstats command on `data`, with the demo's clock fixed; throws with its output on failure. */
export function ownstats(data: string, ...args: string[]): string {
  const result = spawnSync(
    process.execPath,
    [fileURLToPath(new URL("../bin/ownstats.js", import.meta.url)), ...args, "--data", data],
    {
      encoding: "utf8",
      env: { ...process.env, OWNSTATS_DEMO_NOW: "2026-11-20T18:00:00Z" },
    },
  );
  if (result.status !== 0)
    throw new Error(`ownstats ${args[0]} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".parquet": "application/octet-stream",
};

/** Serves `site` over HTTP to a fresh Chromium for `use`, and closes both after it. */
export async function withServedSite(
  site: string,
  executable: string,
  use: (
    browser: import("playwright-core").Browser,
    server: Awaited<ReturnType<typeof serveFolder>>,
  ) => Promise<void>,
): Promise<void> {
  const server = await serveFolder(site);
  const browser = await launchChromium(executable);
  try {
    await use(browser, server);
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Opens the SQL playground in `page` and waits until its engine is ready to run a query. */
export async function openPlayground(page: import("playwright-core").Page, url: string) {
  await page.goto(`${url}/sql.html`);
  await page.waitForSelector("#sql-run:not([disabled])", { timeout: 60_000 });
  return page;
}

/** A tiny static host, as GitHub Pages or S3 would serve the site: files only, no server logic. */
export async function serveFolder(folder: string) {
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    requests.push(path);
    try {
      const body = await readFile(join(folder, path.endsWith("/") ? `${path}index.html` : path));
      res.writeHead(200, { "content-type": contentTypes[extname(path)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs one query in the playground page and reads the table it shows. */
export async function runInPlayground(page: import("playwright-core").Page, sql: string) {
  await page.fill("#sql-text", sql);
  await page.click("#sql-run");
  await page.waitForSelector("#sql-run:not([disabled])");
  const status = await page.textContent("#sql-status");
  if (!status?.startsWith("Done")) throw new Error(`${sql}: ${status}`);
  return {
    headers: await page.$$eval("#sql-result th", (ths) => ths.map((th) => th.textContent)),
    rows: await page.$$eval("#sql-result tbody tr", (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)),
    ),
  };
}
