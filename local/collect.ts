// The collector that `ownstats collect` (collect-command.ts) and `ownstats dev` run: the app on a
// local port with its sink, and the delivery that lands events in DATA/raw/ from its source. With the file sink (default) the source is the spool;
// with `kinesis`, the stream is read back into raw/ as a Kinesis-sourced Firehose would (by default
// only on a local endpoint: on AWS the stack's Firehose delivers); with `firehose`, the real service
// delivers and nothing is read back here.
import { resolve } from "node:path";
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
} from "@aws-sdk/client-kinesis";
import type { Hono } from "hono";
import { parseAllowedOrigins } from "../functions/collect/allowed-origins.ts";
import { createApp } from "../functions/collect/app.ts";
import { createFirehoseClient, createKinesisClient } from "../functions/collect/aws-clients.ts";
import { CustomPathError, type CustomPaths, customPathsFromEnv } from "../functions/collect/custom-paths.ts";
import { FirehoseSink } from "../functions/collect/firehose-sink.ts";
import { KinesisSink } from "../functions/collect/kinesis-sink.ts";
import { serveApp } from "../functions/collect/server.ts";
import type { Sink } from "../functions/collect/sink.ts";
import {
  DEFAULT_FIREHOSE_STREAM,
  DEFAULT_KINESIS_STREAM,
  type SinkKind,
} from "../functions/collect/sink-from-env.ts";
import { readCheckpoint, SpoolDelivery } from "./delivery.ts";
import { KinesisDelivery } from "./delivery-kinesis.ts";
import { kinesisError } from "./kinesis-error.ts";
import { listAllShards, NoShardsListed } from "./kinesis-shards.ts";
import { listenProblem, listenUrls } from "./listen-address.ts";
import { removeStaleTemporaries } from "./raw-object.ts";
import { routeClash } from "./route-clash.ts";
import { Spool } from "./spool.ts";
import { refusedWrite, StartProblem } from "./start-problem.ts";

export interface StartCollectorOptions {
  port: number;
  /** @default "127.0.0.1" */
  host?: string;
  data: string;
  /** @default "file" */
  sink?: SinkKind;
  /** What the delivery reads into raw/. @default as {@link deliverySource} picks for the sink */
  source?: DeliverySource;
  /** AWS endpoint for the kinesis and firehose sinks (kinesalite, a local stand-in). */
  endpoint?: string;
  /** How often the delivery lands what waits. @default 5000 */
  deliveryIntervalMs?: number;
  /** Adds routes to the app, e.g. GET /analytics.js and its extra names among `paths`. */
  extend?: (app: Hono, paths: CustomPaths) => void;
  /**
   * Takes events from pages this server serves (the dev server's demo site) also when
   * ALLOWED_ORIGINS lists other origins.
   */
  allowOwnOrigin?: boolean;
}

export interface RunningCollector {
  /** e.g. http://127.0.0.1:8787 (no trailing slash); events go to `${url}/v1/events`. */
  url: string;
  /** Listening on every interface: the URLs other machines reach it at (this machine's addresses). */
  networkUrls: string[];
  /** The address it listens on, as --host gave it. */
  host: string;
  port: number;
  app: Hono;
  /** The extra script and events paths TRACKER_SCRIPT_NAME and COLLECT_API_ENDPOINT gave. */
  paths: CustomPaths;
  /** Stops taking requests, lets the sink finish, and lands what waits in the spool. */
  close(): Promise<void>;
}

interface Pipeline {
  sink: Sink;
  stop(): Promise<void>;
}

export type DeliverySource = "spool" | "kinesis";

/** Options that cannot work together: `ownstats collect` exits 2 with the message. */
export class CollectOptionsError extends StartProblem {}

/**
 * Where a running collector serves the tracker and takes events, the extra names of
 * TRACKER_SCRIPT_NAME and COLLECT_API_ENDPOINT included: "http://…/analytics.js and http://…/js/site.js".
 */
