import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildSite } from "../index.ts";
import { sampleDataFolder } from "../sample-warehouse.ts";

const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("sources page", () => {
  it("reads a source's conversion rate from its counts: one conversion in 3,000 sessions is not 0.0 %", async () => {
    // The mart rounds conversion_rate to one decimal (the article's query), so it holds 0.0 here.
    const data = await sampleDataFolder(
      "INSERT INTO sources VALUES ('rare', 3000, 1, round(100.0 * 1 / 3000, 1)), ('half', 8, 4, 50.0)",
    );
    folders.push(data);
    await buildSite({ data, days: 28 });
    const page = readFileSync(join(data, "site", "sources.html"), "utf8");
    const row = (source: string) =>
      [
        ...(page.match(new RegExp(`<tr><td[^>]*>${source}</td>(.*?)</tr>`))?.[1] ?? "").matchAll(
          />([^<]+)</g,
        ),
      ].map((m) => m[1]);
    expect(row("rare")).toEqual(["3,000", "1", "&lt; 0.1 %"]);
    expect(row("half")).toEqual(["8", "4", "50.0 %"]);
  });
});
