// A full build removes DATA/needs-full-refresh once done, unless the mark was written again since it
// read it: so a replay or sync that lands objects behind the warehouse while such a build runs must
// write the mark again after each of them lands, or the build, which listed raw/ before they did,
// takes the mark along and no later build reads them.
import { PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { describe, expect, it, vi } from "vitest";
import { demo } from "../local/index.ts";
import { replayStream } from "../local/kinesis-replay.ts";
import { writeRawObject } from "../local/raw-object.ts";
import {
  clearFullRefreshMark,
  type FullRefreshMark,
  readFullRefreshMark,
} from "../runner/full-refresh-mark.ts";
import { createStream, kinesaliteForFile } from "./kinesalite.ts";
import { bucketToSync, s3rverForFile } from "./s3rver-kit.ts";
import { tempFolder } from "./temp-folders.ts";

// What a full build starting right after an object lands reads of the mark.
const afterLanding = vi.hoisted(() => ({ hook: undefined as (() => void) | undefined }));
vi.mock("../local/raw-object.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../local/raw-object.ts")>();
  return {
    ...actual,
    writeRawObject: async (...args: Parameters<typeof actual.writeRawObject>) => {
      const written = await actual.writeRawObject(...args);
      afterLanding.hook?.();
      return written;
    },
  };
});
vi.mock("../local/sync-download.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../local/sync-download.ts")>();
  return {
    ...actual,
    download: async (...args: Parameters<typeof actual.download>) => {
      const downloaded = await actual.download(...args);
      afterLanding.hook?.();
      return downloaded;
    },
  };
});

/** The mark as the first full build to start after an object landed read it. */
function buildStartingAfterFirstLanding(data: string): () => FullRefreshMark | undefined {
  let seen: FullRefreshMark | undefined;
  afterLanding.hook = () => {
    seen ??= readFullRefreshMark(data);
  };
  return () => seen;
}

const kinesis = kinesaliteForFile();
const s3rver = s3rverForFile();

describe("objects landed behind the warehouse during a full build", () => {
  it("stay marked when replay lands them", async () => {
    await createStream(kinesis.client, "replay-during-build");
    const since = new Date(Date.now() - 1000);
    const event = (n: number, ingest: string) =>
      JSON.stringify({
        event_id: `00000000-0000-4000-8000-00000000000${n}`,
        event_type: "page_view",
        session_id: "session-abcdef",
        event_ts: ingest,
        page_path: "/",
        ingest_ts: ingest,
        is_bot: false,
        schema_version: 1,
      });
    await kinesis.client.send(
      new PutRecordsCommand({
        StreamName: "replay-during-build",
        Records: [event(1, "2026-05-01T09:30:00.000Z"), event(2, "2026-05-01T11:30:00.000Z")].map((d) => ({
          Data: Buffer.from(d),
          PartitionKey: "k",
        })),
      }),
    );
    const data = tempFolder("ownstats-replay-during-build-");
    await writeRawObject(data, [event(3, "2026-05-02T10:00:00.000Z")], new Date("2026-05-02T10:00:00Z"));
    const seen = buildStartingAfterFirstLanding(data);
    await replayStream({ client: kinesis.client, streamName: "replay-during-build", data, since });
    afterLanding.hook = undefined;
    const read = seen();
    expect(read?.hour).toEqual(new Date("2026-05-01T09:00:00Z"));
    // The build, done, removes the mark it read: the 11:00 object landed after it listed raw/.
    if (read) clearFullRefreshMark(data, read);
    expect(readFullRefreshMark(data)?.hour).toEqual(new Date("2026-05-01T09:00:00Z"));
  });

  it("stay marked when sync fetches them", async () => {
    const { put, sync } = await bucketToSync(s3rver(), "ownstats-during-build");
    await put("year=2026/month=02/day=10/hour=12/ownstats-direct-1-2026-02-10-12-10-00-a.gz", 100);
    const data = tempFolder("ownstats-sync-during-build-");
    await sync(data);
    for (const hour of ["14", "15", "16", "17", "18", "19"])
      await put(
        `year=2026/month=02/day=09/hour=${hour}/ownstats-direct-1-2026-02-09-${hour}-00-00-b.gz`,
        100,
      );
    const seen = buildStartingAfterFirstLanding(data);
    expect(await sync(data)).toMatchObject({ downloaded: 6 });
    afterLanding.hook = undefined;
    const read = seen();
    expect(read?.hour).toEqual(new Date("2026-02-09T14:00:00Z"));
    if (read) clearFullRefreshMark(data, read);
    expect(readFullRefreshMark(data)?.hour).toEqual(new Date("2026-02-09T14:00:00Z"));
  });

  it("stay marked when demo --add moves them in", async () => {
    const data = tempFolder("ownstats-demo-during-build-");
    await writeRawObject(data, ["{}"], new Date("2026-03-01T10:00:00Z"));
    const seen = buildStartingAfterFirstLanding(data);
    const quiet = vi.spyOn(console, "log").mockImplementation(() => {});
    const code = await demo({ data, visitors: 5, days: 2, seed: 1, now: "2026-03-01T00:00:00Z", add: true });
    quiet.mockRestore();
    afterLanding.hook = undefined;
    expect(code).toBe(0);
    // Its objects are written aside and moved into raw/ at the end: after the build listed raw/.
    const read = seen();
    expect(read?.hour).toEqual(new Date("2026-02-27T00:00:00Z"));
    if (read) clearFullRefreshMark(data, read);
    expect(readFullRefreshMark(data)?.hour).toEqual(new Date("2026-02-27T00:00:00Z"));
  });
});
