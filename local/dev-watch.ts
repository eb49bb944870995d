// Notices new raw objects under DATA/raw/, objects removed from it, and objects replaced under their
// name (`sync` fetching a changed object again). The delivery writes into the current arrival hour, so the
// last two hour folders are looked at often; a full scan now and then catches what `sync`, `replay`
// or `demo` put into older hours while the dev server runs.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { rawPartition } from "./raw-object.ts";

export interface RawWatcherOptions {
  data: string;
  onNew: (files: string[]) => void;
  /**
   * Objects that were there and are gone (a broken one deleted by hand, say), seen by the full scans,
   * and objects replaced under their name, which are also passed to `onNew`.
   */
  onRemoved?: (files: string[]) => void;
  /** @default 500 */
  recentEveryMs?: number;
  /** @default 15000 */
  fullEveryMs?: number;
}

export class RawWatcher {
  /** Each object seen, with its size and modification time: another one under the same name changes them. */
  private readonly known = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private lastFull = 0;
  private scanning = false;

  constructor(private readonly options: RawWatcherOptions) {}

  /** Records what is there now without reporting it, then starts watching. */
  async start(): Promise<this> {
    for (const [file, version] of await versions(await this.listAll())) this.known.set(file, version);
    this.lastFull = Date.now();
    this.timer = setInterval(() => void this.scan(), this.options.recentEveryMs ?? 500);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Looks once; returns the files that were new or replaced. */
  async scan(): Promise<string[]> {
    if (this.scanning) return [];
    this.scanning = true;
    try {
      const full = Date.now() - this.lastFull >= (this.options.fullEveryMs ?? 15_000);
      const files = await versions(full ? await this.listAll() : await this.listRecent());
      if (full) this.lastFull = Date.now();
      const fresh = [...files.keys()].filter((file) => !this.known.has(file));
      // The old object's events are in the models: they leave as a removed object's do, and the new
      // object's land as a new one's.
      const replaced = [...files]
        .filter(([file, version]) => this.known.has(file) && this.known.get(file) !== version)
        .map(([file]) => file);
      for (const [file, version] of files) this.known.set(file, version);
      const removed = full ? [...this.known.keys()].filter((file) => !files.has(file)) : [];
      for (const file of removed) this.known.delete(file);
      if (removed.length + replaced.length > 0) this.options.onRemoved?.([...removed, ...replaced]);
      const landed = [...fresh, ...replaced];
      if (landed.length > 0) this.options.onNew(landed);
      return landed;
    } catch (error) {
      console.error(`dev: watching raw/ failed, will retry: ${(error as Error).message}`);
      return [];
    } finally {
      this.scanning = false;
    }
  }

  private async listAll(): Promise<string[]> {
    const root = join(this.options.data, "raw");
    const names = await readdir(root, { recursive: true }).catch(() => [] as string[]);
    return names.filter((name) => name.endsWith(".gz")).map((name) => join(root, name));
  }

  private async listRecent(): Promise<string[]> {
    const now = Date.now();
    const folders = [now - 3_600_000, now].map((t) => join(this.options.data, rawPartition(new Date(t))));
    const out: string[] = [];
    for (const folder of folders) {
      const names = await readdir(folder).catch(() => [] as string[]);
      for (const name of names) if (name.endsWith(".gz")) out.push(join(folder, name));
    }
    return out;
  }
}

/** Each file's size and modification time; one gone since it was listed is left out. */
async function versions(files: string[]): Promise<Map<string, string>> {
  const seen = await Promise.all(files.map((file) => stat(file).catch(() => undefined)));
  const found = new Map<string, string>();
  seen.forEach((stats, i) => {
    if (stats) found.set(files[i] as string, `${stats.size} ${stats.mtimeMs}`);
  });
  return found;
}
