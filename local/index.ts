// The local stand-ins for AWS: the face cli.ts calls. Each command's code is imported lazily.
export interface DevOptions {
  port: number;
  data: string;
  demo: boolean;
}
export interface CollectOptions {
  port: number;
  data: string;
  sink: "file" | "kinesis" | "firehose";
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

const notYet = (what: string): never => {
  throw new Error(`ownstats ${what} is not available in this build yet`);
};
export async function dev(_: DevOptions): Promise<number> {
  return notYet("dev");
}
export async function collect(_: CollectOptions): Promise<number> {
  return notYet("collect");
}
export async function demo(opts: DemoOptions): Promise<number> {
  const { writeDemo, formatDemoSummary } = await import("./demo.ts");
  const summary = await writeDemo(opts);
  console.log(formatDemoSummary(summary, opts.data));
  return 0;
}
export async function sync(opts: SyncOptions): Promise<number> {
  const { syncBucket } = await import("./sync.ts");
  const source = `s3://${opts.bucket}/${opts.prefix}`;
  try {
    const summary = await syncBucket({ ...opts, log: (line) => console.log(line) });
    const resumed = summary.resumed ? `, ${summary.resumed} resumed` : "";
    console.log(
      `sync: ${summary.downloaded} new objects (${(summary.bytes / 1e6).toFixed(1)} MB${resumed}) from ${source} into ${opts.data}/raw/` +
        (summary.lastKey ? `; up to ${summary.lastKey}` : ""),
    );
    return 0;
  } catch (error) {
    console.error(`ownstats sync: ${source}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
export async function live(_: LiveOptions): Promise<number> {
  return notYet("live");
}
export async function replay(_: ReplayOptions): Promise<number> {
  return notYet("replay");
}
