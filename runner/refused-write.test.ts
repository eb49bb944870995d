import { describe, expect, it } from "vitest";
import { refusal } from "./refused-write.ts";

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
