// The dev server's incremental build: run the models and their tests whenever new raw objects have
// landed (at most one build at a time, not more often than every couple of seconds), and render the
// reports after a build, at most every few seconds more. The warehouse has new data as soon as the
// models ran; the slower report rendering trails behind without holding the next build up.
// The runner's console lines are captured and shown only when something failed. Each step runs in
// the build worker's process (build-worker.ts), which lets go of the database file between builds.
import {
  clearFullRefreshMark,
  fullRefreshMarkPath,
  readFullRefreshMark,
} from "../runner/full-refresh-mark.ts";
import { heldByAnotherProcess } from "../runner/lock.ts";
import { DEFAULT_LOOKBACK_HOURS } from "../runner/project.ts";
import { saysNoRoom } from "../runner/refused-write.ts";
import { BuildWorker } from "./build-worker.ts";
import { partitionHour } from "./raw-object.ts";
import { leaveFullRefreshMark } from "./sync-full-refresh.ts";

/** Now, as the build lines show it: in UTC, saying so (the reports name the zone they count in). */
const clockTime = () => `${new Date().toISOString().slice(11, 19)} UTC`;

/** The lines of a failed build's output that say what went wrong. */
export function failureLines(lines: string[]): string[] {
  return lines.filter((l) => /ERROR|FAIL|WARN|rror|failed/.test(l)).slice(0, 20);
}

export interface BuilderOptions {
  data: string;
  models: string;
  /** Variables for the models (--vars), over project.yml's. */
  vars?: Record<string, unknown>;
  /** Report period in days. @default 28 */
  days?: number;
  /** Quiet time after new files before a build starts, so a burst of objects makes one build. @default 300 */
  settleMs?: number;
  /** Least time between the starts of two model builds. @default 2000 */
  minIntervalMs?: number;
  /** Least time between two report renders. @default 15000 */
  reportEveryMs?: number;
  /**
   * The raw source's lookback: an incremental build reads the hours from its watermark's hour minus
   * this many, so objects that land in older hours (sync, replay, demo) need a full refresh. @default 2
   */
  lookbackHours?: number;
  /**
   * Work on raw/ that must not run beside a build (which may be reading the objects), run after each
   * build that went through, before the next job.
   */
  afterBuild?: () => Promise<void>;
  /** How long a build or render that a full disk failed waits before it is tried again. @default 15000 */
  retryMs?: number;
  log?: (line: string) => void;
}

export interface BuildOutcome {
  ok: boolean;
  code: number;
  seconds: number;
  /** When the models had the new data (the warehouse is queryable from then on). */
  finishedAt: number;
  lines: string[];
  /** Another process held the warehouse: no failure, the build is tried again shortly. */
  busy: boolean;
}

type Job = "models" | "reports";

export class IncrementalBuilder {
  private running: Promise<unknown> | undefined;
  private modelsDue = false;
  /** When the next model build is a full refresh, what its log line adds (", full refresh"). */
  private fullRefreshDue: string | undefined;
  /**
   * The needs-full-refresh mark being written: on disk before the build it asks for, so that a kill
   * in between, or a failed build, leaves the next one (of this server or another) to build in full.
   */
  private marking: Promise<void> = Promise.resolve();
  /** What the next model build is for, as its log line says ("new raw objects", "raw objects removed"). */
  private readonly causes = new Set<string>();
  private reportsDue = false;
  private timer: NodeJS.Timeout | undefined;
  /** Tries again a build or render that a full disk failed: once room is made, nothing else may start one. */
  private retry: NodeJS.Timeout | undefined;
  private readonly retrying = new Set<Job>();
  private lastModels = 0;
  private lastReports = 0;
  /** The default selector's line last shown: said once, not with every build. */
  private selectorSaid: string | undefined;
  private stopped = false;
  private readonly listeners = new Set<(outcome: BuildOutcome) => void>();
  private readonly renderListeners = new Set<(problem: string | undefined) => void>();
  private readonly log: (line: string) => void;
  private readonly worker = new BuildWorker();

  constructor(private readonly options: BuilderOptions) {
    this.log = options.log ?? ((line) => console.log(line));
  }