export function servedAt(collector: RunningCollector): { tracker: string; events: string } {
  const { url, paths } = collector;
  const also = (extra: string[]) => extra.map((path) => ` and ${url}${path}`).join("");
  return {
    tracker: `${url}/analytics.js${also(paths.scriptPaths)}`,
    events: `${url}/v1/events${also(paths.collectPath ? [paths.collectPath] : [])}`,
  };
}

/**
 * What the delivery reads into raw/ for a sink: the spool the file sink writes, the stream the
 * kinesis sink writes (by default only on a local endpoint: on AWS the stack's Firehose delivers it),
 * or nothing (undefined) when the Firehose service delivers. A source that holds none of the
 * collector's events is refused: acknowledged events would never land.
 */
export function deliverySource(
  sink: SinkKind,
  source: DeliverySource | undefined,
  endpoint: string | undefined,
): DeliverySource | undefined {
  if (sink === "file") {
    // Most often --sink kinesis was forgotten: the events would go to the spool, not to that endpoint.
    if (endpoint)
      throw new CollectOptionsError(
        `--endpoint ${endpoint} is for the kinesis and firehose sinks; with --sink file the events wait in the spool (add --sink kinesis or --sink firehose)`,
      );
    if (source === "kinesis")
      throw new CollectOptionsError(
        "--source kinesis reads the stream that --sink kinesis writes; with --sink file there is no stream to read, the events wait in the spool (--source spool)",
      );
    return "spool";
  }
  if (sink === "kinesis") {
    if (source === "spool")
      throw new CollectOptionsError(
        "--source spool reads the spool that --sink file writes; with --sink kinesis the events are in the stream (--source kinesis)",
      );
    return source ?? (endpoint ? "kinesis" : undefined);
  }
  if (source)
    throw new CollectOptionsError(
      `--source ${source}: with --sink firehose there is no ${source === "kinesis" ? "stream" : "spool"} to read, the Firehose service delivers the events (--sink kinesis --source kinesis reads a stream back)`,
    );
  return undefined;
}

export async function startCollector(options: StartCollectorOptions): Promise<RunningCollector> {
  const {
    port,
    host = "127.0.0.1",
    data,
    sink: kind = "file",
    endpoint,
    deliveryIntervalMs,
    extend,
  } = options;
  const source = deliverySource(kind, options.source, endpoint);
  const paths = pathsFromEnv();
  const pipeline = await startPipeline(kind, source, { data, endpoint, intervalMs: deliveryIntervalMs });
  const allowedOrigins = parseAllowedOrigins(process.env.ALLOWED_ORIGINS);
  const app = createApp({ sink: pipeline.sink, allowedOrigins, collectPath: paths.collectPath });
  const ownRoutes = app.routes.length;
  extend?.(app, paths);
  const clash = routeClash(app.routes.slice(ownRoutes), paths);
  if (clash) {
    await pipeline.stop();
    throw new CollectOptionsError(clash);
  }
  let running: Awaited<ReturnType<typeof serveApp>>;
  try {
    running = await serveApp(app, { port, hostname: host });
  } catch (error) {
    await pipeline.stop();
    throw listenProblem(error, host, port);
  }
  const { url, network } = listenUrls(host, running.port);
  // The port is known only now; the app reads the same list on each request. An empty list takes any origin.
  if (options.allowOwnOrigin && allowedOrigins.length > 0)
    allowedOrigins.push(...ownOrigins(new URL(url), network));
  let closing: Promise<void> | undefined;
  return {
    url,
    networkUrls: network,
    host,
    port: running.port,
    app,
    paths,
    close: () => {
      closing ??= running.close().finally(() => pipeline.stop());
      return closing;
    },
  };
}

/** TRACKER_SCRIPT_NAME and COLLECT_API_ENDPOINT, a bad value named as any start-up problem is. */
function pathsFromEnv(): CustomPaths {
  try {
    return customPathsFromEnv(process.env);
  } catch (error) {
    if (error instanceof CustomPathError) throw new CollectOptionsError(error.message);
    throw error;
  }
}

/**
 * The origins a browser sends from this server's own pages: its host, localhost for a loopback one,
 * and on every interface this machine's network addresses too.
 */
