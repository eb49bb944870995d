// Kinesis for tests: kinesalite (a Kinesis API implementation) in this process, in memory, on a
// random loopback port, started once per test file with a client for it (kinesaliteForFile).
import { once } from "node:events";
import { createServer, request, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from "@aws-sdk/client-kinesis";
import { afterAll, beforeAll } from "vitest";
import { createKinesisClient } from "../functions/collect/aws-clients.ts";
import type { StoredEvent } from "../functions/collect/event.ts";

type Kinesalite = (options: {
  createStreamMs?: number;
  deleteStreamMs?: number;
  updateStreamMs?: number;
}) => Server;
const kinesalite = createRequire(import.meta.url)("kinesalite") as Kinesalite;

export interface RunningEndpoint {
  endpoint: string;
  close(): Promise<void>;
}

export function startKinesalite(): Promise<RunningEndpoint> {
  return listening(kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 }));
}

/** A server listening on a random loopback port, as an endpoint. */
async function listening(server: Server): Promise<RunningEndpoint> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * An endpoint that answers every request with an empty JSON object: JSON, but none of Kinesis's (it
 * describes no stream and lists no shard), as another service on the port would.
 */
export function startEmptyJsonEndpoint(): Promise<RunningEndpoint> {
  return listening(
    createServer((incoming, response) => {
      incoming.resume();
      response.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end("{}");
    }),
  );
}

/** Creates a stream and waits until it is ACTIVE. */
export async function createStream(client: KinesisClient, streamName: string, shards = 1): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shards }));
  for (let i = 0; i < 100; i++) {
    const { StreamDescriptionSummary } = await client.send(
      new DescribeStreamSummaryCommand({ StreamName: streamName }),
    );
    if (StreamDescriptionSummary?.StreamStatus === "ACTIVE") return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`stream ${streamName} did not become ACTIVE`);
}

interface PutRecordsBody {
  StreamName: string;
  Records: { Data: string; PartitionKey: string }[];
}

/**
 * A proxy in front of a Kinesis endpoint that throttles part of each of the first `times`
 * PutRecords calls, as a hot shard does: the records at odd positions (or all, with
 * `every: true`) are not forwarded and come back with ProvisionedThroughputExceededException;
 * the rest reach the stream. With `unlisted: true` the reply keeps only FailedRecordCount and leaves
 * out the per-record list that says which records failed. `client` goes through the proxy; `close`
 * stops both.
 */
export async function startThrottlingProxy(
  upstream: string,
  times: number,
  { every = false, unlisted = false } = {},
): Promise<RunningEndpoint & { throttled: number; client: KinesisClient }> {
  const throttles = (i: number) => every || i % 2 === 1;
  let remaining = times;
  const state = { throttled: 0 };
  const target = new URL(upstream);
  const forward = (headers: Record<string, string | string[] | undefined>, path: string, body: Buffer) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
      (resolve, reject) => {
        const req = request(
          {
            host: target.hostname,
            port: target.port,
            method: "POST",
            path,
            headers: { ...headers, "content-length": body.length },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () =>
              resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }),
            );
          },
        );
        req.on("error", reject);
        req.end(body);
      },
    );
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    const isPut = req.headers["x-amz-target"] === "Kinesis_20131202.PutRecords";
    const throttle = isPut && remaining > 0;
    let original: PutRecordsBody | undefined;
    if (throttle) {
      remaining--;
      original = JSON.parse(body.toString("utf8")) as PutRecordsBody;
      const kept = original.Records.filter((_, i) => !throttles(i));
      body = Buffer.from(JSON.stringify({ ...original, Records: kept }));
    }
    // Signatures are not checked by kinesalite, so a rewritten body still passes.
    const answer = await forward(req.headers, req.url ?? "/", body);
    if (!throttle || !original || answer.status !== 200) {
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
      return;
    }
    const upstreamRecords = (JSON.parse(answer.body.toString("utf8")) as { Records: object[] }).Records;
    let next = 0;
    const records = original.Records.map((_, i) => {
      if (!throttles(i)) return upstreamRecords[next++];
      state.throttled++;
      return { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "Rate exceeded for shard" };
    });
    const failed = records.filter((r) => r && "ErrorCode" in r).length;
    const payload = JSON.stringify({ FailedRecordCount: failed, ...(unlisted ? {} : { Records: records }) });
    res.writeHead(200, {
      "content-type": "application/x-amz-json-1.1",
      "content-length": Buffer.byteLength(payload),
    });
    res.end(payload);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createKinesisClient({ endpoint });
  return {
    endpoint,
    client,
    get throttled() {
      return state.throttled;
    },
    close: () => {
      client.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Every record in the stream from its start, shard by shard: parsed, with its partition key and text. */
export async function readStream(
  client: KinesisClient,
  streamName: string,
): Promise<{ data: StoredEvent; key: string; text: string }[]> {
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

/**
 * Starts kinesalite and a client of it before the file's tests and stops both after them: one
 * kinesalite serves every test of a file. Called at the top of the file, so that the file's own
 * beforeAll hooks, registered after it, find both started.
 */
export function kinesaliteForFile(): { readonly endpoint: string; readonly client: KinesisClient } {
  let kinesis: RunningEndpoint | undefined;
  let client: KinesisClient | undefined;
  beforeAll(async () => {
    kinesis = await startKinesalite();
    client = createKinesisClient({ endpoint: kinesis.endpoint });
  });
  afterAll(async () => {
    client?.destroy();
    await kinesis?.close();
  });
  const started = () => {
    if (!kinesis || !client) throw new Error("kinesalite has not started");
    return { kinesis, client };
  };
  return {
    get endpoint() {
      return started().kinesis.endpoint;
    },
    get client() {
      return started().client;
    },
  };
}
