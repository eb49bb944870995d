// Notices new raw objects under DATA/raw/, and objects removed from it. The delivery writes into the current arrival hour, so the
// last two hour folders are looked at often; a full scan now and then catches what `sync`, `replay`
// or `demo` put into older hours while the dev server runs.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { rawPartition } from "./raw-object.ts";

export interface RawWatcherOptions {
  data: string;
  onNew: (files: string[]) => void;
  /** Objects that were there and are gone (a broken one deleted by hand, say), seen by the full scans. */
  onRemoved?: (files: string[]) => void;
  /** @default 500 */
  recentEveryMs?: number;
  /** @default 15000 */
  fullEveryMs?: number;
}

export class RawWatcher {
  private readonly known = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private lastFull = 0;
  private scanning = false;

  constructor(private readonly options: RawWatcherOptions) {}

  /** Records what is there now without reporting it, then starts watching. */
  async start(): Promise<this> {
    for (const file of await this.listAll()) this.known.add(file);
    this.lastFull = Date.now();
    this.timer = setInterval(() => void this.scan(), this.options.recentEveryMs ?? 500);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Looks once; returns the files that were new. */
  async scan(): Promise<string[]> {
    if (this.scanning) return [];
    this.scanning = true;
    try {
      const full = Date.now() - this.lastFull >= (this.options.fullEveryMs ?? 15_000);
      const files = full ? await this.listAll() : await this.listRecent();
      if (full) this.lastFull = Date.now();
      const fresh = files.filter((file) => !this.known.has(file));
      for (const file of fresh) this.known.add(file);
      if (full) {
        const present = new Set(files);
        const removed = [...this.known].filter((file) => !present.has(file));
        for (const file of removed) this.known.delete(file);
        if (removed.length > 0) this.options.onRemoved?.(removed);
      }
      if (fresh.length > 0) this.options.onNew(fresh);
      return fresh;
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
