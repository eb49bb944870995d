import { describe, expect, it } from "vitest";
import { arrivalOf, arrivalReader, runsByHour } from "./delivery-batch.ts";

const LINES = [
  '{"event_id":"a","ingest_ts":"2026-03-01T09:59:59.000Z"}',
  '{"event_id":"b","ingest_ts":"2026-03-01T09:59:59.000Z"}',
  '{"page_title":"Café ☕ 日本","ingest_ts":"2026-03-01T10:00:00.000Z","site":"x"}',
  // A value that imitates the key: the server's ingest_ts comes last, so it still wins.
  '{"page_title":"\\"ingest_ts\\":\\"1999-01-01T00:00:00Z","ingest_ts":"2026-03-01T11:00:00.000Z"}',
  '{"ingest_ts":"2026-03-01T12:00:00+02:00"}',
  '{"ingest_ts": "2026-03-01T12:00:00Z"}', // not our writing: read by JSON.parse
  '{"ingest_ts":"2026}',
  '{"ingest_ts":"not a time"}',
  '{"ingest_ts":42}',
  '{"no":"arrival"}',
  "[1,2]",
  "garbage",
  '{"ingest_ts":"2026-03-01T09:00:00Z"',
  "{}",
  '\uFFFD{"ingest_ts":"2026-03-01T09:00:00Z"}',
];

describe("arrivalReader", () => {
  it("reads from the bytes what arrivalOf reads from each line's text", () => {
    const chunk = Buffer.from(`${LINES.join("\n")}\n`, "utf8");
    const read = arrivalReader();
    let start = 0;
    for (const line of LINES) {
      const end = chunk.indexOf(0x0a, start);
      expect(read(chunk, start, end)?.getTime(), line).toEqual(arrivalOf(line)?.getTime());
      start = end + 1;
    }
    expect(arrivalOf(LINES[3] as string)?.toISOString()).toBe("2026-03-01T11:00:00.000Z");
  });

  it("reads lines with bytes that are not UTF-8 as their decoded text", () => {
    const line = Buffer.concat([
      Buffer.from('{"page_title":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('","ingest_ts":"2026-03-01T09:00:00.000Z"}'),
    ]);
    expect(arrivalReader()(line, 0, line.length)?.toISOString()).toBe("2026-03-01T09:00:00.000Z");
    expect(arrivalOf(line.toString("utf8"))?.toISOString()).toBe("2026-03-01T09:00:00.000Z");
  });
});

describe("runsByHour", () => {
  it("cuts consecutive runs where the arrival hour changes", () => {
    const at = (iso: string) => ({ arrival: new Date(iso) });
    const items = [
      at("2026-03-01T09:00:00Z"),
      at("2026-03-01T09:59:59Z"),
      at("2026-03-01T10:00:00Z"),
      at("2026-03-01T09:30:00Z"),
    ];
    expect(runsByHour(items).map((run) => run.length)).toEqual([2, 1, 1]);
  });
});
