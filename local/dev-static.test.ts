// The demo site as a visitor reaches it: every page at its clean path, and at the other spellings a
// static host also answers (a trailing slash, the file's name), which redirect with the query
// string kept, so a campaign link typed either way is counted under one path with its UTM.
import { Hono } from "hono";
import { expect, it } from "vitest";
import { mountDemoSite } from "./dev-static.ts";
import { LiveFeed } from "./live-feed.ts";
import { mountLive } from "./live-routes.ts";

const app = new Hono();
mountDemoSite(app);
mountLive(app, new LiveFeed("unused"));

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

it("still answers 404 for a page the site does not have", async () => {
  expect((await app.request("/pricing/extra")).status).toBe(404);
  expect((await app.request("/blog/")).status).toBe(404);
});
