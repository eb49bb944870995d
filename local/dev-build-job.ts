// One build step of the dev server, in a process of its own: DuckDB allows one process per database
// file, and this one lets go of the file when it exits, so `ownstats query` in another terminal
// works between builds. Usage: dev-build-job.ts models|reports DATA MODELS DAYS
import { buildSite } from "../reports/index.ts";
import { runProject } from "../runner/index.ts";

const [job, data, models, days] = process.argv.slice(2) as [string, string, string, string];
if (job === "models") {
  process.exitCode = await runProject("build", { data, models, fullRefresh: false });
} else {
  try {
    await buildSite({ data, days: Number(days) });
  } catch (error) {
    console.log(`report: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
