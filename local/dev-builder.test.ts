// The dev server's builder under steady traffic: new raw objects keep arriving during every build,
// and the reports must still be rendered now and then, not only the models built.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeDemo } from "./demo.ts";
import { packageModels } from "./dev.ts";
import { IncrementalBuilder } from "./dev-builder.ts";

describe("dev builder", () => {
  it("renders the reports between model builds while new objects keep arriving", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-builder-"));
    await writeDemo({ data, visitors: 40, days: 2, seed: 5, now: "2026-03-02T10:00:00Z" });
    const lines: string[] = [];
    const builder = new IncrementalBuilder({
      data,
      models: packageModels,
      settleMs: 0,
      minIntervalMs: 0,
      reportEveryMs: 0,
      log: (line) => lines.push(line),
    });
    let modelBuilds = 0;
    builder.onBuilt(() => {
      modelBuilds++;
      // New objects landed while this build ran, as they do with an event every second.
      builder.notify();
    });
    builder.notify();
    const rendered = () => lines.some((line) => line.startsWith("reports "));
    while (!rendered() && modelBuilds < 5) await new Promise((r) => setTimeout(r, 100));
    await builder.stop();
    expect(lines.filter((line) => line.startsWith("build ")).every((l) => l.includes("ok"))).toBe(true);
    expect(rendered(), lines.join("\n")).toBe(true);
  }, 120_000);
});
