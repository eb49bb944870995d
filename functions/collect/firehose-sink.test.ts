// FirehoseSink against a local endpoint that speaks the Firehose JSON protocol (no local Firehose
// exists): the exact PutRecordBatch requests, newline-terminated records, ≤ 500 records and
// ≤ 4 MiB per request, FailedPutCount retried (a record is taken only when the reply names it), and
// a SinkUnavailableError when retries run out.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createFirehoseClient } from "./aws-clients.ts";
import type { StoredEvent } from "./event.ts";
import { FirehoseSink } from "./firehose-sink.ts";
import { SinkUnavailableError } from "./sink.ts";

interface SeenRequest {
  target: string | undefined;
  contentType: string | undefined;
  body: { DeliveryStreamName: string; Records: { Data: string }[] };
}

/**
 * Answers PutRecordBatch; `fail(call, index)` picks the records it refuses on each call, and
 * `unlisted(call)` leaves the per-record answers out of that call's reply (only the count stays).
 */
async function startFirehoseEndpoint(
  fail: (call: number, index: number) => boolean,
  unlisted: (call: number) => boolean = () => false,
) {
  const requests: SeenRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as SeenRequest["body"];
    const call = requests.length;
    requests.push({
      target: req.headers["x-amz-target"] as string,
      contentType: req.headers["content-type"],
      body,
    });
    const responses = body.Records.map((_, i) =>
      fail(call, i)
        ? { ErrorCode: "ServiceUnavailableException", ErrorMessage: "Slow down." }
        : { RecordId: `record-${call}-${i}` },
    );
    const failed = responses.filter((r) => "ErrorCode" in r).length;
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
    const listed = unlisted(call) ? {} : { RequestResponses: responses };
    res.end(JSON.stringify({ FailedPutCount: failed, Encrypted: false, ...listed }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(r)) };
}

let closeEndpoint: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await closeEndpoint?.();
});

function event(i: number, pad = 0): StoredEvent {
  return {
    event_type: "page_view",
    event_id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    session_id: "session_0001",
    event_ts: "2026-01-01T00:00:00.000Z",
    page_path: `/p${"x".repeat(pad)}`,
    ingest_ts: "2026-01-01T00:00:01.000Z",
    site: "example.com",
    browser: null,
    browser_version: null,
    os: null,
    device_type: "other",
    is_bot: true,
    country: null,
    schema_version: 1,
  };
}
const decode = (data: string) => Buffer.from(data, "base64").toString("utf8");

describe("FirehoseSink", () => {
  it("sends newline-terminated records in one PutRecordBatch", async () => {
    const firehose = await startFirehoseEndpoint(() => false);
    closeEndpoint = firehose.close;
    const events = [event(1), event(2)];
    await new FirehoseSink(createFirehoseClient({ endpoint: firehose.endpoint }), "events-direct").put(
      events,
    );
    expect(firehose.requests).toHaveLength(1);
    const [request] = firehose.requests;
    expect(request?.target).toBe("Firehose_20150804.PutRecordBatch");
    expect(request?.contentType).toBe("application/x-amz-json-1.1");
    expect(request?.body.DeliveryStreamName).toBe("events-direct");
    expect(request?.body.Records.map((r) => decode(r.Data))).toEqual(
      events.map((e) => `${JSON.stringify(e)}\n`),
    );
  });

  it("retries exactly the records a partial failure names", async () => {
    // First call refuses records 1 and 3; the second call refuses the first of those again.
    const firehose = await startFirehoseEndpoint((call, i) =>
      call === 0 ? i % 2 === 1 : call === 1 && i === 0,
    );
    closeEndpoint = firehose.close;
    const events = [0, 1, 2, 3, 4].map((i) => event(i));
    await new FirehoseSink(createFirehoseClient({ endpoint: firehose.endpoint }), "s", {
      baseDelayMs: 1,
    }).put(events);
    const ids = firehose.requests.map((r) =>
      r.body.Records.map((rec) => JSON.parse(decode(rec.Data)).event_id),
    );
    expect(ids).toEqual([
      events.map((e) => e.event_id),
      [events[1]?.event_id, events[3]?.event_id],
      [events[1]?.event_id],
    ]);
  });

  it("takes no record as accepted that a reply counting failures does not name", async () => {
    // The first reply says one record failed but names none: all three are sent again.
    const firehose = await startFirehoseEndpoint(
      (call, i) => call === 0 && i === 1,
      (call) => call === 0,
    );
    closeEndpoint = firehose.close;
    const events = [0, 1, 2].map((i) => event(i));
    await new FirehoseSink(createFirehoseClient({ endpoint: firehose.endpoint }), "s", {
      baseDelayMs: 1,
    }).put(events);
    const ids = firehose.requests.map((r) =>
      r.body.Records.map((rec) => JSON.parse(decode(rec.Data)).event_id),
    );
    expect(ids).toEqual([events.map((e) => e.event_id), events.map((e) => e.event_id)]);
  });

  it("splits at 500 records and at 4 MiB per request", async () => {
    const firehose = await startFirehoseEndpoint(() => false);
    closeEndpoint = firehose.close;
    const sink = new FirehoseSink(createFirehoseClient({ endpoint: firehose.endpoint }), "s");
    await sink.put(Array.from({ length: 1_001 }, (_, i) => event(i)));
    expect(firehose.requests.map((r) => r.body.Records.length)).toEqual([500, 500, 1]);
    firehose.requests.length = 0;
    // 60 records of ~100 KiB: at most 40 fit under 4 MiB.
    await sink.put(Array.from({ length: 60 }, (_, i) => event(i, 100 * 1024)));
    const sizes = firehose.requests.map((r) =>
      r.body.Records.reduce((n, rec) => n + Buffer.from(rec.Data, "base64").length, 0),
    );
    expect(firehose.requests.length).toBeGreaterThan(1);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(firehose.requests.flatMap((r) => r.body.Records)).toHaveLength(60);
  });

  it("rejects with SinkUnavailableError once the attempts are spent", async () => {
    const firehose = await startFirehoseEndpoint(() => true);
    closeEndpoint = firehose.close;
    const sink = new FirehoseSink(createFirehoseClient({ endpoint: firehose.endpoint }), "s", {
      attempts: 4,
      baseDelayMs: 1,
    });
    await expect(sink.put([event(1)])).rejects.toBeInstanceOf(SinkUnavailableError);
    expect(firehose.requests).toHaveLength(4);
  });

  it("gives up at its deadline when Firehose does not answer, aborting the request", async () => {
    // Takes the request and never answers: the put must still end, as a 503 would.
    const silent = createServer(() => {});
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    closeEndpoint = () => {
      silent.closeAllConnections();
      return new Promise((r) => silent.close(r));
    };
    const { port } = silent.address() as AddressInfo;
    const sink = new FirehoseSink(createFirehoseClient({ endpoint: `http://127.0.0.1:${port}` }), "s", {
      deadlineMs: 300,
    });
    const put = sink.put([event(1)]);
    await expect(put).rejects.toBeInstanceOf(SinkUnavailableError);
    await expect(put).rejects.toThrow(
      /1 of 1 records not accepted after 1 attempts: no answer within 300 ms/,
    );
  });
});
