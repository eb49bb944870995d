// Renders a cost estimate as a plain-text table for the terminal and as markdown for the README.

import { STACK_ALARMS } from "./assumptions.ts";
import { type CostEstimate, estimateCost } from "./estimate.ts";
import { bufferLabel, type CostInput } from "./input.ts";
import type { KinesisMode } from "./kinesis.ts";
import { ARTICLE_MONTHLY_USD, FREE_TIERS, PRICES, type Price } from "./prices.ts";

export function usd(value: number): string {
  if (value === 0) return "$0";
  if (value >= 1) return `$${value.toFixed(2)}`;
  if (value >= 0.0001) return `$${value.toFixed(4)}`;
  return "<$0.0001";
}

export function quantity(value: number): string {
  if (Number.isInteger(value) || value >= 100) return Math.round(value).toLocaleString("en-US");
  return Number(value.toPrecision(4)).toString();
}

/** The unit price scaled to 1, 1K or 1M units so that it reads as at least a cent. */
export function unitPrice(price: Price): string {
  for (const [scale, label] of [
    [1, ""],
    [1e3, "1K "],
    [1e6, "1M "],
  ] as const) {
    const scaled = price.usd * scale;
    if (scaled >= 0.01 || scale === 1e6)
      return `${scaled >= 0.1 ? `$${scaled.toFixed(2)}` : `$${Number(scaled.toPrecision(6))}`} per ${label}${price.unit}`;
  }
  return "";
}

