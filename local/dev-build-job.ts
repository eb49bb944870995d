// One build step of the dev server, in a process of its own: DuckDB allows one process per database
// file, and this one lets go of the file when it exits, so `ownstats query` in another terminal
// works between builds. Usage: dev-build-job.ts models|reports DATA MODELS DAYS [full|incremental] [VARS as JSON]
// Each step imports only its own part: the reports' chart and template libraries take about a second
// to load, which a models build (the step that makes new events queryable) should not wait for.

const [job, data, models, days, refresh, vars] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string?,
  string?,
];
if (job === "models") {
  const { runProject } = await import("../runner/index.ts");
  process.exitCode = await runProject("build", {
    data,
    models,
    fullRefresh: refresh === "full",
    vars: vars ? JSON.parse(vars) : undefined,
  });
} else {
  const { buildSite } = await import("../reports/index.ts");
  try {
    await buildSite({ data, days: Number(days), models });
  } catch (error) {
    console.log(`report: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
