// What one /live/events connection still has to write. A reader that stops reading (a frozen tab,
// a stalled proxy, `curl | less`) must not make the server hold every event for it: past a bound,
// the oldest waiting events are dropped and the page is told how many it missed, with the last
// hour's counts again so its numbers stay right.
import type { LiveEvent, MinuteCount, SpoolPosition } from "./live-feed.ts";

export interface OutgoingMessage {
  event: "minutes" | "event" | "backlog" | "missed" | "zone";
  data: string;
  id?: SpoolPosition;
}

/**
 * Bytes of messages a connection may have waiting: thousands of events, so that a burst read in one
 * look at the spool reaches a page that keeps up whole, while one that stopped holds little.
 */
export const MAX_WAITING_BYTES = 2 * 1024 * 1024;

export class LiveOutbox {
  private waiting: OutgoingMessage[] = [];
  private waitingBytes = 0;
  private missed = 0;

  constructor(
    private readonly minutes: () => MinuteCount[],
    private readonly limitBytes = MAX_WAITING_BYTES,
  ) {}

  /** The counts as they are now. They replace the page's counts, so older waiting ones are dropped. */
  addMinutes(): void {
    this.replace(this.waiting.filter((message) => message.event !== "minutes"));
    this.push(this.minutesMessage());
  }

  /** The zone the page shows times in, when it is not the one the page was told last. */
  addZone(zone: string): void {
    this.push({ event: "zone", data: JSON.stringify(zone) });
  }

  /** Tells the page that events before the next ones are not sent, without knowing how many. */
  addGap(): void {
    this.push({ event: "missed", data: "null" });
  }

  /** `event` is counted by the page on arrival; `backlog` is in the counts already. */
  addEvent(kind: "event" | "backlog", event: LiveEvent, position: SpoolPosition): void {
    const data = JSON.stringify(event);
    let counted = kind === "backlog";
    if (this.waitingBytes + data.length > this.limitBytes) {
      this.dropOldest();
      // The feed counts an event before it passes it on, so the fresh counts include this one too.
      counted = true;
    }
    this.push({ event: counted ? "backlog" : "event", data, id: position });
  }

  /** The next message to write: first, how many events were dropped since the last one taken. */
  take(): OutgoingMessage | undefined {
    if (this.missed > 0) {
      const missed = this.missed;
      this.missed = 0;
      return { event: "missed", data: String(missed) };
    }
    const message = this.waiting.shift();
    if (message) this.waitingBytes -= message.data.length;
    return message;
  }

  /** Drops the oldest messages until at most half the bound waits; the newest events stay. */
  private dropOldest(): void {
    let bytes = this.waitingBytes;
    let first = 0;
    while (first < this.waiting.length && bytes > this.limitBytes / 2)
      bytes -= (this.waiting[first++] as OutgoingMessage).data.length;
    const dropped = this.waiting.slice(0, first);
    this.missed += dropped.filter(({ event }) => event === "event" || event === "backlog").length;
    // Fresh counts include the events still waiting, so those are sent as already counted.
    const kept = this.waiting
      .slice(first)
      .filter((message) => message.event !== "minutes")
      .map(
        (message): OutgoingMessage =>
          message.event === "event" ? { ...message, event: "backlog" } : message,
      );
    this.replace([this.minutesMessage(), ...kept]);
  }

  private push(message: OutgoingMessage): void {
    this.waiting.push(message);
    this.waitingBytes += message.data.length;
  }

  private replace(messages: OutgoingMessage[]): void {
    this.waiting = messages;
    this.waitingBytes = messages.reduce((sum, message) => sum + message.data.length, 0);
  }

  private minutesMessage(): OutgoingMessage {
    return { event: "minutes", data: JSON.stringify(this.minutes()) };
  }
}
