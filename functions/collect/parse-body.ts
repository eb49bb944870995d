// Turns a request body into valid events and named rejections. A body that is not JSON, or not
// an event or {"events":[…]}, is a client error for the whole request; a bad event in a good
// batch only rejects that event.
import {
  describeIssues,
  EVENT_TS_WINDOW,
  MAX_EVENTS_PER_BATCH,
  type Rejection,
  type WireEvent,
  wireEventSchema,
} from "./event.ts";
import { plainWireEvent } from "./plain-event.ts";

export type ParsedBody =
  | { ok: true; events: WireEvent[]; rejected: Rejection[]; total: number }
  | { ok: false; error: string };

const decoder = new TextDecoder("utf-8", { fatal: true });

const HOUR_MS = 3_600_000;

/** Parses a body received at `now` (epoch ms): an event_ts far from it rejects its event. */
export function parseBody(body: Uint8Array, now = Date.now()): ParsedBody {
  if (body.byteLength === 0) return { ok: false, error: 'empty body: expected an event or {"events":[…]}' };
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    return { ok: false, error: "body is not valid UTF-8" };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? `: ${error.message}` : "";
    return { ok: false, error: `body is not valid JSON${reason}` };
  }
  const items = eventsOf(json);
  if (typeof items === "string") return { ok: false, error: items };

  const events: WireEvent[] = [];
  const rejected: Rejection[] = [];
  items.forEach((item, index) => {
    if (!isPlainObject(item)) {
      rejected.push({ index, error: `event must be a JSON object, got ${kindOf(item)}` });
      return;
    }
    let event = plainWireEvent(item);
    if (!event) {
      const result = wireEventSchema.safeParse(item);
      if (!result.success) {
        rejected.push({ index, error: describeIssues(result.error) });
        return;
      }
      event = result.data;
    }
    const problem = timeProblem(Date.parse(event.event_ts), now);
    if (problem) rejected.push({ index, error: `event_ts: ${problem} the collector's clock` });
    else events.push(event);
  });
  return { ok: true, events, rejected, total: items.length };
}

/** What is wrong with an event time received at `now`, if it lies outside EVENT_TS_WINDOW. */
function timeProblem(time: number, now: number): string | undefined {
  const { pastHours, futureHours } = EVENT_TS_WINDOW;
  if (time < now - pastHours * HOUR_MS) return `more than ${pastHours} hours before`;
  if (time > now + futureHours * HOUR_MS) return `more than ${futureHours} hours after`;
  return undefined;
}

/**
 * The list of events in a body, or a message saying why there is none. Every event has an
 * event_type and a batch has none: an event that also carries a field named "events" is one event,
 * and that field is dropped as any unknown field is.
 */
function eventsOf(json: unknown): unknown[] | string {
  if (!isPlainObject(json)) return `expected an event object or {"events":[…]}, got ${kindOf(json)}`;
  if (!Object.hasOwn(json, "events") || Object.hasOwn(json, "event_type")) return [json];
  const events = json.events;
  if (!Array.isArray(events)) return `"events" must be an array, got ${kindOf(events)}`;
  if (events.length === 0) return `"events" is empty: send at least one event`;
  if (events.length > MAX_EVENTS_PER_BATCH)
    return `"events" holds ${events.length} events; at most ${MAX_EVENTS_PER_BATCH} per request`;
  return events;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
