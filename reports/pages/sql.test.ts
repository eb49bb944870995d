import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { openWarehouse } from "../../runner/warehouse.ts";
import { sampleDataFolder } from "../sample-warehouse.ts";
import { exampleQueries } from "./sql.ts";

const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("SQL playground examples", () => {
  it("lists the last 14 days' figures, when some of those days had no session", async () => {
    // The sample's data ends on Nov 20; no session on Nov 10 to 14.
    const data = await sampleDataFolder(
      `DELETE FROM daily WHERE "date" BETWEEN DATE '2026-11-10' AND DATE '2026-11-14'`,
    );
    folders.push(data);
    const example = exampleQueries.find((e) => e.title === "The last 14 days");
    const warehouse = await openWarehouse(data);
    try {
      const rows = await warehouse.all(example?.sql ?? "");
      expect(rows.map((r) => String(r.date).slice(0, 10))).toEqual([
        "2026-11-20",
        "2026-11-19",
        "2026-11-18",
        "2026-11-17",
        "2026-11-16",
        "2026-11-15",
        "2026-11-09",
        "2026-11-08",
        "2026-11-07",
      ]);
    } finally {
      warehouse.close();
    }
  });
});
