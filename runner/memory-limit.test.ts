import { describe, expect, it } from "vitest";
import { duckdbMemoryLimit, withMemoryHint } from "./memory-limit.ts";

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

describe("withMemoryHint", () => {
  const oom = "Out of Memory Error: could not allocate block of size 256.0 KiB (255.7 MiB/256.0 MiB used)";

  it("says what the limit is and how to raise it", () => {
    expect(withMemoryHint(oom, { OWNSTATS_MEMORY_LIMIT: "300MB" })).toBe(
      `${oom}\nDuckDB may use 300MB here (set by OWNSTATS_MEMORY_LIMIT). Where more memory is free, ` +
        "OWNSTATS_MEMORY_LIMIT=1GiB (say) gives it more; past what is free, the system ends the command instead",
    );
    expect(withMemoryHint(oom, {})).toMatch(
      /DuckDB may use \d+MiB here \(of \d+ MiB, 768 MiB kept for the rest/,
    );
  });

  it("leaves other errors as they are", () => {
    expect(withMemoryHint("Binder Error: column x not found", {})).toBe("Binder Error: column x not found");
  });
});
