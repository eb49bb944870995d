// page_view on load and on every SPA navigation that changes the path.
//
// Navigation is noticed by comparing the path once a second, on the timer that also counts
// visible time, rather than by wrapping history.pushState/replaceState and listening to popstate:
// it sees every kind of navigation (push, replace, back, forward, routers that kept the original
// pushState) and costs about 4 gzipped bytes where the wrapping costs about 70, which the
// 1,500-byte budget has no room for. The page_view of a new path follows within a second, by
// when routers have usually set the new page's title too (wrapping would see the old one).
import { startPage } from "./behaviour.ts";
import { doc, loc, nav } from "./config.ts";
import { type Fields, on, track } from "./track.ts";

let currentPath: string;
// Query strings never leave the browser, except the utm_* values in their own fields
// (a referrer never carries a fragment).
const referrer = doc.referrer.split("?")[0] || undefined;

export const pageView = (): void => {
  if (currentPath != (currentPath = loc.pathname)) {
    const fields: Fields = {
      page_title: doc.title.slice(0, 300),
      referrer,
      screen_width: screen.width,
      screen_height: screen.height,
      viewport_width: innerWidth,
      language: nav.language,
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    };
    // Any utm_* parameter rides along; the collector keeps the five it knows and drops the rest.
    for (const [key, value] of new URLSearchParams(loc.search))
      key.startsWith("utm_") && ((fields as Record<string, string>)[key] = value.slice(0, 200));
    track("page_view", fields);
    startPage();
  }
};

// Leaving forgets the path: a page restored from the back/forward cache sends its page_view again
// on the next tick. (A page really unloading never ticks again.)
on("pagehide", () => (currentPath = ""));
