// ownstats browser tracker: privacy-first, cookieless, batched. Built into dist/analytics.js by ../build.ts.
// Each module starts its part when it runs, in the order of these imports: page.ts sends the
// queue when the page is hidden or left, behaviour.ts listens to what the visitor does. Then start
// (api.ts) installs window.ownstats, sends the first page_view and replays the calls queued before
// the script loaded: now, or once a prerendered page is shown. (Called from here, after every
// module has run: api.ts and track.ts import each other, and either may come first in the bundle.)
// Within a module, the declarations stand in the order that gzips smallest (the bundle joins them
// all into one var statement), not always in the order they are best read in.
import "./page.ts";
import "./behaviour.ts";
import { start } from "./api.ts";
import { on } from "./track.ts";

on("prerenderingchange", start);
start();
