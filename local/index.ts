// The local stand-ins for AWS. Filled in by the collector and local-pipeline work.
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
export async function demo(_: DemoOptions): Promise<number> {
  return notYet("demo");
}
export async function sync(_: SyncOptions): Promise<number> {
  return notYet("sync");
}
export async function live(_: LiveOptions): Promise<number> {
  return notYet("live");
}
export async function replay(_: ReplayOptions): Promise<number> {
  return notYet("replay");
}
