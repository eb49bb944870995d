import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createKinesisClient } from "../functions/collect/aws-clients.ts";
import { readCheckpoint, SpoolDelivery } from "./delivery.ts";
import { KinesisDelivery } from "./delivery-kinesis.ts";
import { listSegments, Spool } from "./spool.ts";

let data: string;
let spoolDir: string;
beforeEach(async () => {
  data = await mkdtemp(join(tmpdir(), "ownstats-delivery-"));
  spoolDir = join(data, "spool");
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(data, { recursive: true, force: true });
});

const record = (id: string, ingest: string) => ({ event_id: id, ingest_ts: ingest }) as never;

async function rawObjects(): Promise<{ partition: string; ids: string[] }[]> {
  const files = (await readdir(join(data, "raw"), { recursive: true }))
    .filter((f) => f.endsWith(".gz"))
    .sort();
  return Promise.all(
    files.map(async (file) => ({
      partition: file.split("/").slice(0, 4).join("/"),
      ids: gunzipSync(await readFile(join(data, "raw", file)))
        .toString("utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { event_id: string }).event_id),
    })),
  );
}

describe("SpoolDelivery", () => {
  it("names a folder where a checkpoint file must be, for the spool and for a stream", async () => {
    await mkdir(join(spoolDir, "checkpoint.json"), { recursive: true });
    await expect(readCheckpoint(spoolDir)).rejects.toThrow(
      `${join(spoolDir, "checkpoint.json")} is a folder, but it must be the file that holds how far the delivery has landed the spool`,
    );
    const streamCheckpoint = join(spoolDir, "kinesis-events.checkpoint.json.tmp");
    await mkdir(streamCheckpoint);
    const client = createKinesisClient({ endpoint: "http://127.0.0.1:9" });
    const delivery = new KinesisDelivery({ data, client, streamName: "events" });
    await expect(delivery.checkCheckpoints()).rejects.toThrow(
      `${streamCheckpoint} is a folder, but it must be the file that holds how far the delivery has landed stream events`,
    );
    client.destroy();
  });

  it("has the delivery from a stream that does not answer say so once, not at every retry", async () => {
    const client = createKinesisClient({ endpoint: "http://127.0.0.1:9" });
    const log: string[] = [];
    const delivery = new KinesisDelivery({
      data,
      client,
      streamName: "events",
      intervalMs: 5,
      log: (l) => log.push(l),
    });
    delivery.start();
    await vi.waitFor(() => expect(log.length).toBeGreaterThan(0), 5_000);
    // Many more retries at 5 ms.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await delivery.stop();
    client.destroy();
    expect(log).toEqual([expect.stringMatching(/^delivery from Kinesis: will retry: /)]);
  });

  it("names a checkpoint that is no position in the spool, rather than start over silently", async () => {
    const spool = await Spool.open(spoolDir);
    await spool.put([record("a", "2026-03-01T09:00:00.000Z")]);
    const { segment, offset } = spool.head;
    await spool.close();
    const path = join(spoolDir, "checkpoint.json");
    const shape =
      'expected {"segment": the name of a spool segment, "offset": the bytes of it delivered}, got';
    for (const [checkpoint, reason] of [
      [{ segment, offset: 1e300 }, shape],
      [{ segment, offset: -5 }, shape],
      [{ segment, offset: 1.5 }, shape],
      [{ segment, offset: "3" }, shape],
      [{ segment: "../elsewhere", offset: 0 }, shape],
      [[], `${shape} []`],
    ] as const) {
      await writeFile(path, JSON.stringify(checkpoint));
      await expect(readCheckpoint(spoolDir), JSON.stringify(checkpoint)).rejects.toThrow(
        `${path} is not a delivery checkpoint (${reason}`,
      );
    }
    await writeFile(path, JSON.stringify({ segment, offset }));
    expect(await readCheckpoint(spoolDir)).toEqual({ segment, offset });
  });

  it("lands the spool past a folder named like a segment that was made while it runs", async () => {
    const spool = await Spool.open(spoolDir);
    await spool.put([record("a", "2026-03-01T09:00:00.000Z")]);
    // Sorts before the open segment, among the closed ones the delivery reads.
    await mkdir(join(spoolDir, "0000000000000001-000001.ndjson"));
    const log: string[] = [];
    const delivery = new SpoolDelivery({ data, spool, log: (line) => log.push(line) });
    expect(await delivery.deliver()).toBe(1);
    expect((await rawObjects()).flatMap((o) => o.ids)).toEqual(["a"]);
    expect(log).toEqual([]);
    await spool.close();
  });

  it("lands the spool as one object per arrival hour and checkpoints the end", async () => {
    const spool = await Spool.open(spoolDir);
    await spool.put([
      record("a", "2026-03-01T09:59:59.000Z"),
      record("b", "2026-03-01T09:59:59.999Z"),
      record("c", "2026-03-01T10:00:00.000Z"),
    ]);
    const delivery = new SpoolDelivery({ data, spool });
    expect(await delivery.deliver()).toBe(3);
    expect(await rawObjects()).toEqual([
      { partition: "year=2026/month=03/day=01/hour=09", ids: ["a", "b"] },
      { partition: "year=2026/month=03/day=01/hour=10", ids: ["c"] },
    ]);
    expect(await readCheckpoint(spoolDir)).toEqual(spool.head);
    // Nothing new: nothing written twice.
    expect(await delivery.deliver()).toBe(0);
    await spool.put([record("d", "2026-03-01T10:30:00.000Z")]);
    expect(await delivery.deliver()).toBe(1);
    expect((await rawObjects()).flatMap((o) => o.ids)).toEqual(["a", "b", "c", "d"]);
    await spool.close();
  });

  it("resumes after a restart from the checkpoint, and steps over a torn last line", async () => {
    const first = await Spool.open(spoolDir);
    await first.put([record("a", "2026-03-01T09:00:00.000Z")]);
    await new SpoolDelivery({ data, spool: first }).deliver();
    await first.put([record("b", "2026-03-01T09:00:01.000Z")]);
    await first.close();
    // A crash in the middle of a write leaves half a line that was never acknowledged.
    const [segment] = await listSegments(spoolDir);
    await appendFile(join(spoolDir, segment as string), '{"event_id":"torn","ingest_');

    const logged: string[] = [];
    const second = await Spool.open(spoolDir);
    await second.put([record("c", "2026-03-01T09:00:02.000Z")]);
    const delivery = new SpoolDelivery({ data, spool: second, log: (m) => logged.push(m) });
    expect(await delivery.deliver()).toBe(2);
    expect((await rawObjects()).flatMap((o) => o.ids)).toEqual(["a", "b", "c"]);
    expect(logged.join("\n")).toMatch(/unfinished line/);
    await second.close();
  });

  it("follows the spool into the segment that follows one closed by age, and prunes the one behind", async () => {
    vi.useFakeTimers({ toFake: ["Date"] }); // the files are real; the clock moves only when told
    const spool = await Spool.open(spoolDir, { segmentMs: 60_000, retentionMs: 0 });
    const delivery = new SpoolDelivery({ data, spool });
    await spool.put([record("a", "2026-03-01T09:00:00.000Z")]);
    expect(await delivery.deliver()).toBe(1);
    vi.setSystemTime(Date.now() + 61_000);
    await spool.put([record("b", "2026-03-01T09:01:01.000Z")]);
    await spool.put([record("c", "2026-03-01T09:01:02.000Z")]);
    expect(await listSegments(spoolDir)).toHaveLength(2);
    expect(await delivery.deliver()).toBe(2);
    expect(await listSegments(spoolDir)).toEqual([spool.head.segment]);
    expect(await readCheckpoint(spoolDir)).toEqual(spool.head);
    await spool.put([record("d", "2026-03-01T09:01:03.000Z")]);
    expect(await delivery.deliver()).toBe(1);
    expect((await rawObjects()).flatMap((o) => o.ids)).toEqual(["a", "b", "c", "d"]);
    await spool.close();
  });

  it("lands each readable line byte for byte, stepping over empty and unreadable ones", async () => {
    const spool = await Spool.open(spoolDir);
    await spool.put([
      record("a", "2026-03-01T09:00:00.000Z"),
      {
        event_id: "b",
        page_title: 'Café ☕ \u2028 "quoted"',
        ingest_ts: "2026-03-01T09:00:01.000Z",
      } as never,
    ]);
    await spool.append(Buffer.from('\n{"event_id":"junk"}\nnot json\n'));
    await spool.put([record("c", "2026-03-01T09:00:02.000Z"), record("d", "2026-03-01T10:00:00.000Z")]);
    const logged: string[] = [];
    const delivery = new SpoolDelivery({ data, spool, log: (m) => logged.push(m) });
    expect(await delivery.deliver()).toBe(4);
    expect(logged.join("\n")).toMatch(/skipped 2 unreadable lines/);
    const files = (await readdir(join(data, "raw"), { recursive: true }))
      .filter((f) => f.endsWith(".gz"))
      .sort();
    const texts = await Promise.all(
      files.map(async (f) => gunzipSync(await readFile(join(data, "raw", f))).toString("utf8")),
    );
    const line = (record: object) => JSON.stringify(record);
    expect(texts).toEqual([
      [
        line({ event_id: "a", ingest_ts: "2026-03-01T09:00:00.000Z" }),
        line({ event_id: "b", page_title: 'Café ☕ \u2028 "quoted"', ingest_ts: "2026-03-01T09:00:01.000Z" }),
        line({ event_id: "c", ingest_ts: "2026-03-01T09:00:02.000Z" }),
        "",
      ].join("\n"),
      `${line({ event_id: "d", ingest_ts: "2026-03-01T10:00:00.000Z" })}\n`,
    ]);
    expect(await readCheckpoint(spoolDir)).toEqual(spool.head);
    await spool.close();
  });

  it("delivers early once enough bytes wait, and lands the rest on stop", async () => {
    let delivery: SpoolDelivery | undefined;
    const spool = await Spool.open(spoolDir, { onAppend: (bytes) => delivery?.noteAppended(bytes) });
    delivery = new SpoolDelivery({ data, spool, intervalMs: 3_600_000, maxBytes: 1 }).start();
    await spool.put([record("a", "2026-03-01T09:00:00.000Z")]);
    // Poll generously: on a busy machine the early delivery can take seconds to be scheduled.
    for (let i = 0; i < 1_000 && (await rawObjects().catch(() => [])).length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await rawObjects()).flatMap((o) => o.ids)).toEqual(["a"]);
    await spool.put([record("b", "2026-03-01T09:00:00.000Z")]);
    await spool.close();
    await delivery.stop();
    expect((await rawObjects()).flatMap((o) => o.ids).sort()).toEqual(["a", "b"]);
  });
});
