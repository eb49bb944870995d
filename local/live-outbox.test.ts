// What a /live/events connection holds for a reader that does not keep up.
import { expect, it } from "vitest";
import type { LiveEvent } from "./live-feed.ts";
import { LiveOutbox, type OutgoingMessage } from "./live-outbox.ts";

const event = (name: string) =>
  ({ time: "2026-11-27T10:00:00.000Z", event_type: "page_view", detail: name }) as LiveEvent;

it("keeps a note of a gap as a note when it drops the oldest events, never as an event", () => {
  const outbox = new LiveOutbox(() => [{ minute: "2026-11-27T10:00:00.000Z", events: 9 }], 10);
  outbox.addMinutes();
  for (let n = 0; n < 6; n++) outbox.addEvent("backlog", event(`b${n}`), `p${n}`);
  outbox.addGap();
  for (let n = 1; n <= 3; n++) outbox.addEvent("event", event(`e${n}`), `q${n}`);

  const sent: OutgoingMessage[] = [];
  for (let message = outbox.take(); message; message = outbox.take()) sent.push(message);
  const shown = (m: OutgoingMessage) => (m.event === "backlog" ? JSON.parse(m.data).detail : m.data);
  expect(sent.map((m) => [m.event, m.event === "minutes" ? "" : shown(m)])).toEqual([
    ["missed", "4"],
    ["minutes", ""],
    ["backlog", "b4"],
    ["backlog", "b5"],
    ["missed", "null"],
    ["backlog", "e1"],
    ["backlog", "e2"],
    ["backlog", "e3"],
  ]);
});