function table(header: string[], rows: string[][], align: ("l" | "r")[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const cell = (text: string, i: number) =>
    align[i] === "r" ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0);
  const line = (cells: string[]) => cells.map(cell).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

export function describeInput(input: CostInput): string {
  return `${input.events.toLocaleString("en-US")} events/month, Kinesis ${input.kinesis ? `on (${input.kinesisMode ?? "provisioned"})` : "off"}, ${bufferLabel(input)} Firehose buffer, ${input.eventsPerRequest} event${input.eventsPerRequest === 1 ? "" : "s"} per request`;
}

export function formatEstimate(estimate: CostEstimate): string {
  const rows = estimate.lines.map((l) => [
    l.service,
    l.item,
    quantity(l.quantity),
    unitPrice(l.unitPrice),
    usd(l.usd),
    usd(l.usdAlwaysFree),
  ]);
  rows.push(["Total", "", "", "", usd(estimate.totalUsd), usd(estimate.totalUsdAlwaysFree)]);
  const a = estimate.assumptions;
  const v = estimate.volumes;
  const lines = [
    `Monthly AWS cost, us-east-1: ${describeInput(estimate.input)}`,
    "",
    ...table(["Service", "Item", "Quantity", "Unit price", "Monthly", "With always-free tiers"], rows, [
      "l",
      "l",
      "r",
      "l",
      "r",
      "r",
    ]),
    "",
    compareWithArticle(estimate.totalUsd),
    "",
    "Volumes:",
    `  ${quantity(v.requests)} requests, ${quantity(v.records)} stream records of ${v.recordBytes} B, ${quantity(v.objects)} S3 objects, ${quantity(v.rawGbPerMonth * 1024)} MiB raw → ${quantity(v.gzipGbPerMonth * 1024)} MiB gzip a month`,
    "Assumptions (cost/assumptions.ts):",
    `  stored event ${a.storedEventBytes} B, sent event ${a.wireEventBytes} B + ${a.requestOverheadBytes} B per request; one stream record per ${a.recordPer}`,
    `  Lambda arm64 ${a.lambdaMemoryMb} MB, ${a.lambdaWarmMs} ms warm, ${a.lambdaInitMs} ms INIT at most ${a.coldStartsPerHour} times an hour; ${a.logBytesPerInvocation} B of logs per invocation`,
    `  gzip ${a.gzipRatio}×, ${a.retainedMonths} months kept in S3; ${a.syncRunsPerMonth} report syncs a month, each listing ${a.syncListedHours} hours of objects; requests arrive at random`,
    "Free tiers: the Monthly column has none. Always free: Lambda 1M requests + 400,000 GB-s, CloudWatch Logs 5 GB,",
    "  KMS 20,000 requests, 100 GB transfer out. Older accounts' first 12 months also free 1M HTTP API requests and S3 5 GB, 2,000 PUT, 20,000 GET.",
    uncountedAlarms(estimate.input.kinesis),
    "Prices: cost/prices.ts (source and date per price). Re-check them in the AWS Pricing Calculator.",
  ];
  for (const note of estimate.notes) lines.push(`Note: ${note}`);
  return lines.join("\n");
}

/** The stack's kinesis_stream_mode value for each mode the estimate takes. */
const STREAM_MODE_VARIABLE: Record<KinesisMode, string> = {
  provisioned: "PROVISIONED",
  "on-demand": "ON_DEMAND",
};

/** With the stream on: the other capacity mode's total, and which of the two is cheaper for this traffic. */
export function compareKinesisModes(estimate: CostEstimate): string | undefined {
  const { input, assumptions } = estimate;
  if (!input.kinesis) return undefined;
  const mode = input.kinesisMode ?? "provisioned";
  const other: KinesisMode = mode === "provisioned" ? "on-demand" : "provisioned";
  const otherTotal = estimateCost({ ...input, kinesisMode: other }, assumptions).totalUsd;
  const cheaper = otherTotal < estimate.totalUsd ? other : mode;
  const difference = usd(Math.abs(otherTotal - estimate.totalUsd));
  return `With --kinesis-mode ${other} (kinesis_stream_mode=${STREAM_MODE_VARIABLE[other]}): ${usd(otherTotal)}/month, ${difference} ${otherTotal < estimate.totalUsd ? "less" : "more"}. ${cheaper === "provisioned" ? "Provisioned" : "On-demand"} is cheaper for this traffic${cheaper === "provisioned" ? "; on-demand spares sizing kinesis_shard_count for bursts" : ""}.`;
}

export function compareWithArticle(totalUsd: number): string {
  const article = `The article's pipeline: about $${ARTICLE_MONTHLY_USD}/month ($11 of it the Kinesis shard).`;
  // No ratio to $0 means anything: "120000× less" would only echo the display's rounding.
  if (totalUsd < 0.0001) return `${article} This estimate: ${usd(totalUsd)}/month.`;
  const ratio = ARTICLE_MONTHLY_USD / totalUsd;
  const relation =
    totalUsd < ARTICLE_MONTHLY_USD
      ? `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}× less`
      : `${(totalUsd / ARTICLE_MONTHLY_USD).toFixed(1)}× more`;
  return `${article} This estimate: ${usd(totalUsd)}/month, ${relation}.`;
}

/** The README's table: totals for several volumes, both Kinesis settings, and the largest line. */
export function markdownVolumeTable(
  volumes: number[],
  settings: Omit<CostInput, "events" | "kinesis" | "kinesisMode">,
): string {
  const rows = volumes.map((events) => {
    const off = estimateCost({ ...settings, events, kinesis: false });
    const on = estimateCost({ ...settings, events, kinesis: true });
    const onDemand = estimateCost({ ...settings, events, kinesis: true, kinesisMode: "on-demand" });
    const largest = [...off.lines].sort((a, b) => b.usd - a.usd)[0];
    return `| ${events.toLocaleString("en-US")} | ${usd(off.totalUsd)} | ${usd(off.totalUsdAlwaysFree)} | ${usd(on.totalUsd)} | ${usd(onDemand.totalUsd)} | ${largest ? `${largest.service} ${largest.item.replace(/ \(.*\)$/, "")} (${usd(largest.usd)})` : ""} |`;
  });
  return [
    "| events/month | Kinesis off | Kinesis off, always-free tiers | Kinesis on, provisioned | Kinesis on, on-demand | largest line (Kinesis off) |",
    "|---:|---:|---:|---:|---:|---|",
    ...rows,
  ].join("\n");
}

export function markdownItemized(estimate: CostEstimate): string {
  const rows = estimate.lines.map(
    (l) =>
      `| ${l.service} | ${l.item} | ${quantity(l.quantity)} | ${unitPrice(l.unitPrice)} | ${usd(l.usd)} |`,
  );
  return [
    "| service | item | quantity | unit price | monthly |",
    "|---|---|---:|---|---:|",
    ...rows,
    `| **total** | | | | **${usd(estimate.totalUsd)}** |`,
  ].join("\n");
}

/**
 * The stack's alarms are left out of the table: an account's first 10 are always free, and whether
 * these fit in them depends on the account's other alarms, which the estimate cannot know.
 */
export function uncountedAlarms(kinesis: boolean): string {
  const alarms = STACK_ALARMS.always + (kinesis ? STACK_ALARMS.withStream : 0);
  return `Not counted: the stack's ${alarms} CloudWatch alarms, free within the ${FREE_TIERS.alarms.amount} every account has; past those, $${(alarms * PRICES.cloudwatchAlarmMonth.usd).toFixed(2)}/month (${unitPrice(PRICES.cloudwatchAlarmMonth)}).`;
}
