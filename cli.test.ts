import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
/** Runs the command with extra environment; one that starts a server instead is stopped after 20 s. */
const ownstatsWith = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  run(process.execPath, ["bin/ownstats.js", ...args], {
    env: { ...process.env, ...env },
    timeout: 20_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number | null; stdout: string; stderr: string }) => e,
  );
const ownstats = (...args: string[]) => ownstatsWith({}, ...args);
/** `collect` on any free port into `data`, with SINK unset so that only the flags choose the sink. */
const collectInto = (data: string, ...args: string[]) =>
  ownstatsWith({ SINK: "" }, "collect", "--port", "0", "--data", data, ...args);

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
    ]) {
      expect(stdout).toMatch(new RegExp(`^  ${command} `, "m"));
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
  });

  it("demo stopped by Ctrl-C removes what it wrote, so the next demo is not refused", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-demo-"));
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

  it("dev names a bad OWNSTATS_DEMO_NOW in one line and exits 2 before it starts", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
    const result = await ownstatsWith({ OWNSTATS_DEMO_NOW: "1" }, "dev", "--port", "0", "--data", data);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("ownstats dev: OWNSTATS_DEMO_NOW must be an ISO-8601 time with its zone");
    expect(result.stdout).not.toContain("writing demo data");
  });

  it("takes an empty OWNSTATS_DATA as unset and refuses an empty --data, never filling the current folder", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ownstats-cli-cwd-"));
    const inCwd = (env: NodeJS.ProcessEnv, ...args: string[]) =>
      run(process.execPath, [join(process.cwd(), "bin/ownstats.js"), ...args], {
        cwd,
        env: { ...process.env, ...env },
        timeout: 20_000,
      }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number | null; stdout: string; stderr: string }) => e,
      );
    const fromEnv = await inCwd({ OWNSTATS_DATA: "" }, "demo", "--visitors", "5", "--days", "1");
    expect(fromEnv.code).toBe(0);
    expect(readdirSync(cwd)).toEqual(["data"]);
    const fromFlag = await inCwd({}, "demo", "--data", "", "--visitors", "5", "--days", "1", "--add");
    expect(fromFlag.code).toBe(2);
    expect(fromFlag.stderr).toContain("--data is empty; give a folder, e.g. --data ./data");
    expect(readdirSync(cwd)).toEqual(["data"]);
  });

  it("demo refuses a data folder that already holds events unless --add says to mix them in", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-demo-"));
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

  it("takes --vars as a YAML mapping, as dbt does, JSON included, and names one that is not a mapping", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-vars-"));
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
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
    const empty = await ownstats("sync", "--bucket", "", "--data", data);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("--bucket is empty");
    const url = await ownstats("sync", "--bucket", "s3://my-events/raw/", "--data", data);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain("--bucket takes the bucket's name alone (my-events)");
  });

  it("collect refuses a SINK or --sink it does not know, naming it and the sinks, before it listens", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
    const fromEnv = await ownstatsWith({ SINK: "bogus" }, "collect", "--port", "0", "--data", data);
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('Expected SINK to be one of file, kinesis, firehose, got "bogus"');
    expect(fromEnv.stdout).not.toContain("listening");
    const fromFlag = await collectInto(data, "--sink", "bogus");
    expect(fromFlag.code).toBe(2);
    expect(fromFlag.stderr).toContain('Expected --sink to be one of file, kinesis, firehose, got "bogus"');
  });

  it("collect refuses a delivery source that cannot hold its events", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
    const collect = (...args: string[]) => collectInto(data, ...args);
    const noStream = await collect("--source", "kinesis");
    expect(noStream.code).toBe(2);
    expect(noStream.stderr).toContain("with --sink file there is no stream to read");
    const firehose = await collect("--sink", "firehose", "--source", "kinesis");
    expect(firehose.code).toBe(2);
    expect(firehose.stderr).toContain("with --sink firehose there is no stream to read");
    const spool = await collect("--sink", "kinesis", "--source", "spool");
    expect(spool.code).toBe(2);
    expect(spool.stderr).toContain("--source spool reads the spool that --sink file writes");
    const endpointUnused = await collect("--endpoint", "http://127.0.0.1:4567");
    expect(endpointUnused.code).toBe(2);
    expect(endpointUnused.stderr).toContain(
      "--endpoint http://127.0.0.1:4567 is for the kinesis and firehose sinks; with --sink file the events wait in the spool",
    );
    const unknown = await collect("--source", "s3");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Allowed choices are spool, kinesis.");
  });

  it("collect names a bad --port or --data and exits 2 before it listens, without a stack trace", async () => {
    const root = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
    const collect = (...args: string[]) => ownstatsWith({ SINK: "" }, "collect", ...args);
    const outOfRange = await collect("--port", "70000", "--data", root);
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.stderr).toContain("--port must be a whole number from 0 to 65535");
    const notANumber = await collect("--port", "abc", "--data", root);
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toContain("--port must be a whole number from 0 to 65535");
    // Number() would read "" (an unset variable) as 0, any free port, and 0x50 or 1e3 as other ports.
    for (const value of ["", "0x50", "1e3", "80.0", " 80"]) {
      const odd = await collect("--port", value, "--data", root);
      expect(odd.code, `--port "${value}"`).toBe(2);
      expect(odd.stderr).toContain("--port must be a whole number from 0 to 65535");
      expect(odd.stdout).not.toContain("listening");
    }
    const file = join(root, "plain-file");
    writeFileSync(file, "");
    const dataIsFile = await collect("--port", "0", "--data", file);
    expect(dataIsFile.code).toBe(2);
    expect(dataIsFile.stderr).toContain(
      `the data folder ${file} is a file, not a folder; choose another with --data`,
    );
    for (const result of [outOfRange, dataIsFile]) {
      expect(result.stdout).not.toContain("listening");
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it("collect and demo name a file that stands where DATA/raw or DATA/spool must be a folder, and exit 2", async () => {
    for (const [name, command] of [
      ["raw", "collect"],
      ["spool", "collect"],
      ["raw", "demo"],
    ] as const) {
      const data = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
      writeFileSync(join(data, name), "");
      const result =
        command === "collect"
          ? await collectInto(data)
          : await ownstats("demo", "--data", data, "--days", "1");
      expect(result.code, `${command} with ${name} a file`).toBe(2);
      expect(result.stderr).toContain(
        `ownstats ${command}: ${join(data, name)} is a file, but it must be the folder`,
      );
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stdout).not.toContain("listening");
    }
  });

  it("collect refuses an OWNSTATS_DELIVERY_INTERVAL_MS that is no whole number of milliseconds, and exits 2", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
    for (const value of ["abc", "-5", "0", "5s", "1e3", "9999999999"]) {
      const result = await ownstatsWith(
        { SINK: "", OWNSTATS_DELIVERY_INTERVAL_MS: value },
        "collect",
        "--port",
        "0",
        "--data",
        data,
      );
      expect(result.code, value).toBe(2);
      expect(result.stderr).toContain(
        `ownstats collect: OWNSTATS_DELIVERY_INTERVAL_MS must be milliseconds as a whole number from 1 to 2147483647, e.g. 5000 (the default), got "${value}"`,
      );
      expect(result.stdout).not.toContain("listening");
    }
  });

  it("live and replay name an empty --stream (an unset variable) and exit 2", async () => {
    for (const args of [["live"], ["replay", "--since", "2h"]]) {
      const result = await ownstats(...args, "--stream", "", "--endpoint", "http://127.0.0.1:9");
      expect(result.code, args[0]).toBe(2);
      expect(result.stderr).toContain(
        "--stream is empty; give the stream's name (the stack's kinesis_stream_name output)",
      );
    }
  });

  it("names an --endpoint that is no http(s) URL and exits 2, before anything starts", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
    const collect = await collectInto(data, "--sink", "kinesis", "--endpoint", "localhost:4567");
    expect(collect.code).toBe(2);
    expect(collect.stderr).toContain("--endpoint must be an http:// or https:// URL");
    expect(collect.stdout).not.toContain("listening");
    const live = await ownstats("live", "--stream", "events", "--endpoint", "not a url");
    expect(live.code).toBe(2);
    expect(live.stderr).toContain("--endpoint must be an http:// or https:// URL");
  });

  it("collect names a Kinesis --endpoint that does not answer and exits 2", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
    // A port just freed: nothing listens there.
    const probe = createServer();
    probe.listen(0, "127.0.0.1");
    await once(probe, "listening");
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const endpoint = `http://127.0.0.1:${port}`;
    const result = await collectInto(data, "--sink", "kinesis", "--endpoint", endpoint);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`could not make the stream ownstats-events ready at ${endpoint}`);
    expect(result.stderr).toContain("ECONNREFUSED");
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).not.toContain("listening");
  });

  it("collect names another process that writes the same spool, in one line, and exits 2", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
    mkdirSync(join(data, "spool"));
    // This test's process is alive, and is not the command's.
    writeFileSync(join(data, "spool", "spool.lock"), String(process.pid));
    const result = await collectInto(data);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `ownstats collect: another ownstats process (pid ${process.pid}) is collecting into ${join(data, "spool")}`,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).not.toContain("listening");
  });

  it("collect names a damaged delivery checkpoint and what to do, and exits 2 before it acknowledges anything", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
    mkdirSync(join(data, "spool"));
    const checkpoint = join(data, "spool", "checkpoint.json");
    writeFileSync(checkpoint, '{"segment":"0001');
    const result = await collectInto(data);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`ownstats collect: ${checkpoint} is not a delivery checkpoint (`);
    expect(result.stderr).toContain("delete it to deliver the spool from its start");
    expect(result.stdout).not.toContain("listening");
  });

  it("collect names a port in use and exits 2", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
    const taken = createServer();
    taken.listen(0, "127.0.0.1");
    await once(taken, "listening");
    try {
      const { port } = taken.address() as AddressInfo;
      const result = await ownstatsWith({ SINK: "" }, "collect", "--port", String(port), "--data", data);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `port ${port} on 127.0.0.1 is already in use; choose another with --port`,
      );
      expect(result.stderr).not.toMatch(/^\s+at /m);
    } finally {
      taken.close();
    }
  });

  it("builds a project of other models without the reports, which `report` alone names as missing", async () => {
    const root = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
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

  it("stops quietly when the reader of its output closes the pipe (ownstats ls | head -1)", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-cli-"));
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
