// build = run + test + report, as the command runs it.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempProject } from "./runner/testkit.ts";

const bin = fileURLToPath(new URL("./bin/ownstats.js", import.meta.url));

describe("ownstats build", () => {
  it("stops at Ctrl-C during the run, without rendering the reports afterwards", async () => {
    const p = tempProject({
      // Long enough to be running when the signal comes.
      "slow.sql":
        '{{config materialized="table"}}\nselect sum(a.range * b.range) as s from range(1000000) a, range(1000000) b',
    });
    const child = spawn(process.execPath, [bin, "build", "--data", p.data, "--models", p.models]);
    let output = "";
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      await Promise.race([
        exited,
        new Promise<void>((started) =>
          child.stdout.on("data", (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes("START sql table model main.slow")) started();
          }),
        ),
      ]);
      child.kill("SIGINT");
      expect(await exited, output).toBe(130);
    } finally {
      child.kill("SIGKILL");
    }
    expect(output).toContain("Exited because of keyboard interrupt");
    expect(output).not.toMatch(/report:/);
    expect(existsSync(join(p.data, "site"))).toBe(false);
  }, 60_000);
});
