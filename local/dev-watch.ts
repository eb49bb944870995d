// Notices new raw objects under DATA/raw/, objects removed from it, and objects replaced under their
// name (`sync` fetching a changed object again: a new file renamed over the old one). The delivery
// writes into the current arrival hour, so the last two hour folders are looked at often; a full scan
// now and then catches what `sync`, `replay` or `demo` put into older hours while the dev server runs.
//
// raw/ gathers an object about every second while events arrive, tens of thousands a day, so a scan
// does not look at each of them: a folder's modification time changes whenever an entry is added to
// it, removed from it or renamed over, so only the folders whose time changed are listed again, and
// only their objects looked at. An object rewritten in place, without a rename, leaves its folder as
// it was and is not noticed.
import type { Stats } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { rawPartition } from "./raw-object.ts";

export interface RawWatcherOptions {
  data: string;
  onNew: (files: string[]) => void;
  /**
   * Objects that were there and are gone (a broken one deleted by hand, say), and objects replaced
   * under their name, which are also passed to `onNew`.
   */
  onRemoved?: (files: string[]) => void;
  /** @default 500 */
  recentEveryMs?: number;
  /** @default 15000 */
  fullEveryMs?: number;
}

/**
 * A folder's times move in steps (a timer tick of the kernel; whole seconds, or two, on some file
 * systems): an entry changed within the step in which the folder was listed leaves its time as it was.
 * A folder whose time is this close to its last listing's start is listed again.
 */
const TIME_STEP_MS = 2_000;
/** Objects looked at together, so that a folder of thousands does not start thousands of stats at once. */
const STAT_BATCH = 64;
/** Folders looked at together (each with its batches of objects, when it is listed). */
const FOLDER_BATCH = 8;

/** What the last listing of a folder found. */
interface Folder {
  /** Its device, inode, modification and change time: another entry in it changes them. */
  identity: string;
  /** Its modification time then, and when that listing started (ms). */
  mtimeMs: number;
  listedAt: number;
  folders: string[];
  /** Each object's size, modification time and inode: another file renamed over it changes them. */
  objects: Map<string, string>;
}

interface Changes {
  fresh: string[];
  replaced: string[];
  removed: string[];
}

const noChanges = (): Changes => ({ fresh: [], replaced: [], removed: [] });

export class RawWatcher {
  /** Each folder under raw/ listed, by its path. */
  private readonly folders = new Map<string, Folder>();
  private timer: NodeJS.Timeout | undefined;
  private lastFull = 0;
  private scanning = false;

  constructor(private readonly options: RawWatcherOptions) {}

  private get root(): string {
    return join(this.options.data, "raw");
  }

  /**
   * Records what is there now without reporting it, then starts watching. A folder it could not look
   * at is looked at again by the next scans, which report its objects as new.
   */
  async start(): Promise<this> {
    await this.look(this.root, true, Date.now(), noChanges()).catch(failed);
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
    // What was found is reported even when looking at another folder failed: the folders it came from
    // are recorded as seen.
    const changes = noChanges();
    try {
      const started = Date.now();
      const full = started - this.lastFull >= (this.options.fullEveryMs ?? 15_000);
      if (full) {
        await this.look(this.root, true, started, changes);
        this.lastFull = Date.now();
      } else {
        for (const hour of [started - 3_600_000, started])
          await this.look(join(this.options.data, rawPartition(new Date(hour))), false, started, changes);
      }
    } catch (error) {
      failed(error);
    } finally {
      this.scanning = false;
    }
    return this.report(changes);
  }

  /**
   * Runs `rewrite` on each of `folders` with no scan in between, then records what the folder holds
   * without reporting it: ownstats' own joining of objects moves no event. A folder not seen yet, or
   * changed since it was (a change reported now), is left for another time.
   */
  async rewriteUnreported(folders: string[], rewrite: (folder: string) => Promise<unknown>): Promise<void> {
    while (this.scanning) await new Promise((done) => setTimeout(done, 20));
    this.scanning = true;
    const changes = noChanges();
    const count = () => changes.fresh.length + changes.replaced.length + changes.removed.length;
    try {
      for (const path of folders) {
        if (!this.folders.has(path)) continue;
        const before = count();
        const stats = await stat(path).catch(gone);
        if (!stats?.isDirectory()) continue;
        await this.list(path, stats, identityOf(stats), Date.now(), changes);
        if (count() > before) continue;
        await rewrite(path);
        const after = await stat(path).catch(gone);
        if (after?.isDirectory()) await this.list(path, after, identityOf(after), Date.now(), noChanges());
      }
    } finally {
      this.scanning = false;
    }
    this.report(changes);
  }

