// What a /live/events connection holds for a reader that does not keep up.
import { expect, it } from "vitest";
import type { LiveEvent } from "./live-feed.ts";
import { LiveOutbox, type OutgoingMessage } from "./live-outbox.ts";

const event = (name: string) =>
  ({ time: "2026-11-27T10:00:00.000Z", event_type: "page_view", detail: name }) as LiveEvent;
const eventBytes = JSON.stringify(event("b0")).length;

it("drops the oldest events past its bound, and keeps a note of a gap as a note, never as an event", () => {
  const outbox = new LiveOutbox(() => [{ minute: "2026-11-27T10:00:00.000Z", events: 9 }], 8 * eventBytes);
  outbox.addMinutes();
  for (let n = 0; n < 6; n++) outbox.addEvent("backlog", event(`b${n}`), `p${n}`);
  outbox.addGap();
  for (let n = 1; n <= 3; n++) outbox.addEvent("event", event(`e${n}`), `q${n}`);

  const sent: OutgoingMessage[] = [];
  for (let message = outbox.take(); message; message = outbox.take()) sent.push(message);
  const shown = (m: OutgoingMessage) =>
    m.event === "minutes" ? "" : m.id ? JSON.parse(m.data).detail : m.data;
  expect(sent.map((m) => [m.event, shown(m)])).toEqual([
    ["missed", "4"],
    ["minutes", ""],
    ["backlog", "b4"],
    ["backlog", "b5"],
    ["missed", "null"],
    // In the fresh counts already, as the ones waiting with them.
    ["backlog", "e1"],
    ["backlog", "e2"],
    ["event", "e3"],
  ]);
});

it("passes on a burst of thousands of events read in one look at the spool whole, none dropped", () => {
  const outbox = new LiveOutbox(() => []);
  const burst = 5_000;
  for (let n = 0; n < burst; n++)
    outbox.addEvent(
      "event",
      { ...event(`e${n}`), site: "www.example.com", page_path: "/blog/a-post-of-ordinary-length" },
      `q${n}`,
    );
  const sent: OutgoingMessage[] = [];
  for (let message = outbox.take(); message; message = outbox.take()) sent.push(message);
  expect(sent.filter((m) => m.event === "event")).toHaveLength(burst);
  expect(sent.some((m) => m.event === "missed")).toBe(false);
});
