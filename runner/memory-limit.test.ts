import { describe, expect, it } from "vitest";
import { duckdbMemoryLimit } from "./memory-limit.ts";

const GiB = 2 ** 30;

describe("duckdbMemoryLimit", () => {
  it("keeps 768 MiB beside DuckDB's buffers on a small machine", () => {
    expect(duckdbMemoryLimit({}, 2 * GiB)).toBe("1280MiB");
    expect(duckdbMemoryLimit({}, 1.5 * GiB)).toBe("768MiB");
  });

  it("gives DuckDB at least 256 MiB, even in a 512 MiB container", () => {
    expect(duckdbMemoryLimit({}, 1 * GiB)).toBe("256MiB");
    expect(duckdbMemoryLimit({}, 0.5 * GiB)).toBe("256MiB");
  });

  it("takes DuckDB's own 80 % on a large machine", () => {
    expect(duckdbMemoryLimit({}, 24 * GiB)).toBe(`${Math.floor(24 * 1024 * 0.8)}MiB`);
  });

  it("takes OWNSTATS_MEMORY_LIMIT as it is, and names it when it is not a size", () => {
    expect(duckdbMemoryLimit({ OWNSTATS_MEMORY_LIMIT: " 2GiB " }, 1 * GiB)).toBe("2GiB");
    expect(duckdbMemoryLimit({ OWNSTATS_MEMORY_LIMIT: "" }, 2 * GiB)).toBe("1280MiB");
    expect(() => duckdbMemoryLimit({ OWNSTATS_MEMORY_LIMIT: "lots" }, GiB)).toThrow(
      'OWNSTATS_MEMORY_LIMIT must be a size such as 512MB or 2GiB (DuckDB\'s memory_limit), not "lots"',
    );
  });
});
