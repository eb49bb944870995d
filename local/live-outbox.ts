// What one /live/events connection still has to write. A reader that stops reading (a frozen tab,
// a stalled proxy, `curl | less`) must not make the server hold every event for it: past a bound,
// the oldest waiting events are dropped and the page is told how many it missed, with the last
// hour's counts again so its numbers stay right.
import type { LiveEvent, MinuteCount, SpoolPosition } from "./live-feed.ts";

export interface OutgoingMessage {
  event: "minutes" | "event" | "backlog" | "missed";
  data: string;
  id?: SpoolPosition;
}

/** Messages a connection may have waiting; a page shows at most 200 events, so this is plenty. */
export const MAX_WAITING = 1_000;

export class LiveOutbox {
  private waiting: OutgoingMessage[] = [];
  private missed = 0;

  constructor(
    private readonly minutes: () => MinuteCount[],
    private readonly limit = MAX_WAITING,
  ) {}

  /** The counts as they are now. They replace the page's counts, so older waiting ones are dropped. */
  addMinutes(): void {
    this.waiting = this.waiting.filter((message) => message.event !== "minutes");
    this.waiting.push(this.minutesMessage());
  }

  /** Tells the page that events before the next ones are not sent, without knowing how many. */
  addGap(): void {
    this.waiting.push({ event: "missed", data: "null" });
  }

  /** `event` is counted by the page on arrival; `backlog` is in the counts already. */
  addEvent(kind: "event" | "backlog", event: LiveEvent, position: SpoolPosition): void {
    let counted = kind === "backlog";
    if (this.waiting.length >= this.limit) {
      this.dropOldest();
      // The feed counts an event before it passes it on, so the fresh counts include this one too.
      counted = true;
    }
    this.waiting.push({ event: counted ? "backlog" : "event", data: JSON.stringify(event), id: position });
  }

  /** The next message to write: first, how many events were dropped since the last one taken. */
  take(): OutgoingMessage | undefined {
    if (this.missed > 0) {
      const missed = this.missed;
      this.missed = 0;
      return { event: "missed", data: String(missed) };
    }
    return this.waiting.shift();
  }

  private dropOldest(): void {
    const dropped = this.waiting.splice(0, this.waiting.length - Math.floor(this.limit / 2));
    this.missed += dropped.filter(({ event }) => event === "event" || event === "backlog").length;
    // Fresh counts include the events still waiting, so those are sent as already counted.
    const kept = this.waiting
      .filter((message) => message.event !== "minutes")
      .map(
        (message): OutgoingMessage =>
          message.event === "event" ? { ...message, event: "backlog" } : message,
      );
    this.waiting = [this.minutesMessage(), ...kept];
  }

  private minutesMessage(): OutgoingMessage {
    return { event: "minutes", data: JSON.stringify(this.minutes()) };
  }
}
