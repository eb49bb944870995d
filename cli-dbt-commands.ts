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

/** commander's error text, with what to run instead when it names an unknown command that dbt has. */
export function withDbtCommandHint(text: string): string {
  const command = /unknown command '([^']+)'/.exec(text)?.[1];
  const instead = command ? dbtCommands[command] : undefined;
  return instead ? text.replace(/\n?$/, `\n(dbt's ${command}: ${instead})\n`) : text;
}
