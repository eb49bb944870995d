// The public face, window.ownstats. Calls made before the script loaded sit in the snippet stub's
// queue, ownstats.q = [[method, arguments], …], and are replayed here in order.

import { optedOut } from "./config.ts";
import { identity, remember } from "./identity.ts";
import { track } from "./track.ts";

const api = {
  /** A `custom` event named by the site. */
  track(name: string, props?: Record<string, string | number | boolean>): void {
    track("custom", { name, props });
  },
  /** An `experiment_exposure`, sent once per session per experiment. */
  variant(experiment: string, variant: string): void {
    // Checked first so that an opted-out visitor's storage is never touched.
    optedOut ||
      (remember(`ownstats_x_${experiment}`, identity().session_id) &&
        track("experiment_exposure", { experiment, variant }));
  },
};

type Stub = { q?: [keyof typeof api, [never, never]][] };
type Global = { ownstats?: Stub | typeof api };

// Installed when this module runs, after page.ts sent the first page_view (see index.ts); then
// the calls the stub queued are replayed, as they would have run after it.
const queued = ((window as Global).ownstats as Stub | undefined)?.q;
(window as Global).ownstats = api;
queued?.map(([method, args]) => api[method]?.(...args));