  /** Called for every burst of new raw objects, with their paths, or with the cause of another change. */
  notify(files: string[] = [], cause = "new raw objects"): void {
    const hour = 3_600_000;
    const readFrom =
      Math.floor(Date.now() / hour) * hour - (this.options.lookbackHours ?? DEFAULT_LOOKBACK_HOURS) * hour;
    const oldest = files.reduce((min, file) => Math.min(min, partitionHour(file) ?? readFrom), readFrom);
    if (oldest < readFrom) {
      this.fullRefreshDue ??= " in older hours, full refresh";
      this.markFullRefresh(
        oldest,
        "events from this hour on landed in raw/ behind what an incremental build reads",
      );
    }
    this.modelsDue = true;
    this.causes.add(cause);
    this.schedule(this.options.settleMs ?? 300);
  }

  /**
   * Raw objects were deleted: their events stay in the incremental tables, which only a full
   * refresh reads again from what raw/ holds now.
   */
  removed(): void {
    this.fullRefreshDue = ", full refresh";
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    this.markFullRefresh(hour, "raw objects were removed while ownstats dev ran, in this hour");
    this.notify([], "raw objects removed");
  }

  private markFullRefresh(hour: number, reason: string): void {
    const { data } = this.options;
    this.marking = this.marking
      .then(() => leaveFullRefreshMark(data, new Date(hour), reason))
      .catch((error: Error) =>
        this.log(
          `could not leave ${fullRefreshMarkPath(data)} (${error.message}): the next build still builds in full`,
        ),
      );
  }