  private report({ fresh, replaced, removed }: Changes): string[] {
    // The old object's events are in the models: they leave as a removed object's do, and the new
    // object's land as a new one's.
    if (removed.length + replaced.length > 0) this.options.onRemoved?.([...removed, ...replaced]);
    const landed = [...fresh, ...replaced];
    if (landed.length > 0) this.options.onNew(landed);
    return landed;
  }

  /**
   * Lists `path` again when it is new or changed (or changed too recently to tell), notes what changed
   * in it, and, `deep`, does the same for the folders in it.
   */
  private async look(path: string, deep: boolean, started: number, changes: Changes): Promise<void> {
    const stats = await stat(path).catch(gone);
    if (!stats?.isDirectory()) {
      this.forget(path, changes.removed);
      return;
    }
    let folder = this.folders.get(path);
    const identity = identityOf(stats);
    if (!folder || folder.identity !== identity || folder.mtimeMs >= folder.listedAt - TIME_STEP_MS) {
      const listed = await this.list(path, stats, identity, started, changes);
      if (!listed) return;
      folder = listed;
    }
    if (!deep) return;
    const inside = folder.folders;
    for (let i = 0; i < inside.length; i += FOLDER_BATCH)
      await Promise.all(
        inside.slice(i, i + FOLDER_BATCH).map((name) => this.look(join(path, name), true, started, changes)),
      );
  }

  /** Lists a folder, looks at its objects and records them; undefined when it is gone. */
  private async list(
    path: string,
    stats: Stats,
    identity: string,
    started: number,
    changes: Changes,
  ): Promise<Folder | undefined> {
    const entries = await readdir(path, { withFileTypes: true }).catch(gone);
    if (!entries) {
      this.forget(path, changes.removed);
      return undefined;
    }
    const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    const names = entries.filter((entry) => !entry.isDirectory() && entry.name.endsWith(".gz"));
    const objects = new Map<string, string>();
    for (let i = 0; i < names.length; i += STAT_BATCH) {
      const batch = names.slice(i, i + STAT_BATCH).map((entry) => entry.name);
      const seen = await Promise.all(batch.map((name) => stat(join(path, name)).catch(gone)));
      seen.forEach((file, j) => {
        if (file) objects.set(batch[j] as string, `${file.size} ${file.mtimeMs} ${file.ino}`);
      });
    }
    const before = this.folders.get(path);
    for (const [name, version] of objects) {
      const was = before?.objects.get(name);
      if (was === undefined) changes.fresh.push(join(path, name));
      else if (was !== version) changes.replaced.push(join(path, name));
    }
    if (before) {
      for (const name of before.objects.keys())
        if (!objects.has(name)) changes.removed.push(join(path, name));
      const kept = new Set(folders);
      for (const name of before.folders) if (!kept.has(name)) this.forget(join(path, name), changes.removed);
    }
    const folder = { identity, mtimeMs: stats.mtimeMs, listedAt: started, folders, objects };
    this.folders.set(path, folder);
    return folder;
  }

  /** A folder that is gone: its objects, and those of the folders in it, are removed. */
  private forget(path: string, removed: string[]): void {
    const folder = this.folders.get(path);
    if (!folder) return;
    this.folders.delete(path);
    for (const name of folder.objects.keys()) removed.push(join(path, name));
    for (const name of folder.folders) this.forget(join(path, name), removed);
  }
}

/** A folder's device, inode, modification and change time: another entry in it changes them. */
const identityOf = (stats: Stats) => `${stats.dev} ${stats.ino} ${stats.mtimeMs} ${stats.ctimeMs}`;

function failed(error: unknown): void {
  console.error(`dev: watching raw/ failed, will retry: ${(error as Error).message}`);
}

/** A file or folder gone (or turned into a file) meanwhile is left out; any other failure is thrown. */
function gone(error: NodeJS.ErrnoException): undefined {
  if (error.code === "ENOENT" || error.code === "ENOTDIR") return undefined;
  throw error;
}
