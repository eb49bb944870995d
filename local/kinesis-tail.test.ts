import { describe, expect, it } from "vitest";
import { parseDuration } from "./kinesis-shards.ts";
import { formatEvent, formatMinute, MinuteCounter } from "./kinesis-tail.ts";

describe("live output", () => {
  it("prints one event on one line, with what sets it apart and never an identifier", () => {
    const line = formatEvent(
      {
        event_type: "scroll_depth",
        event_id: "00000000-0000-4000-8000-000000000001",
        session_id: "session-secret",
        visitor_id: "visitor-secret",
        site: "example.com",
        page_path: "/pricing",
        scroll_pct: 75,
        browser: "Firefox",
        device_type: "desktop",
        country: "DE",
      },
      new Date("2026-05-01T10:11:12.345Z"),
    );
    expect(line).toMatch(/^10:11:12 scroll_depth +example\.com\/pricing +75 % +Firefox desktop DE$/);
    expect(line).not.toMatch(/secret|00000000/);
    expect(line.includes("\n")).toBe(false);
  });

  it("prints a visitor's text without the control characters a terminal would act on", () => {
    // Anyone can POST an event: a line break would forge lines of the output, an escape sequence
    // would clear the screen, retitle it or write the clipboard (OSC 52) of whoever runs `live`.
    const forged = "/a\r\n10:11:13 page_view          example.com/forged";
    const escapes = "\u001b[2J\u001b]52;c;ZXZpbA==\u0007\u009b0m";
    const event = { event_type: "cta_click", site: "example.com", page_path: forged, element: escapes };
    const line = formatEvent(event, new Date("2026-05-01T10:11:12.345Z"));
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(line).toContain("example.com/a");
    expect(line).toContain("[2J");
  });

  it("reports each minute once it is over, with its counts by type", () => {
    const reported: string[] = [];
    const counter = new MinuteCounter((minute, counts) => reported.push(formatMinute(minute, counts)));
    counter.add(new Date("2026-05-01T10:00:05Z"), "page_view");
    counter.add(new Date("2026-05-01T10:00:59Z"), "page_view");
    counter.add(new Date("2026-05-01T10:00:30Z"), "cta_click");
    counter.add(new Date("2026-05-01T10:01:00Z"), "page_view");
    counter.flushBefore(Date.parse("2026-05-01T10:01:30Z"));
    expect(reported).toEqual(["── 2026-05-01 10:00 UTC  3 events  (page_view 2 · cta_click 1)"]);
    counter.flushBefore(Number.POSITIVE_INFINITY);
    expect(reported[1]).toBe("── 2026-05-01 10:01 UTC  1 events  (page_view 1)");
  });
});

describe("replay --since", () => {
  it("reads durations in seconds, minutes, hours and days", () => {
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("90m")).toBe(5_400_000);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("1d")).toBe(86_400_000);
  });

  it("refuses a duration past the longest retention of a stream, which no record reaches back to", () => {
    expect(parseDuration("365d")).toBe(365 * 86_400_000);
    expect(parseDuration("8760h")).toBe(365 * 86_400_000);
    // 9999999999d is no time at all: asked for, Kinesis answers only "SerializationException".
    for (const long of ["366d", "9999999999d"])
      expect(() => parseDuration(long)).toThrow(
        /--since reaches back at most 365d, the longest a Kinesis stream keeps records/,
      );
  });

  it("names what is wrong with anything else", () => {
    for (const bad of ["", "2", "h", "-2h", "0h", "2 hours", "2w"])
      expect(() => parseDuration(bad)).toThrow(/--since must be a duration such as 30m, 2h or 1d/);
  });
});
