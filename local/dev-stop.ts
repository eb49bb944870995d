// What stops a running `ownstats dev`: Ctrl-C (SIGINT), SIGTERM, the caller's signal (tests), or its data
// folder's lock taken over by another dev server after the folder was deleted.
import type { DevLock, DevLockHolder } from "./dev-guard.ts";
import { ownerName } from "./lock-owner.ts";

/** How often dev checks that its lock is still there. */
const LOCK_CHECK_MS = 1_000;

/**
 * The data folder deleted while dev runs loses dev.lock with it: taken again once the folder is back.
 * Another dev server that started on the folder meanwhile keeps it, and `lost` aborts so this one stops.
 */
export function watchLock(
  lock: DevLock,
  data: string,
  log: (line: string) => void,
): { lost: AbortSignal; tookOver(): DevLockHolder | undefined; stop(): void } {
  const lockLost = new AbortController();
  let tookOver: DevLockHolder | undefined;
  const keepLock = setInterval(() => {
    tookOver ??= lock.keep();
    if (tookOver) {
      clearInterval(keepLock);
      log(
        `stopping: ${data} was deleted, and another ownstats dev (${ownerName(tookOver)}${tookOver.url ? `, ${tookOver.url}` : ""}) started on it meanwhile; two would write into one folder`,
      );
      lockLost.abort();
    }
  }, LOCK_CHECK_MS);
  keepLock.unref();
  return { lost: lockLost.signal, tookOver: () => tookOver, stop: () => clearInterval(keepLock) };
}

/** SIGINT, SIGTERM or the signal; `cancel` lets the process's own signal handling back in. */
export function stopRequested(signal?: AbortSignal): { done: Promise<void>; cancel(): void } {
  let stop = () => {};
  const done = new Promise<void>((resolve) => {
    stop = () => {
      cancel();
      resolve();
    };
  });
  const cancel = () => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    signal?.removeEventListener("abort", stop);
  };
  if (signal?.aborted) stop();
  else {
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    signal?.addEventListener("abort", stop, { once: true });
  }
  return { done, cancel };
}
