// Collector throughput on loopback: autocannon POSTs batches of 20 events to `ownstats collect`
// (validation, enrichment, fsync'd spool) and, in the same run, to a bare node:http server that
// reads the body and answers 202, the ceiling any Node HTTP service on this machine can reach,
// and to a floor server that only parses, serializes and durably appends what it is sent.
// Each server runs in its own process so that autocannon does not share its event loop.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchResult, compared, type Figure, runIfMain } from "./results.ts";

/** The part of autocannon's API used here (the package ships no types). */
interface LoadResult {
  "2xx": number;
  non2xx: number;
  errors: number;
  duration: number;
  latency: { p99: number };
}
const autocannon = createRequire(import.meta.url)("autocannon") as (options: object) => Promise<LoadResult>;

const EVENTS_PER_REQUEST = 20;
const bareName = "bare node:http 202 server";
const DURATION_S = Number(process.env.BENCH_COLLECT_SECONDS ?? 10);
const MAX_REQUESTS = 2_000_000;
const CONNECTIONS = 100;
const bin = fileURLToPath(new URL("../bin/ownstats.js", import.meta.url));

const BARE_SERVER = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    res.writeHead(202, { "content-type": "application/json" });
    res.end('{"accepted":20,"rejected":[]}');
  });
});
server.listen(0, "127.0.0.1", () => console.log("POST http://127.0.0.1:" + server.address().port + "/v1/events"));
`;

// The least any Node collector that stores what it is sent must do: parse the body, serialize
// each event as a line, append the lines with one write and answer only after an fdatasync
// (shared by the requests that wait together, as the spool does). No validation, enrichment,
// framework or delivery: the ceiling for a collector, where the bare server is the ceiling for
// any HTTP service.
const FLOOR_SERVER = `
const http = require("node:http");
const fs = require("node:fs");
const fd = fs.openSync(process.argv[1], "a");
let waiting = [];
let syncing = false;
function commit() {
  if (syncing || waiting.length === 0) return;
  syncing = true;
  const batch = waiting;
  waiting = [];
  const data = Buffer.concat(batch.map((w) => w.data));
  fs.write(fd, data, 0, data.length, null, (error) => {
    if (error) throw error;
    fs.fdatasync(fd, (error) => {
      if (error) throw error;
      syncing = false;
      for (const w of batch) w.done();
      commit();
    });
  });
}
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const { events } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const lines = events.map((event) => JSON.stringify(event));
    lines.push("");
    waiting.push({
      data: Buffer.from(lines.join("\\n")),
      done: () => {
        res.writeHead(202, { "content-type": "application/json" });
        res.end('{"accepted":' + events.length + ',"rejected":[]}');
      },
    });
    commit();
  });
});
server.listen(0, "127.0.0.1", () => console.log("POST http://127.0.0.1:" + server.address().port + "/v1/events"));
`;

function body(): string {
  const now = new Date().toISOString();
  const events = Array.from({ length: EVENTS_PER_REQUEST }, (_, i) => ({
    event_type: i === 0 ? "page_view" : "scroll_depth",
    event_id: randomUUID(),
    session_id: "bench_session_0001",
    visitor_id: "bench_visitor_0001",
    event_ts: now,
    page_path: `/blog/post-${i}?utm_source=x`,
    page_title: "A post about privacy-first analytics",
    referrer: "https://www.google.com/search?q=analytics",
    screen_width: 1920,
    screen_height: 1080,
    viewport_width: 1280,
    language: "en-GB",
    timezone: "Europe/London",
    ...(i === 0 ? {} : { scroll_pct: 50 }),
  }));
  return JSON.stringify({ events });
}

function startServer(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /POST (http:\/\/[^\s]+\/v1\/events)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

async function load(url: string) {
  const result = await autocannon({
    url,
    method: "POST",
    headers: {
      "content-type": "text/plain",
      origin: "https://example.com",
      "user-agent":
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    },
    body: body(),
    connections: CONNECTIONS,
    duration: DURATION_S,
    maxOverallRequests: MAX_REQUESTS,
  });
  const ok = result["2xx"];
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors against ${url}`);
  return { requestsPerSecond: ok / (result.duration || DURATION_S), p99: result.latency.p99 };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
