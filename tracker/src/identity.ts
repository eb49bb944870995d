// Ids without cookies: time-ordered random UUIDs kept in Web Storage (or in memory), the session rotated after
// 30 idle minutes. Storage named properties read and write items directly, which keeps this short.
import { data } from "./config.ts";

type Store = Record<string, string | number | undefined>;

/** Where the ids live; experiments exposed in this session are remembered here too (api.ts). */
export let store: Store;

/** The ids for an event now; every event counts as activity and keeps the session alive. */
export const identity = (): { session_id: string; visitor_id?: string } => {
  try {
    // Chosen on first use: "session" → sessionStorage, unset → localStorage. "none" names no
    // storage, so the first read below throws, as it does where storage is disabled or full,
    // and the catch keeps the ids in memory from then on.
    store ||= (self as never)[(data.storage || "local") + "Storage"];
    return {
      // A new session after 30 idle minutes. The last activity is read, then replaced by now, in one
      // expression; a missing time compares false: a new session too. The session id is stored
      // and sent in one expression as well (an assignment's value is the id it stores).
      session_id: (store.ownstats_sid =
        ((store.ownstats_seen as number) > (store.ownstats_seen = Date.now()) - 1_800_000 &&
          store.ownstats_sid) ||
        uuid()) as string,
      // A visitor id only where it outlives the page: one kept in memory ("none", or storage that
      // throws) would be a new visitor on every page load. A Storage has key(); the memory store not.
      visitor_id: (store as never as Storage).key && ((store.ownstats_vid ||= uuid()) as string),
    };
  } catch {
    store = {};
    return identity();
  }
};

/**
 * A version 7 UUID: the first 48 bits are the time in milliseconds, so ids sort by when they were
 * made and a warehouse finds a recent session's rows without reading older ones. The rest is from
 * crypto.getRandomValues: the template's 0s become random hex digits, the 8 keeping the
 * variant bits. crypto.randomUUID (version 4) exists only in secure contexts.
 */
export const uuid = (): string =>
  ("0" + Date.now().toString(16)).replace(/.{8}/, "$&-") +
  "-7000-8000-000000000000".replace(
    /[08]/g,
    // (The digit, a string, is a number to ^, & and /; typed any, it is written so.)
    (c: any) =>
      (c ^ ((crypto.getRandomValues(new Uint8Array(1))[0] as number) & (15 >> (c / 4)))).toString(16),
  );
