// `ownstats alerts`: prints the alerts not sent yet and posts them to a chat webhook, then records
// them in DATA/alerts.json so that the next check (a cron job, the scheduled reports) sends only new ones.
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { defaultModelsFolder } from "../runner/default-models.ts";
import { openWhenFree } from "../runner/query.ts";
import { refusedBecause } from "../runner/refused-write.ts";
import { noWarehouseReason } from "../runner/warehouse.ts";
import { type Alert, type AlertState, findAlerts } from "./alerts.ts";
import { formatCount, formatDecimal, zonedTime } from "./format.ts";
import { temporaryPath } from "./temporary-files.ts";
import { projectZone, warehouseZone } from "./zone.ts";

export interface AlertsOptions {
  data: string;
  /** The model project, for the zone its builds use; by default as `report` takes it. */
  models?: string;
  /** A Slack-style incoming webhook (`{"text": …}`): Slack, Mattermost, Google Chat, Discord's `/slack`. */
  webhook?: string;
  /** How long after an hour ends its events have surely landed. @default 15 minutes */
  settleMs?: number;
  /** Every spike the model flags, not only those beating every hour of the week before. @default false */
  everySpike?: boolean;
  /** The time to judge from. @default now */
  now?: number;
  /** How long to wait while a build holds the warehouse. @default 60_000 ms */
  waitMs?: number;
}

const STATE_FILE = "alerts.json";

/** The exit code: 0 whether or not there were alerts, 1 when they could not be read or sent. */
export async function sendAlerts(opts: AlertsOptions): Promise<number> {
  const say = (text: string) => console.error(`alerts: ${text}`);
  const noWarehouse = noWarehouseReason(opts.data);
  if (noWarehouse) {
    say(noWarehouse);
    return 1;
  }
  const statePath = join(opts.data, STATE_FILE);
  const warehouse = await openWhenFree(opts.data, "read-only", opts.waitMs ?? 60_000, say);
  if (!warehouse) return 1;
  let found: Awaited<ReturnType<typeof findAlerts>>;
  let zone: string;
  try {
    const [hasAnomalies] = await warehouse.all(
      "SELECT 1 FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'anomalies'",
    );
    if (!hasAnomalies) {
      say("the warehouse has no anomalies model; build it with `ownstats build`");
      return 1;
    }
    const now = opts.now ?? Date.now();
    const state = readState(statePath, now, say);
    zone = await warehouseZone(warehouse, () => projectZone(opts.data, opts.models ?? defaultModelsFolder()));
    found = await findAlerts(warehouse, {
      now,
      settleMs: opts.settleMs ?? 15 * 60_000,
      everySpike: opts.everySpike ?? false,
      ...(state ? { state } : {}),
      zone,
    });
  } finally {
    warehouse.close();
  }
  const lines = found.alerts.map((alert) => describe(alert, zone));
  if (lines.length === 0) console.log("alerts: none since the last check");
  for (const line of lines) console.log(line);
  // On GitHub Actions each alert is an annotation on the run's page as well.
  if (process.env.GITHUB_ACTIONS === "true")
    for (const line of annotations(lines)) console.log(`::warning title=ownstats alert::${line}`);
  // Written before the post and renamed into place after it: a state that cannot be recorded (a
  // read-only folder) would have every check post the same alerts again.
  const staged = stageState(statePath, found.state);
  if (typeof staged !== "string") {
    const posting = opts.webhook && lines.length > 0;
    say(
      `cannot record the check in ${statePath}: ${staged.refused}. ` +
        (posting
          ? "Nothing was posted, as each check would post the same alerts again"
          : "The next check gives the same alerts again"),
    );
    return 1;
  }
  if (opts.webhook && lines.length > 0) {
    const failure = await post(opts.webhook, message(lines));
    if (failure) {
      rmSync(staged, { force: true });
      // Not recorded as sent, so the next check sends them again.
      say(`${failure}; the alerts are sent again on the next check`);
      return 1;
    }
  }
  renameSync(staged, statePath);
  return 0;
}

function describe(alert: Alert, zone: string): string {
  const at = zonedTime(alert.from, zone);
  if (alert.kind === "quiet") {
    const hours = Math.round((Date.parse(alert.until) - Date.parse(alert.from)) / 3_600_000);
    return (
      `quiet: no events since ${at} (${hours} hour${hours === 1 ? "" : "s"}); on each of the previous ` +
      `${alert.comparedDays} days the same ${alert.comparedHours} hour${alert.comparedHours === 1 ? "" : "s"} ` +
      `held ${formatCount(alert.expected)} events (median): is the tracker still on the site?`
    );
  }
  const week =
    alert.kind === "spike" && alert.weekMost !== undefined
      ? `; the busiest hour of the week before had ${formatCount(alert.weekMost)}`
      : "";
  return (
    `${alert.kind}: ${formatCount(alert.events)} events in the hour from ${at}, against a baseline of ` +
    `${formatDecimal(alert.expected, 1)} (robust z ${formatDecimal(alert.z ?? null, 1)})${week}`
  );
}