  onBuilt(listener: (outcome: BuildOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after each report render with why it failed, or undefined when it rendered. */
  onRendered(listener: (problem: string | undefined) => void): () => void {
    this.renderListeners.add(listener);
    return () => this.renderListeners.delete(listener);
  }

  /** Builds the models and renders the reports now, after any job in progress. */
  async buildNow(reason: string): Promise<BuildOutcome> {
    while (this.running) await this.running.catch(() => undefined);
    const outcome = await this.runJob(() => this.buildModels(reason));
    await this.runJob(() => this.renderReports());
    return outcome;
  }

  /** Stops scheduling and waits for a job in progress, and for a needs-full-refresh mark being written. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.retry);
    while (this.running) await this.running.catch(() => undefined);
    // A stop (Ctrl-C) right after raw objects went would otherwise exit before the mark is on disk,
    // and the next start would build incrementally over the events of the removed objects.
    await this.marking;
    await this.worker.stop();
  }

  private async runJob<T>(job: () => Promise<T>): Promise<T> {
    const run = job();
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = undefined;
      this.schedule(0);
    }
  }

  private next(): { job: Job; wait: number } | undefined {
    const now = Date.now();
    const reportsAt = this.lastReports + (this.options.reportEveryMs ?? 15_000);
    // Reports whose time has come go before the models: with steady traffic new objects land during
    // every build, so the models are always due again and would never let a render in.
    if (this.reportsDue && (!this.modelsDue || reportsAt <= now))
      return { job: "reports", wait: reportsAt - now };
    if (this.modelsDue)
      return { job: "models", wait: this.lastModels + (this.options.minIntervalMs ?? 2_000) - now };
    return undefined;
  }

  private schedule(settle: number): void {
    if (this.stopped || this.running) return;
    const next = this.next();
    if (!next) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        if (this.stopped || this.running) return;
        const due = this.next();
        if (due?.job === "models") void this.runJob(() => this.buildModels([...this.causes].join(", ")));
        else if (due?.job === "reports") void this.runJob(() => this.renderReports());
      },
      Math.max(settle, next.wait),
    );
  }

  private async buildModels(cause: string): Promise<BuildOutcome> {
    await this.marking;
    // A mark another command (sync, replay, demo --add) or an earlier server left counts as well.
    const marked = readFullRefreshMark(this.options.data);
    const why = this.fullRefreshDue ?? (marked ? ", full refresh" : undefined);
    const full = why !== undefined;
    const reason = `${cause}${why ?? ""}`;
    this.modelsDue = false;
    this.fullRefreshDue = undefined;
    const causes = [...this.causes];
    this.causes.clear();
    this.lastModels = Date.now();
    const started = performance.now();
    const { code, lines } = await this.worker.run({
      job: "models",
      data: this.options.data,
      models: this.options.models,
      fullRefresh: full,
      vars: this.options.vars ?? {},
    });
    const outcome: BuildOutcome = {
      ok: code === 0,
      code,
      seconds: (performance.now() - started) / 1000,
      finishedAt: Date.now(),
      lines,
      // Another process (an `ownstats query` in a terminal) may hold the database for a moment.
      busy: lines.some(heldByAnotherProcess),
    };
    const time = clockTime();
    if (outcome.busy) {
      this.modelsDue = true;
      this.fullRefreshDue ??= why;
      for (const pending of causes) this.causes.add(pending);
      this.log(`build ${time}: the warehouse is in use by another process; trying again shortly`);
    } else if (outcome.ok) {
      // The runner removes the mark after a whole build only; a default selector's is all dev builds.
      if (marked) clearFullRefreshMark(this.options.data, marked);
      this.reportsDue = true;
      this.log(`build ${time} (${reason}): models and tests ok in ${outcome.seconds.toFixed(1)} s`);
      await this.options
        .afterBuild?.()
        .catch((error: Error) => this.log(`  after the build: ${error.message}`));
    } else {
      // Renders what the models could build, and shows the lines that say what went wrong.
      this.reportsDue = code !== 2;
      this.log(`build ${time} (${reason}): FAILED (exit ${code}) in ${outcome.seconds.toFixed(1)} s`);
      for (const line of failureLines(lines)) this.log(`  ${line}`);
      // A build that stopped ("failed: …", a full disk) wrote no run_results.json: the one there is older.
      if (!lines.some((line) => line.startsWith("failed: ")))
        this.log(`  details: ${this.options.data}/target/run_results.json`);
      if (lines.some(saysNoRoom)) this.retryLater("models");
    }
    if (!outcome.busy) this.sayDefaultSelector(lines);
    for (const listener of this.listeners) listener(outcome);
    return outcome;
  }

  /**
   * A selectors.yml default builds only part of the models, so events may never reach the reports:
   * the single build line would hide that, so the runner's line is shown once (again if it changes).
   */
  private sayDefaultSelector(lines: string[]): void {
    const line = lines.find((l) => l.startsWith("Using the default selector"));
    if (line !== undefined && line !== this.selectorSaid) this.log(`  ${line}`);
    this.selectorSaid = line;
    // On a fresh data folder the runner builds the models the selector leaves out but needs: said
    // each time, which is once, as they stay built.
    for (const also of lines.filter((l) => l.startsWith("Also building "))) this.log(`  ${also}`);
  }

  private retryLater(job: Job): void {
    this.retrying.add(job);
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      if (this.retrying.has("models")) {
        this.modelsDue = true;
        this.causes.add("again after a full disk");
      }
      if (this.retrying.has("reports")) this.reportsDue = true;
      this.retrying.clear();
      this.schedule(0);
    }, this.options.retryMs ?? 15_000);
    this.retry.unref();
  }

  private async renderReports(): Promise<void> {
    this.reportsDue = false;
    this.lastReports = Date.now();
    const started = performance.now();
    const time = clockTime();
    const { code, lines } = await this.worker.run({
      job: "reports",
      data: this.options.data,
      models: this.options.models,
      days: this.options.days ?? 28,
    });
    let problem: string | undefined;
    if (code === 0)
      this.log(`reports ${time}: rendered in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    else {
      const busy = lines.some(heldByAnotherProcess);
      if (busy) this.reportsDue = true;
      const reason = lines.find((line) => line.startsWith("report:")) ?? lines.at(-1) ?? `exit ${code}`;
      this.log(`reports ${time}: not rendered: ${reason}`);
      // A warehouse held by a query is retried shortly: nothing for the user to fix.
      if (busy) return;
      problem = reason;
      if (saysNoRoom(reason)) this.retryLater("reports");
    }
    for (const listener of this.renderListeners) listener(problem);
  }
}
