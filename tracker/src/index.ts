// ownstats browser tracker: privacy-first, cookieless, batched. Built into dist/analytics.js by ../build.ts.
// Each module starts its part when it runs, in the order of these imports: page.ts sends the
// first page_view and sends the queue when the page is hidden or left, behaviour.ts listens to
// what the visitor does, and api.ts installs window.ownstats and replays the calls queued before
// the script loaded, after that page_view.
import "./page.ts";
import "./behaviour.ts";
import "./api.ts";
