// One page view: the page_view event, on load and on every SPA navigation that changes the path,
// and what is counted once per page view (scroll and visible-time milestones, forms started, the
// exit intent).
import type { EventType } from "../../functions/collect/event.ts";
import { start } from "./api.ts";
import { doc, nav } from "./config.ts";
import { type Fields, flush, on, track } from "./track.ts";

// What this page view already sent once: started forms, scroll milestones, the exit intent, each
// click on a CTA. (A list from the start: the page's own script may fire an input event before the
// first page view.)
let sent: unknown[] = [];
let visibleSeconds: number;
// Never set: undefined, for a field left out of an event (`|| none`), a byte where `void 0` takes six.
let none: undefined;

/** Tracks an event the first time `key` turns up in this page view. */
export const once = (key: unknown, type: EventType, fields?: Fields): unknown =>
  !sent.includes(key) && sent.push(key) && track(type, fields);

/**
 * A form's name in its events (behaviour.ts; declared among this module's declarations, which the
 * bundle joins into one statement with those before them, as it cannot with a module's after its
 * calls). getAttribute, because form.id and form.name return a field when one is named "id" or
 * "name". Cut to the 200 characters the collector takes, which refuses the event with a longer one.
 */
export const formName = (form: Element) =>
  (form.getAttribute("id") || form.getAttribute("name"))?.slice(0, 200) || none;

// A page prerendered by the browser on a guess is no visit until the visitor opens it (api.ts waits
// for that); a page opened in a background tab is one, as Plausible and GA4 count it.
// (`fields` is a parameter that serves as a local variable: the function fits in one expression.)
export const pageView = (fields?: Fields): unknown =>
  !(doc as { prerendering?: boolean }).prerendering &&
  currentPath != (currentPath = location.pathname) &&
  // (The collector reads the fields by name; this order is the one that gzips smallest.)
  ((fields = {
    page_title: doc.title.slice(0, 300),
    language: nav.language,
    // Query strings never leave the browser, except the utm_* values in their own fields
    // (a referrer never carries a fragment). The collector refuses a referrer over 2,000
    // characters; cut before the query is split off, it is cut all the same.
    referrer: doc.referrer.slice(0, 2e3).split("?")[0] || none,
    viewport_width: innerWidth,
    screen_width: screen.width,
    screen_height: screen.height,
  }),
  // Any utm_* parameter rides along; the collector keeps the five it knows and drops the rest.
  new URLSearchParams(location.search).forEach(
    (value, key) => /^utm_/.test(key) && ((fields as Record<string, string>)[key] = value.slice(0, 200)),
  ),
  track("page_view", fields),
  (sent = []),
  (visibleSeconds = 0));

const measureScroll = (): undefined => {
  // A page that fits in the viewport is fully seen; the pixel of slack absorbs fractional offsets.
  // An app shell whose body scrolls (html{overflow:hidden}) keeps the window at 0 and html as high
  // as the viewport: the body's offset and height count then, or the page would seem fully seen.
  // The body's offset counts only while the window's is 0: on a page without a doctype (quirks
  // mode) body.scrollTop is the window's own, which added twice would reach 50 % at 25 %.
  // (Before the body is parsed, a sync script in head, the sum is NaN: no milestone.) Worked out
  // for each milestone, which is shorter than a variable; nothing changes the layout in between,
  // so the browser computes it once. Not in the 300 ms between an SPA navigation and its page_view
  // (the path is no longer the page view's): the window then shows the new page, often at the top
  // of a shorter one, which would count as the page before it scrolled to the end. Nor after
  // pagehide (no path): leaving looks first.
  for (const milestone of [25, 50, 75, 100] as const)
    currentPath == location.pathname &&
      (((scrollY || doc.body?.scrollTop) + innerHeight + 1) /
        Math.max(doc.documentElement.scrollHeight, doc.body?.scrollHeight as number)) *
        100 >=
        milestone &&
      once(milestone, "scroll_depth", { scroll_pct: milestone });
};

// An SPA navigation's page_view waits 300 ms, by when routers have usually set the new page's
// title, which they do after the URL. A change of the query string alone keeps the path, so it
// is no page view. (Declared before the first call below, so that a single var holds it with the
// declarations before it.)
const pageViewSoon = () => setTimeout(pageView, 300);

/** The path of the page view under way, 0 for none. */
export let currentPath: string | 0;

// The visible-time clock ticks every second, and counts only while the tab is visible. Each tick
// also looks at the scroll position: one layout read a second, none while scrolling, and no scroll
// listener (a second's delay costs nothing, since events wait up to 3 s to leave anyway); a
// page that fits counts as fully seen only once the visitor had a second to see it.
setInterval(
  () =>
    doc.hidden ||
    measureScroll() ||
    ([30, 60, 180, 300].includes(++visibleSeconds) && track("time_on_page", { seconds: visibleSeconds })),
  1000,
);

// SPA navigation: the history methods are wrapped and back/forward heard. (Each original is
// passed to a function that returns its wrapper: shorter than a block with a variable.)
for (const method of ["pushState", "replaceState"] as const)
  history[method] = (
    (original: History[typeof method]) =>
    (...args: Parameters<typeof original>) => (pageViewSoon(), original.apply(history, args))
  )(history[method]);
// Hiding, or leaving (the last moment a mobile page is sure to see): send now, by sendBeacon.
// Hiding looks at the scroll position first: a milestone reached since the last tick goes out
// too. Becoming visible again flushes too, which finds the queue empty or sends it just as well;
// showing a prerendered page starts it (its page_view, then the stub's calls), should this come
// before prerenderingchange (start does nothing once the page has started, and hiding never calls
// it). Leaving looks at the scroll position too, since hiding may come after it; then it forgets the
// path (0 equals no path), so a page shown again from the back/forward cache sends a page_view.
// (Heard from here, before start replays the stub's calls. measureScroll returns nothing, so flush
// is passed the event: one call fewer.)
on("visibilitychange", (event: Event) => (doc.hidden || start(), flush(measureScroll() || event)));
on("pagehide", (event: Event) => (flush(measureScroll() || event), (currentPath = 0)));
// Back and forward, and a page shown again from the back/forward cache.
on("popstate", pageViewSoon);
on("pageshow", pageViewSoon);
