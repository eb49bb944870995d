// `ownstats live` and `ownstats replay` against kinesalite (in-process, two shards): the tail shows
// what arrives after it started, with per-minute counts; replay lands a time window of the stream's
// retention in raw/, each event in the partition of its own ingest hour.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import {
  DescribeStreamSummaryCommand,
  MergeShardsCommand,
  PutRecordsCommand,
  SplitShardCommand,
} from "@aws-sdk/client-kinesis";
import { describe, expect, it, vi } from "vitest";
import { ownstats, ownstatsLimited } from "../cli-run.ts";
import { replay } from "../local/index.ts";
import { replayStream } from "../local/kinesis-replay.ts";
import { tailStream } from "../local/kinesis-tail.ts";
import { writeRawObject } from "../local/raw-object.ts";
import { fullRefreshMarked, fullRefreshMarkPath, fullRefreshReason } from "../runner/full-refresh-mark.ts";
import { createStream, kinesaliteForFile, startEmptyJsonEndpoint } from "./kinesalite.ts";
import { tempFolder } from "./temp-folders.ts";

const kinesis = kinesaliteForFile();

let counter = 0;
/** A stored event as the collector's Kinesis sink writes it, one per record. */
function storedEvent(fields: Record<string, unknown>): Record<string, unknown> {
  counter++;
  return {
    event_id: `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    event_type: "page_view",
    session_id: `session-${counter % 7}-abcdef`,
    event_ts: "2026-05-01T10:00:00.000Z",
    page_path: "/",
    ingest_ts: "2026-05-01T10:00:01.000Z",
    site: "example.com",
    browser: "Firefox",
    device_type: "desktop",
    is_bot: false,
    country: "DE",
    schema_version: 1,
    ...fields,
  };
}

async function put(stream: string, records: (Record<string, unknown> | string)[]): Promise<void> {
  await kinesis.client.send(
    new PutRecordsCommand({
      StreamName: stream,
      Records: records.map((record, i) => ({
        Data: Buffer.from(typeof record === "string" ? record : JSON.stringify(record)),
        PartitionKey: `key-${i}`,
      })),
    }),
  );
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** After a split or a merge the stream is UPDATING for a moment; the next reshard must wait for ACTIVE. */
async function waitUntilActive(stream: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { StreamDescriptionSummary } = await kinesis.client.send(
      new DescribeStreamSummaryCommand({ StreamName: stream }),
    );
    if (StreamDescriptionSummary?.StreamStatus === "ACTIVE") return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${stream} did not become ACTIVE`);
}

/** Tails a stream and collects the page paths it shows; `stop` ends the tail, `done` settles after. */
async function tailPaths(streamName: string, relistMs?: number) {
  const seen: unknown[] = [];
  const stop = new AbortController();
  const tail = tailStream({
    client: kinesis.client,
    streamName,
    signal: stop.signal,
    pollMs: 50,
    ...(relistMs ? { relistMs } : {}),
    onEvent: (event) => seen.push(event.page_path),
    onMinute: () => {},
  });
  await tail.ready;
  return { seen, stop, done: tail.done };
}

describe("live and replay, when Kinesis cannot be asked", () => {
  it("name the endpoint that does not answer and the stream that is not there, with what to check", async () => {
    const data = tempFolder("ownstats-replay-");
    // Port 1 of the loopback: nothing listens there.
    for (const args of [["live"], ["replay", "--since", "1h", "--data", data]]) {
      const command = args[0];
      const unreachable = await ownstats(...args, "--stream", "s", "--endpoint", "http://127.0.0.1:1");
      // One line: the AWS SDK's warning about Node's version is not printed before it.
      expect(unreachable.stderr.trim(), command).toBe(
        `ownstats ${command}: stream s: could not reach http://127.0.0.1:1 (ECONNREFUSED): is the Kinesis server running, and --endpoint its URL?`,
      );
      expect(unreachable.code, command).toBe(1);
      const missing = await ownstats(...args, "--stream", "nowhere", "--endpoint", kinesis.endpoint);
      expect(missing.stderr.trim(), command).toMatch(
        /^ownstats (live|replay): stream nowhere: Stream nowhere .*not found at http:\/\/127\.0\.0\.1:\d+: check --stream, the kinesis_stream_name output of a stack deployed with kinesis_stream_enabled = true$/,
      );
      expect(missing.code, command).toBe(1);
    }
  });

  it("name an endpoint that lists no shard of the stream, where they would find nothing to read", async () => {
    const { endpoint, close } = await startEmptyJsonEndpoint();
    try {
      const data = tempFolder("ownstats-replay-");
      for (const args of [["live"], ["replay", "--since", "1h", "--data", data]]) {
        const command = args[0];
        const result = await ownstats(...args, "--stream", "s", "--endpoint", endpoint);
        expect(result.stderr.trim(), command).toBe(
          `ownstats ${command}: stream s: ${endpoint} listed no shard of the stream, though every Kinesis stream has one: is --endpoint the Kinesis server's URL?`,
        );
        expect(result.code, command).toBe(1);
      }
      expect(existsSync(join(data, "raw"))).toBe(false);
    } finally {
      await close();
    }
  });
});

