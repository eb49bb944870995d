// The data folder deleted while the collector runs (to start afresh, by a cleanup script): the
// spool's segment is then a file no folder holds, and an append acknowledged into it would be lost.
// The spool makes its folder again, with what its open segment held acknowledged, and acknowledges
// nothing that is not there.
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { readLockOwner } from "./lock-owner.ts";
import { readSpoolLines, Spool } from "./spool.ts";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "ownstats-spool-deleted-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const line = (i: number) => Buffer.from(`${JSON.stringify({ i })}\n`);
const values = async (dir: string) =>
  (await readSpoolLines(dir)).map((l) => (JSON.parse(l) as { i: number }).i).sort((a, b) => a - b);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

it("makes its folder again when it was deleted, keeping what was acknowledged and not delivered before, and all after", async () => {
  const dir = join(root, "data", "spool");
  const spool = await Spool.open(dir);
  for (const i of range(0, 3)) await spool.append(line(i));
  // The delivery landed these three (and tells the spool so, as after each of its passes).
  await spool.prune(spool.head);
  for (const i of range(3, 6)) await spool.append(line(i));
  await rm(join(root, "data"), { recursive: true });
  await Promise.all(range(6, 206).map((i) => spool.append(line(i))));
  expect(await values(dir)).toEqual(range(3, 206));
  expect(readLockOwner(join(dir, "spool.lock"))?.pid).toBe(process.pid);
  await spool.close();
});

it("keeps every append that resolves when the folder is deleted while appends are in flight", async () => {
  const dir = join(root, "spool");
  const spool = await Spool.open(dir);
  const appends = range(0, 400).map((i) => spool.append(line(i)));
  // Moved away first, then removed: a plain recursive rm races the spool making the folder again
  // (ENOTEMPTY), while a cleanup script's rm of the whole data folder is what the first test covers.
  const gone = join(root, "gone");
  await rename(dir, gone);
  await rm(gone, { recursive: true });
  await Promise.all(appends);
  await Promise.all(range(400, 420).map((i) => spool.append(line(i))));
  // Each once: a batch that was in the deleted segment unacknowledged is appended again, not twice.
  expect(await values(dir)).toEqual(range(0, 420));
  await spool.close();
});

it("takes no more events when another collector took the folder made again, rather than share it", async () => {
  const dir = join(root, "spool");
  const spool = await Spool.open(dir);
  await spool.append(line(0));
  await rm(dir, { recursive: true });
  await mkdir(dir);
  // A live process other than this one holds the new folder.
  await writeFile(join(dir, "spool.lock"), String(process.ppid));
  await expect(spool.append(line(1))).rejects.toThrow(
    /was deleted and another ownstats process \(pid \d+\) is collecting into/,
  );
  await expect(spool.append(line(2))).rejects.toThrow(/takes no more events/);
  expect(await readdir(dir)).toEqual(["spool.lock"]);
  await spool.close();
});
