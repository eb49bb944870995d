// The spool's segment files: their names, sorting in log order, and what they hold.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

const SEGMENT = /^\d{16}-\d{6}\.ndjson$/;
export const isSegmentName = (name: string) => SEGMENT.test(name);

/** A place in the log: a segment and a byte offset in it. */
export interface SpoolPosition {
  segment: string;
  offset: number;
}

/** Every line the spool holds, oldest first (for inspection and tests; the delivery streams instead). */
export async function readSpoolLines(dir: string): Promise<string[]> {
  const lines: string[] = [];
  for (const segment of await listSegments(dir)) {
    const text = await readFile(join(dir, segment), "utf8");
    lines.push(...text.split("\n").filter(Boolean));
  }
  return lines;
}

/**
 * The spool's segment files, oldest first. A folder or named pipe with a segment's name, made while
 * the spool runs (a start refuses one), is no segment: reading a folder would fail on every delivery
 * and every live poll, and reading a pipe would never end.
 */
export async function listSegments(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => isSegmentName(entry.name) && (entry.isFile() || entry.isSymbolicLink()))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
