// KinesisSink against kinesalite: chunks of ≤ 500, partition key = session_id, a throttled
// partial failure retried until every record is in the stream, a 503 when retries run out. Reading
// the stream back into raw/ is tested in collect-kinesis-delivery.test.ts.
import { describe, expect, it } from "vitest";
import { createApp } from "../functions/collect/app.ts";
import { KinesisSink } from "../functions/collect/kinesis-sink.ts";
import { SinkUnavailableError } from "../functions/collect/sink.ts";
import { pageView, storedEvent } from "./collect-helpers.ts";
import { createStream, kinesaliteForFile, readStream, startThrottlingProxy } from "./kinesalite.ts";

const kinesis = kinesaliteForFile();

describe("KinesisSink on kinesalite", () => {
  it("puts more than 500 records in chunks, keyed by session_id", async () => {
    await createStream(kinesis.client, "chunks", 2);
    const events = Array.from({ length: 1_201 }, (_, i) => storedEvent(i));
    await new KinesisSink(kinesis.client, "chunks").put(events);
    const records = await readStream(kinesis.client, "chunks");
    expect(records.map((r) => r.data.event_id).sort()).toEqual(events.map((e) => e.event_id).sort());
    for (const r of records) expect(r.key).toBe(r.data.session_id);
    // Firehose concatenates Kinesis records as they are: each must end its own NDJSON line.
    for (const r of records) expect(r.text).toMatch(/^\{[^\n]*\}\n$/);
  });

  it("retries the throttled records of a partial failure until all are in the stream", async () => {
    await createStream(kinesis.client, "throttled");
    const proxy = await startThrottlingProxy(kinesis.endpoint, 3);
    try {
      const events = Array.from({ length: 40 }, (_, i) => storedEvent(i));
      await new KinesisSink(proxy.client, "throttled", { baseDelayMs: 5 }).put(events);
      // 20 of 40 throttled, then 10 of those 20, then 5 of those 10.
      expect(proxy.throttled).toBe(35);
      const ids = (await readStream(kinesis.client, "throttled")).map((r) => r.data.event_id);
      expect(ids.sort()).toEqual(events.map((e) => e.event_id).sort());
    } finally {
      await proxy.close();
    }
  });

  it("takes no record as in the stream that a reply counting failures does not name", async () => {
    await createStream(kinesis.client, "unlisted");
    const proxy = await startThrottlingProxy(kinesis.endpoint, 1, { unlisted: true });
    try {
      const events = Array.from({ length: 10 }, (_, i) => storedEvent(i));
      await new KinesisSink(proxy.client, "unlisted", { baseDelayMs: 5 }).put(events);
      expect(proxy.throttled).toBe(5);
      // Sent again, the records that did land are there twice; event_id removes them later.
      const ids = new Set((await readStream(kinesis.client, "unlisted")).map((r) => r.data.event_id));
      expect([...ids].sort()).toEqual(events.map((e) => e.event_id).sort());
    } finally {
      await proxy.close();
    }
  });

  it("gives up after its attempts and the collector answers 503", async () => {
    await createStream(kinesis.client, "hot");
    const proxy = await startThrottlingProxy(kinesis.endpoint, 1_000, { every: true });
    const errors: string[] = [];
    try {
      const sink = new KinesisSink(proxy.client, "hot", { attempts: 3, baseDelayMs: 1 });
      await expect(sink.put([storedEvent(1), storedEvent(2)])).rejects.toBeInstanceOf(SinkUnavailableError);
      const app = createApp({ sink, logError: (m) => errors.push(m) });
      const res = await app.request("/v1/events", {
        method: "POST",
        body: JSON.stringify({ events: [pageView(), pageView()] }),
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: "events could not be stored; send them again later" });
      expect(errors.join("\n")).toMatch(/not accepted after 3 attempts/);
    } finally {
      await proxy.close();
    }
  });

  it("a missing stream is a 503, not a 500", async () => {
    const app = createApp({
      sink: new KinesisSink(kinesis.client, "no-such-stream", { attempts: 1 }),
      logError: () => {},
    });
    const res = await app.request("/v1/events", { method: "POST", body: JSON.stringify(pageView()) });
    expect(res.status).toBe(503);
  });
});
