// Who holds a lock file (the spool's, the dev server's). A pid alone is not enough: after a reboot, or
// long after the owner died, another process may have that pid, and a start would be refused for
// good. Where Linux's /proc shows them, the boot id and the process's start (clock ticks since boot)
// name one process for certain; elsewhere the pid alone is checked, as before. The host name tells
// the machines (or containers, each often running as pid 1) that share a data folder apart: the
// processes of another one cannot be checked from here, so its lock holds while its holder keeps
// touching the file, and is taken for stale only once left untouched (a container killed for good
// and started again as a new one, under a new host name).
import { readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { notAFile, StartProblem, statOf } from "./start-problem.ts";

export interface LockOwner {
  pid: number;
  /** "<boot id>/<start ticks>" of the process, where /proc shows it. */
  instance?: string;
  /** The host name of the machine the process runs on; older locks have none. */
  host?: string;
  /** When the lock file was last touched (its mtime, in ms), where it was read from a file. */
  touchedAt?: number;
}

/** How often a holder touches its lock file, and how long another host's lock lasts untouched. */
const TOUCH_EVERY_MS = 20_000;
export const UNTOUCHED_STALE_MS = 120_000;

/** This process, as a lock records it. */
export function thisProcess(): LockOwner {
  const instance = instanceOf(process.pid);
  const host = hostname();
  return instance === undefined ? { pid: process.pid, host } : { pid: process.pid, instance, host };
}

/** The owner's process is on another machine (or in another container) than this one. */
const onAnotherHost = (owner: LockOwner) => owner.host !== undefined && owner.host !== hostname();

/** Whether the lock was written by this very process: its pid, on this host, and this instance of it. */
export function isThisProcess(owner: LockOwner): boolean {
  if (owner.pid !== process.pid || onAnotherHost(owner)) return false;
  return owner.instance === undefined || owner.instance === instanceOf(process.pid);
}

/** The owner as a message names it: "pid 1234", or "pid 1 on host web-2" for another host's. */
export function ownerName(owner: LockOwner): string {
  return onAnotherHost(owner) ? `pid ${owner.pid} on host ${owner.host}` : `pid ${owner.pid}`;
}

/**
 * Whether the process that wrote the lock is still running; one on another host counts as running
 * while its lock file was touched in the last two minutes (or when that is not known).
 */
export function isRunning(owner: LockOwner): boolean {
  if (onAnotherHost(owner))
    return owner.touchedAt === undefined || Date.now() - owner.touchedAt < UNTOUCHED_STALE_MS;
  // A process killed (kill -9) whose parent has not collected it yet is a zombie: it still has its pid
  // and /proc entry, but holds nothing. Under an init that never collects orphans (a container's
  // pid 1, often) it stays one, and its lock would be refused for good.
  const state = procStat(owner.pid)?.[0];
  if (state === "Z" || state === "X") return false;
  if (owner.instance !== undefined) {
    const boot = bootId();
    if (boot !== undefined && !owner.instance.startsWith(`${boot}/`)) return false;
    const now = instanceOf(owner.pid);
    if (now !== undefined) return now === owner.instance;
  }
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Reads an owner from a lock's parsed JSON: { pid, instance, host } or, as older locks hold it,
 * { pid, instance } or a bare pid.
 */
export function ownerOf(parsed: unknown): LockOwner | undefined {
  if (typeof parsed === "number") return Number.isInteger(parsed) && parsed > 0 ? { pid: parsed } : undefined;
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { pid, instance, host } = parsed as { pid?: unknown; instance?: unknown; host?: unknown };
  if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return undefined;
  return {
    pid,
    ...(typeof instance === "string" ? { instance } : {}),
    ...(typeof host === "string" && host !== "" ? { host } : {}),
  };
}

/** The owner a lock file names; undefined when it is gone, empty or unreadable (its writer was killed). */
export function readLockOwner(path: string): LockOwner | undefined {
  try {
    const owner = ownerOf(JSON.parse(readFileSync(path, "utf8")));
    return owner && { ...owner, touchedAt: statOf(path)?.mtimeMs };
  } catch {
    return undefined;
  }
}

/**
 * Touches the lock file `path` every 20 s while it names this process, so that a process of another
 * host sharing the folder sees it is held (it cannot check this process's pid). Stops once the file
 * is gone or names another process; never keeps the process alive.
 */
export function keepTouched(path: string): void {
  const timer = setInterval(() => {
    const holder = readLockOwner(path);
    if (!holder || !isThisProcess(holder)) return clearInterval(timer);
    try {
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      clearInterval(timer);
    }
  }, TOUCH_EVERY_MS);
  timer.unref();
}

/**
 * Creates the lock file `path` naming this process (and what else `record` holds). A lock whose
 * process has ended (or, with `retakeOwn`, one this very process wrote) is taken over; one a running
 * process holds is refused with `busy(holder)`, the holder as `readHolder` reads it; a StartProblem
 * saying `raced` is thrown when another process took it over at the same moment. Synchronous: it is
 * taken once at a start, and the dev server takes it before anything else runs.
 */
export function takeLockFile<Holder extends LockOwner = LockOwner>(
  path: string,
  opts: {
    busy: (holder: Holder) => Error;
    raced: string;
    retakeOwn?: boolean;
    record?: Record<string, unknown>;
    readHolder?: (path: string) => Holder | undefined;
  },
): void {
  const readHolder = opts.readHolder ?? (readLockOwner as (path: string) => Holder | undefined);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify({ ...thisProcess(), ...opts.record }), { flag: "wx" });
      keepTouched(path);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    // No lock a crash could leave: a folder is not removed for its owner, and reading a named pipe
    // would block until something writes into it, which nothing does.
    const what = notAFile(statOf(path));
    if (what)
      throw new StartProblem(
        `${path} is ${what}, but it must be the lock file that names the process using it; move it away`,
      );
    const holder = readHolder(path);
    if (holder && !(opts.retakeOwn && isThisProcess(holder)) && isRunning(holder)) throw opts.busy(holder);
    rmSync(path, { force: true });
  }
  throw new StartProblem(opts.raced);
}

function bootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The "<boot id>/<start ticks>" of a running process, where /proc shows it. */
export function instanceOf(pid: number): string | undefined {
  const boot = bootId();
  if (boot === undefined) return undefined;
  // The start time is field 22, the 20th after the name.
  const start = procStat(pid)?.[19];
  return start && /^\d+$/.test(start) ? `${boot}/${start}` : undefined;
}

/** The fields of /proc/<pid>/stat after the command name (the state first), where /proc shows them. */
function procStat(pid: number): string[] | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces or ")": fields are counted
  // after its last ")".
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}
