// A port in use is named with what holds it: another ownstats server (started in another terminal, on
// another data folder) or another program, so the user knows whether to stop it or pick another port.
import { spawn } from "node:child_process";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ownstatsWith } from "../cli-run.ts";
import { waitFor } from "../test/collect-helpers.ts";
import { tempFolder } from "../test/temp-folders.ts";
import { startCollector } from "./collect.ts";

const bin = fileURLToPath(new URL("../bin/ownstats.js", import.meta.url));
const onProc = process.platform === "linux";

describe("a port in use", () => {
  it.skipIf(!onProc)(
    "names another ownstats collect that holds it, to be stopped or left for another port",
    async () => {
      const first = spawn(
        process.execPath,
        [bin, "collect", "--port", "0", "--data", tempFolder("ownstats-port-")],
        {
          env: { ...process.env, SINK: "" },
        },
      );
      let output = "";
      first.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString("utf8");
      });
      try {
        const port = await waitFor(
          "the first collector to listen",
          async () => /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1],
        );
        const second = await ownstatsWith(
          { SINK: "" },
          ...["collect", "--port", port, "--data", tempFolder("ownstats-port-")],
        );
        expect(second.code).toBe(2);
        expect(second.stderr).toContain(
          `ownstats collect: port ${port} on 127.0.0.1 is already in use by another ownstats collect (pid ${first.pid}); stop it, or choose another port with --port\n`,
        );
      } finally {
        first.kill("SIGTERM");
        await once(first, "exit");
      }
    },
  );

  it.skipIf(!onProc)("names another program that holds it, with its pid", async () => {
    const taken = createServer();
    taken.listen(0, "127.0.0.1");
    await once(taken, "listening");
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(startCollector({ port, data: tempFolder("ownstats-port-") })).rejects.toThrow(
        new RegExp(
          `^port ${port} on 127\\.0\\.0\\.1 is already in use by .+ \\(pid ${process.pid}\\); choose another with --port$`,
        ),
      );
    } finally {
      taken.close();
    }
  });
});
