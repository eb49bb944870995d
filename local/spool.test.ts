import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readCheckpoint, SpoolDelivery } from "./delivery.ts";
import { instanceOf } from "./lock-owner.ts";
import { listSegments, readSpoolLines, Spool, type SpoolPosition } from "./spool.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ownstats-spool-"));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

function hasPrlimit(): boolean {
  return process.platform === "linux" && spawnSync("prlimit", ["--version"]).status === 0;
}
/** Sets the soft limit on the size of files this process writes (the hard limit stays unlimited). */
function setLargestFileSize(soft: string): void {
  const result = spawnSync("prlimit", ["--pid", String(process.pid), `--fsize=${soft}:unlimited`]);
  if (result.status !== 0) throw new Error(`prlimit failed: ${result.stderr.toString()}`);
}

const canMakeFifo = process.platform !== "win32" && spawnSync("mkfifo", ["--version"]).status === 0;
function makeFifo(path: string): void {
  const result = spawnSync("mkfifo", [path]);
  if (result.status !== 0) throw new Error(`mkfifo failed: ${result.stderr.toString()}`);
}

const line = (i: number) => Buffer.from(`${JSON.stringify({ i, ingest_ts: new Date().toISOString() })}\n`);

describe("Spool", () => {
  it("keeps every concurrent append, whole and in one log, once each resolves", async () => {
    const spool = await Spool.open(dir);
    await Promise.all(Array.from({ length: 500 }, (_, i) => spool.append(line(i))));
    const head = spool.head;
    expect(head.offset).toBe((await stat(join(dir, head.segment))).size);
    await spool.close();
    const values = (await readSpoolLines(dir)).map((l) => (JSON.parse(l) as { i: number }).i);
    expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it("starts a new segment on every open and when a segment is full", async () => {
    const first = await Spool.open(dir);
    await first.append(line(1));
    await first.close();
    const second = await Spool.open(dir, { segmentBytes: 60 }); // about one and a half lines
    for (let i = 0; i < 5; i++) await second.append(line(i));
    await second.close();
    expect(await listSegments(dir)).toHaveLength(4); // 1 + [0,1] [2,3] [4]
    expect(await readSpoolLines(dir)).toHaveLength(6);
  });

  it("is written by one process at a time, and takes over the lock of a dead one", async () => {
    const { spawnSync } = await import("node:child_process");
    const { writeFile } = await import("node:fs/promises");
    // A live process other than this one holds the spool.
    await writeFile(join(dir, "spool.lock"), String(process.ppid));
    await expect(Spool.open(dir)).rejects.toThrow(/another ownstats process \(pid \d+\) is collecting into/);
    // A process that has exited left its lock behind.
    const gone = spawnSync(process.execPath, [
      "-e",
      "process.stdout.write(String(process.pid))",
    ]).stdout.toString();
    await writeFile(join(dir, "spool.lock"), gone);
    const spool = await Spool.open(dir);
    await spool.close();
    expect(await readdir(dir)).not.toContain("spool.lock");
  });

  it.skipIf(!existsSync("/proc/sys/kernel/random/boot_id"))(
    "takes over a lock whose pid now belongs to another process, as after a reboot",
    async () => {
      const { writeFile } = await import("node:fs/promises");
      const parent = { pid: process.ppid, instance: instanceOf(process.ppid) };
      await writeFile(join(dir, "spool.lock"), JSON.stringify(parent));
      await expect(Spool.open(dir)).rejects.toThrow(`another ownstats process (pid ${process.ppid})`);
      // The parent process is alive, but the lock was written by a process of another boot.
      const earlierBoot = { pid: process.ppid, instance: "00000000-0000-0000-0000-000000000000/4242" };
      await writeFile(join(dir, "spool.lock"), JSON.stringify(earlierBoot));
      const spool = await Spool.open(dir);
      expect(JSON.parse(await readFile(join(dir, "spool.lock"), "utf8"))).toEqual({
        pid: process.pid,
        instance: instanceOf(process.pid),
        host: hostname(),
      });
      await spool.close();
      expect(await readdir(dir)).not.toContain("spool.lock");
    },
  );

  // prlimit lowers this process's largest file size to nothing, so every write is refused before
  // its first byte, as on a full disk; it is raised again before anything else writes.
  it.skipIf(!hasPrlimit())(
    "answers every write refused outright with an error, without leaving an empty segment per refusal",
    async () => {
      const spool = await Spool.open(dir);
      setLargestFileSize("0");
      try {
        for (let i = 0; i < 5; i++) await expect(spool.append(line(i))).rejects.toThrow(/EFBIG/);
      } finally {
        setLargestFileSize("unlimited");
      }
      await spool.append(line(5));
      await spool.close();
      expect(await listSegments(dir)).toHaveLength(1);
      expect((await readSpoolLines(dir)).map((l) => (JSON.parse(l) as { i: number }).i)).toEqual([5]);
    },
  );

  it.skipIf(!hasPrlimit())(
    "has its delivery say once, not at every retry, that it cannot write, and when it works again",
    async () => {
      const spool = await Spool.open(join(dir, "spool"));
      await spool.append(line(1));
      const log: string[] = [];
      const delivery = new SpoolDelivery({ data: dir, spool, intervalMs: 5, log: (l) => log.push(l) });
      setLargestFileSize("0");
      try {
        delivery.start();
        // Many retries at 5 ms.
        await new Promise((resolve) => setTimeout(resolve, 300));
      } finally {
        setLargestFileSize("unlimited");
      }
      await vi.waitFor(
        async () => expect(await readCheckpoint(join(dir, "spool"))).toEqual(spool.head),
        5_000,
      );
      await delivery.stop();
      await spool.close();
      expect(log).toEqual([
        expect.stringMatching(
          /^delivery: cannot land events in raw\/, the spool keeps them; will retry: EFBIG/,
        ),
        "delivery: works again, landing what the spool kept",
      ]);
    },
  );

  it.skipIf(!existsSync("/proc/self/stat"))(
    "takes over the lock of a collector killed with kill -9 that no parent has collected yet (a zombie)",
    async () => {
      // `sleep 30` does not collect the child it inherits: once that child exits it stays a zombie.
      const parent = spawn("sh", ["-c", "sleep 0.1 & echo $!; exec sleep 30"], {
        stdio: ["ignore", "pipe", "ignore"],
      });
      try {
        const [output] = (await once(parent.stdout, "data")) as [Buffer];
        const zombie = Number(output.toString().trim());
        await vi.waitFor(() => expect(readFileSync(`/proc/${zombie}/stat`, "utf8")).toMatch(/\) Z /), 5_000);
        await writeFile(
          join(dir, "spool.lock"),
          JSON.stringify({ pid: zombie, instance: instanceOf(zombie) }),
        );
        const spool = await Spool.open(dir);
        await spool.close();
      } finally {
        parent.kill("SIGKILL");
      }
    },
  );

  it.skipIf(!canMakeFifo)(
    "refuses a named pipe named like a segment at the start, by name, and reads past one made while it runs",
    async () => {
      const pipe = join(dir, "0001777000000000-000001.ndjson");
      makeFifo(pipe);
      // Read as a segment, the pipe would block the delivery until something writes into it: never.
      await expect(Spool.open(dir)).rejects.toThrow(
        `${pipe} is a named pipe (FIFO), but it must be the file that holds accepted events waiting for delivery (a spool segment); move it away or choose another --data`,
      );
      await rm(pipe);
      const spool = await Spool.open(dir);
      await spool.put([{ event_id: "a" } as never]);
      makeFifo(pipe);
      expect(await listSegments(dir)).toEqual([spool.head.segment]);
      expect(await readSpoolLines(dir)).toEqual(['{"event_id":"a"}']);
      await spool.close();
    },
  );

  it("refuses appends once closed", async () => {
    const spool = await Spool.open(dir);
    await spool.close();
    await expect(spool.append(line(1))).rejects.toThrow(/closed/);
  });

  it("prunes delivered segments past the retention, and keeps the rest", async () => {
    const old = await Spool.open(dir);
    await old.append(line(1));
    await old.close();
    const mid = await Spool.open(dir);
    await mid.append(line(2));
    await mid.close();
    const spool = await Spool.open(dir, { retentionMs: 60_000 });
    const [oldest, middle] = await listSegments(dir);
    const longAgo = new Date(Date.now() - 3_600_000);
    await utimes(join(dir, oldest as string), longAgo, longAgo);
    await utimes(join(dir, middle as string), longAgo, longAgo);
    // Delivered up to the middle segment: only the oldest is behind it.
    expect(await spool.prune({ segment: middle as string, offset: 0 })).toEqual([oldest]);
    // Not yet old enough: kept even though delivered.
    expect(
      await spool.prune({ segment: spool.head.segment, offset: 0 }, Date.now() - 3_600_000 + 1_000),
    ).toEqual([]);
    expect(await spool.prune({ segment: spool.head.segment, offset: 0 })).toEqual([middle]);
    await spool.close();
    expect(await readdir(dir)).toEqual([spool.head.segment]);
  });

  it("closes a segment once its first line is segmentMs old, so its delivered lines are pruned", async () => {
    // Only Date is faked (the files are real): the clock stands still unless moved.
    vi.useFakeTimers({ toFake: ["Date"] });
    const spoolDir = join(dir, "spool");
    const spool = await Spool.open(spoolDir, { segmentMs: 60_000 });
    await spool.put([{ event_id: "delivered", ingest_ts: "2026-03-01T09:00:00.000Z" }] as never);
    expect(await new SpoolDelivery({ data: dir, spool }).deliver()).toBe(1);
    const checkpoint = (await readCheckpoint(spoolDir)) as SpoolPosition;
    vi.setSystemTime(Date.now() + 61_000);
    await spool.put([{ event_id: "waiting", ingest_ts: "2026-03-01T09:01:01.000Z" }] as never);
    // A day later the closed, delivered segment goes; the open one, not yet delivered, stays.
    expect(await spool.prune(checkpoint, Date.now() + 25 * 3_600_000)).toEqual([checkpoint.segment]);
    expect(await listSegments(spoolDir)).toEqual([spool.head.segment]);
    expect(await readSpoolLines(spoolDir)).toEqual([
      '{"event_id":"waiting","ingest_ts":"2026-03-01T09:01:01.000Z"}',
    ]);
    await spool.close();
  });

  it("puts stored events as NDJSON lines", async () => {
    const spool = await Spool.open(dir);
    await spool.put([{ event_id: "a" }, { event_id: "b" }] as never);
    await spool.close();
    expect(await readSpoolLines(dir)).toEqual(['{"event_id":"a"}', '{"event_id":"b"}']);
  });
});
