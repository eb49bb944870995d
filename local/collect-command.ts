// `ownstats collect` as a command: checks the flags and the data folder before anything starts, runs
// the collector (collect.ts) until SIGINT or SIGTERM, and says where the events go.
import { resolve } from "node:path";
import {
  DEFAULT_FIREHOSE_STREAM,
  DEFAULT_KINESIS_STREAM,
  type SinkKind,
  sinkKind,
} from "../functions/collect/sink-from-env.ts";
import {
  type DeliverySource,
  deliverySource,
  type RunningCollector,
  servedAt,
  startCollector,
} from "./collect.ts";
import { deliveryIntervalFromEnv } from "./delivery.ts";
import { ensureWritable } from "./dev-guard.ts";
import type { CollectOptions } from "./index.ts";
import { listeningOn, networkLines } from "./listen-address.ts";
import { StartProblem } from "./start-problem.ts";

/** The CLI face: runs until SIGINT or SIGTERM, then shuts down cleanly and resolves 0. */
export async function collect(options: CollectOptions): Promise<number> {
  let sink: SinkKind;
  let source: DeliverySource | undefined;
  let deliveryIntervalMs: number | undefined;
  try {
    // The flag wins over SINK; either is checked, so a misspelt value never picks a sink silently.
    sink =
      options.sink === undefined
        ? sinkKind(process.env.SINK, "file")
        : sinkKind(options.sink, "file", "--sink");
    source = deliverySource(sink, options.source, options.endpoint);
    deliveryIntervalMs = deliveryIntervalFromEnv(process.env.OWNSTATS_DELIVERY_INTERVAL_MS);
    // Only a delivery writes into the data folder; a file or read-only folder there would otherwise
    // surface as a bare ENOTDIR or EACCES from deep inside the spool. Both deliveries keep their
    // checkpoints in DATA/spool, the one reading a stream back as well.
    if (source) ensureWritable(options.data, ["raw", "spool"]);
  } catch (error) {
    console.error(`ownstats collect: ${(error as Error).message}`);
    return 2;
  }
  // Loaded only here: the tracker route may build the script with esbuild on first use.
  const { mountTracker } = await import("./tracker-route.ts");
  let collector: RunningCollector;
  try {
    collector = await startCollector({
      port: options.port,
      host: options.host,
      data: options.data,
      sink,
      source,
      endpoint: options.endpoint,
      deliveryIntervalMs,
      extend: (app, { scriptPaths }) => mountTracker(app, { extraPaths: scriptPaths }),
    });
  } catch (error) {
    // A port in use or an endpoint that does not answer is fixed with a flag, as a usage error is:
    // one line, exit 2 (as `ownstats dev`).
    const message = (error as Error).message;
    if (!(error instanceof StartProblem) && !/already in use/.test(message)) throw error;
    console.error(`ownstats collect: ${message}`);
    return 2;
  }
  const raw = resolve(options.data, "raw");
  const at = options.endpoint ? ` at ${options.endpoint}` : "";
  const where =
    sink === "file"
      ? `events land in ${raw} (sink: file, delivered from the spool)`
      : sink === "kinesis"
        ? `events go to the Kinesis stream ${process.env.KINESIS_STREAM_NAME || DEFAULT_KINESIS_STREAM}${at}` +
          (source === "kinesis" ? ` and land in ${raw}, read back from it` : "; its Firehose delivers them")
        : `events go to the Firehose stream ${process.env.FIREHOSE_STREAM_NAME || DEFAULT_FIREHOSE_STREAM}${at}, which delivers them`;
  console.log(`ownstats collector listening on ${listeningOn(collector)}`);
  const served = servedAt(collector);
  console.log(`send events: POST ${served.events}`);
  console.log(`tracker script: ${served.tracker}`);
  console.log(where);
  for (const line of networkLines(collector, "send events")) console.log(line);
  const stopped = new Promise<void>((done) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      done();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  // The delivery lands an object every few seconds while events arrive; past hours become one each.
  // Loaded once the collector listens: reading the models' lookback is no part of its start.
  const joining = source
    ? (await import("./raw-compaction.ts")).joinPastHoursEvery(options.data, (line) => console.log(line))
    : undefined;
  await stopped;
  console.log("stopping: landing what waits…");
  await joining?.stop();
  try {
    await collector.close();
  } catch (error) {
    // Nothing acknowledged is lost (it stays where it waits), but the user must know it did not land.
    const where = source === "spool" ? resolve(options.data, "spool") : "the stream";
    console.error(
      `ownstats collect: stopped, but the acknowledged events that wait in ${where} could not be landed in ${raw} ` +
        `(${(error as Error).message}); they land at the next start`,
    );
    return 1;
  }
  console.log("stopped");
  return 0;
}
