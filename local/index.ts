// The local stand-ins for AWS: the face cli.ts calls. Each command's code is imported lazily.
import { join } from "node:path";
import type { DeliverySource } from "./collect.ts";
import type { DataSubfolder } from "./dev-guard.ts";

export interface DevOptions {
  port: number;
  /** The address to listen on. @default "127.0.0.1" */
  host?: string;
  data: string;
  demo: boolean;
}
export interface CollectOptions {
  port: number;
  /** The address to listen on. @default "127.0.0.1" */
  host?: string;
  data: string;
  /** As given with --sink, checked before anything starts; unset: SINK, else file. */
  sink?: string;
  /** What the delivery reads into raw/; unset: what the sink implies. */
  source?: DeliverySource;
  endpoint?: string;
}
export interface DemoOptions {
  data: string;
  visitors: number;
  days: number;
  seed: number;
  /** The end of the period (for reproducible files); defaults to OWNSTATS_DEMO_NOW, else this hour. */
  now?: Date | string;
}
export interface SyncOptions {
  bucket: string;
  prefix: string;
  data: string;
  endpoint?: string;
  rawRetentionDays?: number;
}
export interface LiveOptions {
  stream: string;
  endpoint?: string;
}
export interface ReplayOptions {
  stream: string;
  since: string;
  data: string;
  endpoint?: string;
}

export async function dev(opts: DevOptions): Promise<number> {
  const { runDev } = await import("./dev.ts");
  return runDev(opts);
}
export async function collect(opts: CollectOptions): Promise<number> {
  const { collect: runCollector } = await import("./collect-command.ts");
  return runCollector(opts);
}
/**
 * Says so and answers true when DATA cannot be written, or a file stands where one of `subfolders`
 * must be: otherwise a bare ENOTDIR or ENOENT from deep inside the command would name neither.
 */
export async function dataFolderRefused(
  command: string,
  data: string,
  subfolders: readonly DataSubfolder[],
): Promise<boolean> {
  const { ensureWritable } = await import("./dev-guard.ts");
  try {
    ensureWritable(data, subfolders);
    return false;
  } catch (error) {
    console.error(`ownstats ${command}: ${(error as Error).message}`);
    return true;
  }
}
/** Says so and answers true when DATA, or DATA/raw where it exists, cannot take raw objects. */
const rawFolderRefused = (command: string, data: string) => dataFolderRefused(command, data, ["raw"]);

