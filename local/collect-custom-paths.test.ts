// TRACKER_SCRIPT_NAME and COLLECT_API_ENDPOINT on the local collector, over real HTTP: the tracker is
// served and events are taken at the extra names as at the built-in ones, and a bad value or one
// that another route of the server answers stops the start with one line naming the variable.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ownstatsWith } from "../cli-run.ts";
import { startDev } from "../test/dev-server.ts";
import { CollectOptionsError, type RunningCollector, startCollector } from "./collect.ts";
import { readSpoolLines } from "./spool.ts";
import { mountTracker } from "./tracker-route.ts";

let data: string;
let collector: RunningCollector | undefined;
beforeEach(async () => {
  data = await mkdtemp(join(tmpdir(), "ownstats-custom-paths-"));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await collector?.close();
  collector = undefined;
  await rm(data, { recursive: true, force: true });
});

/** The collector as `ownstats collect` starts it: the tracker at /analytics.js and its extra names. */
const startWithTracker = () =>
  startCollector({
    port: 0,
    data,
    extend: (app, { scriptPaths }) => mountTracker(app, { extraPaths: scriptPaths }),
  });

const pageView = () =>
  JSON.stringify({
    event_type: "page_view",
    event_id: randomUUID(),
    session_id: "session_0001",
    event_ts: new Date().toISOString(),
    page_path: "/pricing",
  });

describe("extra script and events paths", () => {
  it("serves the tracker at each TRACKER_SCRIPT_NAME as at /analytics.js", async () => {
    vi.stubEnv("TRACKER_SCRIPT_NAME", "/js/site.js, /s.js");
    collector = await startWithTracker();
    const builtIn = await fetch(`${collector.url}/analytics.js`);
    const script = await builtIn.text();
    expect(script).toContain("sendBeacon");
    for (const path of ["/js/site.js", "/s.js"]) {
      const res = await fetch(`${collector.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect(res.headers.get("etag")).toBe(builtIn.headers.get("etag"));
      expect(await res.text()).toBe(script);
    }
  });

  it("takes events at COLLECT_API_ENDPOINT as at /v1/events, with the same CORS and 405", async () => {
    vi.stubEnv("COLLECT_API_ENDPOINT", "/api/e");
    vi.stubEnv("ALLOWED_ORIGINS", "https://example.com");
    collector = await startWithTracker();
    const post = (origin: string) =>
      fetch(`${collector?.url}/api/e`, {
        method: "POST",
        headers: { Origin: origin, "Content-Type": "text/plain" },
        body: pageView(),
      });
    const accepted = await post("https://example.com");
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get("access-control-allow-origin")).toBe("https://example.com");
    expect(await accepted.json()).toEqual({ accepted: 1, rejected: [] });
    expect((await post("https://elsewhere.org")).status).toBe(403);
    const preflight = await fetch(`${collector.url}/api/e`, {
      method: "OPTIONS",
      headers: { Origin: "https://example.com", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    const get = await fetch(`${collector.url}/api/e`);
    expect(get.status).toBe(405);
    expect((await get.json()).error).toMatch(/^\/api\/e takes events by POST/);
    expect((await fetch(`${collector.url}/v1/events`, { method: "POST", body: pageView() })).status).toBe(
      403,
    );
    const stored = (await readSpoolLines(join(data, "spool"))).map((line) => JSON.parse(line));
    expect(stored.map((event) => [event.site, event.page_path])).toEqual([["example.com", "/pricing"]]);
  });

  it("refuses a bad value before it serves, naming the variable", async () => {
    vi.stubEnv("COLLECT_API_ENDPOINT", "collect");
    const start = startWithTracker();
    await expect(start).rejects.toThrow(CollectOptionsError);
    await expect(start).rejects.toThrow('COLLECT_API_ENDPOINT "collect" must start with "/"');
  });

  it("refuses a path another route of the server answers, rather than hide one behind the other", async () => {
    const startWithLive = () =>
      startCollector({
        port: 0,
        data,
        extend: (app, { scriptPaths }) => {
          mountTracker(app, { extraPaths: scriptPaths });
          app.get("/live", (c) => c.text("live"));
          app.get("/reports/*", (c) => c.text("a report"));
        },
      });
    vi.stubEnv("COLLECT_API_ENDPOINT", "/live");
    await expect(startWithLive()).rejects.toThrow(
      'COLLECT_API_ENDPOINT "/live" is a path this server already serves; choose another',
    );
    vi.stubEnv("COLLECT_API_ENDPOINT", "");
    vi.stubEnv("TRACKER_SCRIPT_NAME", "/reports/site.js");
    await expect(startWithLive()).rejects.toThrow(
      'TRACKER_SCRIPT_NAME "/reports/site.js" is a path this server already serves; choose another',
    );
    vi.stubEnv("TRACKER_SCRIPT_NAME", "/site.js");
    collector = await startWithLive();
    expect((await fetch(`${collector.url}/site.js`)).status).toBe(200);
  });

  it("ownstats collect names a bad TRACKER_SCRIPT_NAME in one line and exits 2 before it listens", async () => {
    const result = await ownstatsWith(
      { TRACKER_SCRIPT_NAME: "/js/*.js", SINK: "" },
      "collect",
      "--port",
      "0",
      "--data",
      data,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'ownstats collect: TRACKER_SCRIPT_NAME "/js/*.js" must be a path of letters, digits and - . _ ~',
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).not.toContain("listening");
  });

  it("ownstats dev serves the extra paths beside its fallback page and names them in its start-up lines", async () => {
    vi.stubEnv("TRACKER_SCRIPT_NAME", "/js/site.js");
    vi.stubEnv("COLLECT_API_ENDPOINT", "/e");
    const dev = await startDev(["--no-demo"], data);
    try {
      expect(dev.output()).toContain(`tracker     ${dev.url}/analytics.js and ${dev.url}/js/site.js\n`);
      expect(dev.output()).toContain(`collector   POST ${dev.url}/v1/events and ${dev.url}/e\n`);
      // The dev server's fallback (its 404 page for any other path) hides neither.
      expect((await fetch(`${dev.url}/js/site.js`)).status).toBe(200);
      const post = await fetch(`${dev.url}/e`, { method: "POST", body: pageView() });
      expect(post.status).toBe(202);
    } finally {
      await dev.stop();
    }
  }, 60_000);
});
