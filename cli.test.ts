import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownstats, ownstatsIn, ownstatsLimited } from "./cli-run.ts";
import { tempFolder } from "./test/temp-folders.ts";

describe("ownstats command", () => {
  it("lists every command of the design in its help", async () => {
    const { code, stdout } = await ownstats("--help");
    expect(code).toBe(0);
    for (const command of [
      "dev",
      "collect",
      "build",
      "run",
      "test",
      "report",
      "demo",
      "query",
      "sync",
      "live",
      "replay",
      "cost",
      "compile",
      "ls|list",
      "alerts",
    ]) {
      expect(stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    }
  });

  it("prints its version, package.json's, with --version and -V", async () => {
    const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
    for (const flag of ["--version", "-V"]) {
      const result = await ownstats(flag);
      expect(result.code, flag).toBe(0);
      expect(result.stdout, flag).toBe(`${version}\n`);
    }
  });

  it("exits 2 and names the problem on a usage error", async () => {
    const missing = await ownstats("query");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'sql'");
    const badNumber = await ownstats("demo", "--visitors", "many");
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toContain("--visitors must be a whole number");
    // A step is offered only the options it reads, so none is silently ignored.
    for (const args of [
      ["report", "--full-refresh"],
      ["report", "--select", "daily"],
      ["test", "--full-refresh"],
      ["run", "--days", "7"],
    ]) {
      const ignored = await ownstats(...args);
      expect(ignored.code, args.join(" ")).toBe(2);
      expect(ignored.stderr).toContain(`unknown option '${args[1]}'`);
    }
    const tooMany = await ownstats("demo", "--visitors", "100000000");
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toContain("--visitors must be a whole number from 1 to 1000000");
    const tooLong = await ownstats("demo", "--days", "100000000");
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain("--days must be a whole number from 1 to 3650");
    // A report period reaching back past year 0 has no dates to show.
    const periodData = tempFolder("ownstats-cli-days-");
    for (const step of ["report", "build"]) {
      const tooLongPeriod = await ownstats(step, "--data", periodData, "--days", "100000000");
      expect(tooLongPeriod.code, step).toBe(2);
      expect(tooLongPeriod.stderr).toContain("--days must be a whole number from 1 to 3650");
    }
    // The demo's generator has 32 bits of state: a larger seed would silently repeat a smaller one.
    const scratch = tempFolder("ownstats-cli-seed-");
    const tinyDemo = ["demo", "--data", scratch, "--visitors", "1", "--days", "1"];
    for (const seed of ["4294967296", "9007199254740993"]) {
      const bigSeed = await ownstats(...tinyDemo, "--seed", seed);
      expect(bigSeed.code, seed).toBe(2);
      expect(bigSeed.stderr).toContain("--seed must be a whole number from 0 to 4294967295");
    }
    rmSync(scratch, { recursive: true, force: true });
    const hugeCount = await ownstats("cost", "--events", "9007199254740993");
    expect(hugeCount.code).toBe(2);
    expect(hugeCount.stderr).toContain("--events must be a whole number from 0 to 9007199254740991");
  });

  it("demo stopped by Ctrl-C removes what it wrote, so the next demo is not refused", async () => {
    const data = tempFolder("ownstats-cli-demo-");
    const objects = () =>
      readdirSync(data, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".gz"));
    const child = spawn(
      process.execPath,
      ["bin/ownstats.js", "demo", "--data", data, "--visitors", "300000", "--days", "365"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = once(child, "exit");
    while (objects().length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill("SIGINT");
    const [code] = await exited;
    expect(code).toBe(130);
    expect(stderr).toMatch(/ownstats demo: stopped; the \d+ objects already written were removed/);
    expect(objects()).toEqual([]);
    expect((await ownstats("demo", "--data", data, "--visitors", "5", "--days", "1")).code).toBe(0);
  }, 60_000);

  it("takes an empty or blank OWNSTATS_DATA as unset and refuses an empty --data, never filling the current folder", async () => {
    const cwd = tempFolder("ownstats-cli-cwd-");
    const inCwd = (env: NodeJS.ProcessEnv, ...args: string[]) => ownstatsIn(cwd, env, ...args);
    const fromEnv = await inCwd({ OWNSTATS_DATA: "" }, "demo", "--visitors", "5", "--days", "1");
    expect(fromEnv.code).toBe(0);
    expect(readdirSync(cwd)).toEqual(["data"]);
    const blank = await inCwd({ OWNSTATS_DATA: "  " }, "demo", "--visitors", "5", "--days", "1", "--add");
    expect(blank.code).toBe(0);
    expect(readdirSync(cwd)).toEqual(["data"]);
    const fromFlag = await inCwd({}, "demo", "--data", "", "--visitors", "5", "--days", "1", "--add");
    expect(fromFlag.code).toBe(2);
    expect(fromFlag.stderr).toContain("--data is empty; give a folder, e.g. --data ./data");
    expect(readdirSync(cwd)).toEqual(["data"]);
  });

  it('takes "~/…" in OWNSTATS_DATA or a quoted --data as the home folder, never making a folder named "~"', async () => {
    const cwd = tempFolder("ownstats-cli-cwd-");
    const home = tempFolder("ownstats-cli-home-");
    const demo = ["demo", "--visitors", "5", "--days", "1"];
    const fromEnv = await ownstatsIn(cwd, { HOME: home, OWNSTATS_DATA: "~/stats" }, ...demo);
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(readdirSync(join(home, "stats"))).toContain("raw");
    const fromFlag = await ownstatsIn(cwd, { HOME: home }, ...demo, "--data", "~/other");
    expect(fromFlag.code, fromFlag.stderr).toBe(0);
    expect(readdirSync(join(home, "other"))).toContain("raw");
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("demo refuses a data folder that already holds events unless --add says to mix them in", async () => {
    const data = tempFolder("ownstats-cli-demo-");
    const args = ["demo", "--data", data, "--visitors", "5", "--days", "1"];
    expect((await ownstats(...args)).code).toBe(0);
    const again = await ownstats(...args);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${join(data, "raw")} already holds events`);
    expect(again.stderr).toContain("--add to add them anyway");
    const added = await ownstats(...args, "--add");
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^demo: \d+ events/);
  });

  // prlimit makes every write of a byte fail (EFBIG), as a full disk (ENOSPC) would with its own way out.
  it.skipIf(process.platform !== "linux" || spawnSync("prlimit", ["--version"]).status !== 0)(
    "demo names a data folder it cannot write into, with the way out, in one line",
    async () => {
      const data = tempFolder("ownstats-cli-demo-");
      const limited = await ownstatsLimited(
        ["--fsize=0"],
        {},
        "demo",
        "--data",
        data,
        "--visitors",
        "5",
        "--days",
        "1",
      );
      expect(limited.code).toBe(1);
      expect(limited.stderr.trim()).toBe(
        `ownstats demo: cannot write into the data folder ${data}: a file size limit (ulimit -f) is reached (EFBIG); raise the limit (ulimit -f unlimited in the shell that starts ownstats), or choose another --data`,
      );
      // What it left is not events: the next demo, without the limit, is not refused.
      expect((await ownstats("demo", "--data", data, "--visitors", "5", "--days", "1")).code).toBe(0);
    },
  );

  it("build, run, test, report, compile and ls name a data folder that is a file, or a file where target/ or site/ must be, and exit 2", async () => {
    const root = tempFolder("ownstats-cli-");
    const file = join(root, "plain-file");
    writeFileSync(file, "");
    for (const command of ["build", "run", "test", "report", "compile", "ls"]) {
      const result = await ownstats(command, "--data", file);
      expect(result.code, command).toBe(2);
      expect(result.stderr.trim()).toBe(
        `ownstats ${command}: the data folder ${file} is a file, not a folder; choose another with --data`,
      );
      expect(result.stdout).toBe("");
    }
    const data = join(root, "data");
    mkdirSync(data);
    writeFileSync(join(data, "target"), "");
    const compiled = await ownstats("compile", "--data", data);
    expect(compiled.code).toBe(2);
    expect(compiled.stderr).toContain(
      `ownstats compile: ${join(data, "target")} is a file, but it must be the folder`,
    );
    rmSync(join(data, "target"));
    writeFileSync(join(data, "site"), "");
    const built = await ownstats("build", "--data", data);
    expect(built.code).toBe(2);
    expect(built.stderr).toContain(
      `ownstats build: ${join(data, "site")} is a file, but it must be the folder`,
    );
    // report reads: a data folder that is not there is named, not made.
    const missing = join(root, "missing");
    const report = await ownstats("report", "--data", missing);
    expect(report.code).toBe(1);
    expect(report.stderr).toContain(`no data folder ${missing}`);
    expect(readdirSync(root).sort()).toEqual(["data", "plain-file"]);
  });

  it('refuses a data folder with a "?" in its path, where DuckDB cannot keep the warehouse, before anything runs', async () => {
    const data = join(tempFolder("ownstats-cli-"), "what?");
    const refusal = `the data folder ${data} cannot hold the warehouse: DuckDB reads a "?" in its path as the start of a URL's query; choose a folder without one with --data`;
    for (const command of ["build", "dev", "collect"]) {
      const result = await ownstats(command, "--data", data, ...(command === "build" ? [] : ["--port", "0"]));
      expect(result.code, command).toBe(2);
      expect(result.stderr.trim(), command).toBe(`ownstats ${command}: ${refusal}`);
    }
  });

  // As `ownstats ls` in a terminal while `ownstats dev` builds: each rewrites DATA/target/compiled.
  it("compiles into one data folder from several processes at once, each whole", async () => {
    const data = tempFolder("ownstats-cli-");
    const compiled = join(data, "target", "compiled");
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        Array.from({ length: 4 }, () => ownstats(round % 2 ? "ls" : "compile", "--data", data)),
      );
      for (const result of results) {
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
      }
    }
    const files = readdirSync(compiled, { recursive: true, encoding: "utf8" }).filter((f) =>
      f.endsWith(".sql"),
    );
    const listed = await ownstats("ls", "--data", data);
    expect(files.length).toBeGreaterThanOrEqual(listed.stdout.trim().split("\n").length);
    // Nothing of the processes' own is left beside it.
    expect(readdirSync(join(data, "target")).sort()).toEqual(["compiled", "manifest.json"]);
  }, 60_000);

  it("takes --vars as a YAML mapping, as dbt does, JSON included, and names one that is not a mapping", async () => {
    const data = tempFolder("ownstats-cli-vars-");
    for (const vars of ["anomaly_z: 9.25", '{"anomaly_z": 9.25}']) {
      const compiled = await ownstats("compile", "--data", data, "--vars", vars);
      expect(compiled.code, vars).toBe(0);
      const sql = readFileSync(join(data, "target", "compiled", "models", "marts", "anomalies.sql"), "utf8");
      expect(sql, vars).toContain("> 9.25");
    }
    const list = await ownstats("compile", "--data", data, "--vars", "[anomaly_z]");
    expect(list.code).toBe(2);
    expect(list.stderr).toContain("expected a mapping such as '{anomaly_z: 3}'");
    const broken = await ownstats("compile", "--data", data, "--vars", "{anomaly_z: [");
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("not valid YAML or JSON");
  });

  it("sync names an empty --bucket (an unset variable) and a bucket given as a URL, and exits 2", async () => {
    const data = tempFolder("ownstats-cli-");
    const empty = await ownstats("sync", "--bucket", "", "--data", data);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("--bucket is empty");
    const url = await ownstats("sync", "--bucket", "s3://my-events/raw/", "--data", data);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain("--bucket takes the bucket's name alone (my-events)");
  });

  it("builds the package's models when run from a folder without ./models, as dev does", async () => {
    const cwd = tempFolder("ownstats-cli-cwd-");
    const data = join(cwd, "data");
    expect((await ownstats("demo", "--data", data, "--visitors", "5", "--days", "1")).code).toBe(0);
    const run = await ownstatsIn(cwd, {}, "run", "--data", "data", "--select", "stg_events");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Done. PASS=1 WARN=0 ERROR=0 SKIP=0 TOTAL=1");
  });

  it("builds a project of other models without the reports, which `report` alone names as missing", async () => {
    const root = tempFolder("ownstats-cli-");
    const models = join(root, "models");
    mkdirSync(models);
    writeFileSync(join(models, "project.yml"), "name: custom\n");
    writeFileSync(join(models, "a.sql"), "select 1 as x");
    const data = join(root, "data");
    const built = await ownstats("build", "--models", models, "--data", data);
    expect(built.code).toBe(0);
    expect(built.stdout).toContain("Done. PASS=1 WARN=0 ERROR=0 SKIP=0 TOTAL=1");
    expect(built.stdout).toContain("report: skipped, the warehouse has no stg_events, sessions");
    const report = await ownstats("report", "--data", data);
    expect(report.code).toBe(1);
    expect(report.stderr).toContain("report: the warehouse has no stg_events");
  });

  it("ls lists the union of repeated --resource-type flags, as dbt ls does", async () => {
    const root = tempFolder("ownstats-cli-");
    const models = join(root, "models");
    mkdirSync(models);
    writeFileSync(join(models, "project.yml"), "name: custom\n");
    writeFileSync(join(models, "a.sql"), "select 1 as x");
    writeFileSync(
      join(models, "schema.yml"),
      "models:\n  - name: a\n    columns:\n      - name: x\n        tests: [unique]\n",
    );
    const ls = (...types: string[]) =>
      ownstats("ls", "--models", models, "--data", join(root, "data"), ...types);
    for (const types of [
      ["--resource-type", "model", "--resource-type", "test"],
      ["--resource-type", "model", "test"],
    ]) {
      const both = await ls(...types);
      expect(both.stderr, types.join(" ")).toBe("");
      expect(both.stdout, types.join(" ")).toBe("a\nunique_a_x\n");
    }
    expect((await ls("--resource-type", "test")).stdout).toBe("unique_a_x\n");
    const typo = await ls("--resource-type", "models");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Allowed choices are model, test, all");
  });

  it("says what to run for a dbt command it does not have (show, retry, docs), with the usual exit code 2", async () => {
    const show = await ownstats("show", "--select", "daily");
    expect(show.code).toBe(2);
    expect(show.stderr).toContain(
      `error: unknown command 'show'\n(dbt's show: ownstats query "select * from daily limit 5" prints a model's rows)`,
    );
    const retry = await ownstats("retry");
    expect(retry.stderr).toContain("(dbt's retry: ownstats run -s result:error+ result:skipped+ runs again");
    // dbt docs generate + serve is a site of the models' lineage and descriptions: the reports have that page.
    const docs = await ownstats("docs", "generate");
    expect(docs.code).toBe(2);
    expect(docs.stderr).toContain("(dbt's docs: ownstats report renders DATA/site/models.html");
    expect((await ownstats("shwo")).stderr).not.toContain("dbt's");
  });

  it("says what to give for a dbt option it does not have (-m, --project-dir, --target), with exit code 2", async () => {
    const m = await ownstats("run", "-m", "sessions");
    expect(m.code).toBe(2);
    expect(m.stderr).toContain("error: unknown option '-m'\n(dbt's -m: -s / --select picks the models here");
    const project = await ownstats("ls", "--project-dir", "models");
    expect(project.code).toBe(2);
    expect(project.stderr).toContain("(dbt's --project-dir: --models <dir> names the model project folder");
    for (const flag of ["--target", "-t", "--profiles-dir", "--profile"]) {
      const target = await ownstats("build", flag, "prod");
      expect(target.code, flag).toBe(2);
      expect(target.stderr, flag).toContain(`(dbt's ${flag}: a project here has no profiles or targets`);
    }
    const warnError = await ownstats("--warn-error", "build");
    expect(warnError.code).toBe(2);
    expect(warnError.stderr).toContain("(dbt's --warn-error: warnings stay warnings here");
    expect((await ownstats("test", "-q")).stderr).toContain("(dbt's -q: every line is printed here");
    expect((await ownstats("run", "--selct", "x")).stderr).not.toContain("(dbt's");
  });

  it("stops quietly when the reader of its output closes the pipe (ownstats ls | head -1)", async () => {
    const data = tempFolder("ownstats-cli-");
    const child = spawn(process.execPath, ["bin/ownstats.js", "ls", "--data", data], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const [code] = await once(child, "exit");
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
