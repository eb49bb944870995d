// server.ts run on its own takes its settings from the environment: a bad one is named in one line
// with exit code 2, before it listens.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const server = fileURLToPath(new URL("./server.ts", import.meta.url));

const serveWith = (env: NodeJS.ProcessEnv) =>
  run(process.execPath, ["--import", "tsx", server], {
    env: { ...process.env, ...env },
    timeout: 20_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number | null; stdout: string; stderr: string }) => e,
  );

describe("server.ts on its own", () => {
  it("names a PORT that is no port, and a SINK it does not know, without a stack trace", async () => {
    for (const [env, message] of [
      [
        { PORT: "abc", SINK: "firehose" },
        'collector: PORT must be a whole number from 0 to 65535, got "abc"',
      ],
      [
        { PORT: "70000", SINK: "firehose" },
        'collector: PORT must be a whole number from 0 to 65535, got "70000"',
      ],
      [
        { PORT: "0", SINK: "bogus" },
        'collector: Expected SINK to be one of file, kinesis, firehose, got "bogus"',
      ],
    ] as const) {
      const result = await serveWith(env);
      expect(result.code, JSON.stringify(env)).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stdout).not.toContain("listening");
    }
  });
});
