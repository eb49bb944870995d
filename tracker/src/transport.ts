// One send path: events queue up and leave together as {"events":[…]} in a text/plain body,
// a CORS "simple request", so a cross-origin endpoint costs no preflight.
import { endpoint, nav } from "./config.ts";

const queue: object[] = [];
const DELAY_MS = 3000;
let timer: ReturnType<typeof setTimeout> | 0 = 0;

export const enqueue = (event: object): void => {
  queue.push(event);
  timer ||= setTimeout(flush, DELAY_MS);
  // The collector takes at most 50 events per request.
  queue[49] && flush();
};

/** Sends the whole queue; `leaving` (the page is going away) prefers sendBeacon, which outlives the page. */
export const flush = (leaving?: unknown): void => {
  // A timer still pending after an early flush only sends the next batch sooner.
  timer = 0;
  const body = queue[0] && JSON.stringify({ events: queue.splice(0) });
  body && ((leaving && nav.sendBeacon(endpoint, body)) || post(body, 1));
};

// A network error or a 5xx (the collector's sink failed) is retried once, a few seconds later.
const post = (body: string, retry?: number, again = () => retry && setTimeout(post, DELAY_MS, body)) =>
  fetch(endpoint, { method: "POST", body, keepalive: true }).then(
    (response) => response.status < 500 || again(),
    again,
  );
