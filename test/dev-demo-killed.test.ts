// `ownstats dev` killed (kill -9, a crash, a closed terminal) while its first start writes the demo
// data: the next start must not find part of a demo in raw/ and take it for a finished one. The demo
// is written aside and moved into raw/ once whole, also when raw/ is on another disk.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { writeDemo } from "../local/demo.ts";
import { recoverDemoStaging } from "../local/demo-staging.ts";
import { ownstatsBin, startDev, tempData } from "./dev-server.ts";

const objectsUnder = (folder: string): number => {
  try {
    return readdirSync(folder, { recursive: true }).filter((name) => String(name).endsWith(".gz")).length;
  } catch {
    return 0;
  }
};

it("writes the whole demo again at the next start when the first start was killed while writing it", async () => {
  const data = tempData();
  const first = spawn(process.execPath, [ownstatsBin, "dev", "--port", "0", "--data", data], {
    stdio: "ignore",
  });
  const exited = new Promise((resolve) => first.once("exit", resolve));
  // Killed once some demo objects are written, long before all of them are.
  while (objectsUnder(data) < 20) await new Promise((resolve) => setTimeout(resolve, 20));
  first.kill("SIGKILL");
  await exited;
  expect(objectsUnder(join(data, "raw"))).toBe(0);

  const second = await startDev([], data);
  try {
    const written = Number(/written +([\d,]+) objects/.exec(second.output())?.[1]?.replace(/,/g, ""));
    expect(second.output()).toContain("cut short and removed; it is written again");
    expect(written).toBeGreaterThan(1_000);
    expect(objectsUnder(join(data, "raw"))).toBe(written);
    expect(objectsUnder(data)).toBe(written);
  } finally {
    await second.stop();
  }
}, 120_000);

it("moves in a demo whose objects were all written when the kill came, and removes one cut short", async () => {
  const data = tempData();
  // All written: the kill came while they were moved into raw/.
  const complete = join(data, "demo-unfinished");
  mkdirSync(join(complete, "raw/year=2026/month=03/day=01/hour=00"), { recursive: true });
  writeFileSync(join(complete, "raw/year=2026/month=03/day=01/hour=00/ownstats-a.gz"), "");
  writeFileSync(join(complete, "complete"), "");
  await expect(recoverDemoStaging(data)).resolves.toBe("finished");
  expect(readdirSync(join(data, "raw/year=2026/month=03/day=01/hour=00"))).toEqual(["ownstats-a.gz"]);
  expect(readdirSync(data)).toEqual(["raw"]);

  mkdirSync(join(complete, "raw/year=2026/month=03/day=01/hour=01"), { recursive: true });
  writeFileSync(join(complete, "raw/year=2026/month=03/day=01/hour=01/ownstats-b.gz"), "");
  await expect(recoverDemoStaging(data)).resolves.toBe("discarded");
  expect(objectsUnder(data)).toBe(1);
  await expect(recoverDemoStaging(data)).resolves.toBe("none");

  // One still being written by a running process is left alone.
  mkdirSync(complete);
  writeFileSync(join(complete, "owner.json"), JSON.stringify({ pid: process.ppid }));
  await expect(recoverDemoStaging(data)).resolves.toBe("busy");
  expect(readdirSync(complete)).toEqual(["owner.json"]);
});

it.skipIf(!existsSync("/dev/shm"))(
  "writes the demo into a raw/ folder that links to another disk",
  async () => {
    const data = tempData();
    const elsewhere = mkdtempSync(join("/dev/shm", "ownstats-raw-"));
    symlinkSync(elsewhere, join(data, "raw"));
    const summary = await writeDemo({ data, visitors: 20, days: 2, seed: 1 });
    expect(objectsUnder(elsewhere)).toBe(summary.objects);
    expect(readdirSync(data)).toEqual(["raw"]);
    rmSync(elsewhere, { recursive: true });
  },
);
