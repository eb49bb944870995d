// Builds the browser tracker: one minified IIFE, tracker/dist/analytics.js (`npm run build`).
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";

export const trackerEntry = fileURLToPath(new URL("./src/index.ts", import.meta.url));
export const trackerOutfile = fileURLToPath(new URL("./dist/analytics.js", import.meta.url));
/** The budget for everything the tracker does, gzip -9. */
export const GZIP_BUDGET_BYTES = 1600;

/** The minified script, built in memory (`minify: false` only for comparisons). */
export async function bundleTracker({ minify = true } = {}): Promise<string> {
  const result = await build({
    entryPoints: [trackerEntry],
    bundle: true,
    minify,
    format: "iife",
    // Browsers since late 2020 (Chrome 85, Firefox 79, Safari 14): ?., ?? and ||= stay as written.
    target: "es2021",
    legalComments: "none",
    write: false,
    logLevel: "silent",
    // No "use strict" prologue (13 bytes): the code declares every name and never relies on `this`.
    tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
  });
  const code = result.outputFiles[0]?.text ?? "";
  // A bundle keeps each module's statements apart (a `var` per module, `;` between calls); a
  // second pass over the whole joins them (3 bytes gzip).
  return (
    minify ? (await transform(code, { minify, target: "es2021", legalComments: "none" })).code : code
  ).trim();
}

export function sizes(code: string): { raw: number; gzip: number } {
  const raw = Buffer.from(code);
  return { raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
}

async function main(): Promise<void> {
  const code = await bundleTracker();
  await mkdir(dirname(trackerOutfile), { recursive: true });
  await writeFile(trackerOutfile, code);
  const { raw, gzip } = sizes(code);
  console.log(`${trackerOutfile}: ${raw} B, ${gzip} B gzip -9 (budget ${GZIP_BUDGET_BYTES} B)`);
  if (gzip > GZIP_BUDGET_BYTES) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
