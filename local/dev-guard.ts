// What `ownstats dev` checks before it opens anything: the data folder can be written (`collect`
// checks that too), and no other dev server uses it (DuckDB allows one writer per database file).
// A lock file holds the owner's pid and host name.
import { lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { REFUSED } from "../runner/refused-write.ts";
import { warehouseFolderProblem } from "../runner/warehouse-folder.ts";
import {
  isRunning,
  isThisProcess,
  type LockOwner,
  ownerName,
  ownerOf,
  takeLockFile,
  thisProcess,
} from "./lock-owner.ts";
import { notAFile, StartProblem, statOf } from "./start-problem.ts";

/** A start-up problem the user can fix: printed as one line, exit code 2. */
export class DevStartError extends StartProblem {}

/** The dev server a lock names: its process, and where it listens once it does. */
export type DevLockHolder = LockOwner & { url?: string };

export interface DevLock {
  path: string;
  /** Records where the server listens, for `ownstats` commands that look for a running dev server. */
  update(info: { url: string }): void;
  /**
   * Takes the lock again if it is gone while the data folder is there (the folder deleted while dev
   * runs, and made again by the spool): without it, a second dev server could start on the folder and
   * both would write into it. Returns the dev server that took the folder meanwhile, if one did.
   */
  keep(): DevLockHolder | undefined;
  release(): void;
}

export function lockPath(data: string): string {
  return join(data, "dev.lock");
}

/** What ownstats keeps in each folder of DATA that a command writes, to name it when a file is in the way. */
const DATA_SUBFOLDERS = {
  raw: "the delivered event objects (raw/year=…/hour=…/*.gz)",
  spool: "the accepted events that wait for delivery",
  site: "the rendered reports",
  target: "the build's artifacts (manifest.json, run_results.json)",
} as const;
export type DataSubfolder = keyof typeof DATA_SUBFOLDERS;

/**
 * Checks that the data folder can be written and that `subfolders` of it, where they exist, are
 * folders: a file in their place would otherwise surface as a bare ENOTDIR or EEXIST from deep
 * inside the spool or the delivery.
 */
export function ensureWritable(data: string, subfolders: readonly DataSubfolder[] = []): void {
  const folder = resolve(data);
  const unfit = warehouseFolderProblem(folder);
  if (unfit) throw new DevStartError(unfit);
  const blocker = fileInPlaceOf(folder);
  if (blocker === folder)
    throw new DevStartError(`the data folder ${folder} is a file, not a folder; choose another with --data`);
  if (blocker)
    throw new DevStartError(
      `the data folder ${folder} cannot be made: ${blocker} is a file, not a folder; choose another with --data`,
    );
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new DevStartError(
      `the data folder ${folder} cannot be made${whyNotMade(folder, error as NodeJS.ErrnoException)}; choose another with --data`,
    );
  }
  const probe = join(folder, `.write-check-${process.pid}`);
  try {
    writeFileSync(probe, "");
    unlinkSync(probe);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why = (code && REFUSED[code]) ?? "writing a file into it failed";
    throw new DevStartError(
      `the data folder ${folder} cannot be written: ${why} (${code ?? message}); choose another with --data`,
    );
  }
  for (const name of subfolders) {
    const path = join(folder, name);
    if (statOf(path)?.isDirectory() === false)
      throw new DevStartError(
        `${path} is a file, but it must be the folder that holds ${DATA_SUBFOLDERS[name]}; ` +
          "move the file away or choose another --data",
      );
  }
}

/**
 * Why mkdir -p of the data folder failed, naming the folder it stopped at. mkdir -p reports ENOENT
 * for the data folder whatever stopped it at a parent (a read-only file system, a permission), so
 * the first folder it had to make is made again here to learn the real cause.
 */
