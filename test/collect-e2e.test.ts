// End to end through the real command: `ownstats collect` as a child process on a random port,
// a batch POSTed and found in raw/; then kill -9 after acknowledgements and before delivery,
// a restart, and every acknowledged event_id lands.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectInto } from "../cli-run.ts";
import type { WireEventInput } from "../functions/collect/event.ts";
import { rawPartition, writeRawObject } from "../local/raw-object.ts";
import { pageView, readRaw, waitFor } from "./collect-helpers.ts";

const bin = fileURLToPath(new URL("../bin/ownstats.js", import.meta.url));
let data: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  data = await mkdtemp(join(tmpdir(), "ownstats-e2e-"));
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await rm(data, { recursive: true, force: true });
});

/** Starts `ownstats collect --port 0` and resolves with its URL once it prints one. */
function startCollect(env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, "collect", "--port", "0", "--data", data], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /POST (http:\/\/127\.0\.0\.1:\d+)\/v1\/events/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("exit", (code) => reject(new Error(`collect exited with ${code} before listening:\n${output}`)));
  });
}

const post = (url: string, events: WireEventInput[]) =>
  fetch(`${url}/v1/events`, {
    method: "POST",
    headers: { "content-type": "text/plain", origin: "https://example.com" },
    body: JSON.stringify({ events }),
  });

async function rawIds(): Promise<Set<string>> {
  return new Set((await readRaw(data)).map((r) => r.event_id));
}

