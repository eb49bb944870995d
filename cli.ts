// The `ownstats` command: parses arguments and calls the parts. Each part is imported lazily,
// so `ownstats query` does not pay for loading the collector or the AWS SDK.
import { existsSync, readFileSync } from "node:fs";
import { resolve, sep } from "node:path";
import { Command, CommanderError, Option } from "commander";
import {
  bucketName,
  dataFolder,
  endpointUrl,
  homeExpanded,
  instant,
  integer,
  isHttpUrl,
  keyPrefix,
  kinesisMode,
  listenAddress,
  streamName,
  varsMapping,
} from "./cli-arguments.ts";
import { withDbtCommandHint } from "./cli-dbt-commands.ts";
import { DEMO_DEFAULTS } from "./local/demo-defaults.ts";
import { MAX_SEED } from "./local/demo-random.ts";
import type { DataSubfolder } from "./local/dev-guard.ts";
import { defaultModelsFolder } from "./runner/default-models.ts";
import { duckdbMemoryLimit } from "./runner/memory-limit.ts";

// Empty (or blank, as a templated .env can leave it) is unset, as for the other variables: "" would
// otherwise make the current folder the data folder, and " " a folder named by a space.
const defaultData = process.env.OWNSTATS_DATA?.trim() ? homeExpanded(process.env.OWNSTATS_DATA) : "./data";

// `ownstats ls | head` closes the pipe early: that is the reader being done, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const program = new Command("ownstats")
  .description("Privacy-first web analytics you run and own")
  .version(
    (JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string })
      .version,
    "-V, --version",
    "the version of ownstats",
  )
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(withDbtCommandHint(text)) })
  .exitOverride();

/** The commands that open the warehouse: a bad OWNSTATS_MEMORY_LIMIT is a usage error before they start. */
const WAREHOUSE_COMMANDS = new Set(["dev", "build", "run", "test", "report", "query", "alerts"]);
program.hook("preAction", (_program, command) => {
  if (!WAREHOUSE_COMMANDS.has(command.name())) return;
  try {
    duckdbMemoryLimit();
  } catch (error) {
    console.error(`ownstats ${command.name()}: ${(error as Error).message}`);
    throw new CommanderError(2, "ownstats.memoryLimit", (error as Error).message);
  }
});

const dataOption = () => new Option("--data <dir>", "data folder").argParser(dataFolder).default(defaultData);
const defaultModels = defaultModelsFolder();
const modelsOption = () => new Option("--models <dir>", "the model project folder").default(defaultModels);
const varsOption = () =>
  new Option(
    "--vars <yaml>",
    "override variables that project.yml declares (a YAML or JSON mapping)",
  ).argParser(varsMapping);
const selectOption = () =>
  new Option(
    "-s, --select <selectors...>",
    "the models and tests to choose: name, +name, name+, 2+name, @name, tag:x, path:dir, source:x+, config.materialized:x; a,b intersects",
  );
const excludeOption = () => new Option("--exclude <selectors...>", "the models and tests to leave out");
const selectorOption = () =>
  new Option("--selector <name>", "a selection named in models/selectors.yml (in place of --select)");
const indirectOption = () =>
  new Option(
    "--indirect-selection <mode>",
    "which data tests come along with the chosen models: all that read one (eager), or only those reading nothing else (cautious), or nothing unbuilt (buildable), or none (empty)",
  ).choices(["eager", "cautious", "buildable", "empty"]);
const stateOption = () =>
  new Option(
    "--state <dir>",
    "a folder holding an earlier run's manifest.json, for state:modified and state:new selectors",
  ).argParser(homeExpanded);
/** The options of every command that reads the model project: which one, which of its nodes, its variables. */
const withProjectOptions = (command: Command): Command =>
  command
    .addOption(modelsOption())
    .addOption(selectOption())
    .addOption(excludeOption())
    .addOption(selectorOption())
    .addOption(indirectOption())
    .addOption(stateOption())
    .addOption(varsOption());
