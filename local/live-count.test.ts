// The count a /live page keeps between the server's counts, run as the page runs it.
import { expect, it } from "vitest";
import { countEventScript } from "./live-count.ts";

type Minutes = { minute: string; events: number }[];
const countEvent = new Function(`${countEventScript}; return countEvent;`)() as (
  minutes: Minutes,
  time: string,
) => void;

const hourUpTo = (last: string): Minutes =>
  Array.from({ length: 60 }, (_, i) => ({
    minute: new Date(Date.parse(last) - (59 - i) * 60_000).toISOString(),
    events: 1,
  }));

it("adds an event to its minute", () => {
  const minutes = hourUpTo("2026-11-27T10:54:00.000Z");
  countEvent(minutes, "2026-11-27T10:54:31.123Z");
  expect(minutes.at(-1)).toEqual({ minute: "2026-11-27T10:54:00.000Z", events: 2 });
  expect(minutes.reduce((sum, m) => sum + m.events, 0)).toBe(61);
});

it("starts a new minute for an event after the last one, keeping an hour", () => {
  const minutes = hourUpTo("2026-11-27T10:54:00.000Z");
  countEvent(minutes, "2026-11-27T10:56:02.000Z");
  expect(minutes).toHaveLength(60);
  expect(minutes.slice(-3)).toEqual([
    { minute: "2026-11-27T10:54:00.000Z", events: 1 },
    { minute: "2026-11-27T10:55:00.000Z", events: 0 },
    { minute: "2026-11-27T10:56:00.000Z", events: 1 },
  ]);
  expect(minutes[0]?.minute).toBe("2026-11-27T09:57:00.000Z");
});

it("leaves the counts alone for an event older than the hour shown", () => {
  const minutes = hourUpTo("2026-11-27T10:54:00.000Z");
  countEvent(minutes, "2026-11-27T08:00:00.000Z");
  expect(minutes.reduce((sum, m) => sum + m.events, 0)).toBe(60);
});
