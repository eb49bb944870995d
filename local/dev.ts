// `ownstats dev` (= `npm start`): the whole pipeline on one machine. The collector with its spool and
// delivery, the tracker, the demo site, the live page, the reports, and a build whenever new raw
// objects land. Demo data is written into an empty data folder so every report has something to show.
import { resolve } from "node:path";
import type { Hono } from "hono";
import { projectZone } from "../reports/zone.ts";
import { type RunningCollector, servedAt, startCollector } from "./collect.ts";
import { deliveryIntervalFromEnv } from "./delivery.ts";
import { formatDemoSummary, writeDemo } from "./demo.ts";
import { DEMO_DEFAULTS } from "./demo-defaults.ts";
import { recoverDemoStaging } from "./demo-staging.ts";
import { failureLines, IncrementalBuilder } from "./dev-builder.ts";
import { acquireDevLock, type DevLock, DevStartError, ensureWritable } from "./dev-guard.ts";
import { checkDemoAnchor, checkVars, startFailed } from "./dev-start-checks.ts";
import { mountDemoSite, mountPageNotFound, mountReports, type ReportsProblem } from "./dev-static.ts";
import { stopRequested, watchLock } from "./dev-stop.ts";
import { RawWatcher } from "./dev-watch.ts";
import type { DevOptions } from "./index.ts";
import { networkLines } from "./listen-address.ts";
import { LiveFeed } from "./live-feed.ts";
import { type LiveRoutes, mountLive } from "./live-routes.ts";
import { joinableBefore, PastHourCompaction, packageModels, sourceLookbackHours } from "./raw-compaction.ts";
import { newestPartitionHour } from "./raw-object.ts";
import { mountTracker } from "./tracker-route.ts";

