// The dev server joins the small objects its delivery lands into one per hour once the hour is past
// what an incremental build reads, without a rebuild: the events stay as they were.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { writeDemo } from "../local/demo.ts";
import { rawPartition, writeRawObject } from "../local/raw-object.ts";
import { pageView, waitFor } from "./collect-helpers.ts";
import { queryRows, startDev, tempData } from "./dev-server.ts";
import { tempFolder } from "./temp-folders.ts";

/** Every record of the demo's objects under `data`. */
function demoRecords(data: string): string[] {
  const raw = join(data, "raw");
  return readdirSync(raw, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith(".gz"))
    .flatMap((name) =>
      gunzipSync(readFileSync(join(raw, name)))
        .toString("utf8")
        .split("\n"),
    )
    .filter(Boolean);
}

it("joins a past hour's objects into one, with every event, and builds nothing again for it", async () => {
  const source = tempFolder("ownstats-compaction-source-");
  await writeDemo({ data: source, visitors: 20, days: 1, seed: 3 });
  const records = demoRecords(source);
  // As the delivery lands them, an object a second, in the hour that began six hours ago.
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 6 * 3_600_000;
  const data = tempData();
  const chunks = Math.ceil(records.length / 10);
  for (let i = 0; i < chunks; i++)
    await writeRawObject(data, records.slice(i * 10, i * 10 + 10), new Date(hour + i * 1000));
  const folder = join(data, rawPartition(new Date(hour)));
  expect(readdirSync(folder)).toHaveLength(chunks);

  const dev = await startDev(["--no-demo"], data);
  try {
    await waitFor(
      "the objects joined",
      async () =>
        dev.output().includes(`raw: joined ${chunks} objects of ${folder} into one`) ? true : undefined,
      60_000,
    );
    const objects = readdirSync(folder);
    expect(objects).toHaveLength(1);
    const joined = gunzipSync(readFileSync(join(folder, objects[0] as string))).toString("utf8");
    expect(joined.split("\n").filter(Boolean)).toEqual(records);

    // A new event builds incrementally, as before: the joining was no change to the events, also
    // for the watcher's full scan of raw/ (every 15 s), which has looked at the folder by then.
    await new Promise((done) => setTimeout(done, 16_000));
    const sent = await fetch(`${dev.url}/v1/events`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: dev.url },
      body: JSON.stringify(pageView({ session_id: "s_after_join", event_ts: new Date().toISOString() })),
    });
    expect(sent.status).toBe(202);
    await waitFor(
      "the new event in the models",
      async () => {
        const rows = await queryRows(
          data,
          "select count(*)::int as n from stg_events where session_id = 's_after_join'",
        );
        return rows?.[0]?.n === 1 ? true : undefined;
      },
      60_000,
    );
    const ids = await queryRows(data, "select count(distinct event_id)::int as n from stg_events");
    expect(ids?.[0]?.n).toBe(new Set(records.map((r) => JSON.parse(r).event_id)).size + 1);
    expect(dev.output()).not.toContain("full refresh");
    expect(dev.output()).not.toContain("raw objects removed");
  } finally {
    await dev.stop();
  }
}, 180_000);