const portOption = () =>
  new Option("--port <n>", "port to listen on (0: any free port)")
    .argParser(integer("--port", 0, 65_535))
    .default(8787);
const hostOption = () =>
  new Option(
    "--host <address>",
    "address to listen on (0.0.0.0: every interface, for other machines or a container)",
  )
    .argParser(listenAddress)
    .default("127.0.0.1");

program
  .command("dev")
  .description("the whole pipeline on this machine: collector, delivery, builds, reports, tracker, demo site")
  .addOption(portOption())
  .addOption(hostOption())
  .addOption(dataOption())
  .option("--no-demo", "do not write demo data into an empty data folder")
  .addOption(varsOption())
  .action(async (opts) => finish(await (await import("./local/index.ts")).dev(opts)));

program
  .command("collect")
  .description("the collector alone, with its spool and delivery")
  .addOption(portOption())
  .addOption(hostOption())
  .addOption(dataOption())
  // Neither a commander default nor choices: commander checks no default against choices, so
  // collect checks the flag and SINK alike, with the sink check the Lambda uses, before it starts.
  .option("--sink <sink>", "where accepted events go: file, kinesis or firehose (default: SINK, else file)")
  .addOption(
    new Option(
      "--source <source>",
      "what the delivery reads into DATA/raw (default: spool with --sink file; kinesis with --sink kinesis and --endpoint)",
    ).choices(["spool", "kinesis"]),
  )
  .option("--endpoint <url>", "AWS endpoint for the kinesis or firehose sink", endpointUrl)
  .action(async (opts) => finish(await (await import("./local/index.ts")).collect(opts)));

for (const step of ["build", "run", "test", "report"] as const) {
  const about = {
    build: "run models, run data tests, render reports",
    run: "materialize the models",
    test: "run the data tests",
    report: "render the static reports into DATA/site",
  }[step];
  const command = program.command(step).description(about).addOption(dataOption());
  // Each step offers only the options it reads: `report` renders the warehouse as it is, so a
  // --full-refresh or --select given to it would be silently ignored.
  if (step !== "report")
    withProjectOptions(command)
      .option("-x, --fail-fast", "stop at the first model error or test failure; the rest is skipped")
      // Taken so that a dbt command line runs as written; the warehouse has one connection.
      .option("--threads <n>", "as dbt's; nodes run one at a time here", integer("--threads", 1));
  // `test` builds no incremental model, so it has nothing to refresh.
  if (step === "build" || step === "run")
    command
      // -f as dbt's short name for it.
      .option("-f, --full-refresh", "rebuild incremental models from scratch", false)
      .option(
        "--empty",
        "build the models with no rows (refs and sources read none), to check their SQL and columns fast",
      );
  if (step === "build" || step === "test")
    command.option(
      "--store-failures",
      "keep the failing rows of every test that runs in main_dbt_test__audit (unless a test's config says store_failures: false)",
    );
  // Bounded as demo's history: the pages also show the period before, and a period reaching back past
  // year 0 failed as "Invalid time value" (or ran for minutes on the way there).
  if (step === "build" || step === "report")
    command.option("--days <n>", "report period in days (1-3650)", integer("--days", 1, 3650), 28);
  const writes = { build: ["target", "site"], run: ["target"], test: ["target"], report: ["site"] } as const;
  command.action(async (opts) =>
    finish(
      // `report` on a folder that is not there says to build first, so it makes none to check.
      await inDataFolder(
        step,
        opts.data,
        step === "report" && !existsSync(opts.data) ? undefined : writes[step],
        async () => (await import("./pipeline.ts")).pipelineStep(step, { fullRefresh: false, ...opts }),
      ),
    ),
  );
}

/**
 * Runs a command that writes into the data folder, after checking that it can (unless `subfolders` is
 * undefined): a file in its place, a read-only or full disk is named with the way out, where it would
 * otherwise be a bare ENOTDIR, ENOENT or ENOSPC from deep inside the command. Such a problem found
 * before anything runs exits 2, one met while writing 1.
 */
