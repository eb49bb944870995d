// The public face, window.ownstats. Calls made before the script loaded sit in the snippet stub's
// queue, ownstats.q = [[method, arguments], …], and are replayed here in order.

import { doc, silent } from "./config.ts";
import { identity, store } from "./identity.ts";
import { pageView } from "./page.ts";
import { track } from "./track.ts";

export const api = {
  /**
   * A `custom` event named by the site. The collector refuses a name over 50 characters, and the
   * event with it: a longer one is cut to 50. A missing name stays missing (and is refused). A call
   * that cannot be sent (a name without slice(), such as a number; props that JSON cannot carry: a
   * BigInt, a cycle) sends nothing, and throws nothing into the page: its analytics must never
   * break a site's code.
   */
  track(name: string, props?: Record<string, string | number | boolean>): void {
    try {
      track("custom", { name: name?.slice(0, 50), props });
    } catch {}
  },
  /** An `experiment_exposure`, sent once per session per experiment. */
  variant(experiment: string, variant: string): void {
    // Checked first so that an opted-out visitor's storage is never touched. identity() runs
    // before the store is read: it may replace the store, and it keeps the session id there.
    // The experiment's item holds the session it was sent in; sent when that is another one. The
    // item is written after the send: a storage a site's own caches filled refuses a new item by
    // throwing, which must not break the page's experiment code, nor lose the exposure (sent
    // again on the next call then, as no item is kept).
    try {
      silent ||
        (identity(),
        store["ownstats_x_" + experiment] == store.ownstats_sid ||
          track("experiment_exposure", { experiment, variant }),
        (store["ownstats_x_" + experiment] = store.ownstats_sid));
    } catch {}
  },
};

type Stub = { q?: [keyof typeof api, [never, never]][]; track?: unknown };
type Global = { ownstats?: Stub | typeof api };

// The API is installed, the page view of the load sent, then the calls the stub queued are
// replayed, as they would have run after it (map's second argument runs before the replay). A
// prerendered page starts when the visitor opens it (prerenderingchange, or visibilitychange should
// that come first): until then the stub keeps queueing, so nothing of a page never shown (an
// experiment exposure, say) is sent. What window.ownstats holds is read when the page starts, not
// when the script ran: a stub placed after the tag is made while a prerendered page waits. It may
// hold nothing, a queue (the stub, or { q: [] } that the page pushes its calls to), an element
// whose id or name is "ownstats" (which the browser shows as a global of that name; no queue, no
// track()), or the API of a copy of this script that counts the page (track(), no queue: a tag
// included twice, a Turbo/PJAX swap running the body's scripts again, or a copy that started
// first when both waited on a prerendered page). That copy's API is left in place, and this copy
// stays silent: its track(), a function, has no map, so neither map's arguments nor the replay
// run. Once started, start does nothing.
// (The first parameter takes the event of the prerenderingchange listener.)
export const start = (_?: unknown, now = (self as { ownstats?: Stub }).ownstats): unknown =>
  !(doc as { prerendering?: boolean }).prerendering &&
  (now?.q || (now?.track as Stub["q"]) || []).map?.(
    // One call that throws (props JSON cannot carry, or a method the API does not have) loses
    // neither the calls after it nor the page's listeners' events; its caller, long gone, cannot
    // hear of it anyway.
    ([method, args]) => {
      try {
        api[method](...args);
      } catch {}
    },
    (((self as Global).ownstats = api), pageView()),
  );
