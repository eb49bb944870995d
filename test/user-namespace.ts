// Commands run in a Linux user namespace, for tests of folders the command may not write into: any user
// can mount a read-only file system there for the command alone, or run it without root's power to
// write anywhere.
import { spawnSync } from "node:child_process";

/** A wrapper (the command follows its arguments) that runs the command with a read-only tmpfs on `folder`. */
export const readOnlyAt = (folder: string): string[] => [
  "unshare",
  "-rm",
  "sh",
  "-c",
  'mount -t tmpfs -o ro tmpfs "$1" && shift && exec "$@"',
  "sh",
  folder,
];

/**
 * A wrapper that runs the command with `folder` bound read-only onto itself: its files are there to
 * read, as on a read-only volume a warehouse was synced to, and writing any of them fails with EROFS.
 */
export const readOnlyBindAt = (folder: string): string[] => [
  "unshare",
  "-rm",
  "sh",
  "-c",
  'mount --bind -o ro "$1" "$1" && shift && exec "$@"',
  "sh",
  folder,
];

/**
 * A wrapper that runs the command with a full file system on `folder`: a tmpfs of one page, filled
 * up first. An empty file still fits there (an inode, no block), as it does on a real full disk.
 */
export const fullAt = (folder: string): string[] => [
  "unshare",
  "-rm",
  "sh",
  "-c",
  'mount -t tmpfs -o size=4k tmpfs "$1" && { cat /dev/zero > "$1/.fill" 2>/dev/null; shift && exec "$@"; }',
  "sh",
  folder,
];

/**
 * A wrapper that runs the command as nobody in a user namespace: mapped from the user running the test,
 * it owns that user's files but obeys their permission bits, so a folder without write permission is
 * refused even when the test runs as root.
 */
export const withoutRoot = ["unshare", "--user", "--map-user=65534"];

/**
 * A wrapper that runs the command with a tmpfs of its own on `folder`, mounted with `options` (as
 * `size=64k,nr_inodes=16`): a disk the command itself can fill, of room or of files, and free again.
 */
export const tmpfsAt = (folder: string, options: string): string[] => [
  "unshare",
  "-rm",
  "sh",
  "-c",
  'mount -t tmpfs -o "$1" tmpfs "$2" && shift 2 && exec "$@"',
  "sh",
  options,
  folder,
];

/**
 * A wrapper that runs the command with a tmpfs of `size` on `folder`, which fills up once the file
 * `request` exists (made by the test, outside the tmpfs), then makes the file `done`: a disk that
 * fills while the command runs. It stays full while the command runs: what the command frees (a
 * build's temporary files, a warehouse's WAL) is taken again at once, as on a disk something else fills.
 */
export const fillsOnRequestAt = (folder: string, size: string, request: string, done: string): string[] => [
  "unshare",
  "-rm",
  "sh",
  "-c",
  'mount -t tmpfs -o "size=$1" tmpfs "$2" && { (while [ ! -e "$3" ]; do sleep 0.05; done; cat /dev/zero > "$2/.fill" 2>/dev/null; touch "$4"; while kill -0 $$ 2>/dev/null; do cat /dev/zero >> "$2/.fill" 2>/dev/null; sleep 0.01; done) & shift 4; exec "$@"; }',
  "sh",
  size,
  folder,
  request,
  done,
];

/** Whether this machine lets a user namespace mount a tmpfs, as the wrappers above do. */
export const canMountTmpfs =
  process.platform === "linux" &&
  spawnSync("unshare", [...tmpfsAt("/mnt", "size=64k").slice(1), "true"]).status === 0;

/** Runs `script` (a module, TypeScript through tsx) in a new Node under `wrapper`: what it printed. */
export function runScriptUnder(wrapper: string[], script: string, timeout: number) {
  return spawnSync(
    wrapper[0] as string,
    [...wrapper.slice(1), process.execPath, "--import", "tsx", "--input-type=module", "-e", script],
    { encoding: "utf8", timeout },
  );
}
