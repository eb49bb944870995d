// Runs `ownstats dev` (and `ownstats query`) as real processes for the dev server's tests and the
// freshness benchmark: a random port, a temp data folder, output captured.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { tempFolder } from "./temp-folders.ts";

export const ownstatsBin = fileURLToPath(new URL("../bin/ownstats.js", import.meta.url));

export interface DevProcess {
  url: string;
  data: string;
  child: ChildProcess;
  output(): string;
  /** Sends the signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export function tempData(prefix = "ownstats-dev-"): string {
  return tempFolder(prefix);
}

/** Starts `ownstats dev --port 0 --data DATA …args` and resolves once it has printed its start-up lines. */
export async function startDev(args: string[] = [], data = tempData()): Promise<DevProcess> {
  const child = spawn(process.execPath, [ownstatsBin, "dev", "--port", "0", "--data", data, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      // Ready once every start-up line is out: they can reach the pipe in more than one chunk.
      const match = /demo site +(http:\/\/\S+?)\/\s/.exec(output);
      if (match && output.includes("Ctrl-C stops")) {
        clearInterval(timer);
        resolve(match[1] as string);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`ownstats dev exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    url,
    data,
    child,
    output: () => output,
    exited,
    async stop(signal = "SIGINT") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs an ownstats command to its end. */
export function ownstats(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [ownstatsBin, ...args], { encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `ownstats query SQL --format json`; undefined when the warehouse could not be read this time. */
export async function queryRows(data: string, sql: string): Promise<Record<string, unknown>[] | undefined> {
  const { code, stdout } = await ownstats(["query", sql, "--data", data, "--format", "json"]);
  if (code !== 0) return undefined;
  return JSON.parse(stdout) as Record<string, unknown>[];
}

/** Every event_id in DATA/raw/. */
export function landedEventIds(data: string): Set<string> {
  const root = join(data, "raw");
  const ids = new Set<string>();
  let names: string[] = [];
  try {
    names = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((n) => n.endsWith(".gz"));
  } catch {
    return ids;
  }
  for (const name of names) {
    for (const line of gunzipSync(readFileSync(join(root, name)))
      .toString("utf8")
      .split("\n"))
      if (line) ids.add((JSON.parse(line) as { event_id: string }).event_id);
  }
  return ids;
}
