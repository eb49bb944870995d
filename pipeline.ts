// build = run + test + report; each step also runs alone. The exit code is the worst of the steps.
import type { RunnerOptions } from "./runner/index.ts";
import { heldByAnotherProcess } from "./runner/lock.ts";

export type PipelineStep = "build" | "run" | "test" | "report";
export type PipelineOptions = RunnerOptions & { days: number };

export async function pipelineStep(step: PipelineStep, opts: PipelineOptions): Promise<number> {
  const runner = await import("./runner/index.ts");
  let code = 0;
  const log = opts.log ?? console.log;
  // A run refused because another process holds the warehouse said so in DuckDB's words; the render
  // would be refused the same way.
  let held = false;
  if (step !== "report")
    code = await runner.runProject(step, {
      ...opts,
      log: (line) => {
        held ||= heldByAnotherProcess(line);
        log(line);
      },
    });
  // A project error (2) leaves nothing to render; an interrupted run (130, Ctrl-C) was asked to stop;
  // a build with --empty left the tables empty, and would replace the site with empty pages.
  if (step === "build" && opts.empty && code !== 2 && code !== 130)
    log("Reports not rendered: --empty built the models with no rows");
  else if ((step === "build" && code !== 2 && code !== 130 && !held) || step === "report") {
    const reports = await import("./reports/index.ts");
    const optional = step === "build";
    code = Math.max(
      code,
      await reports.renderSite({ data: opts.data, days: opts.days, models: opts.models, optional }),
    );
  }
  return code;
}
