// Configuration, read once from the <script> tag's data-* attributes.

// Short local names for the globals used most; a minifier cannot alias globals by itself.
export const doc = document;
export const loc = location;
export const nav = navigator as Navigator & { globalPrivacyControl?: boolean };

// A classic <script src> (defer or async) is its own document.currentScript while it runs.
const data = (doc.currentScript as HTMLScriptElement).dataset;

/** Where batches are posted: data-endpoint, else /v1/events on the script's own origin. */
export const endpoint = data.endpoint || new URL("/v1/events", (doc.currentScript as HTMLScriptElement).src);

/** data-storage: "local" (the default), "session" or "none", where the ids live. */
export const storageMode = data.storage;

/**
 * Global Privacy Control always wins; Do Not Track wins unless the site sets data-respect-dnt="false".
 * (`== 1` is true for the "1" browsers report, and a byte shorter.)
 */
export const optedOut =
  nav.globalPrivacyControl || ((nav.doNotTrack as unknown) == 1 && data.respectDnt != "false");
