import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "cdktf.out/**", "data/**", "dist/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: browser, terraform and DuckDB tests compete for them.
    maxWorkers: 2,
  },
});
