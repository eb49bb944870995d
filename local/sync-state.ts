// What `ownstats sync` remembers between runs in DATA/sync-state.json, per source: the last key it
// holds (where the next run lists from) and the ETags of the objects in the hours each run lists again,
// so that an object replaced in S3 under the same key, even at the same size, is fetched again.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { writeFileDurably } from "./durable-file.ts";
import { endpointOf } from "./sync-s3-error.ts";

interface SourceState {
  last_key: string;
  updated_at: string;
  /** ETag of each object fetched (or found in place) from the first hour folder a run lists again on. */
  etags?: Record<string, string>;
}

type StateFile = Record<string, SourceState>;

export function syncStatePath(data: string): string {
  return join(data, "sync-state.json");
}

/**
 * The state's name for a source: its bucket and prefix, and where they are listed, the endpoint or else
 * AWS's region. A bucket of the same name on another S3-compatible server (LocalStack, MinIO), or
 * created again in another region, holds other objects: its sync must not start from this one's place.
 */
export async function sourceKey(client: S3Client, bucket: string, prefix: string): Promise<string> {
  const source = legacySourceKey(bucket, prefix);
  const endpoint = await endpointOf(client);
  return endpoint ? `${source} at ${endpoint}` : `${source} in ${await client.config.region()}`;
}

/** The name earlier versions gave a source, without where it was listed. */
const legacySourceKey = (bucket: string, prefix: string) => `s3://${bucket}/${prefix}`;

/** The progress of one source in the data folder's state file. */
export class SourceProgress {
  private constructor(
    private readonly data: string,
    private readonly file: StateFile,
    private readonly key: string,
    private entry: SourceState | undefined,
    private readonly adopted: string | undefined,
  ) {}

  /**
   * A state written before sources were named with their endpoint keeps its place: the first sync of
   * the source takes it over under the new name, so no other endpoint's sync starts from it.
   */
  static async open(data: string, client: S3Client, bucket: string, prefix: string): Promise<SourceProgress> {
    const file = await readState(data);
    const key = await sourceKey(client, bucket, prefix);
    const legacy = legacySourceKey(bucket, prefix);
    if (file[key] || !file[legacy]) return new SourceProgress(data, file, key, file[key], undefined);
    return new SourceProgress(data, file, key, file[legacy], legacy);
  }

  get lastKey(): string | undefined {
    return this.entry?.last_key;
  }

  /** The ETag the object had when it was fetched, if it lies in the hours a run lists again. */
  etagOf(key: string): string | undefined {
    return this.entry?.etags?.[key];
  }

  /**
   * Records the ETags of objects now in place and moves the position to `key` when it is later; a
   * late object fetched from the look-back, which sorts before it, does not move it back. ETags of
   * objects before `listedFrom(position)` are dropped: no run lists them again, and a first sync of a
   * big bucket would otherwise grow the file with every object.
   */
  async record(
    objects: { key: string; etag: string }[],
    key: string | undefined,
    listedFrom: (lastKey: string) => string | undefined,
  ): Promise<void> {
    const last = this.entry?.last_key;
    const position = last === undefined || (key !== undefined && key > last) ? key : last;
    if (position === undefined) return;
    const from = listedFrom(position) ?? position;
    const etags: Record<string, string> = {};
    for (const [object, etag] of Object.entries(this.entry?.etags ?? {}))
      if (object >= from) etags[object] = etag;
    for (const object of objects) if (object.key >= from) etags[object.key] = object.etag;
    this.entry = { last_key: position, updated_at: new Date().toISOString(), etags };
    this.file[this.key] = this.entry;
    if (this.adopted !== undefined) delete this.file[this.adopted];
    await writeState(this.data, this.file);
  }
}

async function readState(data: string): Promise<StateFile> {
  const path = syncStatePath(data);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as StateFile;
  } catch {}
  // Deleting it costs a listing of the whole bucket, not a download of it: objects in place stay.
  throw new Error(
    `${path} is not valid sync state; delete it, and the next sync lists the bucket from the start and fetches only the objects not in raw/ yet`,
  );
}

/** Durably: a rename without an fsync can leave an empty file after a power loss, and a refused sync. */
async function writeState(data: string, state: StateFile): Promise<void> {
  await mkdir(data, { recursive: true });
  await writeFileDurably(syncStatePath(data), `${JSON.stringify(state, null, 2)}\n`);
}
