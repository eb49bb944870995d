// The address `collect` and `dev` listen on (--host): which URLs open the server from a browser, and
// why an address could not be listened on. 0.0.0.0 (a container, a phone on the LAN) is no address a
// browser can open, so the URLs name the loopback and this machine's network addresses instead.
import { isIPv6 } from "node:net";
import { networkInterfaces } from "node:os";
import { portHolder } from "./port-holder.ts";
import { StartProblem } from "./start-problem.ts";

/** Every interface: IPv4's and IPv6's "any" address. */
const WILDCARDS = ["0.0.0.0", "::"];

export function isWildcard(host: string): boolean {
  return WILDCARDS.includes(host);
}

/** Only this machine can reach the server: 127.0.0.0/8, ::1 or localhost. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host as it goes in a URL: an IPv6 address in brackets. */
export const urlHost = (host: string) => (isIPv6(host) ? `[${host}]` : host);

export interface ListenUrls {
  /** The URL this machine opens the server at (the loopback for a wildcard). */
  url: string;
  /** For a wildcard, the URLs of this machine's network addresses, where other machines reach it. */
  network: string[];
}

export function listenUrls(host: string, port: number): ListenUrls {
  if (!isWildcard(host)) return { url: `http://${urlHost(host)}:${port}`, network: [] };
  // "::" also takes IPv4 where the system maps it (the default on Linux, macOS and Windows).
  const families = host === "::" ? ["IPv4", "IPv6"] : ["IPv4"];
  const network = Object.values(networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    // A link-local IPv6 address needs its zone (%eth0) in a URL, which browsers do not take.
    .filter((a) => !a.internal && families.includes(a.family) && !a.address.startsWith("fe80:"))
    .map((a) => `http://${urlHost(a.address)}:${port}`);
  return { url: `http://127.0.0.1:${port}`, network };
}

/**
 * Where the server listens, told as a user can use it: its URL, or for a wildcard that it listens on
 * every interface, with the URL another machine opens (the first network address) and this one's.
 */
export function listeningOn({ host, port, url, networkUrls }: ListenTarget): string {
  if (!isWildcard(host)) return url;
  const interfaces = host === "::" ? "every interface, IPv4 and IPv6 (::)" : "every interface (0.0.0.0)";
  const [first] = networkUrls;
  const network = first
    ? `${first} from other machines${networkUrls.length > 1 ? " (all addresses below)" : ""}`
    : "this machine has no network address";
  return `${interfaces}, port ${port}: ${network}, ${url} from this one`;
}

/** A server as the start-up lines tell of it. */
interface ListenTarget {
  host: string;
  port: number;
  url: string;
  networkUrls: string[];
}

/**
 * An address that could not be listened on, as a StartProblem naming it and why; any other error as
 * it was.
 */
export function listenProblem(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") return new StartProblem(portInUse(host, port));
  const why =
    code === "EADDRNOTAVAIL"
      ? "no network interface of this machine has that address"
      : code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME"
        ? "that host name does not resolve to an address"
        : code === "EAFNOSUPPORT"
          ? "this machine has no IPv6 network"
          : code === "EACCES"
            ? `port ${port} needs privileges here (ports below 1024 do); choose another with --port`
            : undefined;
  if (!why) return error;
  const hint = code === "EACCES" ? "" : "; choose another with --host (0.0.0.0: every interface)";
  return new StartProblem(`cannot listen on ${host}: ${why} (${code})${hint}`);
}

/** A port in use, naming what holds it when this machine shows it, else how to find it. */
function portInUse(host: string, port: number): string {
  const holder = portHolder(port);
  const taken = `port ${port} on ${host} is already in use`;
  if (holder?.ownstats)
    return `${taken} by another ownstats ${holder.ownstats} (pid ${holder.pid}); stop it, or choose another port with --port`;
  if (holder) return `${taken} by ${holder.name} (pid ${holder.pid}); choose another with --port`;
  return `${taken} (\`lsof -i :${port}\` or \`ss -ltnp\` names the process that holds it); choose another with --port`;
}

/**
 * Where other machines reach a server that is not on the loopback, and that they can `use` it: a
 * collector that listens on the network takes events from anyone who reaches it.
 */
export function networkLines({ host, port, networkUrls }: Omit<ListenTarget, "url">, use: string): string[] {
  if (isLoopback(host)) return [];
  const lines = networkUrls.map((url) => `on the network: ${url}`);
  const origins = process.env.ALLOWED_ORIGINS?.trim();
  const takes =
    origins && origins !== "*" ? "" : " (ALLOWED_ORIGINS=https://your.site takes only your sites' events)";
  lines.push(`warning: listening on ${host}, so any machine that reaches port ${port} can ${use}${takes}`);
  return lines;
}
