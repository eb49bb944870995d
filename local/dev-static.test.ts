// The demo site and the reports as a visitor reaches them. The demo site: every page at its clean path, and at the other spellings a
// static host also answers (a trailing slash, the file's name), which redirect with the query
// string kept, so a campaign link typed either way is counted under one path with its UTM.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import { expect, it } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { mountDemoSite, mountPageNotFound, mountReports, type ReportsProblem } from "./dev-static.ts";
import { LiveFeed } from "./live-feed.ts";
import { mountLive } from "./live-routes.ts";

const app = new Hono();
mountDemoSite(app);
mountLive(app, new LiveFeed("unused"));
mountPageNotFound(app);

const pages = ["/", "/pricing", "/blog/own-your-analytics"];

it.each(pages)("serves %s as an HTML page that loads the tracker", async (page) => {
  const res = await app.request(page);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/html");
  expect(await res.text()).toContain('src="/analytics.js"');
});

it.each([
  ["/pricing/", "/pricing"],
  ["/pricing.html", "/pricing"],
  ["/pricing/?utm_source=newsletter&utm_medium=email", "/pricing?utm_source=newsletter&utm_medium=email"],
  ["/blog/own-your-analytics/", "/blog/own-your-analytics"],
  ["/blog/own-your-analytics.html?utm_source=x", "/blog/own-your-analytics?utm_source=x"],
  ["/index.html", "/"],
  ["/live/", "/live"],
])("redirects %s to %s", async (asked, clean) => {
  const res = await app.request(asked, { redirect: "manual" });
  expect(res.status).toBe(301);
  expect(res.headers.get("location")).toBe(clean);
  const followed = await app.request(clean);
  expect(followed.status).toBe(200);
});

