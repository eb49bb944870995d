import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const ownstats = (...args: string[]) =>
  run(process.execPath, ["bin/ownstats.js", ...args]).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe("ownstats command", () => {
  it("lists every command of the design in its help", async () => {
    const { code, stdout } = await ownstats("--help");
    expect(code).toBe(0);
    for (const command of [
      "dev",
      "collect",
      "build",
      "run",
      "test",
      "report",
      "demo",
      "query",
      "sync",
      "live",
      "replay",
      "cost",
      "compile",
      "ls|list",
    ]) {
      expect(stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    }
  });

  it("exits 2 and names the problem on a usage error", async () => {
    const missing = await ownstats("query");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'sql'");
    const badNumber = await ownstats("demo", "--visitors", "many");
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toContain("--visitors must be a whole number");
  });

  it("stops quietly when the reader of its output closes the pipe (ownstats ls | head -1)", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
    const child = spawn(process.execPath, ["bin/ownstats.js", "ls", "--data", data], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const [code] = await once(child, "exit");
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
