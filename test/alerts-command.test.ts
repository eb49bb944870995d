// `ownstats alerts` on a built demo warehouse, posting to a webhook on this machine.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownstats, ownstatsUnder, ownstatsWith } from "../cli-run.ts";
import { tempFolder } from "./temp-folders.ts";
import { readOnlyBindAt } from "./user-namespace.ts";

const data = tempFolder("ownstats-alerts-");
const state = join(data, "alerts.json");

let server: Server;
let answer = 200;
/** Where the webhook sends the post on, with `answer` a redirect. */
let location = "";
const posted: { path: string; type: string; body: string; authorization?: string }[] = [];
let webhook = "";

beforeAll(async () => {
  const demo = await ownstatsWith(
    { OWNSTATS_DEMO_NOW: "2026-11-20T00:00:00Z" },
    "demo",
    ...["--data", data, "--visitors", "600", "--days", "14"],
  );
  expect(demo.stdout).toContain("spike 2026-11-14T14h UTC");
  expect((await ownstats("run", "--data", data)).code).toBe(0);
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      posted.push({
        path: request.url ?? "",
        type: request.headers["content-type"] ?? "",
        body: Buffer.concat(chunks).toString(),
        ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      });
      // The address redirected to takes anything, as a sign-in page would.
      if (location && request.url === location) response.writeHead(200).end();
      else response.writeHead(answer, location ? { location } : {}).end();
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise((listening) => server.once("listening", listening));
  webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/secret-token`;
}, 120_000);

afterAll(() => server?.close());

const alerts = (...args: string[]) => ownstats("alerts", "--data", data, ...args);

describe("ownstats alerts", () => {
  it("posts the new spikes once, keeps them when the webhook fails, and never prints its path", async () => {
    rmSync(state, { force: true });
    answer = 500;
    const failed = await alerts("--now", "2026-11-14T15:20:00Z", "--webhook", webhook);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/the webhook at 127\.0\.0\.1:\d+ answered 500; the alerts are sent again/);
    expect(failed.stdout + failed.stderr).not.toContain("secret-token");
    expect(existsSync(state)).toBe(false);

    answer = 200;
    posted.length = 0;
    const sent = await alerts("--now", "2026-11-14T15:20:00Z", "--webhook", webhook);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain("spike: 146 events in the hour from 2026-11-14 14:00 UTC");
    expect(posted).toHaveLength(1);
    expect(posted[0]?.path).toBe("/services/T0/B0/secret-token");
    expect(posted[0]?.type).toBe("application/json");
    const { text } = JSON.parse(posted[0]?.body ?? "{}") as { text: string };
    const lines = text.split("\n");
    // The demo's launch hour only: the other hours the model flags that day beat no hour of the week before.
    expect(lines).toEqual([
      "ownstats: 1 new alert",
      "spike: 146 events in the hour from 2026-11-14 14:00 UTC, against a baseline of 16.0 (robust z 9.2); the busiest hour of the week before had 92",
    ]);
    expect(sent.stdout).toBe(`${lines[1]}\n`);
    expect(JSON.parse(readFileSync(state, "utf8"))).toEqual({
      checked_through: "2026-11-14T15:00:00.000Z",
      quiet_since: null,
      // Looked at again on the next checks, while late events can still land in their day.
      alerted_hours: ["2026-11-14T14:00:00.000Z"],
    });

    // Checked again before another hour has settled: nothing new, nothing posted.
    const again = await alerts("--now", "2026-11-14T16:10:00Z", "--webhook", webhook);
    expect(again.stdout).toBe("alerts: none since the last check\n");
    expect(posted).toHaveLength(1);
  });

  it("takes a redirect for a failure, as the post it would take to the new address is lost", async () => {
    rmSync(state, { force: true });
    posted.length = 0;
    answer = 302;
    location = "/elsewhere";
    try {
      const moved = await alerts("--now", "2026-11-14T15:20:00Z", "--webhook", webhook);
      expect(moved.stderr).toMatch(
        /the webhook at 127\.0\.0\.1:\d+ answered 302, a redirect: give the URL it redirects to; the alerts are sent again/,
      );
      expect(moved.code).toBe(1);
      expect(posted.map((p) => p.path)).toEqual(["/services/T0/B0/secret-token"]);
      expect(existsSync(state)).toBe(false);
    } finally {
      answer = 200;
      location = "";
    }
  });

  it("posts to a webhook whose URL holds a user and password with them, and prints neither", async () => {
    rmSync(state, { force: true });
    posted.length = 0;
    const withCredentials = webhook.replace("http://", "http://alerts:pa%24%24word@");
    const sent = await alerts("--now", "2026-11-14T15:20:00Z", "--webhook", withCredentials);
    expect(sent.stdout + sent.stderr).not.toContain("pa%24%24word");
    expect(sent.stdout + sent.stderr).not.toContain("secret-token");
    expect(sent.code).toBe(0);
    expect(posted.map((p) => [p.path, p.authorization])).toEqual([
      ["/services/T0/B0/secret-token", `Basic ${Buffer.from("alerts:pa$$word").toString("base64")}`],
    ]);

    rmSync(state, { force: true });
    const closed = createServer().listen(0, "127.0.0.1");
    await new Promise((listening) => closed.once("listening", listening));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const refused = await alerts(
      ...[
        "--now",
        "2026-11-14T15:20:00Z",
        "--webhook",
        `http://alerts:pa%24%24word@127.0.0.1:${port}/secret-token`,
      ],
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `alerts: the webhook at 127.0.0.1:${port} could not be reached (ECONNREFUSED); the alerts are sent again on the next check\n`,
    );
  });

  it("posts nothing when it cannot record the check, since every check would post the same alerts again", async () => {
    rmSync(state, { force: true });
    posted.length = 0;
    const check = ["alerts", "--data", data, "--now", "2026-11-14T15:20:00Z", "--webhook", webhook];
    const readOnly = await ownstatsUnder(readOnlyBindAt(data), {}, ...check);
    expect(posted).toEqual([]);
    expect(readOnly.stderr).toBe(
      `alerts: cannot record the check in ${state}: its file system is read-only (EROFS); mount its file system read-write. Nothing was posted, as each check would post the same alerts again\n`,
    );
    expect(readOnly.code).toBe(1);
    expect(readOnly.stdout).toContain("spike: 146 events");

    mkdirSync(state);
    try {
      const folder = await ownstats(...check);
      expect(posted).toEqual([]);
      expect(folder.stderr).toBe(
        `alerts: cannot record the check in ${state}: it is a folder; remove it. Nothing was posted, as each check would post the same alerts again\n`,
      );
      expect(folder.code).toBe(1);
      expect(readdirSync(data).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    } finally {
      rmSync(state, { recursive: true });
    }
  });

  it("keeps a check with many alerts to a message every chat takes and to the annotations a step shows", async () => {
    // Two weeks unchecked: every flagged hour since (every spike, not only the week's busiest), and the
    // site gone quiet after the demo's end.
    writeFileSync(state, JSON.stringify({ checked_through: "2026-11-01T00:00:00.000Z", quiet_since: null }));
    posted.length = 0;
    const many = await ownstatsWith(
      { GITHUB_ACTIONS: "true" },
      ...["alerts", "--data", data, "--now", "2026-11-20T06:20:00Z", "--every-spike", "--webhook", webhook],
    );
    expect(many.code).toBe(0);
    const printed = many.stdout.split("\n").filter((line) => /^(spike|drop|quiet): /.test(line));
    expect(printed.length).toBeGreaterThan(20);
    const { text } = JSON.parse(posted[0]?.body ?? "{}") as { text: string };
    // Discord's /slack takes 2,000 characters: more is refused, and would be sent again on every check.
    expect(text.length).toBeLessThanOrEqual(2_000);
    const lines = text.split("\n");
    const shown = lines.length - 2;
    expect(lines.slice(0, 2)).toEqual([
      `ownstats: ${printed.length} new alerts`,
      `(the ${printed.length - shown} earlier ones are not shown: the anomalies page lists every flagged hour)`,
    ]);
    expect(lines.slice(2)).toEqual(printed.slice(-shown));
    expect(lines.at(-1)).toMatch(/^quiet: /);
    // GitHub shows 10 warnings of a step.
    const annotations = many.stdout.split("\n").filter((line) => line.startsWith("::warning "));
    expect(annotations).toHaveLength(10);
    expect(annotations[0]).toBe(
      `::warning title=ownstats alert::${printed.length} new alerts; the ${printed.length - 9} earlier ones are in this step's log`,
    );
    expect(annotations.slice(1)).toEqual(
      printed.slice(-9).map((line) => `::warning title=ownstats alert::${line}`),
    );
  });

  it("says the site went quiet after the demo's last event, with what the same hours usually hold", async () => {
    writeFileSync(state, JSON.stringify({ checked_through: "2026-11-20T05:00:00.000Z", quiet_since: null }));
    const { code, stdout } = await alerts("--now", "2026-11-20T06:20:00Z");
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^quiet: no events since 2026-11-19 2\d:00 UTC \((\d+) hours\); on each of the previous 7 days the same \1 hours held [\d,]+ events \(median\): is the tracker still on the site\?\n$/,
    );
    expect(JSON.parse(readFileSync(state, "utf8")).quiet_since).toMatch(/^2026-11-19T2\d:00:00.000Z$/);
  });

  it("names what is wrong with its arguments and the data folder", async () => {
    const badUrl = await alerts("--webhook", "hooks.slack.com/services/x");
    // A URL without its scheme is still the secret: not repeated in a log.
    expect(badUrl.stderr).toBe("ownstats alerts: --webhook must be an http:// or https:// URL\n");
    expect(badUrl.code).toBe(2);
    const badNow = await alerts("--now", "yesterday");
    expect(badNow.code).toBe(2);
    expect(badNow.stderr).toContain("--now must be a time in ISO 8601 with its zone");
    const badEnv = await ownstatsWith(
      { OWNSTATS_ALERT_WEBHOOK: "hooks.example/x" },
      "alerts",
      "--data",
      data,
    );
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toBe(
      "ownstats alerts: OWNSTATS_ALERT_WEBHOOK must be an http:// or https:// URL\n",
    );
    // An unset secret leaves the variable empty in a workflow: that is no webhook.
    const emptyEnv = await ownstatsWith({ OWNSTATS_ALERT_WEBHOOK: "" }, "alerts", "--data", data);
    expect(emptyEnv.code).toBe(0);
    writeFileSync(state, "{not json");
    const unreadable = await alerts("--now", "2026-11-14T15:20:00Z");
    expect(unreadable.code).toBe(0);
    expect(unreadable.stderr).toContain(`alerts: ${state} is not what it should be (`);
    expect(unreadable.stdout).toContain("spike: 146 events");
    // A check recorded after now (a clock that ran ahead, a check --now in the future) would hide every
    // hour until then: it is not trusted.
    writeFileSync(state, JSON.stringify({ checked_through: "2026-12-01T00:00:00.000Z", quiet_since: null }));
    const future = await alerts("--now", "2026-11-14T15:20:00Z");
    expect(future.stderr).toBe(
      `alerts: ${state} records a check through 2026-12-01T00:00:00.000Z, after now (a clock that ran ahead?); checking the last day again\n`,
    );
    expect(future.stdout).toContain("spike: 146 events");
    expect(future.code).toBe(0);
    expect(JSON.parse(readFileSync(state, "utf8")).checked_through).toBe("2026-11-14T15:00:00.000Z");
    const empty = tempFolder("ownstats-alerts-none-");
    const none = await ownstats("alerts", "--data", empty);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^alerts: /);
  });
});
