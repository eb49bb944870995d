import { describe, expect, it } from "vitest";
import { originMatches, parseAllowedOrigins } from "./allowed-origins.ts";
import { siteOfOrigin } from "./enrich.ts";

/** Whether ALLOWED_ORIGINS=`list` takes an Origin header. */
const takes = (list: string, origin: string) =>
  parseAllowedOrigins(list).some((entry) => originMatches(entry, origin, siteOfOrigin(origin)));

describe("ALLOWED_ORIGINS entries", () => {
  it("takes an origin exactly, and a bare host under any scheme", () => {
    expect(takes("https://example.com", "https://example.com")).toBe(true);
    expect(takes("https://example.com", "http://example.com")).toBe(false);
    expect(takes("https://example.com", "https://www.example.com")).toBe(false);
    expect(takes("https://example.com", "https://example.com:8443")).toBe(false);
    expect(takes("example.com", "http://example.com")).toBe(true);
    expect(takes("example.com", "https://example.com")).toBe(true);
    expect(takes("example.com", "https://example.com.evil.test")).toBe(false);
  });

  it("takes every subdomain for a wildcard first label, not the domain itself", () => {
    for (const list of ["https://*.example.com", "*.example.com", " HTTPS://*.Example.COM/ "]) {
      expect(takes(list, "https://blog.example.com"), list).toBe(true);
      expect(takes(list, "https://a.b.example.com"), list).toBe(true);
      expect(takes(list, "https://example.com"), list).toBe(false);
      expect(takes(list, "https://badexample.com"), list).toBe(false);
      expect(takes(list, "https://blog.example.com.evil.test"), list).toBe(false);
      expect(takes(list, "https://blog.example.com:8443"), list).toBe(false);
    }
    // A scheme in the entry holds for its subdomains; a bare wildcard takes both.
    expect(takes("https://*.example.com", "http://blog.example.com")).toBe(false);
    expect(takes("*.example.com", "http://blog.example.com")).toBe(true);
    // With a port, the port is part of the match.
    expect(takes("http://*.localhost:3000", "http://app.localhost:3000")).toBe(true);
    expect(takes("http://*.localhost:3000", "http://app.localhost:3001")).toBe(false);
    // Domain and subdomains together.
    expect(takes("https://example.com, https://*.example.com", "https://example.com")).toBe(true);
  });

  it("keeps a star anywhere but the first label literal, so it matches nothing real", () => {
    expect(takes("https://blog*.example.com", "https://blog1.example.com")).toBe(false);
    expect(takes("https://www.*.example.com", "https://www.a.example.com")).toBe(false);
  });

  it("writes hosts as browsers send them, the wildcard kept", () => {
    expect(parseAllowedOrigins(undefined)).toEqual([]);
    expect(parseAllowedOrigins("*")).toEqual([]);
    expect(parseAllowedOrigins(" https://A.com/ ,b.org,")).toEqual(["https://a.com", "b.org"]);
    expect(parseAllowedOrigins("https://münchen.de:443, bücher.example, https://*.münchen.de")).toEqual([
      "https://xn--mnchen-3ya.de",
      "xn--bcher-kva.example",
      "https://*.xn--mnchen-3ya.de",
    ]);
    expect(takes("https://*.münchen.de", "https://shop.xn--mnchen-3ya.de")).toBe(true);
  });
});
