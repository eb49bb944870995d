// The scheduled reports job's own commands, run step by step as the runner would, against s3rver.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDemo } from "../local/demo.ts";
import { hourFolder, partitionHour } from "../local/raw-object.ts";
import { gzFiles, putWhole, s3rverClient, startS3rver, type TestS3 } from "./s3rver-kit.ts";
import { tempFolder } from "./temp-folders.ts";
import { job, load, uses } from "./workflow-kit.ts";

describe("the report job's commands, against s3rver", () => {
  const repository = fileURLToPath(new URL("..", import.meta.url));
  const build = job(load("reports.yml"), "build");
  // The steps a successful run goes through (not those that only explain a failure).
  const commands = build.steps.flatMap((s) =>
    s.run && !s.run.startsWith("npm ci") && !s.if?.includes("failure()") ? [s.run] : [],
  );
  const bucket = "ownstats-events-test";
  let s3rver: TestS3;
  let endpoint: string;
  let data: string;
  let uploaded: number;

  /** Runs one step's script as the runner would (bash), in the checkout, with the job's variables. */
  const step = (script: string, env: Record<string, string>) =>
    promisify(execFile)("bash", ["-e", "-c", script], {
      cwd: repository,
      env: { ...process.env, ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  beforeAll(async () => {
    s3rver = await startS3rver([bucket]);
    endpoint = s3rver.endpoint;
    // What the deployed delivery would have written: demo objects under raw/ by arrival hour.
    const source = tempFolder("ownstats-workflow-source-");
    await writeDemo({ data: source, visitors: 40, days: 7, seed: 5 });
    const client = s3rverClient(endpoint);
    const files = gzFiles(join(source, "raw"));
    for (const relative of files) {
      const body = readFileSync(join(source, "raw", relative));
      await putWhole(client, bucket, `raw/${relative}`, body);
    }
    uploaded = files.length;
    data = tempFolder("ownstats-workflow-data-");
  });

  afterAll(async () => {
    await s3rver?.close();
  });

  const variables = () => ({
    OWNSTATS_BUCKET: bucket,
    OWNSTATS_RAW_RETENTION_DAYS: "395",
    OWNSTATS_REPORT_ROLE_ARN: "arn:aws:iam::123456789012:role/ownstats-report-reader",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    OWNSTATS_DATA: data,
  });

  it("stops with a clear error when a repository variable is missing", async () => {
    const check = commands.find((c) => c.includes("OWNSTATS_REPORT_ROLE_ARN"));
    expect(check).toBeDefined();
    const missing = await step(check ?? "", { ...variables(), OWNSTATS_BUCKET: "" });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain("::error::Repository variable OWNSTATS_BUCKET is not set");
    const noRetention = await step(check ?? "", { ...variables(), OWNSTATS_RAW_RETENTION_DAYS: "" });
    expect(noRetention.stdout).toContain(
      "::error::Repository variable OWNSTATS_RAW_RETENTION_DAYS is not set",
    );
    expect((await step(check ?? "", variables())).code).toBe(0);
  });

  it("downloads the new objects, builds, and leaves the site where the upload step looks", async () => {
    // Each run step in order; the sync step is pointed at s3rver instead of AWS.
    for (const command of commands) {
      const script = command.startsWith("npx ownstats sync") ? `${command} --endpoint ${endpoint}` : command;
      const result = await step(script, variables());
      expect(result.code, `${script}\n${result.stderr}`).toBe(0);
    }
    expect(gzFiles(join(data, "raw"))).toHaveLength(uploaded);
    expect(existsSync(join(data, "site", "index.html"))).toBe(true);
    const upload = build.steps.find(uses("actions/upload-pages-artifact"));
    expect(upload?.with?.path).toBe("data/site");

    // The next hour's run, with the cached data folder, downloads nothing it already has.
    const sync = commands.find((c) => c.startsWith("npx ownstats sync")) ?? "";
    const again = await step(`${sync} --endpoint ${endpoint}`, variables());
    expect(again.code).toBe(0);
    expect(gzFiles(join(data, "raw"))).toHaveLength(uploaded);
  }, 180_000);

  it("reads the events of an object Firehose wrote a day late into an hour the warehouse has built past", async () => {
    const events = () =>
      step(`npx ownstats query "select count(*) as n from stg_events" --format json`, variables()).then((r) =>
        Number(JSON.parse(r.stdout)[0].n),
      );
    const before = await events();
    // Twenty hours behind the newest hour, after a day of retries: new events under a new name.
    const newest = gzFiles(join(data, "raw")).sort().at(-1) as string;
    const newestHour = partitionHour(newest) as number;
    const other = tempFolder("ownstats-workflow-late-");
    await writeDemo({ data: other, visitors: 3, days: 1, seed: 6, now: new Date(newestHour).toISOString() });
    const late = gzFiles(join(other, "raw"))[0] as string;
    const body = readFileSync(join(other, "raw", late));
    const key = `raw/${hourFolder(new Date(newestHour - 20 * 3_600_000))}/ownstats-direct-1-late.gz`;
    await putWhole(s3rverClient(endpoint), bucket, key, body);
    const lateEvents = gunzipSync(body).toString("utf8").trim().split("\n").length;

    // The hourly run's sync and build steps, as in the workflow.
    for (const command of commands.filter((c) => c.includes("npx ownstats"))) {
      const isSync = command.startsWith("npx ownstats sync");
      const script = isSync ? `${command} --endpoint ${endpoint}` : command;
      const result = await step(script, variables());
      expect(result.code, `${script}\n${result.stderr}`).toBe(0);
      if (!isSync) continue;
      expect(result.stdout).toContain(
        `sync: some objects are in hours from ${new Date(newestHour - 20 * 3_600_000).toISOString()} on`,
      );
      expect(result.stdout).toContain(
        `builds in full to read them, as ${data}/needs-full-refresh says until then`,
      );
    }
    expect(existsSync(join(data, key))).toBe(true);
    expect(await events()).toBe(before + lateEvents);
    // Read once: the next run builds incrementally again.
    expect(existsSync(join(data, "needs-full-refresh"))).toBe(false);
  }, 180_000);
});
