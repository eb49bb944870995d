import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { bundleTracker } from "../tracker/build.ts";
import { mountTracker } from "./tracker-route.ts";

describe("GET /analytics.js", () => {
  const app = new Hono();
  mountTracker(app);

  it("serves the tracker as JavaScript with an ETag and Cache-Control", async () => {
    const response = await app.request("/analytics.js");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(response.headers.get("cache-control")).toMatch(/max-age=\d+/);
    expect(response.headers.get("etag")).toMatch(/^"[\w-]{22}"$/);
    const body = await response.text();
    expect(body).toContain("/v1/events");
    expect(body).toContain("ownstats");
  });

  it("answers 304 to a matching If-None-Match and 200 to a stale one", async () => {
    const etag = (await app.request("/analytics.js")).headers.get("etag") as string;
    const fresh = await app.request("/analytics.js", { headers: { "if-none-match": `W/${etag}` } });
    expect(fresh.status).toBe(304);
    expect(await fresh.text()).toBe("");
    const stale = await app.request("/analytics.js", { headers: { "if-none-match": '"old"' } });
    expect(stale.status).toBe(200);
  });

  it("serves the built file when there is one", async () => {
    const folder = await mkdtemp(join(tmpdir(), "ownstats-tracker-"));
    const scriptFile = join(folder, "analytics.js");
    await writeFile(scriptFile, "/* built */");
    const withFile = new Hono();
    mountTracker(withFile, { scriptFile });
    expect(await (await withFile.request("/analytics.js")).text()).toBe("/* built */");
    await rm(folder, { recursive: true });
  });

  it("bundles the sources in memory when the built file is older than a source", async () => {
    const folder = await mkdtemp(join(tmpdir(), "ownstats-tracker-"));
    const scriptFile = join(folder, "analytics.js");
    await writeFile(scriptFile, "/* built before the sources last changed */");
    await utimes(scriptFile, new Date(0), new Date(0));
    const stale = new Hono();
    mountTracker(stale, { scriptFile });
    expect(await (await stale.request("/analytics.js")).text()).toBe(await bundleTracker());
    await rm(folder, { recursive: true });
  });

  it("bundles the sources in memory when the build has not run", async () => {
    const fresh = new Hono();
    mountTracker(fresh, { scriptFile: join(tmpdir(), "ownstats-no-such-folder", "analytics.js") });
    const served = await (await fresh.request("/analytics.js")).text();
    expect(served).toBe(await bundleTracker());
    expect(served.startsWith("(()=>{")).toBe(true);
  });
});
