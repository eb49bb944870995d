import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "cdktf.out/**", "data/**", "dist/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: browser, terraform and DuckDB tests compete for them.
    maxWorkers: 2,
    // Every temp folder of the run (tests, workers, the processes they start) goes into one folder,
    // removed at the end of the run.
    globalSetup: ["test/run-temp-folder.ts"],
  },
});
