// GET /analytics.js: the browser tracker, from tracker/dist/analytics.js when built since its sources
// last changed, else bundled in memory with esbuild on first request, so a fresh clone serves it
// without a build step and an edited tracker is never served from a build that predates the edit.
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Handler, Hono } from "hono";
import { SCRIPT_PATH } from "../functions/collect/custom-paths.ts";
import { bundleTracker, trackerEntry, trackerOutfile } from "../tracker/build.ts";

interface Script {
  body: string;
  etag: string;
}

/** Whether `file` was written after the last change to any tracker source (false when it is missing). */
async function builtSinceSources(file: string): Promise<boolean> {
  const built = await stat(file).catch(() => undefined);
  if (!built) return false;
  const sourceDir = dirname(trackerEntry);
  const sources = await readdir(sourceDir);
  const changed = await Promise.all(sources.map(async (name) => (await stat(join(sourceDir, name))).mtimeMs));
  return built.mtimeMs >= Math.max(...changed);
}

async function loadScript(file: string): Promise<Script> {
  const body = (await builtSinceSources(file)) ? await readFile(file, "utf8") : await bundleTracker();
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
  return { body, etag };
}

/**
 * Serves the tracker at GET /analytics.js, and at each of `extraPaths` (TRACKER_SCRIPT_NAME), with an
 * ETag and a Cache-Control that sites can rely on.
 */
export function mountTracker(
  app: Hono,
  { scriptFile = trackerOutfile, extraPaths = [] }: { scriptFile?: string; extraPaths?: string[] } = {},
): void {
  let script: Promise<Script> | undefined;
  const serveScript: Handler = async (c) => {
    script ??= loadScript(scriptFile);
    let loaded: Script;
    try {
      loaded = await script;
    } catch (error) {
      script = undefined; // try again on the next request
      console.error(`analytics.js could not be built: ${(error as Error).message}`);
      return c.text("analytics.js is not available right now", 503);
    }
    // An hour fresh, then revalidated by ETag: a new tracker reaches every site within the hour.
    c.header("Cache-Control", "public, max-age=3600, stale-while-revalidate=86400");
    c.header("ETag", loaded.etag);
    // A cross-origin isolated site (COEP require-corp, for SharedArrayBuffer) loads a script from
    // another origin only when its answer says it may be embedded anywhere; a tag with the
    // crossorigin attribute (which error trackers advise, and integrity requires) only with CORS.
    c.header("Cross-Origin-Resource-Policy", "cross-origin");
    c.header("Access-Control-Allow-Origin", "*");
    const known = c.req.header("if-none-match");
    if (known?.split(/\s*,\s*/).some((tag) => tag.replace(/^W\//, "") === loaded.etag))
      return c.body(null, 304);
    return c.body(loaded.body, 200, { "Content-Type": "text/javascript; charset=utf-8" });
  };
  for (const path of [SCRIPT_PATH, ...extraPaths]) app.get(path, serveScript);
}