describe("ownstats collect end to end", () => {
  it("lands a POSTed batch in raw/ within seconds, and stops cleanly on SIGTERM", async () => {
    const { child, url } = await startCollect();
    const events = Array.from({ length: 20 }, (_, i) => pageView({ page_path: `/e2e/${i}` }));
    const res = await post(url, events);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 20, rejected: [] });
    const landed = await waitFor("the batch in raw/", async () => {
      const rows = await readRaw(data);
      return rows.length >= 20 ? rows : undefined;
    });
    expect(landed.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.event_id).sort());
    expect(landed.every((r) => r.site === "example.com" && r.schema_version === 1)).toBe(true);
    child.kill("SIGTERM");
    const [code] = await new Promise<[number | null]>((resolve) => child.on("exit", (c) => resolve([c])));
    expect(code).toBe(0);
  });

  it("loses no acknowledged event when killed with SIGKILL before delivery", async () => {
    // A long delivery interval keeps acknowledged events in the spool when the kill comes.
    const first = await startCollect({ OWNSTATS_DELIVERY_INTERVAL_MS: "600000" });
    const batches = Array.from({ length: 30 }, (_, b) =>
      Array.from({ length: 20 }, (_, i) => pageView({ page_path: `/kill/${b}/${i}` })),
    );
    const acknowledged: string[] = [];
    let answered = 0;
    const killed = new Promise<void>((resolve) => {
      for (const batch of batches) {
        post(first.url, batch)
          .then((res) => {
            if (res.status === 202) acknowledged.push(...batch.map((e) => e.event_id));
          })
          .catch(() => {})
          .finally(() => {
            // Kill while the remaining requests are still in flight.
            if (++answered === 10) {
              first.child.kill("SIGKILL");
              resolve();
            }
          });
      }
    });
    await killed;
    await new Promise((resolve) => first.child.once("exit", resolve));
    expect(acknowledged.length).toBeGreaterThanOrEqual(200);
    // Nothing was delivered before the kill: the events are only in the spool.
    expect((await rawIds()).size).toBe(0);

    // What a kill in the middle of an object's write leaves: its temporary file, from long ago.
    const oldHour = join(data, "raw", "year=2026", "month=01", "day=01", "hour=00");
    await mkdir(oldHour, { recursive: true });
    const torn = join(oldHour, "ownstats-20260101T000000000Z-0123456789ab.gz.tmp");
    await writeFile(torn, "half an obj");
    await utimes(torn, new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:00:00Z"));

    await startCollect();
    const ids = await waitFor("every acknowledged event in raw/", async () => {
      const found = await rawIds();
      return acknowledged.every((id) => found.has(id)) ? found : undefined;
    });
    for (const id of acknowledged) expect(ids.has(id)).toBe(true);
    expect(await readdir(oldHour)).toEqual([]);
  });

  it("joins the objects it landed in an hour once incremental builds no longer read that hour, and leaves recent hours", async () => {
    const HOUR = 3_600_000;
    const thisHour = Math.floor(Date.now() / HOUR) * HOUR;
    // Four hours back is past the models' two-hour lookback and the hour after it; two is not.
    const past = new Date(thisHour - 4 * HOUR);
    const recent = new Date(thisHour - 2 * HOUR);
    for (const [hour, ids] of [
      [past, ["p1", "p2", "p3"]],
      [recent, ["r1", "r2"]],
    ] as const)
      for (const [i, id] of ids.entries())
        await writeRawObject(data, [JSON.stringify({ event_id: id })], new Date(hour.getTime() + i * 5000));
    const objectsIn = async (hour: Date) =>
      (await readdir(join(data, rawPartition(hour)))).filter((name) => name.endsWith(".gz"));

    const { child } = await startCollect();
    await waitFor("the past hour joined", async () =>
      (await objectsIn(past)).length === 1 ? true : undefined,
    );
    expect(await objectsIn(recent)).toHaveLength(2);
    const ids = (await readRaw(data)).map((r) => r.event_id).sort();
    expect(ids).toEqual(["p1", "p2", "p3", "r1", "r2"]);
    child.kill("SIGTERM");
    expect(await new Promise((resolve) => child.on("exit", resolve))).toBe(0);
  });

  it("names a folder that stands where the spool keeps a file, and exits 2 before it listens", async () => {
    for (const [name, holds] of [
      ["0001777000000000-000001.ndjson", "accepted events waiting for delivery (a spool segment)"],
      ["checkpoint.json", "how far the delivery has landed the spool in raw/ (its checkpoint)"],
      ["checkpoint.json.tmp", "how far the delivery has landed the spool in raw/ (its checkpoint) while"],
      ["spool.lock", "the pid of the process that collects into this spool"],
    ] as const) {
      await mkdir(join(data, "spool", name), { recursive: true });
      const result = await collectInto(data);
      expect(result.code, name).toBe(2);
      expect(result.stderr).toContain(
        `ownstats collect: ${join(data, "spool", name)} is a folder, but it must be the file that holds ${holds}`,
      );
      expect(result.stderr).not.toMatch(/EISDIR|^\s+at /m);
      expect(result.stdout).not.toContain("listening");
      await rm(join(data, "spool", name), { recursive: true });
    }
  });

  it.skipIf(process.platform !== "linux" || spawnSync("prlimit", ["--version"]).status !== 0)(
    "stopped when it can no longer write, says that the acknowledged events wait in the spool, and lands them at the next start",
    async () => {
      const first = await startCollect({ OWNSTATS_DELIVERY_INTERVAL_MS: "600000" });
      let stderr = "";
      first.child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const events = Array.from({ length: 10 }, (_, i) => pageView({ page_path: `/full/${i}` }));
      expect((await post(first.url, events)).status).toBe(202);
      // From here on the process cannot write a byte, as on a disk that just filled up.
      const limit = spawnSync("prlimit", ["--pid", String(first.child.pid), "--fsize=0:unlimited"]);
      expect(limit.status).toBe(0);
      first.child.kill("SIGTERM");
      const [code] = await new Promise<[number | null]>((resolve) =>
        first.child.on("exit", (c) => resolve([c])),
      );
      expect(code).toBe(1);
      expect(stderr).toContain(
        `ownstats collect: stopped, but the acknowledged events that wait in ${join(data, "spool")} could not be landed in ${join(data, "raw")} (EFBIG`,
      );
      expect(stderr).toContain("they land at the next start");
      expect(stderr).not.toMatch(/^\s+at /m);

      const second = await startCollect();
      await waitFor("the events in raw/", async () => ((await rawIds()).size >= 10 ? true : undefined));
      expect(await rawIds()).toEqual(new Set(events.map((e) => e.event_id)));
      second.child.kill("SIGTERM");
    },
  );

  // prlimit makes every write of a byte fail (EFBIG), while the empty file of the writable check still
  // passes: the limit is named with how to raise it, since freeing space would not help.
  it.skipIf(process.platform !== "linux" || spawnSync("prlimit", ["--version"]).status !== 0)(
    "names a file size limit (ulimit -f) that lets no byte into the data folder, and exits 2 before it listens",
    () => {
      const result = spawnSync(
        "prlimit",
        ["--fsize=0", process.execPath, bin, "collect", "--port", "0", "--data", data],
        { env: { ...process.env, SINK: "" }, encoding: "utf8", timeout: 20_000 },
      );
      expect(result.stderr).toContain(
        `ownstats collect: cannot write into the data folder ${data}: a file size limit (ulimit -f) is reached (EFBIG); raise the limit (ulimit -f unlimited in the shell that starts ownstats), or choose another --data`,
      );
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.status).toBe(2);
    },
  );
});
