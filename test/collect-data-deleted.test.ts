// The data folder deleted while the collector runs (to start afresh): every event acknowledged
// before or after still lands in raw/ of the folder made again, none goes into a file no folder holds.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { type RunningCollector, startCollector } from "../local/collect.ts";
import { pageView, readRaw } from "./collect-helpers.ts";

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function send(collector: RunningCollector, count: number): Promise<string[]> {
  const events = Array.from({ length: count }, () => pageView());
  const res = await fetch(`${collector.url}/v1/events`, {
    method: "POST",
    headers: { "Content-Type": "text/plain" },
    body: JSON.stringify({ events }),
  });
  expect(res.status).toBe(202);
  return events.map((e) => e.event_id);
}

it("lands the events acknowledged before and after the data folder was deleted", async () => {
  root = await mkdtemp(join(tmpdir(), "ownstats-data-deleted-"));
  const data = join(root, "data");
  // Nothing is delivered until the collector stops: the events wait in the spool when it is deleted.
  const collector = await startCollector({ port: 0, data, sink: "file", deliveryIntervalMs: 3_600_000 });
  const before = await send(collector, 3);
  await rm(data, { recursive: true });
  const after = await send(collector, 3);
  await collector.close();
  const landed = (await readRaw(data)).map((record) => record.event_id);
  expect(landed.sort()).toEqual([...before, ...after].sort());
});
