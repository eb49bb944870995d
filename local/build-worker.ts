// The dev server's builds run in one long-lived child process (build-worker-process.ts), one job at a
// time. A process of its own, because DuckDB allows one process per database file and the worker
// closes the file after each job, so `ownstats query` in another terminal works between builds.
// Long-lived, because a fresh process for each job loaded the runner again (about half a second of a
// one-second build) and the reports' chart and template libraries (about a second of each render).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import type { Socket } from "node:net";
import { fileURLToPath } from "node:url";

const workerFile = fileURLToPath(new URL("./build-worker-process.ts", import.meta.url));

export type BuildJob =
  | { job: "models"; data: string; models: string; fullRefresh: boolean; vars: Record<string, unknown> }
  | { job: "reports"; data: string; models: string; days: number };

export interface JobResult {
  /** The runner's exit code for a build (0 ok, 1 a failure, 2 a project error); 1 for a failed render. */
  code: number;
  lines: string[];
}

interface Pending {
  resolve: (result: JobResult) => void;
  /** What the process wrote outside the job's own lines: warnings, or the stack of a crash. */
  output: string[];
}

export class BuildWorker {
  private child: ChildProcess | undefined;
  private pending: Pending | undefined;
  private readonly ended = new WeakMap<ChildProcess, Promise<void>>();

  /** Runs one job, starting the worker when none runs (the first time, or after it died). */
  run(job: BuildJob): Promise<JobResult> {
    if (this.pending) return Promise.reject(new Error("the build worker runs one job at a time"));
    const child = this.child ?? this.start();
    return new Promise((resolve) => {
      this.pending = { resolve, output: [] };
      hold(child, true);
      child.send(job);
    });
  }

  /** Ends the worker after the job in progress; the next job starts a new one. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child?.connected) return;
    hold(child, true);
    // The worker finishes a job in progress before it exits, as a build's transaction should.
    child.disconnect();
    await this.ended.get(child);
  }

  private start(): ChildProcess {
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), workerFile], {
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      // A group of its own: Ctrl-C in the terminal stops the server, which lets a running build finish.
      detached: true,
    });
    this.child = child;
    const collect = (chunk: Buffer) => this.pending?.output.push(chunk.toString("utf8"));
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.on("message", (result: JobResult) => {
      hold(child, false);
      this.settle(result);
    });
    child.on("error", (error) => {
      if (this.child === child) this.child = undefined;
      this.settle({ code: 1, lines: [`build failed to start: ${error.message}`] });
    });
    // Not "close": after the parent's disconnect() Node never emits it. The output is read to its end
    // first, since a crash's stack comes last.
    const ended = new Promise<void>((resolve) =>
      child.on("exit", async (code, signal) => {
        if (this.child === child) this.child = undefined;
        await Promise.all([child.stdout, child.stderr].map((s) => (s && !s.closed ? once(s, "close") : 0)));
        // Ended from outside, it printed nothing about why: most often the kernel's out-of-memory killer.
        const why = signal
          ? `failed: its process was ended by ${signal}${signal === "SIGKILL" ? " (out of memory?)" : ""}`
          : `failed: its process exited (code ${code})`;
        this.settle({ code: 1, lines: [why] });
        resolve();
      }),
    );
    this.ended.set(child, ended);
    hold(child, false);
    return child;
  }

  private settle(result: JobResult): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    const output = pending.output.join("").split("\n").filter(Boolean);
    pending.resolve({ code: result.code, lines: [...output, ...result.lines] });
  }
}

/** An idle worker does not keep the dev server's process alive; one with a job does. */
function hold(child: ChildProcess, busy: boolean): void {
  // A child's pipes are sockets, which Node's types give as plain streams.
  const pipes = [child.stdout, child.stderr] as (Socket | null)[];
  for (const handle of [child, child.channel, ...pipes]) {
    if (busy) handle?.ref();
    else handle?.unref();
  }
}
