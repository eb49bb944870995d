// Which process listens on a TCP port, where Linux's /proc shows it: a port in use is named with its
// holder, so a forgotten `ownstats dev` in another terminal is told from another program. Elsewhere,
// or for another user's process, the holder stays unknown and the message says how to find it.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { basename } from "node:path";

export interface PortHolder {
  pid: number;
  /** The program, as the system names it (node, nginx, …). */
  name: string;
  /** The ownstats command it runs (`dev`, `collect`), when it is one. */
  ownstats?: string;
}

/** The first process found holding a socket that listens on `port`, on any address. */
export function portHolder(port: number): PortHolder | undefined {
  const inodes = listeningInodes(port);
  if (!inodes.size) return undefined;
  for (const pid of entries("/proc").filter((name) => /^\d+$/.test(name)))
    for (const fd of entries(`/proc/${pid}/fd`)) {
      const inode = /^socket:\[(\d+)\]$/.exec(linkOf(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode && inodes.has(inode)) return describe(Number(pid));
    }
  return undefined;
}

/** The inodes of the sockets listening on `port`, from the kernel's TCP tables (IPv4 and IPv6). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const rows = textOf(table).split("\n").slice(1);
    for (const row of rows) {
      // sl local_address rem_address st …: the local address is HEX_ADDRESS:HEX_PORT, state 0A is
      // LISTEN, and the tenth field is the socket's inode.
      const fields = row.trim().split(/\s+/);
      const [local, state, inode] = [fields[1], fields[3], fields[9]];
      if (state !== "0A" || !local || !inode || inode === "0") continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(":") + 1), 16) === port) inodes.add(inode);
    }
  }
  return inodes;
}

function describe(pid: number): PortHolder {
  const args = textOf(`/proc/${pid}/cmdline`).split("\0");
  const name = textOf(`/proc/${pid}/comm`).trim() || basename(args[0] ?? "") || "a process";
  // `node …/bin/ownstats.js dev …`, `ownstats dev …` (an npm link) or `npx ownstats dev …`.
  const at = args.findIndex((arg) => /^ownstats(\.js)?$/.test(basename(arg)));
  const command = at >= 0 ? args[at + 1] : undefined;
  return command && /^[a-z]+$/.test(command) ? { pid, name, ownstats: command } : { pid, name };
}

const entries = (folder: string): string[] => {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
};

const linkOf = (path: string): string => {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
};

const textOf = (path: string): string => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
};
