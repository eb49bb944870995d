// Picks the sink from the environment, as the Lambda and `ownstats collect` both do:
// SINK = kinesis | firehose | file; KINESIS_STREAM_NAME, FIREHOSE_STREAM_NAME; AWS_ENDPOINT_URL.
import { createFirehoseClient, createKinesisClient } from "./aws-clients.ts";
import { FirehoseSink } from "./firehose-sink.ts";
import { KinesisSink } from "./kinesis-sink.ts";
import type { Sink } from "./sink.ts";

export const SINK_KINDS = ["file", "kinesis", "firehose"] as const;
export type SinkKind = (typeof SINK_KINDS)[number];
export const DEFAULT_KINESIS_STREAM = "ownstats-events";
export const DEFAULT_FIREHOSE_STREAM = "ownstats-direct";

/** Checks a sink name; `from` names where it was given (the SINK variable, or `--sink`). */
export function sinkKind(value: string | undefined, fallback: SinkKind, from = "SINK"): SinkKind {
  if (value === undefined || value === "") return fallback;
  if ((SINK_KINDS as readonly string[]).includes(value)) return value as SinkKind;
  throw new Error(`Expected ${from} to be one of ${SINK_KINDS.join(", ")}, got "${value}"`);
}

export interface AwsSinkOptions {
  kind: "kinesis" | "firehose";
  endpoint?: string;
  streamName?: string;
}

export function createAwsSink({ kind, endpoint, streamName }: AwsSinkOptions): Sink {
  return kind === "kinesis"
    ? new KinesisSink(createKinesisClient({ endpoint }), streamName ?? DEFAULT_KINESIS_STREAM)
    : new FirehoseSink(createFirehoseClient({ endpoint }), streamName ?? DEFAULT_FIREHOSE_STREAM);
}

/** The Lambda's sink: Kinesis when a stream is configured, else the DirectPut Firehose stream. */
export function sinkFromEnv(env: NodeJS.ProcessEnv): Sink {
  const fallback = env.KINESIS_STREAM_NAME ? "kinesis" : "firehose";
  const kind = sinkKind(env.SINK, fallback);
  if (kind === "file") throw new Error("SINK=file needs a data folder: run `ownstats collect` instead");
  const streamName = kind === "kinesis" ? env.KINESIS_STREAM_NAME : env.FIREHOSE_STREAM_NAME;
  return createAwsSink({
    kind,
    endpoint: env.AWS_ENDPOINT_URL || undefined,
    streamName: streamName || undefined,
  });
}