async function inDataFolder(
  command: string,
  data: string,
  subfolders: readonly DataSubfolder[] | undefined,
  run: () => number | Promise<number>,
): Promise<number> {
  if (subfolders && (await (await import("./local/index.ts")).dataFolderRefused(command, data, subfolders)))
    return 2;
  try {
    return await run();
  } catch (error) {
    // Only a write into the data folder: a models folder the user may not read is no disk problem.
    const { path } = error as NodeJS.ErrnoException;
    if (path !== undefined && !resolve(path).startsWith(resolve(data) + sep)) throw error;
    const refused = (await import("./local/start-problem.ts")).refusedWrite(error, data);
    if (refused === error) throw error;
    console.error(`ownstats ${command}: ${(refused as Error).message}`);
    return 1;
  }
}

withProjectOptions(
  program
    .command("compile")
    .description(
      "compile the models and data tests into DATA/target/compiled (no database needed); with --select, print the selected models' SQL",
    )
    .addOption(dataOption()),
)
  .option("--empty", "as dbt's compile --empty: the compiled SQL reads every ref and source as no row")
  .action(async (opts) =>
    finish(
      await inDataFolder("compile", opts.data, ["target"], async () =>
        (await import("./runner/index.ts")).compile(opts),
      ),
    ),
  );

withProjectOptions(
  program
    .command("ls")
    .alias("list")
    .description("list the models and data tests a selection picks, in the order build runs them")
    .addOption(dataOption()),
)
  .addOption(
    new Option("--output <format>", "what to print").choices(["name", "path", "json"]).default("name"),
  )
  .addOption(
    // Repeated or given several values, as dbt's (--resource-type model --resource-type test): the union.
    new Option("--resource-type <types...>", "which nodes (one or more)")
      .choices(["model", "test", "all"])
      .default(["all"]),
  )
  .option("--output-keys <keys...>", "with --output json, only these keys (as dbt's: name unique_id …)")
  .action(async (opts) =>
    finish(
      await inDataFolder("ls", opts.data, ["target"], async () =>
        (await import("./runner/index.ts")).list(opts),
      ),
    ),
  );

program
  .command("demo")
  .description("write realistic synthetic raw events (deterministic for a seed)")
  .addOption(dataOption())
  // Bounded so that a typo fails as a usage error instead of running out of memory or never ending:
  // a million visitors already make about 12 M events (6 GB of NDJSON).
  .option("--visitors <n>", "distinct visitors", integer("--visitors", 1, 1_000_000), DEMO_DEFAULTS.visitors)
  .option("--days <n>", "days of history, ending now", integer("--days", 1, 3650), DEMO_DEFAULTS.days)
  .option("--seed <n>", "random seed", integer("--seed", 0, MAX_SEED), DEMO_DEFAULTS.seed)
  .option("--add", "add to a data folder that already holds events (refused otherwise)", false)
  .action(async (opts) => finish(await (await import("./local/index.ts")).demo(opts)));

program
  .command("query")
  .description("ad-hoc SQL on the warehouse")
  .argument("<sql>", "the query")
  .addOption(dataOption())
  .addOption(
    new Option("--format <format>", "output format").choices(["table", "csv", "json"]).default("table"),
  )
  .addOption(
    new Option("--wait <seconds>", "how long to wait while a build holds the warehouse")
      .argParser(integer("--wait"))
      .default(30),
  )
  .action(async (sql: string, opts) =>
    finish(await (await import("./runner/index.ts")).query(sql, { ...opts, waitMs: opts.wait * 1000 })),
  );

