// `ownstats cost` end to end through the real command.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const ownstats = (...args: string[]) =>
  run(process.execPath, ["bin/ownstats.js", ...args]).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe("ownstats cost", () => {
  it("prints every line item, the total and the article comparison", async () => {
    const { code, stdout } = await ownstats("cost", "--events", "100000");
    expect(code).toBe(0);
    for (const service of ["API Gateway", "Lambda", "Firehose", "S3", "CloudWatch Logs", "Data transfer"])
      expect(stdout).toContain(service);
    expect(stdout).not.toContain("Kinesis  ");
    expect(stdout).toMatch(/^Total\s+\$0\.1047\s+\$0\.0908$/m);
    expect(stdout).toContain("The article's pipeline: about $12/month");
    expect(stdout).toContain("3 events per request");
    // Billed once the account's 10 free alarms are used up, which the estimate cannot know.
    expect(stdout).toMatch(/^Not counted: the stack's 4 CloudWatch alarms, .* past those, \$0\.40\/month/m);
  });

  it("adds the shard when Kinesis is on", async () => {
    const { code, stdout } = await ownstats("cost", "--events", "100000", "--kinesis", "on");
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /Kinesis\s+1 provisioned shard × 730 h\s+730\s+\$0\.015 per shard-hour\s+\$10\.95/,
    );
    expect(stdout).toContain("With --kinesis off (DirectPut Firehose, no stream): $0.1047/month");
    expect(stdout).toMatch(/^Not counted: the stack's 7 CloudWatch alarms, .* past those, \$0\.70\/month/m);
  });

  it("prices an on-demand stream as the stack's kinesis_stream_mode ON_DEMAND does, and says which mode is cheaper", async () => {
    const { code, stdout } = await ownstats(
      "cost",
      "--events",
      "100000",
      "--kinesis",
      "on",
      "--kinesis-mode",
      "on-demand",
    );
    expect(code).toBe(0);
    expect(stdout).toContain("Kinesis on (on-demand)");
    expect(stdout).toMatch(/Kinesis\s+on-demand stream × 730 h\s+730\s+\$0\.04 per stream-hour\s+\$29\.20/);
    expect(stdout).not.toContain("provisioned shard");
    expect(stdout).toMatch(
      /^With --kinesis-mode provisioned \(kinesis_stream_mode=PROVISIONED\): \$11\.\d\d\/month, \$18\.\d\d less\. Provisioned is cheaper for this traffic/m,
    );
    const off = await ownstats("cost", "--events", "1000", "--kinesis-mode", "on-demand");
    expect(off.code).toBe(2);
    expect(off.stderr).toContain(
      "--kinesis-mode on-demand prices the Kinesis stream, which --kinesis off leaves out (off is the default): add --kinesis on",
    );
    const unknown = await ownstats(
      "cost",
      "--events",
      "1000",
      "--kinesis",
      "on",
      "--kinesis-mode",
      "ondemand",
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--kinesis-mode");
    expect(unknown.stderr).toContain("Allowed choices are provisioned, on-demand");
  });

  it("takes the mode as the stack's kinesis_stream_mode spells it, which the estimate prints", async () => {
    const asStack = await ownstats(
      "cost",
      "--events",
      "100000",
      "--kinesis",
      "on",
      "--kinesis-mode",
      "ON_DEMAND",
    );
    expect(asStack.stderr).toBe("");
    expect(asStack.code).toBe(0);
    expect(asStack.stdout).toContain("Kinesis on (on-demand)");
  });

  it("adds the alarm topic's key when asked, as the stack's encrypt_alarm_topic does", async () => {
    const { code, stdout } = await ownstats("cost", "--events", "100000", "--encrypt-alarm-topic", "on");
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /KMS\s+customer key of the alarm topic \(encrypt_alarm_topic\)\s+1\s+\$1\.00 per key-month/,
    );
    expect(stdout).toMatch(/^Total\s+\$1\.10\d*\s+\$1\.09/m);
  });

  it("takes the Firehose buffer size, which sets the S3 objects of a busy stream", async () => {
    const { code, stdout } = await ownstats("cost", "--events", "1000000000", "--buffer-mb", "1");
    expect(code).toBe(0);
    expect(stdout).toContain("300 s / 1 MiB Firehose buffer");
    expect(stdout).toMatch(/PUT per Firehose flush \(300 s \/ 1 MiB buffer\)\s+476,837 /);
  });

  it("exits 2 and names the option on bad input", async () => {
    const tooLong = await ownstats("cost", "--events", "1000", "--buffer-seconds", "901");
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain("--buffer-seconds must be a whole number from 0 to 900");
    for (const size of ["0", "129", "64.5", "1e2"]) {
      const badSize = await ownstats("cost", "--events", "1000", "--buffer-mb", size);
      expect(badSize.code, size).toBe(2);
      expect(badSize.stderr).toContain("--buffer-mb must be a whole number from 1 to 128");
    }
    const badState = await ownstats("cost", "--events", "1000", "--kinesis", "maybe");
    expect(badState.code).toBe(2);
    expect(badState.stderr).toContain("--kinesis");
  });
});