function whyNotMade(folder: string, error: NodeJS.ErrnoException): string {
  const link = danglingLinkOn(folder);
  if (link) return `: ${link.path} is a link to ${link.target}, which does not exist (ENOENT)`;
  let parent = dirname(folder);
  let first = folder;
  while (!statOf(parent) && dirname(parent) !== parent) {
    first = parent;
    parent = dirname(parent);
  }
  let code = error.code;
  try {
    mkdirSync(first);
  } catch (cause) {
    code = (cause as NodeJS.ErrnoException).code ?? code;
  }
  return ` in ${parent}: ${(code && REFUSED[code]) ?? "making a folder there failed"} (${code ?? error.message})`;
}

/** The first link on the way to `path` whose target does not exist. */
function danglingLinkOn(path: string): { path: string; target: string } | undefined {
  const parts: string[] = [];
  for (let current = path; dirname(current) !== current; current = dirname(current)) parts.unshift(current);
  for (const current of parts) {
    let isLink = false;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch {
      return undefined;
    }
    if (isLink && !statOf(current)) return { path: current, target: readlinkSync(current) };
  }
  return undefined;
}

/** The path itself or its nearest existing parent when that is not a folder (undefined when it is). */
function fileInPlaceOf(path: string): string | undefined {
  for (let current = path; ; current = dirname(current)) {
    const found = statOf(current);
    if (found) return found.isDirectory() ? undefined : current;
    if (dirname(current) === current) return undefined;
  }
}

/**
 * Takes DATA/dev.lock, or explains who holds it. A lock whose process has ended, or whose pid now
 * belongs to another process (after a reboot), is taken over.
 */
export function acquireDevLock(data: string): DevLock {
  const path = lockPath(data);
  // Not a lock a crash could leave: someone's folder, which is not removed for them, or a named
  // pipe, whose reading would block the start for good.
  const what = notAFile(statOf(path));
  if (what)
    throw new DevStartError(
      `${path} is ${what}, but ownstats dev keeps its lock file there; move it away or choose another --data`,
    );
  const record = (info: { url?: string } = {}) => ({ started: new Date().toISOString(), ...info });
  takeLockFile(path, {
    record: record(),
    readHolder,
    busy: (holder) =>
      new DevStartError(
        `another ownstats dev (${ownerName(holder)}${holder.url ? `, ${holder.url}` : ""}) is using ${resolve(data)}; ` +
          `stop it or choose another folder with --data (if ${ownerName(holder)} is no ownstats dev, delete ${path})`,
      ),
    raced: `could not take the lock ${path}; remove it if no ownstats dev is running`,
  });
  let released = false;
  let url: string | undefined;
  // Another dev server's lock, taken while this one's was gone, is neither written over nor removed.
  const ours = () => {
    const holder = readHolder(path);
    return holder !== undefined && isThisProcess(holder);
  };
  return {
    path,
    update(info) {
      url = info.url;
      if (!released && ours()) writeFileSync(path, JSON.stringify({ ...thisProcess(), ...record(info) }));
    },
    keep() {
      if (released || ours() || !statOf(dirname(path))?.isDirectory()) return undefined;
      const holder = readHolder(path);
      if (holder && isRunning(holder)) return holder;
      try {
        takeLockFile(path, { record: record({ url }), readHolder, busy: () => new Error(), raced: "" });
      } catch {
        // Taken by another process at this very moment, or the folder deleted again: the next check tells.
      }
      return undefined;
    },
    release() {
      if (released) return;
      released = true;
      if (ours()) rmSync(path, { force: true });
    },
  };
}

/** The dev server that holds the data folder, if one is running. */
export function runningDev(data: string): { pid: number; url?: string } | undefined {
  const holder = readHolder(lockPath(data));
  return holder && isRunning(holder) ? { pid: holder.pid, url: holder.url } : undefined;
}

function readHolder(path: string): DevLockHolder | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    const owner = ownerOf(parsed);
    const url = (parsed as { url?: unknown }).url;
    return (
      owner && { ...owner, touchedAt: statOf(path)?.mtimeMs, url: typeof url === "string" ? url : undefined }
    );
  } catch {
    return undefined;
  }
}
