// What to run here for a dbt command that `ownstats` does not have, so that `ownstats show` or
// `ownstats retry`, typed out of dbt habit, says what does the same instead of listing every command.
const dbtCommands: Record<string, string> = {
  show: `ownstats query "select * from daily limit 5" prints a model's rows`,
  retry: "ownstats run -s result:error+ result:skipped+ runs again what failed and what it skipped",
  parse: "ownstats compile reads and checks the project without a database",
  debug: 'ownstats compile checks the project; ownstats query "select 1" the warehouse',
  docs:
    "ownstats report renders DATA/site/models.html, the models' lineage, descriptions, columns, tests and last run " +
    "(ownstats dev serves it at /reports/models); the descriptions live in models/schema.yml",
  seed: "raw data comes from the events source (ownstats demo writes some); a fixed table is a model selecting its values",
  snapshot: "it has no counterpart here",
  source: "the events source is read by the models; ownstats sync fetches it from S3",
  deps: "a project here reads no dbt packages; a macro of your own is models/macros/<name>.sql",
  "run-operation": "a project here has no operations; ownstats query runs SQL on the warehouse",
  clean: "DATA/target is rewritten by each compile, run and build",
  init: "a project is a models/ folder with project.yml (ownstats dev makes a data folder)",
};

const selectInstead = "-s / --select picks the models here (--models names the model project folder)";
const noProfiles =
  "a project here has no profiles or targets: the warehouse is DATA/warehouse.duckdb, and --data names the folder";

/** What to give instead of a dbt option that the runner's commands do not take. */
const dbtOptions: Record<string, string> = {
  "-m": selectInstead,
  "--model": selectInstead,
  "--project-dir": "--models <dir> names the model project folder",
  "--profiles-dir": noProfiles,
  "--profile": noProfiles,
  "--target": noProfiles,
  "-t": noProfiles,
  "--target-path": "the artifacts go to DATA/target, and --data names the folder",
  "--warn-error": "warnings stay warnings here; a data test with severity: error (or error_if) fails the run",
  "--warn-error-options":
    "warnings stay warnings here; a data test with severity: error (or error_if) fails the run",
  "-q": "every line is printed here; redirect the output (> run.log) to keep it quiet",
  "--quiet": "every line is printed here; redirect the output (> run.log) to keep it quiet",
};

/**
 * commander's error text, with what to run instead when it names an unknown command that dbt has, or
 * what to give for an unknown option that dbt has.
 */
export function withDbtCommandHint(text: string): string {
  const command = /unknown command '([^']+)'/.exec(text)?.[1];
  const option = /unknown option '([^'=]+)/.exec(text)?.[1];
  const name = command ?? option;
  const instead = command ? dbtCommands[command] : option ? dbtOptions[option] : undefined;
  return instead ? text.replace(/\n?$/, `\n(dbt's ${name}: ${instead})\n`) : text;
}
