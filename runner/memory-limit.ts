// How much memory DuckDB may take for its buffers. Its default is 80 % of the machine's memory, or of
// the container's limit, but the process needs room beside the buffers: Node itself (about 140 MB for
// a command) and the engine's allocations it does not count against its limit (the JSON reader's). A
// full build of 1 M events peaked about 450 MB above the limit, so in a 1 GiB container (a small VPS)
// the default got the build killed by the kernel, with no message. Past the room kept back, DuckDB
// spills to disk instead.
import { totalmem } from "node:os";

const MiB = 2 ** 20;
/** Kept beside DuckDB's buffers: Node, DuckDB's own uncounted allocations, and `ownstats dev`'s server. */
const KEPT_FOR_THE_PROCESS = 768 * MiB;
/** Below this DuckDB cannot build: a full refresh of 1 M events took 256 MiB in 9 s. */
const LEAST = 256 * MiB;
/** DuckDB's own share of the memory, where that leaves the room above. */
const DEFAULT_SHARE = 0.8;

const SIZE = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/**
 * DuckDB's `memory_limit`: `OWNSTATS_MEMORY_LIMIT` when set (a size such as `512MB` or `2GiB`), else
 * 80 % of the memory this process may use (the container's limit where it has one), but never more
 * than that memory less 768 MiB, nor less than 256 MiB.
 */
export function duckdbMemoryLimit(
  env: NodeJS.ProcessEnv = process.env,
  available: number = availableMemory(),
): string {
  const given = env.OWNSTATS_MEMORY_LIMIT?.trim();
  if (given) {
    if (!SIZE.test(given))
      throw new Error(
        `OWNSTATS_MEMORY_LIMIT must be a size such as 512MB or 2GiB (DuckDB's memory_limit), not ${JSON.stringify(given)}`,
      );
    return given;
  }
  const limit = Math.max(LEAST, Math.min(available * DEFAULT_SHARE, available - KEPT_FOR_THE_PROCESS));
  return `${Math.floor(limit / MiB)}MiB`;
}

/**
 * DuckDB's "Out of Memory Error" with what the limit is and how to raise it; other messages as they are.
 * Past its limit DuckDB spills to disk, but not every step can (an aggregate holding many large states).
 */
export function withMemoryHint(message: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!message.startsWith("Out of Memory Error")) return message;
  const given = env.OWNSTATS_MEMORY_LIMIT?.trim();
  const why = given
    ? "set by OWNSTATS_MEMORY_LIMIT"
    : `of ${Math.floor(availableMemory() / MiB)} MiB, 768 MiB kept for the rest of the process`;
  return (
    `${message}\nDuckDB may use ${duckdbMemoryLimit(env)} here (${why}). Where more memory is free, ` +
    "OWNSTATS_MEMORY_LIMIT=1GiB (say) gives it more; past what is free, the system ends the command instead"
  );
}

/** The machine's memory, or the container's (cgroup) limit when lower. */
function availableMemory(): number {
  // Node 20 gives 2^64 (or 0) where no limit is set.
  const constrained = process.constrainedMemory?.() ?? 0;
  const total = totalmem();
  return constrained > 0 && constrained < total ? constrained : total;
}
