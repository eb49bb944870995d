// The README's curl example, run as a reader would paste it, against a collector on a free port:
// the event it sends must be accepted, whatever day the README is read on.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { type RunningCollector, startCollector } from "../local/collect.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const data = mkdtempSync(join(tmpdir(), "ownstats-readme-collect-"));
let collector: RunningCollector | undefined;

afterAll(async () => {
  await collector?.close();
  rmSync(data, { recursive: true, force: true });
});

it("accepts the event of the README's curl example", async () => {
  const command = /\n(curl -X POST http:\/\/127\.0\.0\.1:8787\/v1\/events [^\n]*\\\n[^\n]*)\n/.exec(
    readme,
  )?.[1];
  expect(command, "the README's curl example").toBeDefined();
  collector = await startCollector({ port: 0, data });
  const { stdout } = await promisify(execFile)("bash", [
    "-c",
    (command as string).replace("http://127.0.0.1:8787", collector.url),
  ]);
  expect(JSON.parse(stdout)).toEqual({ accepted: 1, rejected: [] });
});
