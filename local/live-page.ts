// The /live page: one self-contained HTML file (no external requests), fed by /live/events.
import { countEventScript } from "./live-count.ts";
import { liveWorkerPath } from "./live-worker.ts";

/**
 * The page, with its times in `zone` (an IANA name the reports' zone logic has checked): the zone
 * the reports show times in, so that an event reads the same time here as in them.
 */
export const livePage = (zone: string): string => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Live — ownstats</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0 auto; max-width: 64rem; padding: 1rem 1.25rem 3rem; }
  header { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
  h1 { font-size: 1.4rem; margin: 0.5rem 0; }
  .status { font-size: 0.9rem; }
  .status[data-state="open"]::before { content: "● "; color: #1a7f37; }
  .status[data-state="closed"]::before { content: "● "; color: #cf222e; }
  .numbers { display: flex; gap: 2rem; margin: 1rem 0; }
  .numbers strong { display: block; font-size: 1.8rem; font-variant-numeric: tabular-nums; }
  .chart { display: flex; align-items: flex-end; gap: 2px; height: 120px; border-bottom: 1px solid #8888; }
  .chart div { flex: 1; background: #4c6ef5; min-height: 1px; }
  .chart div:last-child { background: #f59f00; }
  .axis { display: flex; justify-content: space-between; font-size: 0.8rem; opacity: 0.7; }
  table { width: 100%; border-collapse: collapse; margin-top: 1.5rem; font-size: 0.9rem; }
  th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #8883; }
  /* Long paths and names break anywhere, so the table fits a phone's width instead of running off it. */
  td { overflow-wrap: anywhere; }
  figure { margin: 1rem 0; }
  td.time { font-variant-numeric: tabular-nums; white-space: nowrap; }
  tr.fresh { animation: flash 1.5s ease-out; }
  @keyframes flash { from { background: #f59f0055; } to { background: transparent; } }
  nav a { margin-right: 1rem; }
  caption { text-align: left; }
</style>
</head>
<body>
<header>
  <h1>Live events</h1>
  <span class="status" id="status" data-state="connecting" role="status">connecting…</span>
</header>
<nav><a href="/">Demo site</a><a href="/reports/">Reports</a></nav>
<section class="numbers" aria-label="Counts">
  <div><strong id="this-minute">0</strong>events this minute</div>
  <div><strong id="last-hour">0</strong>events in the last hour</div>
</section>
<figure>
  <div class="chart" id="chart" role="img" aria-label="Events per minute, last 60 minutes"></div>
  <div class="axis"><span>60 min ago</span><span>now</span></div>
  <figcaption>Events per minute, by arrival (<span class="zone">${zone}</span>)</figcaption>
</figure>
<table>
  <caption>Latest events, newest first</caption>
  <thead><tr><th scope="col">Time (<span class="zone">${zone}</span>)</th><th scope="col">Event</th><th scope="col">Page</th><th scope="col">Detail</th><th scope="col">Browser · device · country</th></tr></thead>
  <tbody id="events"></tbody>
</table>
<script>
  ${countEventScript}
  const rows = document.getElementById("events");
  const chart = document.getElementById("chart");
  const status = document.getElementById("status");
  let minutes = [];
  let ZONE = ${JSON.stringify(zone)};
  const clockIn = (zone) => new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  let zoneClock = clockIn(ZONE);
  // The reports moved to another zone while this page was open: its names and times follow them.
  function moveToZone(zone) {
    if (zone === ZONE) return;
    ZONE = zone;
    zoneClock = clockIn(zone);
    for (const name of document.querySelectorAll(".zone")) name.textContent = zone;
    for (const time of rows.querySelectorAll("time")) showTime(time);
    drawMinutes();
  }
  // "2026-11-27 17:03:05": the wall-clock time in the zone of an ISO instant (stored times are UTC).
  function wallTime(iso) {
    const part = Object.fromEntries(zoneClock.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
    return part.year + "-" + part.month + "-" + part.day + " " + part.hour + ":" + part.minute + ":" + part.second;
  }
  function drawMinutes() {
    const max = Math.max(1, ...minutes.map((m) => m.events));
    chart.replaceChildren(...minutes.map((m) => {
      const bar = document.createElement("div");
      bar.style.height = (100 * m.events / max) + "%";
      bar.title = wallTime(m.minute).slice(11, 16) + " " + ZONE + ": " + m.events + " events";
      return bar;
    }));
    document.getElementById("this-minute").textContent = minutes.length ? minutes[minutes.length - 1].events : 0;
    document.getElementById("last-hour").textContent = minutes.reduce((sum, m) => sum + m.events, 0);
  }
  function cell(text, className) {
    const td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    if (className) td.className = className;
    return td;
  }
  // Arrival times are shown in the reports' zone; said in the header and on each time, so nobody
  // reads them as the clock on their own wall.
  function timeCell(iso) {
    const td = cell("", "time");
    const time = document.createElement("time");
    time.dateTime = iso;
    showTime(time);
    td.append(time);
    return td;
  }
  function showTime(time) {
    const wall = wallTime(time.dateTime);
    time.title = wall + " " + ZONE;
    time.textContent = wall.slice(11, 19);
  }
  function row(e) {
    const tr = document.createElement("tr");
    tr.className = "fresh";
    if ("missed" in e) {
      const td = cell(e.missed === null
        ? "Earlier events not listed here: this page was away (they are in the counts)"
        : e.missed + (e.missed === 1 ? " event" : " events") + " not listed here: this page fell behind (they are in the counts)");
      td.colSpan = 5;
      tr.append(td);
      return tr;
    }
    tr.append(
      timeCell(e.time),
      cell(e.event_type + (e.is_bot ? " (bot)" : "")),
      cell((e.site || "") + (e.page_path || "")),
      cell(e.detail),
      cell([e.browser, e.device_type, e.country].filter(Boolean).join(" · ")),
    );
    return tr;
  }
  // Drawn once a frame, not once an event: a burst of thousands of events would otherwise rebuild
  // the chart and the table thousands of times and freeze the page. Only the newest rows can show.
  const MAX_ROWS = 200;
  let undrawn = [];
  let drawPending = false;
  function drawSoon() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      rows.prepend(...undrawn.slice(-MAX_ROWS).reverse().map(row));
      undrawn = [];
      while (rows.children.length > MAX_ROWS) rows.lastChild.remove();
      drawMinutes();
    });
  }
  function addEvent(e, counted) {
    undrawn.push(e);
    // A hidden tab gets no frames until it is shown again.
    if (undrawn.length > 2 * MAX_ROWS) undrawn = undrawn.slice(-MAX_ROWS);
    if (!counted) countEvent(minutes, e.time);
    drawSoon();
  }
  const handlers = {
    status: (state) => {
      status.dataset.state = state;
      status.textContent = state === "open" ? "connected" : state === "closed" ? "reconnecting…" : "connecting…";
    },
    minutes: (data) => { minutes = data; drawSoon(); },
    zone: moveToZone,
    event: (e) => addEvent(e, false),
    backlog: (e) => addEvent(e, true),
    // The server dropped events this page did not read in time (n), or that it was away for (null).
    missed: (n) => { undrawn.push({ missed: n }); drawSoon(); },
  };
  // Every /live tab shares one stream through the worker (see live-worker.ts); a browser without
  // shared workers opens its own.
  if (window.SharedWorker) {
    const worker = new SharedWorker("${liveWorkerPath}");
    worker.port.onmessage = (m) => handlers[m.data.type](m.data.data);
    addEventListener("pagehide", () => worker.port.postMessage("closing"));
  } else {
    const source = new EventSource("/live/events");
    source.addEventListener("open", () => handlers.status("open"));
    source.addEventListener("error", () => handlers.status("closed"));
    for (const type of ["minutes", "event", "backlog", "missed", "zone"])
      source.addEventListener(type, (m) => handlers[type](JSON.parse(m.data)));
  }
</script>
</body>
</html>
`;
