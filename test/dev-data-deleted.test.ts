// The data folder deleted while `ownstats dev` runs (to start afresh): dev.lock went with it, and the
// spool makes the folder again. dev takes its lock again once the folder is back, so a second dev
// server on the folder is refused; one that started on it meanwhile keeps it, and the first stops.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLockOwner } from "../local/lock-owner.ts";
import { pageView, waitFor } from "./collect-helpers.ts";
import { ownstats, startDev } from "./dev-server.ts";

const lockHolder = (data: string) => readLockOwner(join(data, "dev.lock"))?.pid;

describe("ownstats dev with its data folder deleted", () => {
  it("takes its lock again once the folder is back, so a second dev server on it is refused", async () => {
    const first = await startDev(["--no-demo"]);
    try {
      // The running server may write into the folder while it goes (ENOTEMPTY), as `rm -r` may meet.
      await rm(first.data, { recursive: true, maxRetries: 5 });
      // An event makes the spool, and with it the data folder, again.
      const res = await fetch(`${first.url}/v1/events`, {
        method: "POST",
        headers: { "Content-Type": "text/plain" },
        body: JSON.stringify({ events: [pageView()] }),
      });
      expect(res.status).toBe(202);
      await waitFor("dev.lock taken again", async () =>
        lockHolder(first.data) === first.child.pid ? true : undefined,
      );
      const second = await ownstats(["dev", "--no-demo", "--port", "0", "--data", first.data]);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(
        new RegExp(`ownstats dev: another ownstats dev \\(pid ${first.child.pid}, http`),
      );
    } finally {
      await first.stop();
    }
  }, 60_000);

  it("stops, leaving the folder to the dev server that started on it while its lock was gone", async () => {
    const first = await startDev(["--no-demo"]);
    const pid = first.child.pid as number;
    try {
      // Paused while the folder is gone and the second starts: its own builds, making the folder again,
      // would otherwise let it take the lock back before the second dev is up, and the second be refused.
      process.kill(pid, "SIGSTOP");
      let second: Awaited<ReturnType<typeof startDev>>;
      try {
        await rm(first.data, { recursive: true, maxRetries: 5 });
        second = await startDev(["--no-demo"], first.data);
      } finally {
        process.kill(pid, "SIGCONT");
      }
      try {
        // Bounded, so that without the check the servers are still stopped below.
        const code = await Promise.race([
          first.exited,
          new Promise((r) => setTimeout(() => r("running"), 20_000)),
        ]);
        expect(code).toBe(1);
        expect(first.output()).toContain(
          `stopping: ${first.data} was deleted, and another ownstats dev (pid ${second.child.pid}, ${second.url}) started on it meanwhile`,
        );
        expect(lockHolder(first.data)).toBe(second.child.pid);
        expect((await fetch(`${second.url}/`)).status).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      if (first.child.exitCode === null) process.kill(pid, "SIGINT");
      await first.exited;
    }
  }, 60_000);
});
