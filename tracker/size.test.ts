import { describe, expect, it } from "vitest";
import { bundleTracker, GZIP_BUDGET_BYTES, sizes } from "./build.ts";

describe("tracker size budget", () => {
  it(`stays within ${GZIP_BUDGET_BYTES} bytes after gzip -9`, async () => {
    const code = await bundleTracker();
    const { raw, gzip } = sizes(code);
    expect(raw).toBeGreaterThan(1000); // a real bundle, not an empty build
    expect(
      gzip,
      `analytics.js is ${gzip} B gzip -9, over the ${GZIP_BUDGET_BYTES} B budget`,
    ).toBeLessThanOrEqual(GZIP_BUDGET_BYTES);
  });

  it("is one self-contained IIFE that leaks no globals but window.ownstats", async () => {
    const code = await bundleTracker();
    expect(code.startsWith("(()=>{")).toBe(true);
    expect(code.endsWith("})();")).toBe(true);
    expect(code).not.toMatch(/\bimport\b|\brequire\(/);
  });
});
