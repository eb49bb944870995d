// KinesisSink against kinesalite: chunks of ≤ 500, partition key = session_id, a throttled
// partial failure retried until every record is in the stream, a 503 when retries run out; and
// `ownstats collect --sink kinesis` reading the stream back into raw/.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  DeleteStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from "@aws-sdk/client-kinesis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../functions/collect/app.ts";
import type { StoredEvent } from "../functions/collect/event.ts";
import { KinesisSink } from "../functions/collect/kinesis-sink.ts";
import { SinkUnavailableError } from "../functions/collect/sink.ts";
import { startCollector } from "../local/collect.ts";
import { KinesisDelivery } from "../local/delivery-kinesis.ts";
import { pageView, readRaw, waitFor } from "./collect-helpers.ts";
import {
  createKinesisClient,
  createStream,
  type RunningEndpoint,
  startKinesalite,
  startThrottlingProxy,
} from "./kinesalite.ts";

let kinesis: RunningEndpoint;
let client: KinesisClient;
beforeAll(async () => {
  kinesis = await startKinesalite();
  client = createKinesisClient({ endpoint: kinesis.endpoint });
});
afterAll(async () => {
  client.destroy();
  await kinesis.close();
});

function stored(i: number): StoredEvent {
  return {
    ...(pageView({ session_id: `session_${String(i % 7).padStart(4, "0")}` }) as StoredEvent),
    ingest_ts: new Date().toISOString(),
    site: "example.com",
    browser: "Firefox",
    browser_version: 120,
    os: "Linux",
    device_type: "desktop",
    is_bot: false,
    country: "DE",
    schema_version: 1,
  };
}

async function readStream(streamName: string): Promise<{ data: StoredEvent; key: string; text: string }[]> {
  const out: { data: StoredEvent; key: string; text: string }[] = [];
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shard.ShardId,
        ShardIteratorType: "TRIM_HORIZON",
      }),
    );
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      if (!page.Records?.length) break;
      for (const r of page.Records) {
        const text = new TextDecoder().decode(r.Data);
        out.push({ data: JSON.parse(text), key: r.PartitionKey ?? "", text });
      }
      iterator = page.NextShardIterator;
    }
  }
  return out;
}

describe("KinesisSink on kinesalite", () => {
  it("puts more than 500 records in chunks, keyed by session_id", async () => {
    await createStream(client, "chunks", 2);
    const events = Array.from({ length: 1_201 }, (_, i) => stored(i));
    await new KinesisSink(client, "chunks").put(events);
    const records = await readStream("chunks");
    expect(records.map((r) => r.data.event_id).sort()).toEqual(events.map((e) => e.event_id).sort());
    for (const r of records) expect(r.key).toBe(r.data.session_id);
    // Firehose concatenates Kinesis records as they are: each must end its own NDJSON line.
    for (const r of records) expect(r.text).toMatch(/^\{[^\n]*\}\n$/);
  });

  it("retries the throttled records of a partial failure until all are in the stream", async () => {
    await createStream(client, "throttled");
    const proxy = await startThrottlingProxy(kinesis.endpoint, 3);
    const proxied = createKinesisClient({ endpoint: proxy.endpoint });
    try {
      const events = Array.from({ length: 40 }, (_, i) => stored(i));
      await new KinesisSink(proxied, "throttled", { baseDelayMs: 5 }).put(events);
      // 20 of 40 throttled, then 10 of those 20, then 5 of those 10.
      expect(proxy.throttled).toBe(35);
      const ids = (await readStream("throttled")).map((r) => r.data.event_id);
      expect(ids.sort()).toEqual(events.map((e) => e.event_id).sort());
    } finally {
      proxied.destroy();
      await proxy.close();
    }
  });

  it("takes no record as in the stream that a reply counting failures does not name", async () => {
    await createStream(client, "unlisted");
    const proxy = await startThrottlingProxy(kinesis.endpoint, 1, { unlisted: true });
    const proxied = createKinesisClient({ endpoint: proxy.endpoint });
    try {
      const events = Array.from({ length: 10 }, (_, i) => stored(i));
      await new KinesisSink(proxied, "unlisted", { baseDelayMs: 5 }).put(events);
      expect(proxy.throttled).toBe(5);
      // Sent again, the records that did land are there twice; event_id removes them later.
      const ids = new Set((await readStream("unlisted")).map((r) => r.data.event_id));
      expect([...ids].sort()).toEqual(events.map((e) => e.event_id).sort());
    } finally {
      proxied.destroy();
      await proxy.close();
    }
  });

  it("gives up after its attempts and the collector answers 503", async () => {
    await createStream(client, "hot");
    const proxy = await startThrottlingProxy(kinesis.endpoint, 1_000, { every: true });
    const proxied = createKinesisClient({ endpoint: proxy.endpoint });
    const errors: string[] = [];
    try {
      const sink = new KinesisSink(proxied, "hot", { attempts: 3, baseDelayMs: 1 });
      await expect(sink.put([stored(1), stored(2)])).rejects.toBeInstanceOf(SinkUnavailableError);
      const app = createApp({ sink, logError: (m) => errors.push(m) });
      const res = await app.request("/v1/events", {
        method: "POST",
        body: JSON.stringify({ events: [pageView(), pageView()] }),
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: "events could not be stored; send them again later" });
      expect(errors.join("\n")).toMatch(/not accepted after 3 attempts/);
    } finally {
      proxied.destroy();
      await proxy.close();
    }
  });

  it("a missing stream is a 503, not a 500", async () => {
    const app = createApp({
      sink: new KinesisSink(client, "no-such-stream", { attempts: 1 }),
      logError: () => {},
    });
    const res = await app.request("/v1/events", { method: "POST", body: JSON.stringify(pageView()) });
    expect(res.status).toBe(503);
  });
});

