// Configuration, read once from the <script> tag's data-* attributes.

// Short local names for the globals used most; a minifier cannot alias globals by itself. (The
// modules name the window `self`, its shorter alias.)
export const doc = document;
export const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
type Tag = HTMLScriptElement | null;

// A classic <script src> (defer or async) is its own document.currentScript while it runs. A
// module script has none, so it takes the defaults; a copy pasted inline has no src.
// (Read twice rather than kept in a variable: the repeat gzips smaller.) data-storage, where the
// ids live ("local", the default, "session" or "none"), is read where the store is chosen (identity.ts).
export const data = (doc.currentScript as Tag)?.dataset || {};

/**
 * Where batches are posted: data-endpoint, else /v1/events on the script's own origin, or on the
 * page's when the script cannot tell its own (a module script or an inline copy; the origin that
 * served the page served the script too, unless a site proxies neither).
 */
export const endpoint =
  data.endpoint || new URL("/v1/events", (doc.currentScript as Tag)?.src || (location as never));

/**
 * Nothing is sent and nothing is stored when the visitor opted out: Global Privacy Control always wins; Do Not Track
 * wins unless the site sets data-respect-dnt="false". Nor on a page without a host (a saved copy
 * opened from a file, an about:blank or srcdoc frame): it belongs to no site, its path is a place
 * on the visitor's disk or none, and a copy saved with its script posts to a file:// endpoint,
 * which sendBeacon answers by throwing. Nor in a browser its owner excluded.
 * (`== 1` is true for the "1" browsers report, and a byte shorter.)
 */
export const silent =
  // (The page without a host is looked at first: the order that gzips smallest. The storage is
  // read last, only for a visitor none of the others excluded.)
  !location.host ||
  nav.globalPrivacyControl ||
  ((nav.doNotTrack as unknown) == 1 && data.respectDnt != "false") ||
  // The site owner's own browser, which they exclude with `localStorage.ownstats_ignore = 1` in the
  // console on their site (as Plausible's plausible_ignore): their tests of a page or a button would
  // count as visits. Reading localStorage throws where storage is blocked (a sandboxed frame).
  // (Called in place: a named function costs its name twice.)
  (() => {
    try {
      return localStorage.ownstats_ignore;
    } catch {}
  })();