const heading = (count: number) => `ownstats: ${count} new alert${count === 1 ? "" : "s"}`;

/**
 * The most a chat takes: Discord's /slack 2,000 characters (Slack cuts at 40,000). A longer
 * message is refused, or cut, and a refused one would be sent again on every check.
 */
const MESSAGE_CHARS = 2_000;

/** The chat message: the latest alerts that fit (a quiet site, the most urgent, comes last), and how many more. */
function message(lines: string[]): string {
  for (let shown = lines.length; ; shown--) {
    const earlier = lines.length - shown;
    const text = [
      heading(lines.length),
      ...(earlier > 0
        ? [`(the ${earlier} earlier ones are not shown: the anomalies page lists every flagged hour)`]
        : []),
      ...lines.slice(earlier),
    ].join("\n");
    if (text.length <= MESSAGE_CHARS || shown === 0) return text;
  }
}

/** GitHub shows 10 warnings of a step and drops the rest: the latest alerts, after a count of the others. */
const ANNOTATIONS = 10;

function annotations(lines: string[]): string[] {
  if (lines.length <= ANNOTATIONS) return lines;
  const earlier = lines.length - (ANNOTATIONS - 1);
  return [
    `${lines.length} new alerts; the ${earlier} earlier ones are in this step's log`,
    ...lines.slice(earlier),
  ];
}

/** Undefined when the webhook took the message; otherwise what went wrong, naming only its host. */
async function post(webhook: string, text: string): Promise<string | undefined> {
  // The URL's path is its secret, and so are a user and password in it: only the host is ever printed.
  const url = new URL(webhook);
  const host = url.host;
  const headers: Record<string, string> = { "content-type": "application/json" };
  // fetch refuses a URL with credentials, naming the whole URL: they go as Basic authentication instead.
  if (url.username || url.password) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  try {
    const response = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify({ text }),
      // Followed, a redirect turns the POST into a GET (301, 302, 303) that any page answers 200: the
      // message would be lost and counted as sent.
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    if (response.ok) return undefined;
    const redirect = response.status >= 300 && response.status < 400;
    return `the webhook at ${host} answered ${response.status}${redirect ? ", a redirect: give the URL it redirects to" : ""}`;
  } catch (error) {
    // The network error's code (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED) or message, never fetch's own
    // message, which may quote the URL.
    const network = (error as Error).cause as { code?: unknown; message?: unknown } | undefined;
    const cause =
      (error as Error).name === "TimeoutError"
        ? "no answer in 10 s"
        : String(network?.code ?? network?.message ?? "the request failed");
    return `the webhook at ${host} could not be reached (${cause})`;
  }
}

function readState(path: string, now: number, say: (text: string) => void): AlertState | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as {
      checked_through?: unknown;
      quiet_since?: unknown;
      alerted_hours?: unknown;
    };
    if (typeof state.checked_through !== "string" || Number.isNaN(Date.parse(state.checked_through)))
      throw new Error("checked_through is not a time");
    // Trusted, a check recorded after now would leave every hour until then unchecked.
    if (Date.parse(state.checked_through) > now) {
      say(
        `${path} records a check through ${state.checked_through}, after now (a clock that ran ahead?); checking the last day again`,
      );
      return undefined;
    }
    return {
      checkedThrough: state.checked_through,
      ...(typeof state.quiet_since === "string" ? { quietSince: state.quiet_since } : {}),
      ...(Array.isArray(state.alerted_hours)
        ? { alerted: state.alerted_hours.filter((hour): hour is string => typeof hour === "string") }
        : {}),
    };
  } catch (error) {
    say(`${path} is not what it should be (${(error as Error).message}); checking the last day again`);
    return undefined;
  }
}

/** The state written beside its place, to rename into it; or why it cannot be recorded. */
function stageState(path: string, state: AlertState): string | { refused: string } {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
    return { refused: "it is a folder; remove it" };
  const temporary = temporaryPath(path);
  try {
    writeFileSync(
      temporary,
      `${JSON.stringify(
        {
          checked_through: state.checkedThrough,
          quiet_since: state.quietSince ?? null,
          alerted_hours: state.alerted ?? [],
        },
        null,
        2,
      )}\n`,
    );
  } catch (error) {
    rmSync(temporary, { force: true });
    const refused = refusedBecause(error, dirname(path));
    if (!refused) throw error;
    return { refused };
  }
  return temporary;
}
