// What `ownstats dev` checks before it opens anything: the data folder can be written (`collect`
// checks that too), and no other dev server uses it (DuckDB allows one writer per database file).
// A lock file holds the owner's pid.
import { mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** A start-up problem the user can fix: printed as one line, exit code 2. */
export class DevStartError extends Error {}

export interface DevLock {
  path: string;
  /** Records where the server listens, for `ownstats` commands that look for a running dev server. */
  update(info: { url: string }): void;
  release(): void;
}

export function lockPath(data: string): string {
  return join(data, "dev.lock");
}

export function ensureWritable(data: string): void {
  const folder = resolve(data);
  const probe = join(folder, `.write-check-${process.pid}`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(probe, "");
    unlinkSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DevStartError(
      `the data folder ${folder} is not writable (${code}); choose another with --data`,
    );
  }
}

/** Takes DATA/dev.lock, or explains who holds it. A lock left by a process that is gone is taken over. */
export function acquireDevLock(data: string): DevLock {
  const path = lockPath(data);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify({ pid: process.pid, started: new Date().toISOString() }), {
        flag: "wx",
      });
      let released = false;
      return {
        path,
        update(info) {
          if (!released)
            writeFileSync(
              path,
              JSON.stringify({ pid: process.pid, started: new Date().toISOString(), ...info }),
            );
        },
        release() {
          if (released) return;
          released = true;
          rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readHolder(path);
      if (holder && isAlive(holder.pid))
        throw new DevStartError(
          `another ownstats dev (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ""}) is using ${resolve(data)}; ` +
            "stop it or choose another folder with --data",
        );
      rmSync(path, { force: true });
    }
  }
  throw new DevStartError(`could not take the lock ${path}; remove it if no ownstats dev is running`);
}

/** The dev server that holds the data folder, if one is running. */
export function runningDev(data: string): { pid: number; url?: string } | undefined {
  const holder = readHolder(lockPath(data));
  return holder && isAlive(holder.pid) ? holder : undefined;
}

function readHolder(path: string): { pid: number; url?: string } | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as { pid?: unknown; url?: unknown };
    if (typeof parsed.pid !== "number") return undefined;
    return { pid: parsed.pid, url: typeof parsed.url === "string" ? parsed.url : undefined };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