it("answers a browser asking for a page the site does not have with an HTML 404 that links to the pages", async () => {
  for (const path of ["/pricing/extra", "/blog/", "/about"]) {
    const res = await app.request(path, { headers: { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain(`<h1>Nothing at ${path}</h1>`);
    for (const link of ["/", "/pricing", "/blog/own-your-analytics", "/live", "/reports/"])
      expect(html).toContain(`href="${link}"`);
  }
  // A script keeps the collector's answer.
  const res = await app.request("/about", { headers: { Accept: "application/json" } });
  expect(res.status).toBe(404);
  expect(res.headers.get("content-type")).not.toContain("text/html");
});

it("marks every report page when the last build failed, since the pages shown are from the build before", async () => {
  const data = tempFolder("ownstats-dev-static-");
  mkdirSync(join(data, "site"));
  writeFileSync(
    join(data, "site", "index.html"),
    '<!doctype html><html lang="en"><body class="r"><h1>Overview</h1></body></html>',
  );
  writeFileSync(join(data, "site", "style.css"), "body{}");
  let problem: ReportsProblem | undefined;
  const reports = new Hono();
  mountReports(reports, data, () => problem);

  const fine = await (await reports.request("/reports/")).text();
  expect(fine).not.toContain('role="alert"');

  problem = {
    heading: "The last build failed",
    detail: "exit 1\nIO Error: Input is not a GZIP stream: <raw>/x.gz",
  };
  for (const path of ["/reports/", "/reports/index.html"]) {
    const res = await reports.request(path);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(
      /<body class="r"><div role="alert"[^>]*><details><summary><strong>The last build failed<\/strong>/,
    );
    expect(html).toContain("IO Error: Input is not a GZIP stream: &lt;raw&gt;/x.gz");
    expect(html).toContain("<h1>Overview</h1>");
  }
  expect(await (await reports.request("/reports/style.css")).text()).toBe("body{}");

  problem = undefined;
  expect(await (await reports.request("/reports/")).text()).not.toContain('role="alert"');
});

/** The /reports/ routes over a rendered site (it always has an overview) that holds one page. */
function reportsWithPage(name: string, html: string): Hono {
  const data = tempFolder("ownstats-dev-static-");
  mkdirSync(join(data, "site"));
  writeFileSync(join(data, "site", "index.html"), "<!doctype html><h1>Overview</h1>");
  writeFileSync(join(data, "site", name), html);
  const reports = new Hono();
  mountReports(reports, data);
  return reports;
}

it("answers /reports/sources with sources.html, as GitHub Pages where the reports are published does", async () => {
  const reports = reportsWithPage("sources.html", "<!doctype html><h1>Sources</h1>");
  for (const path of ["/reports/sources", "/reports/sources.html"]) {
    const res = await reports.request(path);
    expect(res.status, path).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("<h1>Sources</h1>");
  }
  expect((await reports.request("/reports/nothing")).status).toBe(404);
});

it("answers a browser asking for a report page there is none of with the HTML 404 that links to the reports", async () => {
  const reports = reportsWithPage("index.html", "<!doctype html><h1>Overview</h1>");
  const res = await reports.request("/reports/session.html", {
    headers: { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" },
  });
  expect(res.status).toBe(404);
  expect(res.headers.get("content-type")).toContain("text/html");
  const html = await res.text();
  expect(html).toContain("<h1>Nothing at /reports/session.html</h1>");
  expect(html).toContain('href="/reports/"');
  // A path that names no file (a %-escape cut short) is no different to a browser.
  const garbled = await reports.request("/reports/%E0%A4%A", { headers: { Accept: "text/html" } });
  expect(garbled.status).toBe(404);
  expect(await garbled.text()).toContain("<h1>Nothing at /reports/%E0%A4%A</h1>");
  const script = await reports.request("/reports/session.html");
  expect(script.status).toBe(404);
  expect(await script.text()).toBe("no report file /session.html");
});

it("lets a browser keep a report file that did not change (304), and sends it to one holding another version", async () => {
  const wasm = "x".repeat(1000);
  const reports = reportsWithPage("duckdb-eh.wasm", wasm);
  const first = await reports.request("/reports/duckdb-eh.wasm");
  expect(first.status).toBe(200);
  expect(first.headers.get("cache-control")).toBe("no-cache");
  const etag = first.headers.get("etag");
  expect(etag).toBeTruthy();
  const again = await reports.request("/reports/duckdb-eh.wasm", {
    headers: { "If-None-Match": etag as string },
  });
  expect(again.status).toBe(304);
  expect(await again.text()).toBe("");
  const other = await reports.request("/reports/duckdb-eh.wasm", { headers: { "If-None-Match": 'W/"0-0"' } });
  expect(other.status).toBe(200);
  expect(await other.text()).toBe(wasm);
});

it("tells a link to any report page, not only the overview, that the reports are being built before the first render", async () => {
  const data = tempFolder("ownstats-dev-static-");
  const reports = new Hono();
  mountReports(reports, data);
  for (const path of ["/reports/sources.html", "/reports/pages"]) {
    const res = await reports.request(path, { headers: { Accept: "text/html" } });
    expect(res.status, path).toBe(503);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(await res.text()).toContain("The reports are being built");
  }
  // A file that is no page stays a 404.
  expect((await reports.request("/reports/style.css")).status).toBe(404);
  // Once rendered, a page the site does not have is one.
  mkdirSync(join(data, "site"));
  writeFileSync(join(data, "site", "index.html"), "<!doctype html><h1>Overview</h1>");
  expect((await reports.request("/reports/sources.html", { headers: { Accept: "text/html" } })).status).toBe(
    404,
  );
});

it("lays out its own pages (reports being built, a failed first build, not found) at a phone's width", async () => {
  const data = tempFolder("ownstats-dev-static-");
  const building = new Hono();
  mountReports(building, data);
  const failed = new Hono();
  mountReports(failed, data, () => ({ heading: "The build failed", detail: "model daily: Binder Error" }));
  const viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">';
  const html = { headers: { Accept: "text/html" } };
  expect(await (await building.request("/reports/", html)).text()).toContain(viewport);
  expect(await (await failed.request("/reports/", html)).text()).toContain(viewport);
  expect(await (await app.request("/about", html)).text()).toContain(viewport);
});
