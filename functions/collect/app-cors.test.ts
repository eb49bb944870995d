// CORS and ALLOWED_ORIGINS: the preflight, the 403 for another origin, and the CORS headers on
// every answer under /v1, errors included.
import { describe, expect, it } from "vitest";
import { parseAllowedOrigins } from "./allowed-origins.ts";
import { createApp } from "./app.ts";
import { event, now, post, spoolPerTest } from "./app-test-kit.ts";

const collector = spoolPerTest();

describe("CORS and origins", () => {
  it("answers the preflight and allows any origin when none is configured", async () => {
    const app = createApp({ now, sink: collector.spool });
    const res = await app.request("/v1/events", {
      method: "OPTIONS",
      headers: { origin: "https://anywhere.example", "access-control-request-method": "POST" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(
      (await post(app, event(), { origin: "https://anywhere.example" })).headers.get(
        "access-control-allow-origin",
      ),
    ).toBe("*");
  });
  it("answers 403 for an origin outside ALLOWED_ORIGINS, and echoes allowed ones", async () => {
    const app = createApp({
      now,
      sink: collector.spool,
      allowedOrigins: parseAllowedOrigins("https://example.com, blog.example.org"),
    });
    const allowed = await post(app, event());
    expect(allowed.status).toBe(202);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://example.com");
    expect((await post(app, event(), { origin: "http://blog.example.org" })).status).toBe(202);
    const denied = await post(app, event(), { origin: "https://evil.example" });
    expect(denied.status).toBe(403);
    expect(denied.json.error).toBe(
      'origin "https://evil.example" is not allowed to send events (not in ALLOWED_ORIGINS)',
    );
    const withoutOrigin = await app.request("/v1/events", { method: "POST", body: JSON.stringify(event()) });
    expect(withoutOrigin.status).toBe(403);
    expect((await withoutOrigin.json()).error).toMatch(/^no Origin header: /);
    const long = await post(app, event(), { origin: `https://${"a".repeat(500)}.example` });
    expect(long.json.error).toContain(`"https://${"a".repeat(192)}"`);
  });
  it("puts the CORS headers on every answer under /v1, also errors and 404s", async () => {
    const open = createApp({ now, sink: collector.spool });
    const restricted = createApp({ now, sink: collector.spool, allowedOrigins: ["https://example.com"] });
    const answers = [
      (await post(open, event())).headers,
      (await post(open, "not json")).headers,
      (await post(restricted, event())).headers,
      (await post(restricted, { events: [] })).headers,
      (await restricted.request("/v1/nope", { headers: { origin: "https://example.com" } })).headers,
    ];
    expect(answers.map((h) => h.get("access-control-allow-origin"))).toEqual([
      "*",
      "*",
      "https://example.com",
      "https://example.com",
      "https://example.com",
    ]);
    for (const headers of answers) {
      expect(headers.get("vary")).toBe("Origin");
      expect(headers.get("content-type")).toBe("application/json");
    }
    // A refused origin may read its 403, which stores nothing and names the origin.
    const denied = await post(restricted, event(), { origin: "https://evil.example" });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("access-control-allow-origin")).toBe("https://evil.example");
  });
  it("takes every subdomain of a wildcard entry, and refuses the rest with 403", async () => {
    const app = createApp({
      now,
      sink: collector.spool,
      allowedOrigins: parseAllowedOrigins("https://*.example.com"),
    });
    const subdomain = await post(app, event(), { origin: "https://blog.example.com" });
    expect(subdomain.status).toBe(202);
    expect(subdomain.headers.get("access-control-allow-origin")).toBe("https://blog.example.com");
    const preflight = await app.request("/v1/events", {
      method: "OPTIONS",
      headers: { origin: "https://shop.example.com", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
    expect((await post(app, event(), { origin: "https://example.com" })).status).toBe(403);
    expect((await post(app, event(), { origin: "https://evilexample.com" })).status).toBe(403);
  });

  it("refuses an Origin header that is more than an origin, whose host a wildcard's suffix would hide", async () => {
    const app = createApp({
      now,
      sink: collector.spool,
      allowedOrigins: parseAllowedOrigins("https://*.example.com, shop.example.org"),
    });
    for (const origin of [
      "https://evil.net?.example.com",
      "https://evil.net/.example.com",
      "https://evil.net#.example.com",
      "https://a.example.com@evil.net",
      "https://shop.example.org/",
      "null",
    ])
      expect((await post(app, event(), { origin })).status, origin).toBe(403);
    expect(await collector.stored()).toEqual([]);
    // An origin as browsers send it, in any case, is taken as before.
    expect((await post(app, event(), { origin: "https://Blog.Example.com" })).status).toBe(202);
    expect((await collector.stored()).map((record) => record.site)).toEqual(["blog.example.com"]);
  });
});