describe("ownstats collect --sink kinesis", () => {
  it("resumes from its shard checkpoints after a restart, landing each record once", async () => {
    const data = await mkdtemp(join(tmpdir(), "ownstats-kinesis-resume-"));
    const options = {
      port: 0,
      data,
      sink: "kinesis" as const,
      endpoint: kinesis.endpoint,
      deliveryIntervalMs: 200,
    };
    process.env.KINESIS_STREAM_NAME = "resume";
    try {
      const first = await startCollector(options);
      const before = [pageView(), pageView()];
      expect(
        (await fetch(`${first.url}/v1/events`, { method: "POST", body: JSON.stringify({ events: before }) }))
          .status,
      ).toBe(202);
      await waitFor("the first batch", async () => ((await readRaw(data)).length >= 2 ? true : undefined));
      await first.close();

      const second = await startCollector(options);
      const after = [pageView()];
      expect(
        (await fetch(`${second.url}/v1/events`, { method: "POST", body: JSON.stringify({ events: after }) }))
          .status,
      ).toBe(202);
      const rows = await waitFor("the second batch", async () => {
        const found = await readRaw(data);
        return found.length >= 3 ? found : undefined;
      });
      await second.close();
      expect(rows.map((r) => r.event_id).sort()).toEqual([...before, ...after].map((e) => e.event_id).sort());
    } finally {
      delete process.env.KINESIS_STREAM_NAME;
      await rm(data, { recursive: true, force: true });
    }
  });

  it("lands events read back from the stream in raw/", async () => {
    const data = await mkdtemp(join(tmpdir(), "ownstats-kinesis-"));
    const collector = await startCollector({
      port: 0,
      data,
      sink: "kinesis",
      endpoint: kinesis.endpoint,
      deliveryIntervalMs: 200,
    });
    try {
      const events = [pageView(), pageView({ page_path: "/a?b=c" })];
      const res = await fetch(`${collector.url}/v1/events`, {
        method: "POST",
        body: JSON.stringify({ events }),
      });
      expect(res.status).toBe(202);
      const raw = await waitFor("events in raw/", async () => {
        const rows = await readRaw(data);
        return rows.length >= 2 ? rows : undefined;
      });
      expect(raw.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.event_id).sort());
      expect(raw.find((r) => r.event_id === events[1]?.event_id)?.page_path).toBe("/a");
    } finally {
      await collector.close();
      await rm(data, { recursive: true, force: true });
    }
  });

  it("with --source kinesis, the command lands what it reads from the stream and stops on SIGTERM", async () => {
    const data = await mkdtemp(join(tmpdir(), "ownstats-kinesis-source-"));
    const bin = fileURLToPath(new URL("../bin/ownstats.js", import.meta.url));
    const args = ["collect", "--port", "0", "--data", data, "--sink", "kinesis", "--source", "kinesis"];
    const child = spawn(process.execPath, [bin, ...args, "--endpoint", kinesis.endpoint], {
      env: { ...process.env, KINESIS_STREAM_NAME: "from-source", OWNSTATS_DELIVERY_INTERVAL_MS: "200" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      const url = await waitFor("the collector's address", async () => {
        if (child.exitCode !== null) throw new Error(`collect exited with ${child.exitCode}:\n${output}`);
        // The start-up lines can arrive in several chunks: the last one says that all are there.
        if (!output.includes("events go to")) return undefined;
        return /POST (http:\/\/127\.0\.0\.1:\d+)\/v1\/events/.exec(output)?.[1];
      });
      expect(output).toContain("events go to the Kinesis stream from-source at");
      const events = [pageView(), pageView()];
      const res = await fetch(`${url}/v1/events`, { method: "POST", body: JSON.stringify({ events }) });
      expect(res.status).toBe(202);
      const raw = await waitFor("events in raw/", async () => {
        const rows = await readRaw(data);
        return rows.length >= 2 ? rows : undefined;
      });
      expect(raw.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.event_id).sort());
      expect((await readStream("from-source")).map((r) => r.data.event_id).sort()).toEqual(
        events.map((e) => e.event_id).sort(),
      );
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      expect((await exited)[0]).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await rm(data, { recursive: true, force: true });
    }
  });
});

