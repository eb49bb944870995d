import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { localPath } from "./sync.ts";

describe("sync localPath", () => {
  it("maps a key under the prefix into DATA/raw/", () => {
    expect(localPath("/d", "raw/", "raw/year=2026/month=01/day=02/hour=03/a.gz")).toBe(
      join("/d", "raw", "year=2026", "month=01", "day=02", "hour=03", "a.gz"),
    );
  });

  it("refuses keys that would climb out of raw/ or name a folder", () => {
    for (const key of ["raw/../escape.gz", "raw/year=2026/../../x.gz", "raw/", "raw/a\\..\\b.gz"])
      expect(() => localPath("/d", "raw/", key)).toThrow(/refusing S3 key/);
  });
});
