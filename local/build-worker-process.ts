// The dev server's build worker (see build-worker.ts): runs the jobs its parent sends, one at a time,
// and answers each with its exit code and lines. Each step imports only its own part when first
// asked: a models build, the step that makes new events queryable, does not wait for the reports'
// libraries to load.
import { refusal, refusedWriteOf } from "../runner/refused-write.ts";
import { closeWarehouseFiles } from "../runner/warehouse.ts";
import type { BuildJob, JobResult } from "./build-worker.ts";

let running = false;
let parentGone = false;

process.on("message", (job: BuildJob) => {
  running = true;
  void run(job).then(async (result) => {
    // Lets go of the database file until the next job.
    await closeWarehouseFiles();
    running = false;
    if (process.connected) process.send?.(result);
    if (parentGone) process.exit();
  });
});

// The dev server stopped (or died): a job in progress finishes first, so its transaction commits.
process.on("disconnect", () => {
  parentGone = true;
  if (!running) process.exit();
});

async function run(job: BuildJob): Promise<JobResult> {
  const lines: string[] = [];
  try {
    if (job.job === "models") {
      const { runProject } = await import("../runner/index.ts");
      const code = await runProject("build", {
        data: job.data,
        models: job.models,
        fullRefresh: job.fullRefresh,
        vars: job.vars,
        log: (line) => lines.push(line),
      });
      return { code, lines };
    }
    const { buildSite } = await import("../reports/index.ts");
    await buildSite({ data: job.data, days: job.days, models: job.models });
    return { code: 0, lines };
  } catch (error) {
    // A write the disk refused is named with its file, as `ownstats build` names it.
    const { path } = refusal(error);
    const named = path === undefined ? error : refusedWriteOf(error, path);
    const message = named instanceof Error ? named.message : String(named);
    lines.push(job.job === "reports" ? `report: ${message}` : `failed: ${message}`);
    return { code: 1, lines };
  }
}