describe("delivery from a Kinesis stream", () => {
  it("refuses to start on a damaged checkpoint of the stream, naming the file and what to do", async () => {
    const data = await mkdtemp(join(tmpdir(), "ownstats-kinesis-damaged-"));
    const streamName = process.env.KINESIS_STREAM_NAME || "ownstats-events";
    const checkpoint = join(data, "spool", `kinesis-${streamName}.checkpoint.json`);
    await mkdir(join(data, "spool"));
    await writeFile(checkpoint, '{"shardId-000000000000":"4959');
    try {
      await expect(
        startCollector({ port: 0, data, sink: "kinesis", source: "kinesis", endpoint: kinesis.endpoint }),
      ).rejects.toThrow(`${checkpoint} is not a delivery checkpoint`);
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  });

  it("reads a stream deleted and made again under the same name from its start, not from the old checkpoint", async () => {
    const data = await mkdtemp(join(tmpdir(), "ownstats-kinesis-remade-"));
    const logged: string[] = [];
    const delivery = new KinesisDelivery({ data, client, streamName: "remade", log: (m) => logged.push(m) });
    try {
      await createStream(client, "remade");
      const before = [stored(1), stored(2)];
      await new KinesisSink(client, "remade").put(before);
      expect(await delivery.deliver()).toBe(2);

      await client.send(new DeleteStreamCommand({ StreamName: "remade" }));
      await waitFor("the stream to go", async () =>
        (await client.send(new ListShardsCommand({ StreamName: "remade" })).catch(() => undefined))
          ? undefined
          : true,
      );
      // Kinesalite tells streams apart by their creation second.
      await new Promise((r) => setTimeout(r, 1_100));
      await createStream(client, "remade");
      const after = [stored(3)];
      await new KinesisSink(client, "remade").put(after);

      expect(await delivery.deliver()).toBe(1);
      expect((await readRaw(data)).map((r) => r.event_id).sort()).toEqual(
        [...before, ...after].map((e) => e.event_id).sort(),
      );
      expect(logged).toEqual([expect.stringMatching(/checkpoint of shardId-000000000000 .*oldest record/)]);
      // The stale checkpoint is gone: the next pass neither complains again nor lands anything twice.
      expect(await delivery.deliver()).toBe(0);
      expect(logged).toHaveLength(1);
    } finally {
      await delivery.stop();
      await rm(data, { recursive: true, force: true });
    }
  });
});
