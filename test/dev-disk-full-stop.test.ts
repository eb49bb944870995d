// `ownstats dev` stopped while its disk is full: the acknowledged events that wait in the spool cannot
// land in raw/. It says so as `collect` does, with where they wait, stops its builds and exits 1.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownstatsBin } from "./dev-server.ts";
import { tempFolder } from "./temp-folders.ts";
import { canMountTmpfs, fillsOnRequestAt } from "./user-namespace.ts";

const waitFor = async (what: () => boolean) => {
  while (!what()) await new Promise((resolve) => setTimeout(resolve, 50));
};

describe("ownstats dev stopped on a full disk", () => {
  it.skipIf(!canMountTmpfs)(
    "says that the acknowledged events wait in the spool for the next start, and exits 1",
    async () => {
      const outside = tempFolder("ownstats-dev-full-");
      const data = tempFolder("ownstats-dev-full-data-");
      const [request, done] = [join(outside, "fill-now"), join(outside, "filled")];
      const child = spawn(
        "unshare",
        [
          ...fillsOnRequestAt(data, "128m", request, done).slice(1),
          process.execPath,
          ownstatsBin,
          ...["dev", "--port", "0", "--no-demo", "--data", data],
        ],
        // The events wait in the spool until the stop.
        {
          env: { ...process.env, OWNSTATS_DELIVERY_INTERVAL_MS: "600000" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
      });
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      try {
        await waitFor(() => /reports \d\d:\d\d:\d\d UTC: rendered/.test(stdout) || child.exitCode !== null);
        const url = /demo site +(http:\/\/\S+?)\/\s/.exec(stdout)?.[1];
        const event = {
          event_type: "page_view",
          event_id: randomUUID(),
          session_id: "session-disk-full",
          event_ts: new Date().toISOString(),
          page_path: "/",
        };
        const response = await fetch(`${url}/v1/events`, { method: "POST", body: JSON.stringify(event) });
        expect(response.status).toBe(202);
        writeFileSync(request, "");
        await waitFor(() => existsSync(done));
        child.kill("SIGTERM");
        expect(await exited).toBe(1);
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      expect(stderr).toContain(
        `ownstats dev: stopped, but the acknowledged events that wait in ${join(data, "spool")} could not be landed in ${join(data, "raw")} (ENOSPC: no space left on device, write); they land at the next start`,
      );
      expect(stderr).not.toMatch(/^ownstats: /m);
    },
    90_000,
  );
});
