// ownstats browser tracker: privacy-first, cookieless, batched. Built into dist/analytics.js by ../build.ts.
import { installApi } from "./api.ts";
import { listen, tick } from "./behaviour.ts";
import { pageView } from "./page.ts";
import { on } from "./track.ts";
import { flush } from "./transport.ts";

listen();
pageView();
// Queued calls replay after the first page_view, as they would have run after it.
installApi();
setInterval(() => {
  pageView();
  tick();
}, 1000);
// Leaving, or hiding (the last moment a mobile page is sure to see): send now, by sendBeacon.
// Becoming visible again flushes too, which finds the queue empty or sends it just as well.
on("pagehide", flush);
on("visibilitychange", flush);