export interface DevServerOptions extends DevOptions {
  /** --vars for every build, as `ownstats build --vars` takes them (the package's models are not the user's to edit). */
  vars?: Record<string, unknown>;
  /** Stops the server as SIGINT/SIGTERM do (tests use it). */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export async function runDev(options: DevServerOptions): Promise<number> {
  const log = options.log ?? ((line: string) => console.log(line));
  const data = resolve(options.data);
  let lock: DevLock;
  try {
    // site/ and target/ too: the builds and renders in child processes would otherwise fail with a
    // bare ENOTDIR, and /reports/ would say that the reports are being built for as long as dev runs.
    ensureWritable(data, ["raw", "spool", "site", "target"]);
    // Checked before anything starts, not once the demo data is due.
    if (options.demo) checkDemoAnchor();
    checkVars(packageModels, options.vars);
    lock = acquireDevLock(data);
  } catch (error) {
    return startFailed(error, data);
  }

  // Before raw/ is looked at: a demo that an earlier start was writing when it was killed is either
  // moved in whole or discarded and written again.
  let unfinishedDemo: Awaited<ReturnType<typeof recoverDemoStaging>>;
  try {
    unfinishedDemo = await recoverDemoStaging(data);
    if (unfinishedDemo === "busy")
      throw new DevStartError(
        `another ownstats process is writing demo data into ${data}; wait for it or choose another folder with --data`,
      );
  } catch (error) {
    lock.release();
    return startFailed(error, data);
  }
  const emptyAtStart = (await newestPartitionHour(data)) === undefined;
  if (unfinishedDemo === "finished") log("moved the demo data an earlier start had written into raw/");
  if (unfinishedDemo === "discarded")
    log(
      `the demo data an earlier start was writing was cut short and removed${emptyAtStart && options.demo ? "; it is written again" : ""}`,
    );
  const feed = new LiveFeed(data);
  let lastBuildProblem: string | undefined;
  let lastRenderProblem: string | undefined;
  const reportsProblem = (): ReportsProblem | undefined =>
    lastBuildProblem !== undefined
      ? { heading: "The last build failed", detail: lastBuildProblem }
      : lastRenderProblem !== undefined
        ? { heading: "The reports could not be rendered", detail: lastRenderProblem }
        : undefined;
  let live: LiveRoutes | undefined;
  // Read again after each build and render (the only times it moves), not at each tick of every
  // open /live stream.
  let reportsZone = projectZone(data, packageModels);
  let collector: RunningCollector;
  try {
    collector = await startCollector({
      port: options.port,
      host: options.host,
      data,
      sink: "file",
      // Freshness matters more than object count here: land what arrived every second, unless
      // OWNSTATS_DELIVERY_INTERVAL_MS says otherwise.
      deliveryIntervalMs: deliveryIntervalFromEnv(process.env.OWNSTATS_DELIVERY_INTERVAL_MS) ?? 1_000,
      // ALLOWED_ORIGINS names the sites of a deployment; the demo site here must still be counted.
      allowOwnOrigin: true,
      extend: (app: Hono, { scriptPaths }) => {
        mountTracker(app, { extraPaths: scriptPaths });
        live = mountLive(app, feed, () => reportsZone);
        mountReports(app, data, reportsProblem);
        mountDemoSite(app);
        mountPageNotFound(app);
      },
    });
  } catch (error) {
    lock.release();
    return startFailed(error, data);
  }
  await feed.start();
  lock.update({ url: collector.url });
  const lockWatch = watchLock(lock, data, log);
  // Taken from here on, so a Ctrl-C while the demo data is written lets that finish first: killed
  // halfway, it would leave part of the demo behind, and the next start writes none into a folder
  // that already has raw objects.
  const stop = stopRequested(
    options.signal ? AbortSignal.any([options.signal, lockWatch.lost]) : lockWatch.lost,
  );
  let stopping = false;
  void stop.done.then(() => {
    stopping = true;
  });

  const lookbackHours = sourceLookbackHours(packageModels);
  // The delivery lands an object about every second while events arrive: once an hour is past what
  // an incremental build reads, its objects are joined into one, the watcher told (no rebuild).
  const compaction = new PastHourCompaction(
    data,
    (folders, rewrite) => watcher.rewriteUnreported(folders, rewrite),
    log,
  );
  const builder = new IncrementalBuilder({
    data,
    models: packageModels,
    vars: options.vars,
    log,
    settleMs: 150,
    lookbackHours,
    afterBuild: () => compaction.run(joinableBefore(Date.now(), lookbackHours)),
  });
  builder.onBuilt(({ ok, code, lines, busy }) => {
    reportsZone = projectZone(data, packageModels);
    if (ok) lastBuildProblem = undefined;
    else if (!busy)
      lastBuildProblem = [`exit ${code}`, ...failureLines(lines).map((line) => line.trim())].join("\n");
  });
  builder.onRendered((problem) => {
    reportsZone = projectZone(data, packageModels);
    lastRenderProblem = problem;
  });
  const watcher = new RawWatcher({
    data,
    onNew: (files) => builder.notify(files),
    // A build that failed on a broken object is tried again once the object is deleted; the events
    // of deleted objects leave the models.
    onRemoved: () => builder.removed(),
    recentEveryMs: 250,
  });
  try {
    if (emptyAtStart && options.demo) {
      log("writing demo data into an empty data folder (--no-demo skips this)…");
      log(formatDemoSummary(await writeDemo({ data, ...DEMO_DEFAULTS }), data));
    }
    if (!stopping) await watcher.start();
  } catch (error) {
    stop.cancel();
    lockWatch.stop();
    await collector.close();
    lock.release();
    throw error;
  }
  if (!stopping) announceAndBuild(collector, data, log, builder);

  await stop.done;
  lockWatch.stop();
  log("stopping: no new requests; landing what the spool holds…");
  live?.closeStreams();
  feed.stop();
  watcher.stop();
  let landed = true;
  try {
    try {
      await collector.close();
    } catch (error) {
      // Nothing acknowledged is lost (it stays in the spool), but the user must know it did not land.
      landed = false;
      console.error(
        `ownstats dev: stopped, but the acknowledged events that wait in ${resolve(data, "spool")} could not be landed in ${resolve(data, "raw")} ` +
          `(${error instanceof Error ? error.message : String(error)}); they land at the next start`,
      );
    }
    await builder.stop();
  } finally {
    lock.release();
  }
  if (!landed) return 1;
  log("stopped");
  return lockWatch.tookOver() ? 1 : 0;
}

function announceAndBuild(
  collector: RunningCollector,
  data: string,
  log: (line: string) => void,
  builder: IncrementalBuilder,
): void {
  const { url } = collector;
  log("");
  log("ownstats dev — the whole pipeline on this machine");
  log(`  demo site   ${url}/`);
  log(`  reports     ${url}/reports/`);
  log(`  live        ${url}/live`);
  const served = servedAt(collector);
  log(`  tracker     ${served.tracker}`);
  log(`  collector   POST ${served.events}`);
  log(`  data        ${data}`);
  // Set for a deployment, it would otherwise refuse every site but the demo here without a word.
  const origins = process.env.ALLOWED_ORIGINS?.trim();
  if (origins && origins !== "*")
    log(`  origins     ${origins} and this server's own pages (ALLOWED_ORIGINS)`);
  for (const line of networkLines(collector, "read the reports and send events")) log(`  ${line}`);
  log("Ctrl-C stops (everything acknowledged is landed first).");
  log("");
  void builder.buildNow("start");
}
