// `ownstats dev` as a process: demo data on first run and populated reports; one-line start-up
// errors with exit code 2; and a SIGTERM in the middle of a load that loses nothing acknowledged.

import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { landedEventIds, ownstats, ownstatsBin, queryRows, startDev, tempData } from "./dev-server.ts";

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe("ownstats dev", () => {
  it("writes demo data into an empty folder and serves populated reports, the site and the tracker", async () => {
    const dev = await startDev();
    try {
      expect(dev.output()).toMatch(/demo: [\d,]+ events in [\d,]+ sessions of 2,000 visitors/);
      for (const path of ["/", "/pricing", "/blog/own-your-analytics", "/live", "/analytics.js"]) {
        const response = await fetch(`${dev.url}${path}`);
        expect(response.status, path).toBe(200);
      }
      const pricing = await (await fetch(`${dev.url}/pricing`)).text();
      expect(pricing).toContain('data-cta="book_call"');
      expect(pricing).toContain('src="/analytics.js"');
      const home = await (await fetch(`${dev.url}/`)).text();
      expect(home).toMatch(/href="\/blog\/own-your-analytics\?utm_source=linkedin&amp;utm_medium=social/);

      // The first build renders the reports; until then /reports/ says it is building.
      const reports = await until(async () => {
        const response = await fetch(`${dev.url}/reports/`);
        return response.status === 200 ? response.text() : undefined;
      }, "the first build's reports");
      expect(reports).toContain("<html");
      const [row] = await until(
        () =>
          queryRows(dev.data, "select count(*) as n, count(distinct utm_source) as sources from stg_events"),
        "a readable warehouse",
      );
      expect(Number(row?.n)).toBeGreaterThan(20_000);
      expect(Number(row?.sources)).toBeGreaterThanOrEqual(4);
      expect((await fetch(`${dev.url}/reports/../dev.lock`)).status).toBe(404);
    } finally {
      await dev.stop();
    }
    expect(existsSync(join(dev.data, "dev.lock"))).toBe(false);
    // Demo data, a first build and the reports: on a busy machine this takes a while.
  }, 180_000);

  it("finishes writing the demo data when stopped during it, so the next start has all of it", async () => {
    const data = tempData();
    const child = spawn(process.execPath, [ownstatsBin, "dev", "--port", "0", "--data", data], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString("utf8");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await until(async () => (output.includes("writing demo data") ? true : undefined), "the demo to start");
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    const written = /written +([\d,]+) objects/.exec(output)?.[1];
    expect(written, output).toBeDefined();
    const objects = readdirSync(join(data, "raw"), { recursive: true, encoding: "utf8" }).filter((n) =>
      n.endsWith(".gz"),
    );
    expect(objects.length).toBe(Number(written?.replaceAll(",", "")));
    expect(output).toContain("stopped");
    expect(existsSync(join(data, "dev.lock"))).toBe(false);
  }, 120_000);

  it("says on /reports/ why the first build or render failed, instead of that the reports are being built", async () => {
    const brokenObject = tempData();
    const hour = join(brokenObject, "raw", "year=2026", "month=03", "day=01", "hour=10");
    mkdirSync(hour, { recursive: true });
    writeFileSync(join(hour, "broken.gz"), "this is not gzip");
    // The models build; the reports cannot be written where a file stands in their way.
    const blockedSite = tempData();
    mkdirSync(join(blockedSite, "site"));
    writeFileSync(join(blockedSite, "site", "data"), "");
    for (const [data, heading, detail] of [
      [brokenObject, "The last build failed", "not a GZIP stream"],
      [blockedSite, "The reports could not be rendered", join(blockedSite, "site", "data")],
    ]) {
      const dev = await startDev(["--no-demo"], data);
      try {
        const page = await until(
          async () => {
            const response = await fetch(`${dev.url}/reports/`);
            const text = await response.text();
            return text.includes("being built") ? undefined : { status: response.status, text };
          },
          "the first build's outcome on /reports/",
          60_000,
        );
        expect(page.status).toBe(503);
        expect(page.text).toContain(heading);
        expect(page.text).toContain(detail);
      } finally {
        await dev.stop();
      }
    }
  }, 180_000);

  it("refuses a second dev server on the same data folder, a taken port and an unwritable folder", async () => {
    const first = await startDev(["--no-demo"]);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const takenPort = String((blocker.address() as { port: number }).port);
    const notAFolder = join(tempData(), "a-file");
    writeFileSync(notAFolder, "");
    try {
      const [second, portTaken, unwritable] = await Promise.all([
        ownstats(["dev", "--no-demo", "--port", "0", "--data", first.data]),
        ownstats(["dev", "--no-demo", "--port", takenPort, "--data", tempData()]),
        ownstats(["dev", "--no-demo", "--port", "0", "--data", notAFolder]),
      ]);
      const oneLine = (text: string) =>
        text
          .trim()
          .split("\n")
          .filter(
            (l) =>
              !/NodeVersion|node >=22|AWS SDK|upgrade to node|a\.co\/|trace-warnings|published after|^$/i.test(
                l,
              ),
          );
      expect(second.code).toBe(2);
      expect(oneLine(second.stderr)).toEqual([
        expect.stringMatching(
          new RegExp(`^ownstats dev: another ownstats dev \\(pid ${first.child.pid}, http`),
        ),
      ]);
      expect(portTaken.code).toBe(2);
      expect(oneLine(portTaken.stderr)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^ownstats dev: port ${takenPort} on 127\\.0\\.0\\.1 is already in use by .+ \\(pid ${process.pid}\\); choose another with --port$`,
          ),
        ),
      ]);
      expect(unwritable.code).toBe(2);
      expect(oneLine(unwritable.stderr)).toEqual([
        expect.stringMatching(
          /^ownstats dev: the data folder .*a-file is a file, not a folder; choose another with --data$/,
        ),
      ]);
      // The first server is unharmed.
      expect((await fetch(`${first.url}/`)).status).toBe(200);
    } finally {
      blocker.close();
      await first.stop();
    }
  }, 120_000);

  it("lands every acknowledged event in raw/ when stopped by SIGTERM in the middle of a load", async () => {
    const dev = await startDev(["--no-demo"]);
    const acknowledged: string[] = [];
    let refused = 0;
    let stopping = false;
    const sender = async () => {
      while (!stopping || refused === 0) {
        const ids = Array.from({ length: 10 }, () => randomUUID());
        const events = ids.map((event_id, i) => ({
          event_type: "page_view",
          event_id,
          session_id: `load-session-${i}`,
          event_ts: new Date().toISOString(),
          page_path: "/load",
        }));
        try {
          const response = await fetch(`${dev.url}/v1/events`, {
            method: "POST",
            headers: { "content-type": "text/plain", origin: dev.url },
            body: JSON.stringify({ events }),
          });
          const body = (await response.json()) as { accepted?: number };
          if (response.status === 202 && body.accepted === 10) acknowledged.push(...ids);
        } catch {
          refused++;
          if (stopping) return;
        }
      }
    };
    const senders = Array.from({ length: 8 }, () => sender());
    await until(async () => (acknowledged.length >= 2_000 ? true : undefined), "2,000 acknowledged events");
    stopping = true;
    const code = await dev.stop("SIGTERM");
    await Promise.all(senders);

    expect(code).toBe(0);
    expect(dev.output()).toContain("stopped");
    const landed = landedEventIds(dev.data);
    const lost = acknowledged.filter((id) => !landed.has(id));
    expect(lost).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(2_000);
  }, 120_000);
});
