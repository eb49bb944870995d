// Static files for the dev server: the rendered reports under /reports/ and the demo site at /.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hono } from "hono";
import { sendFile } from "./static-file.ts";

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

/** Without it a phone lays the page out at a desktop's width, its text too small to read. */
const viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">';

const notBuiltYet = `<!doctype html><html lang="en"><head><meta charset="utf-8">${viewport}<meta http-equiv="refresh" content="3">
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
}: ReportsProblem) => `<!doctype html><html lang="en"><head><meta charset="utf-8">${viewport}<meta http-equiv="refresh" content="5">
<title>Reports — ${escapeHtml(heading)}</title></head><body style="font-family:system-ui;margin:2rem">
<h1>${escapeHtml(heading)}</h1><pre style="white-space:pre-wrap">${escapeHtml(detail)}</pre>
<p>The terminal running <code>ownstats dev</code> shows the failing steps. The next build starts when new events land or objects are removed from <code>raw/</code> (after a full disk, also every 15 s); this page reloads itself.</p></body></html>`;

/**
 * A build or render that fails after a good one leaves the reports of that one in place: each page
 * says so on top, or they would look current while the events since are missing from them.
 */
function withProblemNotice(html: string, { heading, detail }: ReportsProblem): string {
  const notice =
    `<div role="alert" style="font-family:system-ui;background:#fff3cd;color:#5c4400;padding:0.75rem 1rem;border-bottom:1px solid #d9b64a"><details>` +
    `<summary><strong>${escapeHtml(heading)}</strong>: these reports are from the last build that worked, so the events since are missing from them. ` +
    `The next build starts when new events land or objects are removed from raw/ (after a full disk, also every 15 s).</summary><pre style="white-space:pre-wrap">${escapeHtml(detail)}</pre></details></div>`;
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
    // A browser gets the page with links that any other unknown page gets, not a bare line of text:
    // for a path that is not there, and for one that names no file at all (bad %-encoding, say).
    const notFound = () =>
      c.req.header("accept")?.includes("text/html")
        ? c.html(pageNotFound(c.req.path), 404)
        : c.text(`no report file ${rest}`, 404);
    const path = fileUnder(root, rest);
    if (!path) return notFound();
    const why = problem();
    const edit = why && ((html: string) => withProblemNotice(html, why));
    // GitHub Pages, where the reports are published, answers /reports/sources with sources.html:
    // a link or bookmark written that way works here too.
    const response =
      (await sendFile(c, path, edit)) ??
      (extname(path) === "" ? await sendFile(c, `${path}.html`, edit) : undefined);
    if (response) return response;
    // Before the first render every page is missing, not only the overview: a bookmarked or shared
    // link to one is told that the reports are being built too, not that there is no such page.
    const page = [".html", ""].includes(extname(rest));
    if (rest === "/" || rest === "/index.html" || (page && !existsSync(join(root, "index.html")))) {
      return c.html(why === undefined ? notBuiltYet : reportsFailed(why), 503, { "Retry-After": "3" });
    }
    return notFound();
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

const pageNotFound = (path: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">${viewport}
<title>Not found — ownstats dev</title></head><body style="font-family:system-ui;margin:2rem">
<h1>Nothing at ${escapeHtml(path)}</h1><p>This server has the <a href="/">demo site</a>
(with its <a href="/pricing">pricing page</a> and <a href="/blog/own-your-analytics">article</a>),
the <a href="/live">live events</a> and the <a href="/reports/">reports</a>.</p></body></html>`;

const reportsIcon = fileURLToPath(new URL("../reports/assets/favicon.svg", import.meta.url));
