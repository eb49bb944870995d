import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "cdktf.out/**", "data/**", "dist/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: browser, terraform and DuckDB tests compete for them.
    maxWorkers: 2,
    // s3rver makes its ListObjectsV2 continuation tokens with DES, which Node's OpenSSL 3 has only
    // in its legacy provider: without it, listing a bucket of more than 1,000 keys fails with a 500.
    execArgv: ["--openssl-legacy-provider"],
    // Every temp folder of the run (tests, workers, the processes they start) goes into one folder,
    // removed at the end of the run.
    globalSetup: ["test/run-temp-folder.ts"],
  },
});
