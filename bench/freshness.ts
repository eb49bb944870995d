// Freshness of `ownstats dev`: the time from POSTing an event to the event being queryable in the
// warehouse (stg_events), over a few hundred events sent in small batches, as browsers would, while
// the dev server runs on demo data. The baseline is the model build alone, measured in the same run:
// no event can be fresher than one build, so the ratio says how much the delivery, the watching and
// the waiting for a build slot add on top.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDev } from "../local/dev.ts";
import { queryRows } from "../test/dev-server.ts";
import { type BenchResult, runIfMain } from "./results.ts";

const EVENTS = Number(process.env.BENCH_FRESHNESS_EVENTS ?? 300);
const PER_REQUEST = 3;
const SEND_EVERY_MS = 250;

export async function run(): Promise<BenchResult> {
  const data = await mkdtemp(join(tmpdir(), "ownstats-bench-freshness-"));
  const lines: string[] = [];
  const stop = new AbortController();
  const server = runDev({ port: 0, data, demo: true, signal: stop.signal, log: (line) => lines.push(line) });
  try {
    const url = await waitFor(() => /demo site +(http:\/\/\S+?)\/$/m.exec(lines.join("\n"))?.[1], 120_000);
    await waitFor(() => lines.some((l) => /^build .*\(start\)/.test(l)) || undefined, 300_000);

    // Polled as a user would, with `ownstats query` in a process of its own (the dev server builds in
    // child processes, so the database file is free between builds). A poll's own duration bounds
    // the precision: an event counts as seen when the first query that saw it finished.
    const sentAt = new Map<string, number>();
    const seenAfter: number[] = [];
    let sending = true;
    const sender = (async () => {
      for (let sent = 0; sent < EVENTS; sent += PER_REQUEST) {
        const events = Array.from({ length: Math.min(PER_REQUEST, EVENTS - sent) }, () => ({
          event_type: "page_view",
          event_id: randomUUID(),
          session_id: "bench-freshness-session",
          event_ts: new Date().toISOString(),
          page_path: "/bench",
        }));
        const response = await fetch(`${url}/v1/events`, {
          method: "POST",
          headers: { "content-type": "text/plain", origin: url },
          body: JSON.stringify({ events }),
        });
        if (response.status !== 202) throw new Error(`the collector answered ${response.status}`);
        const acknowledged = Date.now();
        for (const event of events) sentAt.set(event.event_id, acknowledged);
        await new Promise((r) => setTimeout(r, SEND_EVERY_MS));
      }
      sending = false;
    })();
    const deadline = Date.now() + 10 * 60_000;
    while ((sending || sentAt.size > 0) && Date.now() < deadline) {
      const rows = ((await queryRows(data, "select event_id from stg_events where page_path = '/bench'")) ??
        []) as { event_id: string }[];
      const now = Date.now();
      for (const { event_id } of rows) {
        const sent = sentAt.get(event_id);
        if (sent === undefined) continue;
        seenAfter.push((now - sent) / 1000);
        sentAt.delete(event_id);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await sender;

    const builds = lines
      .map((l) => /^build .*\(new raw objects\): models and tests ok in ([\d.]+) s/.exec(l)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number);
    const buildMedian = median(builds);
    const freshMedian = median(seenAfter);
    const worst = Math.max(...seenAfter);
    return {
      bench: "freshness",
      figures: [
        {
          name: `median POST → queryable (${seenAfter.length} events)`,
          value: freshMedian,
          unit: "s",
          baseline: { name: "median model build (run + tests)", value: buildMedian, unit: "s" },
          ratio: buildMedian > 0 ? freshMedian / buildMedian : undefined,
          goal: "≤ 5 s",
          met: freshMedian <= 5,
        },
        {
          name: "worst POST → queryable",
          value: worst,
          unit: "s",
          baseline: { name: "slowest model build", value: Math.max(...builds), unit: "s" },
          ratio: builds.length ? worst / Math.max(...builds) : undefined,
          goal: "≤ 10 s",
          met: worst <= 10,
        },
      ],
      notes: [
        `${builds.length} incremental builds on ${EVENTS} events sent ${PER_REQUEST} per request every ${SEND_EVERY_MS} ms, over demo data`,
        ...(sentAt.size ? [`${sentAt.size} events were not queryable within 10 minutes`] : []),
      ],
    };
  } finally {
    stop.abort();
    await server.catch(() => 0);
    await rm(data, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("ownstats dev did not get ready in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

await runIfMain(import.meta.url, run);
