// Builds one wire event (design §4) with the fields every event carries, and delivers the events:
// they queue up and leave together as {"events":[…]} in a text/plain body, a CORS "simple
// request", so a cross-origin endpoint costs no preflight.
import type { EventType, WireEventInput } from "../../functions/collect/event.ts";
import { api } from "./api.ts";
import { doc, endpoint, nav, silent } from "./config.ts";
import { identity, uuid } from "./identity.ts";
import { currentPath } from "./page.ts";

/** The fields of one event type, beyond those every event carries. */
export type Fields = Omit<Partial<WireEventInput>, "event_type" | "event_id" | "session_id" | "event_ts">;

// Each event is serialized as it is tracked: props that JSON cannot carry (a BigInt, a cycle) throw
// then (api.ts catches it), instead of taking the rest of the batch down with them when it is sent.
const queue: string[] = [];

// A batch leaves 3 seconds after its first event, the one that finds the queue empty (a timer still
// pending after an early flush only sends the next batch sooner), or at once when it holds 50
// events (the most the collector takes in one request) or over 20 kB, or while the page is hidden:
// an event tracked then (by the page's own listener for the page being hidden or left, which runs
// after the tracker's flush) would wait for a page that may never run again. A body over 64 KiB is
// refused by the collector, by sendBeacon and by keepalive fetch, whose 64 KiB are for all their requests
// in flight. The queue an event joins holds 20 kB at most, and an event of up to 10,000 characters
// is 30 kB at most (3 bytes a character in UTF-8; JSON's escapes are ASCII), so a batch stays under
// it. A longer event (a props value far over the 200 characters the collector takes) sends the
// queue first: it goes alone or with the events after it, and is refused, if need be, alone.
// (event_type, once read into the event, holds the event's JSON.)
// Only the copy whose API the page holds tracks: none before the page is shown (a prerendered page),
// and a copy that found another one counting the page never (each event would arrive twice).
export const track = (event_type: EventType, fields?: Fields): unknown =>
  silent ||
  (self as { ownstats?: unknown }).ownstats != api ||
  ((event_type = JSON.stringify({
    // The collector reads the fields by name; this order is the one that gzips smallest.
    // The collector takes 2,000 characters at most, and refuses the event for a longer one. The
    // path of the page view under way: an event in the 300 ms before an SPA navigation's
    // page_view belongs to the page it was on (none after pagehide: the address then).
    page_path: (currentPath || location.pathname).slice(0, 2e3),
    event_id: uuid(),
    event_type,
    ...identity(),
    // A Date becomes its ISO-8601 UTC string in JSON.
    event_ts: new Date() as never,
    // On every event, not the page view alone: the collector derives each event's country from it,
    // and a session's country is its first event's, which may be a call made in the same millisecond.
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    ...fields,
  } satisfies WireEventInput) as EventType)[1e4] && flush(),
  queue.push(event_type) < 2 && setTimeout(flush, 3000),
  (queue[49] || doc.hidden || new Blob(queue).size > 2e4) && flush());

// A network error, a 5xx (the collector's sink failed, or API Gateway's 500 for a throttled
// collector) or a 429 (the API's request rate was passed, a burst that is over a few seconds later)
// is retried once, a few seconds later; 400, 403 and 413 would come again, and are not. The
// first attempt is keepalive, to outlive the page; the retry is not, since a keepalive fetch fails at
// once while those in flight hold the browser's 64 KiB, as a burst of batches may.
const post = (body: string, retry?: number, again = () => retry && setTimeout(post, 3000, body)) =>
  // (Web APIs read 1 as true for a boolean option, and undefined as false.)
  fetch(endpoint, { method: "POST", body, keepalive: retry as never }).then(
    (response) => response.status < 429 || again(),
    again,
  );

/**
 * Listeners sit on window in the capture phase, which sees every document event first, so a
 * page's own stopPropagation cannot hide them. None of them ever calls preventDefault. (1 as the
 * third argument is `capture: true`.)
 */
export const on = <E extends Event>(type: string, listener: (event: E) => unknown) =>
  addEventListener(type, listener as EventListener, 1 as never);

/**
 * Sends the whole queue; `leaving` (the page is going away) prefers sendBeacon, which outlives the
 * page. The body is built in a default parameter: every caller passes at most one argument.
 * Firefox with beacon.enabled off has no sendBeacon: such a browser posts by keepalive fetch, as
 * when a beacon is refused (a call would throw, losing the queue just taken out).
 */
export const flush = (leaving?: unknown, body = queue[0] && `{"events":[${queue.splice(0)}]}`): unknown =>
  body && ((leaving && nav.sendBeacon?.(endpoint, body)) || post(body, 1));
