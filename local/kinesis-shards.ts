// What the Kinesis readers share (delivery, `live`, `replay`): every shard of a stream, an iterator
// at a position in a shard, and reading "2h" as a duration.
import {
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  type Shard,
} from "@aws-sdk/client-kinesis";

/**
 * A stream listed without a shard. Kinesis has none such (a stream has a shard from its creation on):
 * it is an endpoint that answers every request with an empty JSON object, with which `live` and
 * `replay` would read nothing and never say so.
 */
export class NoShardsListed extends Error {
  constructor(streamName: string) {
    super(`no shard listed for stream ${streamName}`);
    this.name = "NoShardsListed";
  }
}

/** Every shard of the stream, open and closed, following ListShards' pages; none is refused. */
export async function listAllShards(client: KinesisClient, streamName: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    // A follow-up page is asked for by its token alone; the API refuses the stream name beside it.
    const page = await client.send(
      new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
    );
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  if (shards.length === 0) throw new NoShardsListed(streamName);
  return shards;
}

/** Where a shard is read from: after a sequence number, from a time on, from its oldest record, or from now on. */
export type ShardPosition = { after: string } | { since: Date } | "oldest" | "latest";

export async function shardIterator(
  client: KinesisClient,
  streamName: string,
  shardId: string,
  position: ShardPosition,
): Promise<string | undefined> {
  const { ShardIterator } = await client.send(
    new GetShardIteratorCommand({
      StreamName: streamName,
      ShardId: shardId,
      ...(position === "oldest"
        ? { ShardIteratorType: "TRIM_HORIZON" }
        : position === "latest"
          ? { ShardIteratorType: "LATEST" }
          : "after" in position
            ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber: position.after }
            : { ShardIteratorType: "AT_TIMESTAMP", Timestamp: position.since }),
    }),
  );
  return ShardIterator;
}

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * The longest a Kinesis stream keeps records (8,760 hours): reaching back further finds nothing more,
 * and far enough it is no time at all, which Kinesis refuses with a bare "SerializationException".
 */
const MAX_RETENTION_DAYS = 365;

/** "90m", "2h", "1d", "30s" → milliseconds; anything else is a clear error. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/.exec(text);
  const amount = match ? Number(match[1]) : Number.NaN;
  if (!match || !(amount > 0))
    throw new Error(`--since must be a duration such as 30m, 2h or 1d, got ${JSON.stringify(text)}`);
  const ms = amount * (units[match[2] as string] as number);
  if (ms > MAX_RETENTION_DAYS * 86_400_000)
    throw new Error(
      `--since reaches back at most ${MAX_RETENTION_DAYS}d, the longest a Kinesis stream keeps records, got ${JSON.stringify(text)}`,
    );
  return ms;
}

/** A line of the stream: one stored event record as JSON, or undefined when it is something else. */
export function parseRecord(data: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(data));
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
