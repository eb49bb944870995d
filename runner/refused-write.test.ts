import { describe, expect, it } from "vitest";
import { refusal, refusedForRoom, saysNoRoom } from "./refused-write.ts";

describe("refusal", () => {
  it("takes a Node error's code and path as they are", () => {
    const error = Object.assign(new Error("ENOSPC: no space left on device, write"), {
      code: "ENOSPC",
      path: "/d/target/manifest.json",
    });
    expect(refusal(error)).toEqual({ code: "ENOSPC", path: "/d/target/manifest.json" });
  });

  it("reads the code and file from DuckDB's words for the system's refusal", () => {
    const full = new Error('IO Error: Could not write file "/d/warehouse.duckdb": No space left on device');
    expect(refusal(full)).toEqual({ code: "ENOSPC", path: "/d/warehouse.duckdb" });
    const readOnly = new Error('IO Error: Cannot open file "/d/warehouse.duckdb.wal": Read-only file system');
    expect(refusal(readOnly)).toEqual({ code: "EROFS", path: "/d/warehouse.duckdb.wal" });
  });

  it("finds nothing in another DuckDB error or a plain one", () => {
    expect(
      refusal(new Error('IO Error: Could not set lock on file "/d/w.duckdb": Conflicting lock is held')),
    ).toEqual({});
    expect(refusal(new Error("Catalog Error: Table with name x does not exist!"))).toEqual({});
    expect(refusal("not an error")).toEqual({});
  });
});

describe("refusedForRoom and saysNoRoom", () => {
  it("tell a write refused for want of room from another refusal", () => {
    const nodeError = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    expect(refusedForRoom(nodeError)).toBe(true);
    expect(
      refusedForRoom(new Error('IO Error: Could not write file "/d/w.duckdb": Disk quota exceeded')),
    ).toBe(true);
    expect(refusedForRoom(Object.assign(new Error("EROFS"), { code: "EROFS" }))).toBe(false);
    for (const line of [
      "failed: ENOSPC: no space left on device, write",
      "failed: cannot write /d/target/manifest.json: its disk is full (ENOSPC); free some space",
      'Runtime Error: IO Error: Could not write file "/d/w.duckdb": No space left on device',
      "report: cannot write /d/site/x: the disk quota is used up (EDQUOT); free some space",
    ])
      expect(saysNoRoom(line), line).toBe(true);
    expect(saysNoRoom("failed: cannot write /d/x: its file system is read-only (EROFS)")).toBe(false);
  });
});
