import { existsSync, mkdirSync, rmSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

/** The collector's Lambda adapter, referenced by path only: the stack never imports the function's code. */
export const COLLECTOR_ENTRY = fileURLToPath(new URL("../functions/collect/lambda.ts", import.meta.url));

/** The file Lambda loads (`.mjs`, so Node treats it as ESM) and the export it calls. */
export const COLLECTOR_HANDLER = "index.handler";

/**
 * The bundle's file time. The zip of the asset records it, so a time of its own would make every
 * synth a different archive, and every deploy replace the function's code although it is the same.
 */
const BUNDLE_FILE_TIME = new Date("2000-01-01T00:00:00Z");

/**
 * Bundles the collector into one minified ESM file, `<outdir>/index.mjs`, for Node 22 on Lambda.
 * `outdir` is emptied first, so the asset never carries a stale file. Returns `outdir`.
 */
export function bundleCollector(entry: string, outdir: string): string {
  if (!existsSync(entry)) {
    throw new Error(`collector entry not found: ${entry} (the Lambda adapter functions/collect/lambda.ts)`);
  }
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, "index.mjs");
  const result = buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    minify: true,
    legalComments: "none",
    logLevel: "silent",
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  });
  if (result.errors.length > 0) {
    throw new Error(`bundling ${entry} failed: ${result.errors.map((e) => e.text).join("; ")}`);
  }
  utimesSync(outfile, BUNDLE_FILE_TIME, BUNDLE_FILE_TIME);
  return outdir;
}
