// The `ownstats` command's argument checks: each names its flag and what is wrong, so a typo is a
// usage error (exit 2) and never an error from deep inside a part.
import { createRequire } from "node:module";
import { isIP } from "node:net";
import { homedir } from "node:os";
import { InvalidArgumentError } from "commander";
import { wholeNumber, wholeNumberForm } from "./functions/collect/whole-number.ts";
import { parseDbtYaml } from "./runner/yaml-booleans.ts";

export function integer(name: string, min = 0, max?: number) {
  return (value: string): number => {
    const n = wholeNumber(value, min, max);
    if (n !== undefined) return n;
    // Without a stated maximum the bound is the largest exact number: "≥ 0" would not say what is wrong.
    const tooLarge = max === undefined && /^\d+$/.test(value) && Number(value) > Number.MAX_SAFE_INTEGER;
    throw new InvalidArgumentError(
      `${name} must be ${wholeNumberForm(min, tooLarge ? Number.MAX_SAFE_INTEGER : max)}`,
    );
  };
}

/**
 * The stream's capacity mode, also as the stack's kinesis_stream_mode spells it (ON_DEMAND), which the
 * estimate itself prints for the other mode.
 */
export function kinesisMode(value: string): "provisioned" | "on-demand" {
  const mode = value.toLowerCase().replace("_", "-");
  if (mode === "provisioned" || mode === "on-demand") return mode;
  throw new InvalidArgumentError(
    `Allowed choices are provisioned, on-demand (or the stack's PROVISIONED, ON_DEMAND).`,
  );
}

/** An endpoint URL: checked here, so a typo is named as the flag and not as the SDK's "Invalid URL". */
export function endpointUrl(value: string): string {
  if (!isHttpUrl(value))
    throw new InvalidArgumentError(
      "--endpoint must be an http:// or https:// URL, e.g. http://127.0.0.1:4567",
    );
  return value;
}

export function isHttpUrl(value: string): boolean {
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {}
  return protocol === "http:" || protocol === "https:";
}

/** A point in time as ISO 8601 with a zone, in ms. */
export function instant(name: string) {
  return (value: string): number => {
    const ms = Date.parse(value);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i.test(value) || Number.isNaN(ms))
      throw new InvalidArgumentError(
        `${name} must be a time in ISO 8601 with its zone, e.g. 2026-11-29T18:00:00Z`,
      );
    return ms;
  };
}

/**
 * An address to listen on, checked here so that a URL or a host:port is named as the flag, not as
 * listen()'s ENOTFOUND. An IPv6 address may come in brackets, as in a URL.
 */
export function listenAddress(value: string): string {
  const host = value.trim().replace(/^\[(.*)\]$/, "$1");
  const example = "e.g. 0.0.0.0 (every interface, as in a container) or 127.0.0.1 (this machine only)";
  if (host === "") throw new InvalidArgumentError(`--host is empty; give an address, ${example}`);
  if (host.includes("/"))
    throw new InvalidArgumentError(`--host takes an address alone, not a URL or path; ${example}`);
  if (isIP(host) === 0 && host.includes(":"))
    throw new InvalidArgumentError(
      `--host takes an address alone; the port goes in --port (--host ${host.split(":")[0] || "0.0.0.0"} --port ${host.split(":").at(-1)})`,
    );
  if (isIP(host) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host))
    throw new InvalidArgumentError(`--host "${value}" is no IP address or host name; ${example}`);
  return host;
}

/** A data folder: an empty one (an unset variable) would be the current folder, filled with raw/ and spool/. */
export function dataFolder(value: string): string {
  if (value.trim() === "")
    throw new InvalidArgumentError("--data is empty; give a folder, e.g. --data ./data");
  return homeExpanded(value);
}

/**
 * "~/stats" as a shell would expand it. OWNSTATS_DATA set in a .env file, a compose file or a unit's
 * Environment= (or --data "~/stats" quoted) reaches us unexpanded, and would otherwise make a folder
 * named "~" in the current one, which a later `rm -rf ~` meant for it takes the home folder with.
 */
export function homeExpanded(path: string): string {
  return path === "~" || path.startsWith("~/") ? homedir() + path.slice(1) : path;
}

/**
 * A key prefix: an S3 URL pasted whole (s3://bucket/raw/) is named here, where it would be listed as a
 * prefix that holds no object.
 */
export function keyPrefix(value: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\/[^/]*\/?(.*)$/i.exec(value);
  if (url)
    throw new InvalidArgumentError(
      `--prefix takes the key prefix alone (${url[1] || "raw/"}), not a URL; the bucket goes in --bucket`,
    );
  return value;
}

/** A bucket's name alone: an empty one (an unset variable) or a URL is named here, not by the SDK. */
export function bucketName(value: string): string {
  if (value.trim() === "")
    throw new InvalidArgumentError(
      "--bucket is empty; give the event bucket's name (the stack's bucket_name output)",
    );
  if (value.includes("/") || value.includes(":")) {
    const name = value.replace(/^[a-z0-9]+:\/\//i, "").split("/")[0] || "NAME";
    throw new InvalidArgumentError(
      `--bucket takes the bucket's name alone (${name}), not a URL or path; a key prefix goes in --prefix`,
    );
  }
  return value;
}

/** A Kinesis stream's name: an empty one (an unset variable) is named here, not as "stream : …" by the SDK. */
export function streamName(value: string): string {
  if (value.trim() === "")
    throw new InvalidArgumentError(
      "--stream is empty; give the stream's name (the stack's kinesis_stream_name output)",
    );
  return value;
}

/** A mapping in YAML, as dbt's --vars takes it; JSON is YAML too. */
export function varsMapping(value: string): Record<string, unknown> {
  // Required here, synchronously, so that commands without --vars do not load the YAML parser.
  const { parseDocument } = createRequire(import.meta.url)("yaml") as typeof import("yaml");
  let parsed: unknown;
  try {
    parsed = parseDbtYaml(value, parseDocument);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new InvalidArgumentError(`not valid YAML or JSON (${reason})`);
  }
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
    return parsed as Record<string, unknown>;
  throw new InvalidArgumentError(`expected a mapping such as '{anomaly_z: 3}' or '{"anomaly_z": 3}'`);
}
