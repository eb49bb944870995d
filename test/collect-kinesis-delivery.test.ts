// `ownstats collect --sink kinesis` and the delivery reading a Kinesis stream back into raw/:
// shard checkpoints across restarts, --source kinesis, a damaged checkpoint, a stream made again.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DeleteStreamCommand, ListShardsCommand } from "@aws-sdk/client-kinesis";
import { describe, expect, it } from "vitest";
import { KinesisSink } from "../functions/collect/kinesis-sink.ts";
import { startCollector } from "../local/collect.ts";
import { KinesisDelivery } from "../local/delivery-kinesis.ts";
import { pageView, readRaw, storedEvent, waitFor } from "./collect-helpers.ts";
import { createStream, kinesaliteForFile, readStream } from "./kinesalite.ts";

const kinesis = kinesaliteForFile();

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
      expect((await readStream(kinesis.client, "from-source")).map((r) => r.data.event_id).sort()).toEqual(
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

  it("names a checkpoint that is JSON but no shard positions, rather than fail or deliver everything again at every pass", async () => {
    const data = await mkdtemp(join(tmpdir(), "ownstats-kinesis-shape-"));
    const delivery = new KinesisDelivery({ data, client: kinesis.client, streamName: "shape" });
    const checkpoint = join(data, "spool", "kinesis-shape.checkpoint.json");
    const shape = 'expected {"shard id": the sequence number of its last delivered record, …}, got';
    try {
      await mkdir(join(data, "spool"));
      // null failed every pass (nothing landed); [] lost each position written into it, so every
      // pass landed the whole stream again; a number is no sequence number Kinesis takes.
      for (const content of ["null", "[]", '"4959"', '{"shardId-000000000000":4959}']) {
        await writeFile(checkpoint, content);
        await expect(delivery.checkCheckpoints(), content).rejects.toThrow(
          `${checkpoint} is not a delivery checkpoint (${shape} ${content})`,
        );
      }
      await writeFile(checkpoint, '{"shardId-000000000000":"4959"}');
      await expect(delivery.checkCheckpoints()).resolves.toBeUndefined();
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  });

  it("reads a stream deleted and made again under the same name from its start, not from the old checkpoint", async () => {
    const data = await mkdtemp(join(tmpdir(), "ownstats-kinesis-remade-"));
    const logged: string[] = [];
    const delivery = new KinesisDelivery({
      data,
      client: kinesis.client,
      streamName: "remade",
      log: (m) => logged.push(m),
    });
    try {
      await createStream(kinesis.client, "remade");
      const before = [storedEvent(1), storedEvent(2)];
      await new KinesisSink(kinesis.client, "remade").put(before);
      expect(await delivery.deliver()).toBe(2);

      await kinesis.client.send(new DeleteStreamCommand({ StreamName: "remade" }));
      await waitFor("the stream to go", async () =>
        (await kinesis.client.send(new ListShardsCommand({ StreamName: "remade" })).catch(() => undefined))
          ? undefined
          : true,
      );
      // Kinesalite tells streams apart by their creation second.
      await new Promise((r) => setTimeout(r, 1_100));
      await createStream(kinesis.client, "remade");
      const after = [storedEvent(3)];
      await new KinesisSink(kinesis.client, "remade").put(after);

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