async function cpuSeconds(pid: number | undefined): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the line, counted in clock ticks (100 per second).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function measure(args: string[]) {
  const { child, url } = await startServer(args);
  try {
    await load(url).catch(() => undefined); // warm-up: JIT, caches, first spool segment
    const cpuBefore = await cpuSeconds(child.pid);
    const result = await load(url);
    const cpuAfter = await cpuSeconds(child.pid);
    const requests = result.requestsPerSecond * (DURATION_S || 1);
    const cpuPerRequestMs =
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : ((cpuAfter - cpuBefore) * 1000) / requests;
    return { ...result, cpuPerRequestMs };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

export async function run(): Promise<BenchResult> {
  const data = await mkdtemp(join(tmpdir(), "ownstats-bench-collect-"));
  try {
    const bare = await measure(["-e", BARE_SERVER]);
    const floor = await measure(["-e", FLOOR_SERVER, join(data, "floor.ndjson")]);
    const collector = await measure([bin, "collect", "--port", "0", "--data", data]);
    const eventsPerSecond = collector.requestsPerSecond * EVENTS_PER_REQUEST;
    const ratio = collector.requestsPerSecond / bare.requestsPerSecond;
    const bareRequests = { name: bareName, value: bare.requestsPerSecond };
    return {
      bench: "collect",
      figures: [
        {
          ...compared(
            `events/s at ${EVENTS_PER_REQUEST} events per request (file sink, fsync before 202)`,
            eventsPerSecond,
            "events/s",
            { name: bareName, value: bare.requestsPerSecond * EVENTS_PER_REQUEST },
          ),
          goal: "≥ 20,000 events/s and ratio ≥ 0.5",
          met: eventsPerSecond >= 20_000 && ratio >= 0.5,
        },
        compared("requests/s", collector.requestsPerSecond, "req/s", bareRequests),
        compared(
          "requests/s of the floor: parse, serialize, fsync'd append, nothing else",
          floor.requestsPerSecond,
          "req/s",
          bareRequests,
        ),
        compared("requests/s against the floor", collector.requestsPerSecond, "req/s", {
          name: "floor",
          value: floor.requestsPerSecond,
        }),
        compared("p99 latency", collector.p99, "ms", { name: bareName, value: bare.p99 }),
        ...cpuFigures(collector.cpuPerRequestMs, bare.cpuPerRequestMs, floor.cpuPerRequestMs),
      ],
      notes: [
        "on a shared machine the throughput figures move with other load; CPU time per request does not, and one free core would serve about 1000 ÷ (ms per request) requests/s",
        `${CONNECTIONS} connections, ${DURATION_S} s per server after a warm-up of the same length, loopback, servers in their own processes`,
        "the floor parses each body, writes every event back as a JSON line and answers after a shared fdatasync: what any Node collector that stores the body must do, so its ratio to the bare server bounds the collector's",
      ],
    };
  } finally {
    await rm(data, { recursive: true, force: true });
  }
}

function cpuFigures(
  collector: number | undefined,
  bare: number | undefined,
  floor: number | undefined,
): Figure[] {
  if (collector === undefined || bare === undefined || floor === undefined) return [];
  return [
    compared(`server CPU time per request of ${EVENTS_PER_REQUEST} events`, collector, "ms", {
      name: bareName,
      value: bare,
    }),
    compared("server CPU time per request of the floor", floor, "ms", { name: bareName, value: bare }),
    compared("server CPU time per request against the floor", collector, "ms", {
      name: "floor",
      value: floor,
    }),
    {
      name: "events/s one free core would serve (from CPU time per request)",
      value: (1000 / collector) * EVENTS_PER_REQUEST,
      unit: "events/s",
      goal: "≥ 20,000 events/s",
      met: (1000 / collector) * EVENTS_PER_REQUEST >= 20_000,
    },
  ];
}

await runIfMain(import.meta.url, run);
