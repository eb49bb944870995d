// `ownstats live`: tails every shard of a Kinesis stream from LATEST, printing each event on one
// line as it arrives and a count per minute. Shards are re-listed now and then, so the children of
// a resharded stream are followed too.
import { GetRecordsCommand, type GetRecordsCommandOutput, type KinesisClient } from "@aws-sdk/client-kinesis";
import { printable } from "../runner/printable.ts";
import { listAllShards, parseRecord, type ShardPosition, shardIterator, sleep } from "./kinesis-shards.ts";

export interface TailOptions {
  client: KinesisClient;
  streamName: string;
  /** Stops the tail; the running minute's count is still reported. */
  signal: AbortSignal;
  onEvent: (event: Record<string, unknown>, arrival: Date) => void;
  onMinute: (minute: Date, counts: Map<string, number>) => void;
  /** Wait between polls of a shard that had nothing new (Kinesis allows 5 reads a second per shard). */
  pollMs?: number;
  /** How often to look for new shards. */
  relistMs?: number;
}

export interface Tail {
  /** Resolves once every shard has its LATEST iterator: records put after this are shown. */
  ready: Promise<void>;
  done: Promise<void>;
}

export function tailStream(options: TailOptions): Tail {
  const { client, streamName } = options;
  // A shard reader that fails stops the whole tail, and the failure is what `done` rejects with.
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  let failure: unknown;
  const pollMs = options.pollMs ?? 1_000;
  const minutes = new MinuteCounter(options.onMinute);
  const followed = new Set<string>();
  const readers: Promise<void>[] = [];

  // Shards born after the tail started are read from their beginning, or their first events would be missed.
  const startOf = (fromStart: boolean): ShardPosition => (fromStart ? "oldest" : "latest");
  const iteratorFor = (shardId: string, position: ShardPosition) =>
    shardIterator(client, streamName, shardId, position);

  const read = async (
    shardId: string,
    fromStart: boolean,
    followedAt: Date,
    first?: string,
  ): Promise<void> => {
    let iterator = first;
    let lastSequence: string | undefined;
    while (iterator && !signal.aborted) {
      let page: GetRecordsCommandOutput;
      try {
        page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1_000 }));
      } catch (error) {
        const name = (error as Error).name;
        if (name === "ExpiredIteratorException") {
          // An iterator lives five minutes, and a tail outlives a machine's sleep: go on after the last
          // event shown, or, on a shard that showed none yet, from where its reading began.
          iterator = await iteratorFor(
            shardId,
            lastSequence ? { after: lastSequence } : fromStart ? "oldest" : { since: followedAt },
          );
          continue;
        }
        // Over the shard's read limit (shared with other readers, such as Firehose): back off and retry.
        if (name !== "ProvisionedThroughputExceededException") throw error;
        await sleep(pollMs, signal);
        continue;
      }
      for (const record of page.Records ?? []) {
        const arrival = record.ApproximateArrivalTimestamp ?? new Date();
        const event = record.Data ? parseRecord(record.Data) : undefined;
        minutes.add(arrival, typeof event?.event_type === "string" ? event.event_type : "(not an event)");
        if (event) options.onEvent(event, arrival);
        lastSequence = record.SequenceNumber;
      }
      iterator = page.NextShardIterator;
      if ((page.Records ?? []).length === 0 || (page.MillisBehindLatest ?? 0) === 0)
        await sleep(pollMs, signal);
    }
  };

  const start = async (fromStart: boolean) => {
    const shards = await listAllShards(client, streamName);
    const fresh: string[] = [];
    // Shards are listed parents first, so a grandchild sees its parent already taken up.
    for (const { ShardId: id, ParentShardId, AdjacentParentShardId, SequenceNumberRange } of shards) {
      if (!id || followed.has(id)) continue;
      // A shard born since the last look may be closed already (split, then merged again before the
      // tail looked): its events came after the tail started, so it is read to its end all the same.
      const bornWhileFollowed = [ParentShardId, AdjacentParentShardId].some((p) => p && followed.has(p));
      if (SequenceNumberRange?.EndingSequenceNumber && !bornWhileFollowed) continue;
      fresh.push(id);
      followed.add(id);
    }
    const followedAt = new Date();
    const iterators = await Promise.all(fresh.map((id) => iteratorFor(id, startOf(fromStart))));
    for (const [i, iterator] of iterators.entries())
      readers.push(
        read(fresh[i] as string, fromStart, followedAt, iterator).catch((error: unknown) => {
          failure ??= error;
          stop.abort();
        }),
      );
  };

  const ready = start(false);
  const done = (async () => {
    await ready;
    const ticker = setInterval(() => minutes.flushBefore(Date.now()), 1_000);
    try {
      while (!signal.aborted) {
        await sleep(options.relistMs ?? 30_000, signal);
        if (!signal.aborted) await start(true);
      }
      await Promise.all(readers);
      if (failure) throw failure;
    } finally {
      clearInterval(ticker);
      minutes.flushBefore(Number.POSITIVE_INFINITY);
    }
  })();
  // Callers await one or the other; neither may surface as an unhandled rejection.
  ready.catch(() => {});
  done.catch(() => {});
  return { ready, done };
}

/** Counts events per arrival minute and reports a minute once it is over. */
export class MinuteCounter {
  private readonly counts = new Map<number, Map<string, number>>();

  constructor(private readonly report: (minute: Date, counts: Map<string, number>) => void) {}

  add(arrival: Date, type: string): void {
    const minute = arrival.getTime() - (arrival.getTime() % 60_000);
    let counts = this.counts.get(minute);
    if (!counts) this.counts.set(minute, (counts = new Map()));
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }

  /** Reports (and forgets) every minute that ended at or before `time`. */
  flushBefore(time: number): void {
    for (const minute of [...this.counts.keys()].sort((a, b) => a - b)) {
      if (minute + 60_000 > time && Number.isFinite(time)) continue;
      this.report(new Date(minute), this.counts.get(minute) as Map<string, number>);
      this.counts.delete(minute);
    }
  }
}

/** One event on one line: time, type, page, and what sets it apart; never an identifier. */
export function formatEvent(event: Record<string, unknown>, arrival: Date): string {
  const text = (key: string) =>
    typeof event[key] === "string" || typeof event[key] === "number" ? printable(String(event[key])) : "";
  const detail =
    text("element") ||
    (text("scroll_pct") && `${text("scroll_pct")} %`) ||
    (text("seconds") && `${text("seconds")} s`) ||
    (text("experiment") && `${text("experiment")}=${text("variant")}`) ||
    text("name") ||
    text("utm_source") ||
    (text("referrer") && hostOf(text("referrer")));
  const who = [text("browser"), text("device_type"), text("country")].filter(Boolean).join(" ");
  const bot = event.is_bot === true ? " [bot]" : "";
  return [
    arrival.toISOString().slice(11, 19),
    text("event_type").padEnd(19),
    `${text("site")}${text("page_path")}`.padEnd(32),
    detail.padEnd(18),
    who + bot,
  ]
    .join(" ")
    .trimEnd();
}

export function formatMinute(minute: Date, counts: Map<string, number>): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const parts = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([type, n]) => `${type} ${n}`);
  return `── ${minute.toISOString().slice(0, 16).replace("T", " ")} UTC  ${total} events  (${parts.join(" · ")})`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
