// TRACKER_SCRIPT_NAME and COLLECT_API_ENDPOINT: paths as a browser asks for them, or one line that
// names the variable and what is wrong with its value.
import { describe, expect, it } from "vitest";
import { customPathsFromEnv } from "./custom-paths.ts";

describe("customPathsFromEnv", () => {
  it("gives no extra path when neither variable is set or both are empty", () => {
    expect(customPathsFromEnv({})).toEqual({ scriptPaths: [], collectPath: undefined });
    expect(customPathsFromEnv({ TRACKER_SCRIPT_NAME: " ", COLLECT_API_ENDPOINT: "" })).toEqual({
      scriptPaths: [],
      collectPath: undefined,
    });
  });

  it("reads a comma list of script paths and one events path, trimmed, each script path once", () => {
    expect(
      customPathsFromEnv({
        TRACKER_SCRIPT_NAME: " /js/site.js, /s.js,,/js/site.js",
        COLLECT_API_ENDPOINT: " /api/e ",
      }),
    ).toEqual({ scriptPaths: ["/js/site.js", "/s.js"], collectPath: "/api/e" });
  });

  it("names the variable of a path that does not start with a slash, with the path it likely meant", () => {
    expect(() => customPathsFromEnv({ TRACKER_SCRIPT_NAME: "stats.js" })).toThrow(
      'TRACKER_SCRIPT_NAME "stats.js" must start with "/", e.g. "/stats.js"',
    );
    expect(() => customPathsFromEnv({ COLLECT_API_ENDPOINT: "https://example.com/e" })).toThrow(
      'COLLECT_API_ENDPOINT "https://example.com/e" must start with "/"',
    );
  });

  it("refuses what a route would never match: a query string, a pattern, an empty or dot segment", () => {
    for (const value of ["/e?x=1", "/e/:id", "/js/*", "/e/", "//e", "/a/../e", "/./e", "/e%20f", "/é"])
      expect(() => customPathsFromEnv({ COLLECT_API_ENDPOINT: value }), value).toThrow(
        `COLLECT_API_ENDPOINT "${value}" must be a path of letters, digits and - . _ ~ between single slashes`,
      );
  });

  it("refuses the collector's own paths, which it always serves", () => {
    for (const value of ["/v1/events", "/analytics.js", "/v1/health", "/v1/other"]) {
      expect(() => customPathsFromEnv({ COLLECT_API_ENDPOINT: value }), value).toThrow(
        `COLLECT_API_ENDPOINT "${value}" is taken by the collector's own /analytics.js, /v1/events and /v1/ paths`,
      );
      expect(() => customPathsFromEnv({ TRACKER_SCRIPT_NAME: value }), value).toThrow(
        `TRACKER_SCRIPT_NAME "${value}" is taken by the collector's own`,
      );
    }
  });

  it("refuses one path for both the script and the events", () => {
    expect(() => customPathsFromEnv({ TRACKER_SCRIPT_NAME: "/a.js,/p", COLLECT_API_ENDPOINT: "/p" })).toThrow(
      'COLLECT_API_ENDPOINT and TRACKER_SCRIPT_NAME both name "/p"',
    );
  });
});