function ownOrigins(url: URL, networkUrls: string[]): string[] {
  const loopback = ["127.0.0.1", "localhost", "[::1]"];
  const hosts = loopback.includes(url.hostname) ? loopback : [url.hostname];
  // As a browser sends it: port 80 is left out.
  return [...hosts.map((name) => `http://${name}:${url.port || 80}`), ...networkUrls].map(
    (origin) => new URL(origin).origin,
  );
}

async function startPipeline(
  kind: SinkKind,
  source: DeliverySource | undefined,
  { data, endpoint, intervalMs }: { data: string; endpoint?: string; intervalMs?: number },
): Promise<Pipeline> {
  // An earlier run killed while it wrote an object left that object's temporary file.
  if (source) await removeStaleTemporaries(data);
  if (kind === "file") {
    // An unreadable checkpoint would stop every delivery: it is named before anything is acknowledged.
    await readCheckpoint(resolve(data, "spool"));
    let delivery: SpoolDelivery | undefined;
    const spool = await Spool.open(resolve(data, "spool"), {
      onAppend: (bytes) => delivery?.noteAppended(bytes),
    }).catch((error: unknown) => {
      throw refusedWrite(error, data);
    });
    // Whatever an earlier run acknowledged but did not land goes out first, without delaying the start.
    delivery = new SpoolDelivery({ data, spool, intervalMs }).start();
    return {
      sink: spool,
      stop: async () => {
        await spool.close();
        await delivery.stop();
      },
    };
  }
  if (kind === "kinesis") {
    const streamName = process.env.KINESIS_STREAM_NAME || DEFAULT_KINESIS_STREAM;
    const client = createKinesisClient({ endpoint });
    const sink = new KinesisSink(client, streamName);
    if (source !== "kinesis") return { sink, stop: () => sink.close() };
    // Only a local endpoint gets its stream made here: on AWS the stack owns it.
    if (endpoint) {
      try {
        await ensureStream(client, streamName);
      } catch (error) {
        client.destroy();
        // Named as `live` and `replay` name it: the endpoint and the flag to check.
        if (error instanceof NoShardsListed)
          throw new CollectOptionsError(
            `stream ${streamName}: ${(kinesisError(error, endpoint, undefined) as Error).message}`,
          );
        // Most often the endpoint is wrong or not started yet: say where, not just ECONNREFUSED.
        throw new CollectOptionsError(
          `could not make the stream ${streamName} ready at ${endpoint} (${(error as Error).message}); is it running? check --endpoint`,
        );
      }
    }
    const delivery = new KinesisDelivery({ data, client, streamName, intervalMs });
    try {
      await delivery.checkCheckpoints();
    } catch (error) {
      client.destroy();
      throw error;
    }
    delivery.start();
    return {
      sink,
      stop: async () => {
        await delivery.stop();
        await delivery.deliver();
        await sink.close();
      },
    };
  }
  const streamName = process.env.FIREHOSE_STREAM_NAME || DEFAULT_FIREHOSE_STREAM;
  const sink = new FirehoseSink(createFirehoseClient({ endpoint }), streamName);
  return { sink, stop: () => sink.close() };
}

/**
 * On a local endpoint the stream may not exist yet: create it (one shard), wait until active, and
 * check that it lists a shard (NoShardsListed otherwise).
 */
async function ensureStream(client: KinesisClient, streamName: string): Promise<void> {
  const status = async () => {
    try {
      const { StreamDescriptionSummary } = await client.send(
        new DescribeStreamSummaryCommand({ StreamName: streamName }),
      );
      return StreamDescriptionSummary?.StreamStatus;
    } catch (error) {
      if ((error as Error).name === "ResourceNotFoundException") return "missing";
      throw error;
    }
  };
  if ((await status()) === "missing")
    await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
  // An answer without a status is no Kinesis one (an endpoint that answers every request with an
  // empty JSON object): waiting would not make it one, and the listing below names it.
  const waits = (now: string | undefined) => now !== "ACTIVE" && now !== undefined;
  for (let i = 0; i < 100 && waits(await status()); i++) await new Promise((r) => setTimeout(r, 100));
  // Such an endpoint lists no shard either, and delivery would retry on every pass without end.
  await listAllShards(client, streamName);
}
