// Builds one wire event (design §4) with the fields every event carries.
import type { EventType, WireEventInput } from "../../functions/collect/event.ts";
import { loc, optedOut } from "./config.ts";
import { identity, uuid } from "./identity.ts";
import { enqueue } from "./transport.ts";

/** The fields of one event type, beyond those every event carries. */
export type Fields = Omit<Partial<WireEventInput>, "event_type" | "event_id" | "session_id" | "event_ts">;

export const track = (event_type: EventType, fields?: Fields): void => {
  optedOut ||
    enqueue({
      event_type,
      event_id: uuid(),
      ...identity(),
      event_ts: new Date().toISOString(),
      page_path: loc.pathname,
      ...fields,
    } satisfies WireEventInput);
};

/**
 * Listeners sit on window in the capture phase, which sees every document event first, so a
 * page's own stopPropagation cannot hide them. None of them ever calls preventDefault.
 */
export const on = <E extends Event>(type: string, listener: (event: E) => unknown) =>
  addEventListener(type, listener as EventListener, true);