describe("live", () => {
  it("prints what arrives on every shard after it started, and counts it per minute", async () => {
    await createStream(kinesis.client, "live-events", 2);
    await put("live-events", [storedEvent({ page_path: "/before-the-tail" })]);
    const seen: Record<string, unknown>[] = [];
    const minutes: number[] = [];
    const stop = new AbortController();
    const tail = tailStream({
      client: kinesis.client,
      streamName: "live-events",
      signal: stop.signal,
      pollMs: 100,
      onEvent: (event) => seen.push(event),
      onMinute: (_minute, counts) => minutes.push([...counts.values()].reduce((a, b) => a + b, 0)),
    });
    await tail.ready;
    const sent = Array.from({ length: 30 }, (_, i) => storedEvent({ page_path: `/after/${i}` }));
    await put("live-events", [...sent, "not json at all"]);
    await until(() => seen.length >= sent.length, "the tail to show 30 events");
    stop.abort();
    await tail.done;

    expect(seen.map((e) => e.page_path).sort()).toEqual(sent.map((e) => e.page_path).sort());
    // The foreign record is counted, not shown; the minute's count covers both.
    expect(minutes.reduce((a, b) => a + b, 0)).toBe(31);
  });

  it("shows the events of child shards that a split made and a merge closed between two looks", async () => {
    await createStream(kinesis.client, "live-resharded");
    const { seen, stop, done } = await tailPaths("live-resharded", 1_500);
    const sent: string[] = [];
    const putSome = async (label: string) => {
      const events = Array.from({ length: 6 }, (_, i) => storedEvent({ page_path: `/${label}/${i}` }));
      await put("live-resharded", events);
      sent.push(...events.map((e) => e.page_path as string));
    };
    await putSome("parent");
    await kinesis.client.send(
      new SplitShardCommand({
        StreamName: "live-resharded",
        ShardToSplit: "shardId-000000000000",
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    await waitUntilActive("live-resharded");
    await putSome("children");
    await kinesis.client.send(
      new MergeShardsCommand({
        StreamName: "live-resharded",
        ShardToMerge: "shardId-000000000001",
        AdjacentShardToMerge: "shardId-000000000002",
      }),
    );
    await waitUntilActive("live-resharded");
    await putSome("merged");
    await until(() => seen.length >= sent.length, "the tail to show every event");
    stop.abort();
    await done;
    expect(seen.sort()).toEqual(sent.sort());
  });
  it.each([
    ["from the last event it showed", ["/before-the-pause"]],
    ["on a shard that showed none yet", []],
  ])("goes on after a pause longer than an iterator lives, %s", async (_, before) => {
    const stream = `live-paused-${before.length}`;
    await createStream(kinesis.client, stream);
    const { seen, stop, done } = await tailPaths(stream);
    try {
      if (before.length)
        await put(
          stream,
          before.map((page_path) => storedEvent({ page_path })),
        );
      await until(() => seen.length === before.length, "the events before the pause");
      // Kinesalite runs in this process: moving the clock on expires the tail's iterators, as a
      // machine's sleep does; the event that arrives meanwhile must still be shown.
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 6 * 60_000);
      await put(stream, [storedEvent({ page_path: "/after-the-pause" })]);
      await until(() => seen.length === before.length + 1, "the event after the pause");
    } finally {
      vi.useRealTimers();
      stop.abort();
    }
    await done;
    expect(seen).toEqual([...before, "/after-the-pause"]);
  });
});

describe("replay", () => {
  it("lands the window since the given time in raw/, by each event's ingest hour", async () => {
    await createStream(kinesis.client, "replay-events", 2);
    await put("replay-events", [storedEvent({ page_path: "/too-early" })]);
    // Kinesalite stamps arrivals to the millisecond; a pause keeps the two batches apart.
    await new Promise((r) => setTimeout(r, 1_100));
    const since = new Date();
    await new Promise((r) => setTimeout(r, 50));
    const nine = Array.from({ length: 9 }, () => storedEvent({ ingest_ts: "2026-05-01T09:59:59.000Z" }));
    const ten = Array.from({ length: 11 }, () => storedEvent({ ingest_ts: "2026-05-01T10:00:00.000Z" }));
    await put("replay-events", [...nine, ...ten, "{ not an event"]);

    const data = tempFolder("ownstats-replay-");
    const summary = await replayStream({ client: kinesis.client, streamName: "replay-events", data, since });
    expect(summary).toMatchObject({
      shards: 2,
      events: 20,
      skipped: 1,
      earliestHour: new Date("2026-05-01T09:00:00Z"),
    });

    const landed = (hour: string) => {
      const folder = join(data, "raw", "year=2026", "month=05", "day=01", `hour=${hour}`);
      return readdirSync(folder)
        .filter((name) => name.endsWith(".gz"))
        .flatMap((name) =>
          gunzipSync(readFileSync(join(folder, name)))
            .toString("utf8")
            .trim()
            .split("\n"),
        )
        .map((line) => JSON.parse(line).event_id as string)
        .sort();
    };
    expect(landed("09")).toEqual(nine.map((e) => e.event_id).sort());
    expect(landed("10")).toEqual(ten.map((e) => e.event_id).sort());
  });

  it("marks a full refresh when it writes hours before what an incremental build of the folder still reads", async () => {
    await createStream(kinesis.client, "replay-behind");
    const since = new Date(Date.now() - 1000);
    await put("replay-behind", [
      storedEvent({ ingest_ts: "2026-05-01T09:30:00.000Z" }),
      storedEvent({ ingest_ts: "2026-05-02T08:10:00.000Z" }),
    ]);
    // The folder already held 2 May 10:00: an incremental build reads from 08:00 on (two hours back).
    const data = tempFolder("ownstats-replay-behind-");
    await writeRawObject(data, [JSON.stringify(storedEvent({}))], new Date("2026-05-02T10:00:00Z"));
    const summary = await replayStream({ client: kinesis.client, streamName: "replay-behind", data, since });
    expect(summary).toMatchObject({ events: 2, behindWarehouse: true });
    expect(fullRefreshMarked(data)).toEqual(new Date("2026-05-01T09:00:00Z"));
    expect(fullRefreshReason(data)).toBe(
      "events from 2026-05-01T09:00:00.000Z on were replayed by `ownstats replay` after an incremental build read past them",
    );

    // Within the lookback: nothing to mark.
    const recent = tempFolder("ownstats-replay-recent-");
    await writeRawObject(recent, [JSON.stringify(storedEvent({}))], new Date("2026-05-01T10:00:00Z"));
    const within = await replayStream({
      client: kinesis.client,
      streamName: "replay-behind",
      data: recent,
      since,
    });
    expect(within.behindWarehouse).toBeUndefined();
    expect(existsSync(fullRefreshMarkPath(recent))).toBe(false);
  });

  // prlimit makes every write of a byte fail (EFBIG), as a full disk (ENOSPC) would with its own way out.
  it.skipIf(process.platform !== "linux" || spawnSync("prlimit", ["--version"]).status !== 0)(
    "names a data folder that refuses the objects' writes, with the way out, not as the stream's problem",
    async () => {
      await createStream(kinesis.client, "replay-refused");
      await put("replay-refused", [storedEvent({ page_path: "/a" }), storedEvent({ page_path: "/b" })]);
      const data = tempFolder("ownstats-replay-");
      const limited = await ownstatsLimited(
        ["--fsize=0"],
        {},
        "replay",
        "--stream",
        "replay-refused",
        "--since",
        "1h",
        "--data",
        data,
        "--endpoint",
        kinesis.endpoint,
      );
      expect(limited.stderr.trim()).toBe(
        `ownstats replay: cannot write into the data folder ${data}: a file size limit (ulimit -f) is reached (EFBIG); raise the limit (ulimit -f unlimited in the shell that starts ownstats), or choose another --data`,
      );
      expect(limited.code).toBe(1);
    },
  );

  it("refuses a --since that is not a duration, with exit code 2", async () => {
    const data = tempFolder("ownstats-replay-");
    const code = await replay({
      stream: "replay-events",
      since: "yesterday",
      data,
      endpoint: kinesis.endpoint,
    });
    expect(code).toBe(2);
    expect(readdirSync(data)).toEqual([]);
  });
});
