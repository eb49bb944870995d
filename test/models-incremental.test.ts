// stg_events runs incrementally: a run reads only the partitions from the watermark's hour minus the
// lookback, adds only new event_ids (a late duplicate never replaces the stored row), and the marts
// rebuild from it.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rawPartition } from "../local/raw-object.ts";
import { build, ev, query, resultOf, tempData, writeRaw } from "./models-kit.ts";

const stgResult = (data: string) => resultOf(data, "stg_events");

describe("incremental stg_events", () => {
  it("reads only new partitions, keeps the first arrival and rebuilds the marts", async () => {
    const data = tempData();
    await writeRaw(data, [
      ev({
        event_id: "00000000-0000-4000-8000-000000000000",
        session_id: "old",
        event_ts: "2026-03-02T00:10:00Z",
      }),
      ev({
        event_id: "00000000-0000-4000-8000-000000000001",
        session_id: "s1",
        event_ts: "2026-03-02T10:00:00Z",
        page_path: "/",
      }),
      ev({
        event_id: "00000000-0000-4000-8000-000000000002",
        session_id: "s2",
        event_ts: "2026-03-02T10:05:00Z",
      }),
    ]);
    const first = await build(data);
    expect(first.code, first.output).toBe(0);
    expect(stgResult(data)?.adapter_response).toMatchObject({
      mode: "full",
      files_read: 2,
      rows_affected: 3,
    });

    // An old partition that cannot be read: the next runs must not open it.
    writeFileSync(join(data, rawPartition(new Date("2026-03-02T00:00:00Z")), "unreadable.gz"), "not gzip");
    await writeRaw(data, [
      // s1 goes on, its event arriving five hours later.
      ev({
        event_id: "00000000-0000-4000-8000-000000000003",
        session_id: "s1",
        event_ts: "2026-03-02T10:20:00Z",
        ingest_ts: "2026-03-02T15:00:00Z",
        page_path: "/pricing",
      }),
    ]);
    const second = await build(data);
    expect(second.code, second.output).toBe(0);
    // Watermark 10:05:01 → hour 10 minus the 2-hour lookback: the partitions of 10:00 and 15:00.
    expect(stgResult(data)?.adapter_response).toMatchObject({
      mode: "incremental",
      files_read: 2,
      read_since: "2026-03-02T08:00:00.000Z",
      rows_affected: 1,
    });
    expect(
      await query(data, "select page_views, exit_page, ended_at from sessions where session_id = 's1'"),
    ).toEqual([{ page_views: 2, exit_page: "/pricing", ended_at: "2026-03-02T10:20:00.000Z" }]);

    // s1's first event delivered again at 20:00, when its first arrival (10:00) lies outside the read.
    await writeRaw(data, [
      ev({
        event_id: "00000000-0000-4000-8000-000000000001",
        session_id: "s1",
        event_ts: "2026-03-02T10:00:00Z",
        ingest_ts: "2026-03-02T20:00:00Z",
        page_path: "/copy",
      }),
    ]);
    const third = await build(data);
    expect(third.code, third.output).toBe(0);
    expect(stgResult(data)?.adapter_response).toMatchObject({
      mode: "incremental",
      files_read: 2,
      read_since: "2026-03-02T13:00:00.000Z",
      rows_affected: 0,
    });
    expect(
      await query(data, "select event_id, page_path, ingest_ts from stg_events order by event_id"),
    ).toEqual([
      {
        event_id: "00000000-0000-4000-8000-000000000000",
        page_path: "/",
        ingest_ts: "2026-03-02T00:10:01.000Z",
      },
      {
        event_id: "00000000-0000-4000-8000-000000000001",
        page_path: "/",
        ingest_ts: "2026-03-02T10:00:01.000Z",
      },
      {
        event_id: "00000000-0000-4000-8000-000000000002",
        page_path: "/",
        ingest_ts: "2026-03-02T10:05:01.000Z",
      },
      {
        event_id: "00000000-0000-4000-8000-000000000003",
        page_path: "/pricing",
        ingest_ts: "2026-03-02T15:00:00.000Z",
      },
    ]);
    expect(
      await query(data, "select page_views, landing_page from sessions where session_id = 's1'"),
    ).toEqual([{ page_views: 2, landing_page: "/" }]);

    // Nothing new: nothing added (the skipped duplicate did not move the watermark off 15:00).
    const fourth = await build(data);
    expect(fourth.code, fourth.output).toBe(0);
    expect(stgResult(data)?.adapter_response).toMatchObject({
      mode: "incremental",
      files_read: 2,
      rows_affected: 0,
    });
    expect(await query(data, "select count(*) as n from stg_events")).toEqual([{ n: 4 }]);
  });

  it("gives the same rows on a full refresh: the earliest arrival wins inside one read too", async () => {
    const data = tempData();
    await writeRaw(data, [
      ev({
        event_id: "00000000-0000-4000-8000-000000000001",
        event_ts: "2026-03-02T10:00:00Z",
        page_path: "/",
      }),
      ev({
        event_id: "00000000-0000-4000-8000-000000000001",
        event_ts: "2026-03-02T10:00:00Z",
        ingest_ts: "2026-03-02T15:00:01Z",
        page_path: "/copy",
      }),
    ]);
    const refreshed = await build(data, { fullRefresh: true });
    expect(refreshed.code, refreshed.output).toBe(0);
    expect(await query(data, "select page_path, ingest_ts from stg_events")).toEqual([
      { page_path: "/", ingest_ts: "2026-03-02T10:00:01.000Z" },
    ]);
  });
});
