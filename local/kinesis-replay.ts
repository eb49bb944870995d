// `ownstats replay`: reads a Kinesis stream's retention from a point in time on every shard and lands
// the events in DATA/raw/ through the delivery's writer, one object per arrival hour. Events that the
// delivery already landed come again; stg_events removes the duplicates by event_id.
import { GetRecordsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { plural } from "../runner/console.ts";
import { type ArrivedLine, arrivalOf, runsByHour } from "./delivery-batch.ts";
import { listAllShards, shardIterator, sleep } from "./kinesis-shards.ts";
import { newestPartitionHour, writeRawObject } from "./raw-object.ts";
import { incrementalReadFrom, markFullRefresh } from "./sync-full-refresh.ts";

export interface ReplayOptions {
  client: KinesisClient;
  streamName: string;
  data: string;
  since: Date;
  /** Records that arrive after this are left for the delivery; defaults to when the replay started. */
  until?: Date;
  log?: (line: string) => void;
}

export interface ReplaySummary {
  shards: number;
  events: number;
  skipped: number;
  objects: number;
  /** The earliest arrival hour an object was written to, if any. */
  earliestHour?: Date;
  /**
   * Set when the earliest hour lies before what an incremental build of the data folder still reads
   * (its newest hour before the replay minus the lookback): DATA/needs-full-refresh then names it.
   */
  behindWarehouse?: boolean;
}

/** Lines held before they are written, per shard. */
const BATCH_LINES = 10_000;
const decoder = new TextDecoder();

export async function replayStream(options: ReplayOptions): Promise<ReplaySummary> {
  const { client, streamName } = options;
  const until = (options.until ?? new Date()).getTime();
  const shards = await listAllShards(client, streamName);
  const summary: ReplaySummary = { shards: shards.length, events: 0, skipped: 0, objects: 0 };
  const newest = await newestPartitionHour(options.data);
  const readFrom = newest === undefined ? Number.NEGATIVE_INFINITY : incrementalReadFrom(newest);

  const land = async (lines: ArrivedLine[]) => {
    for (const run of runsByHour(lines)) {
      const arrival = (run[0] as ArrivedLine).arrival;
      // Marked before the object is written, as sync does: a replay cut short leaves it marked too.
      // Only an hour before every one written so far can move the mark, which keeps the earliest.
      const written = summary.earliestHour?.getTime() ?? Number.POSITIVE_INFINITY;
      if (arrival.getTime() < Math.min(readFrom, written)) {
        await markFullRefresh(options.data, hourOf(arrival), "replayed by `ownstats replay`");
        summary.behindWarehouse = true;
      }
      await writeRawObject(
        options.data,
        run.map((l) => l.line),
        arrival,
      );
      // And again once it landed: a full build that started meanwhile listed raw/ without it, and
      // removes only the writing of the mark it read (sync-full-refresh.ts).
      if (arrival.getTime() < readFrom)
        await markFullRefresh(options.data, hourOf(arrival), "replayed by `ownstats replay`");
      summary.objects++;
      const hour = hourOf(arrival);
      if (!summary.earliestHour || hour < summary.earliestHour) summary.earliestHour = hour;
    }
    summary.events += lines.length;
    lines.length = 0;
  };

  for (const shard of shards) {
    let iterator = await shardIterator(client, streamName, shard.ShardId as string, { since: options.since });
    const pending: ArrivedLine[] = [];
    while (iterator) {
      let page: Awaited<ReturnType<typeof getRecords>>;
      try {
        page = await getRecords(client, iterator);
      } catch (error) {
        if ((error as Error).name !== "ProvisionedThroughputExceededException") throw error;
        await sleep(1_000);
        continue;
      }
      let reachedUntil = false;
      for (const record of page.Records ?? []) {
        const arrived = record.ApproximateArrivalTimestamp?.getTime() ?? 0;
        if (arrived > until) {
          reachedUntil = true;
          break;
        }
        const line = record.Data ? decoder.decode(record.Data).trim() : "";
        // The event's own ingest_ts places it, as Firehose's delivery did; a foreign record is skipped.
        const arrival = line.includes("\n") ? undefined : arrivalOf(line);
        if (!arrival) {
          summary.skipped++;
          continue;
        }
        pending.push({ line, arrival });
      }
      if (pending.length >= BATCH_LINES) await land(pending);
      const caughtUp = (page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0;
      if (reachedUntil || caughtUp) break;
      iterator = page.NextShardIterator;
    }
    await land(pending);
    options.log?.(`shard ${shard.ShardId}: done (${summary.events} events so far)`);
  }
  return summary;
}

const hourOf = (time: Date) => new Date(Math.floor(time.getTime() / 3_600_000) * 3_600_000);

function getRecords(client: KinesisClient, iterator: string) {
  return client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
}

/** What `ownstats replay` prints when it is done. */
export function replaySummaryLine(summary: ReplaySummary, since: Date, stream: string, data: string): string {
  const skipped = summary.skipped
    ? `; ${plural(summary.skipped, "record")} that ${summary.skipped === 1 ? "is no event" : "are not events"} skipped`
    : "";
  return (
    `replay: ${plural(summary.events, "event")} since ${since.toISOString()} from ${plural(summary.shards, "shard")} of ${stream} ` +
    `into ${data}/raw/ (${plural(summary.objects, "object")}${skipped}); duplicates are removed by event_id in the next build`
  );
}
