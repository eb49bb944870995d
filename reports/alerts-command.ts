// `ownstats alerts`: prints the alerts not sent yet and posts them to a chat webhook, then records
// them in DATA/alerts.json so that the next check (a cron job, the scheduled reports) sends only new ones.
import { renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { defaultModelsFolder } from "../runner/default-models.ts";
import { openWhenFree } from "../runner/query.ts";
import { noWarehouseReason } from "../runner/warehouse.ts";
import { type Alert, findAlerts } from "./alerts.ts";
import { readState, STATE_FILE, stageState } from "./alerts-state.ts";
import { post } from "./alerts-webhook.ts";
import { formatCount, formatDecimal, zonedTime } from "./format.ts";
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
