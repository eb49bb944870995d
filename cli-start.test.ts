// `collect` and `dev`, and the commands that reach Kinesis, refuse bad flags, variables, folders and
// state before they start: one line naming what is wrong, exit code 2, nothing listening.
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectInto, ownstats, ownstatsWith } from "./cli-run.ts";
import { startEmptyJsonEndpoint, startKinesalite } from "./test/kinesalite.ts";
import { tempFolder } from "./test/temp-folders.ts";

describe("ownstats command, before it starts", () => {
  it("dev names a file where DATA/site must be a folder, a bad OWNSTATS_DEMO_NOW and a --vars zone that is none, and exits 2 before it starts", async () => {
    const siteIsFile = tempFolder("ownstats-cli-");
    writeFileSync(join(siteIsFile, "site"), "");
    for (const [data, env, vars, message] of [
      [
        siteIsFile,
        {},
        [],
        `ownstats dev: ${join(siteIsFile, "site")} is a file, but it must be the folder that holds the rendered reports`,
      ],
      [
        tempFolder("ownstats-cli-"),
        { OWNSTATS_DEMO_NOW: "1" },
        [],
        "ownstats dev: OWNSTATS_DEMO_NOW must be an ISO-8601 time with its zone",
      ],
      [
        tempFolder("ownstats-cli-"),
        {},
        ["--vars", "{timezone: Berlin}"],
        'ownstats dev: --vars: variable "timezone": "Berlin" is not',
      ],
    ] as const) {
      const result = await ownstatsWith(env, "dev", "--port", "0", "--data", data, ...vars);
      expect(result.code, message).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stdout).not.toContain("writing demo data");
      expect(result.stdout).not.toContain("ownstats dev — the whole pipeline");
    }
  });

  it("collect refuses a SINK or --sink it does not know, naming it and the sinks, before it listens", async () => {
    const data = tempFolder("ownstats-cli-");
    const fromEnv = await ownstatsWith({ SINK: "bogus" }, "collect", "--port", "0", "--data", data);
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('Expected SINK to be one of file, kinesis, firehose, got "bogus"');
    expect(fromEnv.stdout).not.toContain("listening");
    const fromFlag = await collectInto(data, "--sink", "bogus");
    expect(fromFlag.code).toBe(2);
    expect(fromFlag.stderr).toContain('Expected --sink to be one of file, kinesis, firehose, got "bogus"');
  });

  it("collect refuses a delivery source that cannot hold its events", async () => {
    const data = tempFolder("ownstats-cli-");
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
    const root = tempFolder("ownstats-cli-");
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

  it("collect and dev name a --host they cannot listen on, and exit 2 before they start", async () => {
    const data = tempFolder("ownstats-cli-");
    for (const [host, message] of [
      ["", "--host is empty; give an address, e.g. 0.0.0.0"],
      ["http://0.0.0.0:8787", "--host takes an address alone, not a URL or path"],
      ["0.0.0.0:8787", "--host takes an address alone; the port goes in --port (--host 0.0.0.0 --port 8787)"],
      ["my laptop", '--host "my laptop" is no IP address or host name'],
      // An address of the documentation range (TEST-NET-3): no interface of a real machine has it.
      [
        "203.0.113.77",
        "cannot listen on 203.0.113.77: no network interface of this machine has that address (EADDRNOTAVAIL); choose another with --host",
      ],
      ["no-such-host.invalid", "cannot listen on no-such-host.invalid: that host name does not resolve"],
    ] as const) {
      for (const command of ["collect", "dev"]) {
        const args = [command, "--port", "0", "--host", host, "--data", data, "--no-demo"];
        const result = await ownstatsWith({ SINK: "" }, ...(command === "dev" ? args : args.slice(0, -1)));
        expect(result.code, `${command} --host "${host}"`).toBe(2);
        expect(result.stderr).toContain(message);
        expect(result.stderr).not.toMatch(/^\s+at /m);
        expect(result.stdout).not.toContain("listening");
        expect(result.stdout).not.toContain("the whole pipeline");
      }
    }
  });

  it("collect and demo name a file that stands where DATA/raw or DATA/spool must be a folder, and exit 2", async () => {
    // Reading a stream back, the delivery keeps its shard checkpoints in DATA/spool too.
    const kinesis = await startKinesalite();
    const fromStream = ["--sink", "kinesis", "--source", "kinesis", "--endpoint", kinesis.endpoint];
    try {
      for (const [name, command, args] of [
        ["raw", "collect", []],
        ["spool", "collect", []],
        ["spool", "collect", fromStream],
        ["raw", "demo", []],
      ] as const) {
        const data = tempFolder("ownstats-cli-");
        writeFileSync(join(data, name), "");
        const result =
          command === "collect"
            ? await collectInto(data, ...args)
            : await ownstats("demo", "--data", data, "--days", "1");
        expect(result.code, `${command} with ${name} a file`).toBe(2);
        expect(result.stderr).toContain(
          `ownstats ${command}: ${join(data, name)} is a file, but it must be the folder`,
        );
        expect(result.stderr).not.toMatch(/^\s+at /m);
        expect(result.stdout).not.toContain("listening");
      }
    } finally {
      await kinesis.close();
    }
  });

  it.skipIf(process.platform === "win32" || spawnSync("mkfifo", ["--version"]).status !== 0)(
    "collect and dev name a named pipe where they keep a file, and exit 2 instead of hanging on it",
    async () => {
      for (const [command, name, holds] of [
        ["collect", "spool/0001777000000000-000001.ndjson", "accepted events waiting for delivery"],
        ["collect", "spool/spool.lock", "the pid of the process that collects into this spool"],
        ["collect", "spool/checkpoint.json", "how far the delivery has landed the spool"],
        ["dev", "dev.lock", ""],
      ] as const) {
        const data = tempFolder("ownstats-cli-");
        mkdirSync(join(data, "spool"));
        const pipe = join(data, name);
        expect(spawnSync("mkfifo", [pipe]).status).toBe(0);
        const result =
          command === "collect"
            ? await collectInto(data)
            : await ownstats("dev", "--port", "0", "--no-demo", "--data", data);
        expect(result.code, name).toBe(2);
        expect(result.stderr).toContain(
          command === "dev"
            ? `ownstats dev: ${pipe} is a named pipe (FIFO), but ownstats dev keeps its lock file there`
            : `ownstats collect: ${pipe} is a named pipe (FIFO), but it must be the file that holds ${holds}`,
        );
        expect(result.stdout).not.toContain("listening");
      }
    },
    90_000,
  );

  it("collect refuses an OWNSTATS_DELIVERY_INTERVAL_MS that is no whole number of milliseconds, and exits 2", async () => {
    const data = tempFolder("ownstats-cli-");
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
    const data = tempFolder("ownstats-cli-");
    const collect = await collectInto(data, "--sink", "kinesis", "--endpoint", "localhost:4567");
    expect(collect.code).toBe(2);
    expect(collect.stderr).toContain("--endpoint must be an http:// or https:// URL");
    expect(collect.stdout).not.toContain("listening");
    const live = await ownstats("live", "--stream", "events", "--endpoint", "not a url");
    expect(live.code).toBe(2);
    expect(live.stderr).toContain("--endpoint must be an http:// or https:// URL");
  });

  it("collect names a Kinesis --endpoint that does not answer and exits 2", async () => {
    const data = tempFolder("ownstats-cli-");
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

  it("collect names a Kinesis --endpoint that answers every request with an empty JSON object and exits 2", async () => {
    const data = tempFolder("ownstats-cli-");
    const { endpoint, close } = await startEmptyJsonEndpoint();
    try {
      const result = await collectInto(data, "--sink", "kinesis", "--endpoint", endpoint);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(
        `ownstats collect: stream ownstats-events: ${endpoint} listed no shard of the stream, though every Kinesis stream has one: is --endpoint the Kinesis server's URL?`,
      );
      expect(result.stdout).not.toContain("listening");
    } finally {
      await close();
    }
  });

  it("collect names another process that writes the same spool, in one line, and exits 2", async () => {
    const data = tempFolder("ownstats-cli-");
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
    const data = tempFolder("ownstats-cli-");
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
    const data = tempFolder("ownstats-cli-");
    const taken = createServer();
    taken.listen(0, "127.0.0.1");
    await once(taken, "listening");
    try {
      const { port } = taken.address() as AddressInfo;
      const result = await ownstatsWith({ SINK: "" }, "collect", "--port", String(port), "--data", data);
      expect(result.code).toBe(2);
      // This test's own process holds it.
      expect(result.stderr).toMatch(
        new RegExp(
          `port ${port} on 127\\.0\\.0\\.1 is already in use by .+ \\(pid ${process.pid}\\); choose another with --port`,
        ),
      );
      expect(result.stderr).not.toMatch(/^\s+at /m);
    } finally {
      taken.close();
    }
  });
});