program
  .command("alerts")
  .description(
    "print the anomalies' new spikes and drops, and a site gone quiet, once each; post them to a chat webhook",
  )
  .addOption(dataOption())
  .addOption(modelsOption())
  // Checked in the action: an option's parser has its value repeated in the error, and the URL is a secret.
  .option(
    "--webhook <url>",
    "a Slack-style incoming webhook to post them to (default: OWNSTATS_ALERT_WEBHOOK)",
  )
  .option(
    "--settle <minutes>",
    "how long after an hour ends its events have surely landed",
    integer("--settle", 0, 1440),
    15,
  )
  .option(
    "--every-spike",
    "every spike the model flags, not only those with more events than any hour of the week before",
    false,
  )
  .option("--now <time>", "judge as of this time (ISO 8601) instead of now", instant("--now"))
  .action(async (opts) => {
    // Empty, as a workflow's unset secret leaves it, is unset.
    const fromEnv = process.env.OWNSTATS_ALERT_WEBHOOK?.trim() || undefined;
    if (opts.webhook !== undefined && !isHttpUrl(opts.webhook)) {
      console.error("ownstats alerts: --webhook must be an http:// or https:// URL");
      return finish(2);
    }
    if (!opts.webhook && fromEnv && !isHttpUrl(fromEnv)) {
      console.error("ownstats alerts: OWNSTATS_ALERT_WEBHOOK must be an http:// or https:// URL");
      return finish(2);
    }
    finish(
      await (await import("./reports/alerts-command.ts")).sendAlerts({
        data: opts.data,
        models: opts.models,
        webhook: opts.webhook ?? fromEnv,
        settleMs: opts.settle * 60_000,
        everySpike: opts.everySpike,
        now: opts.now,
      }),
    );
  });

program
  .command("sync")
  .description("download new raw objects from S3")
  .requiredOption("--bucket <name>", "the event store bucket", bucketName)
  .option("--prefix <prefix>", "key prefix", keyPrefix, "raw/")
  .addOption(dataOption())
  .option("--endpoint <url>", "S3-compatible endpoint", endpointUrl)
  .option(
    "--raw-retention-days <days>",
    "the stack's raw_retention_days: delete the downloaded days the bucket has expired",
    integer("--raw-retention-days", 1),
  )
  .action(async (opts) => finish(await (await import("./local/index.ts")).sync(opts)));

program
  .command("live")
  .description("tail a Kinesis stream: events as they arrive and per-minute counts")
  .requiredOption("--stream <name>", "Kinesis stream name", streamName)
  .option("--endpoint <url>", "Kinesis endpoint", endpointUrl)
  .action(async (opts) => finish(await (await import("./local/index.ts")).live(opts)));

program
  .command("replay")
  .description("re-land events from Kinesis retention into raw/")
  .requiredOption("--stream <name>", "Kinesis stream name", streamName)
  .requiredOption("--since <duration>", "how far back, e.g. 2h, 90m, 1d")
  .addOption(dataOption())
  .option("--endpoint <url>", "Kinesis endpoint", endpointUrl)
  .action(async (opts) => finish(await (await import("./local/index.ts")).replay(opts)));

program
  .command("cost")
  .description("monthly AWS cost estimate, itemized")
  .requiredOption("--events <n>", "events per month", integer("--events"))
  .addOption(new Option("--kinesis <state>", "Kinesis stream").choices(["on", "off"]).default("off"))
  .addOption(
    new Option("--kinesis-mode <mode>", "the stream's capacity mode (the stack's kinesis_stream_mode)")
      .choices(["provisioned", "on-demand"])
      .argParser(kinesisMode)
      .default("provisioned"),
  )
  .option("--buffer-seconds <s>", "Firehose buffering interval", integer("--buffer-seconds"), 300)
  .option(
    "--buffer-mb <n>",
    "Firehose buffer size in MiB (1-128; with the interval, how many S3 objects are written)",
    integer("--buffer-mb", 1, 128),
    128,
  )
  .option(
    "--events-per-request <n>",
    "events the tracker sends together",
    integer("--events-per-request", 1),
    3,
  )
  .addOption(
    new Option(
      "--encrypt-alarm-topic <state>",
      "the alarm topic's own KMS key (the stack's encrypt_alarm_topic)",
    )
      .choices(["on", "off"])
      .default("off"),
  )
  .action(async (opts) => finish(await (await import("./cost/index.ts")).printCost(opts)));

function finish(code: number): void {
  process.exitCode = code;
}

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    // Usage errors exit 2, as the runner's project errors do; --help and --version exit 0.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    console.error(`ownstats: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
