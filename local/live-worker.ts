// The shared worker behind every /live tab of one browser: it holds the single event stream and
// passes its messages on to each tab. A browser opens at most six HTTP/1.1 connections to a host
// and a stream holds one for as long as it is open, so a stream per tab would leave none for a
// seventh tab, the demo site, the reports or the tracker's POSTs.
import { countEventScript } from "./live-count.ts";

export const liveWorkerPath = "/live/stream-worker.js";

export const liveWorker = `"use strict";
${countEventScript}
const tabs = new Set();
let status = "connecting";
let minutes;
let zone;
// What a tab's table shows at most, newest last, for a tab that opens later.
const recent = [];
const tell = (type, data) => { for (const tab of tabs) tab.postMessage({ type, data }); };
const setStatus = (state) => { status = state; tell("status", state); };

// EventSource reconnects by itself, with the id of the last event it had.
const source = new EventSource("/live/events");
source.addEventListener("open", () => setStatus("open"));
source.addEventListener("error", () => setStatus("closed"));
source.addEventListener("minutes", (m) => { minutes = JSON.parse(m.data); tell("minutes", minutes); });
for (const type of ["event", "backlog"])
  source.addEventListener(type, (m) => {
    const event = JSON.parse(m.data);
    recent.push(event);
    if (recent.length > 200) recent.shift();
    // Counted as the tabs count it, so a tab opening before the next minutes message starts right.
    if (type === "event" && minutes) countEvent(minutes, event.time);
    tell(type, event);
  });

source.addEventListener("missed", (m) => tell("missed", JSON.parse(m.data)));
source.addEventListener("zone", (m) => { zone = JSON.parse(m.data); tell("zone", zone); });

onconnect = (connection) => {
  const tab = connection.ports[0];
  tabs.add(tab);
  tab.onmessage = (m) => { if (m.data === "closing") tabs.delete(tab); };
  tab.postMessage({ type: "status", data: status });
  if (zone) tab.postMessage({ type: "zone", data: zone });
  if (minutes) tab.postMessage({ type: "minutes", data: minutes });
  // In the minutes already: shown, not counted again.
  for (const event of recent) tab.postMessage({ type: "backlog", data: event });
};
`;
