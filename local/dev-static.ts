// Static files for the dev server: the rendered reports under /reports/ and the demo site at /.
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Context, Hono } from "hono";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
  ".parquet": "application/vnd.apache.parquet",
  ".arrow": "application/vnd.apache.arrow.file",
};

/** The file under `root` for a URL path, or undefined when the path would leave it. */
export function fileUnder(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const path = normalize(join(root, decoded));
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep) ? path : undefined;
}

async function sendFile(
  c: Context,
  path: string,
  editHtml?: (html: string) => string,
): Promise<Response | undefined> {
  try {
    let file = path;
    let info = await stat(file);
    if (info.isDirectory()) {
      file = join(file, "index.html");
      info = await stat(file);
    }
    const edited = editHtml !== undefined && extname(file) === ".html";
    // Rebuilt every few seconds, so always revalidated; the validator lets a browser keep what did
    // not change (the SQL page's 18 MB of DuckDB, say) instead of loading it again on every visit.
    // A page with a notice edited in has none: its bytes are not the file's.
    const etag = edited
      ? undefined
      : `W/"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
    const headers: Record<string, string> = { "Cache-Control": "no-cache", ...(etag && { ETag: etag }) };
    const asked = c.req
      .header("if-none-match")
      ?.split(",")
      .map((tag) => tag.trim());
    if (etag && asked?.includes(etag)) return c.body(null, 304, headers);
    const bytes = await readFile(file);
    const body = edited ? editHtml(bytes.toString("utf8")) : bytes;
    return c.body(body, 200, {
      ...headers,
      "Content-Type": types[extname(file)] ?? "application/octet-stream",
    });
  } catch {
    return undefined;
  }
}

const notBuiltYet = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
<title>Reports — building</title></head><body style="font-family:system-ui;margin:2rem">
<h1>The reports are being built</h1><p>This page reloads itself in a few seconds.</p></body></html>`;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch] as string);

/** Why there are no reports to show: a failed build, or a render that failed after a good one. */
export interface ReportsProblem {
  heading: string;
  detail: string;
}

const reportsFailed = ({
  heading,
  detail,
}: ReportsProblem) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Reports — ${escapeHtml(heading)}</title></head><body style="font-family:system-ui;margin:2rem">
<h1>${escapeHtml(heading)}</h1><pre style="white-space:pre-wrap">${escapeHtml(detail)}</pre>
<p>The terminal running <code>ownstats dev</code> shows the failing steps. The next build starts when new events land or objects are removed from <code>raw/</code>; this page reloads itself.</p></body></html>`;

/**
 * A build or render that fails after a good one leaves the reports of that one in place: each page
 * says so on top, or they would look current while the events since are missing from them.
 */
function withProblemNotice(html: string, { heading, detail }: ReportsProblem): string {
  const notice =
    `<div role="alert" style="font-family:system-ui;background:#fff3cd;color:#5c4400;padding:0.75rem 1rem;border-bottom:1px solid #d9b64a"><details>` +
    `<summary><strong>${escapeHtml(heading)}</strong>: these reports are from the last build that worked, so the events since are missing from them. ` +
    `The next build starts when new events land or objects are removed from raw/.</summary><pre style="white-space:pre-wrap">${escapeHtml(detail)}</pre></details></div>`;
  return html.replace(/<body[^>]*>/i, (body) => body + notice);
}

/**
 * GET /reports/…: DATA/site/, with a placeholder until the first build has rendered it; `problem`
 * says why the last build or render failed, when one did, so the placeholder does not promise
 * reports forever.
 */
export function mountReports(
  app: Hono,
  data: string,
  problem: () => ReportsProblem | undefined = () => undefined,
): void {
  const root = normalize(join(data, "site"));
  app.get("/reports", (c) => c.redirect("/reports/"));
  app.get("/reports/*", async (c) => {
    const rest = c.req.path.slice("/reports".length) || "/";
    const path = fileUnder(root, rest);
    if (!path) return c.text("not found", 404);
    const why = problem();
    const edit = why && ((html: string) => withProblemNotice(html, why));
    // GitHub Pages, where the reports are published, answers /reports/sources with sources.html:
    // a link or bookmark written that way works here too.
    const response =
      (await sendFile(c, path, edit)) ??
      (extname(path) === "" ? await sendFile(c, `${path}.html`, edit) : undefined);
    if (response) return response;
    if (rest === "/" || rest === "/index.html") {
      return c.html(why === undefined ? notBuiltYet : reportsFailed(why), 503, { "Retry-After": "3" });
    }
    // A browser gets the page with links that any other unknown page gets, not a bare line of text.
    if (c.req.header("accept")?.includes("text/html")) return c.html(pageNotFound(c.req.path), 404);
    return c.text(`no report file ${rest}`, 404);
  });
}

export const demoSiteFolder = fileURLToPath(new URL("./demo-site/", import.meta.url));

/** The demo website's pages, each at a clean path, all loading /analytics.js. */
const demoPages: Record<string, string> = {
  "/": "index.html",
  "/pricing": "pricing.html",
  "/blog/own-your-analytics": "blog/own-your-analytics.html",
  "/demo-site.css": "site.css",
};

export function mountDemoSite(app: Hono): void {
  for (const [route, file] of Object.entries(demoPages)) {
    app.get(route, async (c) => (await sendFile(c, join(demoSiteFolder, file))) ?? c.text("not found", 404));
    if (file.endsWith(".html")) redirectOtherSpellings(app, route, file);
  }
  // Browsers ask every site for /favicon.ico; without one, the first page each visitor opens (the
  // demo site, /live) logs a failed request in the console. The reports' icon serves them all.
  app.get("/favicon.ico", async (c) =>
    c.body(await readFile(reportsIcon), 200, {
      "Content-Type": "image/svg+xml",
      "Cache-Control": "public, max-age=3600",
    }),
  );
}
/**
 * A static host answers `/pricing/` and `/pricing.html` as well as `/pricing`; so does the demo site,
 * by redirecting to the clean path with the query string (its UTM parameters) kept, so that each
 * page is counted under one path.
 */
function redirectOtherSpellings(app: Hono, route: string, file: string): void {
  const spellings = new Set([route === "/" ? "/index.html" : `${route}/`, `/${file}`]);
  spellings.delete(route);
  for (const spelling of spellings)
    app.get(spelling, (c) => c.redirect(route + new URL(c.req.url).search, 301));
}

/**
 * A GET no route took: a browser gets a page it can leave by a link, anything else (a script, curl)
 * the collector's JSON answer. Mounted after every other route, which it would otherwise shadow.
 */
export function mountPageNotFound(app: Hono): void {
  app.get("*", async (c, next) => {
    if (!c.req.header("accept")?.includes("text/html")) return next();
    return c.html(pageNotFound(c.req.path), 404);
  });
}

const pageNotFound = (path: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Not found — ownstats dev</title></head><body style="font-family:system-ui;margin:2rem">
<h1>Nothing at ${escapeHtml(path)}</h1><p>This server has the <a href="/">demo site</a>
(with its <a href="/pricing">pricing page</a> and <a href="/blog/own-your-analytics">article</a>),
the <a href="/live">live events</a> and the <a href="/reports/">reports</a>.</p></body></html>`;

const reportsIcon = fileURLToPath(new URL("../reports/assets/favicon.svg", import.meta.url));
