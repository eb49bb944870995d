// Shared by the collector's tests: valid events, reading raw/ back, waiting for a condition.
import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { StoredEvent, WireEventInput } from "../functions/collect/event.ts";

export function pageView(overrides: Partial<WireEventInput> = {}): WireEventInput {
  return {
    event_type: "page_view",
    event_id: randomUUID(),
    session_id: "session_0001",
    visitor_id: "visitor_0001",
    event_ts: new Date().toISOString(),
    page_path: "/pricing",
    timezone: "Europe/Berlin",
    ...overrides,
  };
}

/** Every record in DATA/raw/**\/*.gz, with the partition folder it was found in. */
export async function readRaw(data: string): Promise<(StoredEvent & { partition: string })[]> {
  const records: (StoredEvent & { partition: string })[] = [];
  let files: string[];
  try {
    files = (await readdir(join(data, "raw"), { recursive: true })).filter((f) => f.endsWith(".gz"));
  } catch {
    return [];
  }
  for (const file of files.sort()) {
    const text = gunzipSync(await readFile(join(data, "raw", file))).toString("utf8");
    const partition = file.split("/").slice(0, 4).join("/");
    for (const line of text.split("\n").filter(Boolean)) records.push({ ...JSON.parse(line), partition });
  }
  return records;
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A page view as the collector stores it, in one of seven sessions by `i`. */
export function storedEvent(i: number): StoredEvent {
  return {
    ...(pageView({ session_id: `session_${String(i % 7).padStart(4, "0")}` }) as StoredEvent),
    ingest_ts: new Date().toISOString(),
    site: "example.com",
    browser: "Firefox",
    browser_version: 120,
    os: "Linux",
    device_type: "desktop",
    is_bot: false,
    country: "DE",
    schema_version: 1,
  };
}