export async function demo(opts: DemoOptions & { add?: boolean }): Promise<number> {
  if (await rawFolderRefused("demo", opts.data)) return 2;
  const [
    { writeDemo, formatDemoSummary, demoAnchor, DemoStopped },
    { newestPartitionHour },
    { recoverDemoStaging },
    { incrementalReadFrom, markFullRefresh, fullRefreshHint },
  ] = await Promise.all([
    import("./demo.ts"),
    import("./raw-object.ts"),
    import("./demo-staging.ts"),
    import("./sync-full-refresh.ts"),
  ]);
  try {
    demoAnchor(opts.now);
    // A demo killed part-way left its objects outside raw/: moved in when all were written, else removed.
    if ((await recoverDemoStaging(opts.data)) === "busy")
      throw new Error(
        `another ownstats process is writing demo data into ${opts.data}; wait for it or choose another --data`,
      );
  } catch (error) {
    console.error(`ownstats demo: ${(error as Error).message}`);
    return 2;
  }
  // Synthetic events mixed into real ones could not be told apart in any report afterwards.
  const newest = await newestPartitionHour(opts.data);
  if (newest !== undefined && !opts.add) {
    console.error(
      `ownstats demo: ${join(opts.data, "raw")} already holds events (up to the hour of ${new Date(newest).toISOString()}); ` +
        "demo events would be mixed into them for good. Give an empty --data folder, or --add to add them anyway",
    );
    return 2;
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  // Once: a second Ctrl-C ends the process at once, as usual.
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    // Added behind hours an incremental build has read, the events would never reach the models.
    const periodStart = new Date(demoAnchor(opts.now) - opts.days * 86_400_000);
    const behind = newest !== undefined && periodStart.getTime() < incrementalReadFrom(newest);
    if (behind) await markFullRefresh(opts.data, periodStart, "added by `ownstats demo --add`");
    const summary = await writeDemo({ ...opts, signal: stop.signal });
    // And again once they are in raw/: a full build that started meanwhile listed it without them,
    // and removes only the writing of the mark it read.
    if (behind) await markFullRefresh(opts.data, periodStart, "added by `ownstats demo --add`");
    console.log(formatDemoSummary(summary, opts.data));
    if (behind)
      console.log(
        `demo: its events start at ${periodStart.toISOString()}, before the hours an incremental build still reads; ${fullRefreshHint(opts.data)}`,
      );
    return 0;
  } catch (error) {
    if (!(error instanceof DemoStopped)) {
      // A write the disk refused is named with the way out, as collect, dev and sync name it.
      const refused = (await import("./start-problem.ts")).refusedWrite(error, opts.data);
      if (refused === error) throw error;
      console.error(`ownstats demo: ${(refused as Error).message}`);
      return 1;
    }
    console.error(`ownstats demo: ${error.message}`);
    return 130;
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  }
}
export async function sync(opts: SyncOptions): Promise<number> {
  if (await rawFolderRefused("sync", opts.data)) return 2;
  const [{ syncBucket, folderPrefix }, { syncReport }] = await Promise.all([
    import("./sync.ts"),
    import("./sync-report.ts"),
  ]);
  const prefix = folderPrefix(opts.prefix);
  const source = `s3://${opts.bucket}/${prefix}`;
  try {
    const summary = await syncBucket({ ...opts, prefix, log: (line) => console.log(line) });
    for (const line of syncReport(summary, opts.data, source, prefix)) console.log(line);
    return 0;
  } catch (thrown) {
    // A write the disk refused (the state, the lock, a folder) is named with the way out.
    const error = (await import("./start-problem.ts")).refusedWrite(thrown, opts.data);
    console.error(`ownstats sync: ${source}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
/** The client's region, to name where a request went; unknown when even that cannot be read. */
const regionOf = (client: { config: { region: () => Promise<string> } }) =>
  client.config.region().catch(() => undefined);

export async function live(opts: LiveOptions): Promise<number> {
  const [{ tailStream, formatEvent, formatMinute }, { createKinesisClient }] = await Promise.all([
    import("./kinesis-tail.ts"),
    import("../functions/collect/aws-clients.ts"),
  ]);
  const client = createKinesisClient({ endpoint: opts.endpoint });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    const tail = tailStream({
      client,
      streamName: opts.stream,
      signal: stop.signal,
      onEvent: (event, arrival) => console.log(formatEvent(event, arrival)),
      onMinute: (minute, counts) => console.log(formatMinute(minute, counts)),
    });
    await tail.ready;
    console.log(`live: following every shard of ${opts.stream} from now on (Ctrl-C stops)`);
    await tail.done;
    return 0;
  } catch (thrown) {
    const error = (await import("./kinesis-error.ts")).kinesisError(
      thrown,
      opts.endpoint,
      await regionOf(client),
    );
    console.error(
      `ownstats live: stream ${opts.stream}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    client.destroy();
  }
}

export async function replay(opts: ReplayOptions): Promise<number> {
  const [
    { replayStream, replaySummaryLine },
    { parseDuration },
    { createKinesisClient },
    { fullRefreshHint },
  ] = await Promise.all([
    import("./kinesis-replay.ts"),
    import("./kinesis-shards.ts"),
    import("../functions/collect/aws-clients.ts"),
    import("./sync-full-refresh.ts"),
  ]);
  let since: Date;
  try {
    since = new Date(Date.now() - parseDuration(opts.since));
  } catch (error) {
    console.error(`ownstats replay: ${(error as Error).message}`);
    return 2;
  }
  if (await rawFolderRefused("replay", opts.data)) return 2;
  const client = createKinesisClient({ endpoint: opts.endpoint });
  try {
    const summary = await replayStream({ client, streamName: opts.stream, data: opts.data, since });
    console.log(replaySummaryLine(summary, since, opts.stream, opts.data));
    // An incremental build reads the raw hours from its watermark minus the source's lookback_hours:
    // objects landed in hours before that are read only by a full rebuild, which the mark asks for.
    if (summary.behindWarehouse && summary.earliestHour)
      console.log(
        `replay: the objects are in the hours of their events' arrival, from ${summary.earliestHour.toISOString()} on, before the hours an incremental build still reads; ${fullRefreshHint(opts.data)}`,
      );
    return 0;
  } catch (thrown) {
    // A write the disk refused is named with the way out, as demo and sync name it, not as the stream's.
    const refused = (await import("./start-problem.ts")).refusedWrite(thrown, opts.data);
    const error =
      refused === thrown
        ? (await import("./kinesis-error.ts")).kinesisError(thrown, opts.endpoint, await regionOf(client))
        : refused;
    const where = refused === thrown ? `stream ${opts.stream}: ` : "";
    console.error(`ownstats replay: ${where}${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    client.destroy();
  }
}
