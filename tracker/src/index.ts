// ownstats browser tracker: privacy-first, cookieless, batched. Built into dist/analytics.js by ../build.ts.
// Each module starts its part when it runs, in the order of these imports: page.ts sends the
// queue when the page is hidden or left, behaviour.ts listens to what the visitor does, and api.ts
// sends the first page_view (once a prerendered page is shown), installs window.ownstats and
// replays the calls queued before the script loaded.
import "./page.ts";
import "./behaviour.ts";
import "./api.ts";
