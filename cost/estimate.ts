// The monthly AWS cost of the deployed pipeline as a pure function of traffic, settings, prices and
// assumptions. Each line item is quantity × unit price, so every figure can be checked by hand.
import {
  type Assumptions,
  DEFAULT_ASSUMPTIONS,
  GB,
  HOURS_PER_MONTH,
  KB,
  SECONDS_PER_MONTH,
} from "./assumptions.ts";
import { bufferLabel, type CostInput, checkInput, DEFAULT_BUFFER_MB } from "./input.ts";
import { type KinesisLineId, kinesisItems, provisionedShards } from "./kinesis.ts";
import { capacityNotes, reportCacheNote } from "./notes.ts";
import { FREE_TIERS, PRICES, type Price, type PriceBook } from "./prices.ts";

export type LineId =
  | "httpApi"
  | "lambdaRequests"
  | "lambdaCompute"
  | "lambdaInit"
  | KinesisLineId
  | "firehose"
  | "s3Storage"
  | "s3Put"
  | "s3List"
  | "s3Get"
  | "logs"
  | "alarmTopicKey"
  | "transferOut";

export interface LineItem {
  id: LineId;
  service: string;
  item: string;
  quantity: number;
  unit: string;
  unitPrice: Price;
  /** quantity × unit price, no free tier. */
  usd: number;
  /** The same after the always-free monthly allowances. */
  usdAlwaysFree: number;
}

export interface CostEstimate {
  input: CostInput;
  assumptions: Assumptions;
  /** Derived volumes, shown so the line items can be traced. */
  volumes: {
    requests: number;
    records: number;
    recordBytes: number;
    objects: number;
    rawGbPerMonth: number;
    gzipGbPerMonth: number;
    shards: number;
  };
  lines: LineItem[];
  totalUsd: number;
  totalUsdAlwaysFree: number;
  notes: string[];
}

/**
 * Firehose opens a buffer at the first record and flushes it `bufferSeconds` later, or sooner once it
 * holds `bufferMb` MiB (counted before compression). With requests arriving at random (Poisson, rate
 * λ per second), the next buffer opens on average 1/λ after a flush, so one object is written every
 * bufferSeconds + 1/λ seconds — never more objects than requests, and never fewer than the size
 * limit forces.
 */
export function deliveredObjects(
  requests: number,
  bufferSeconds: number,
  rawBytes: number,
  bufferMb = DEFAULT_BUFFER_MB,
): number {
  if (requests <= 0) return 0;
  const rate = requests / SECONDS_PER_MONTH;
  const byTime = SECONDS_PER_MONTH / (bufferSeconds + 1 / rate);
  return Math.max(Math.min(byTime, requests), rawBytes / (bufferMb * 1024 * 1024));
}

/** LIST requests of one sync run: one per 1,000 keys in the hours it lists, at least one. */
export function listRequestsPerSync(objectsPerMonth: number, listedHours: number): number {
  return Math.max(1, Math.ceil(((objectsPerMonth / HOURS_PER_MONTH) * listedHours) / 1000));
}

export function estimateCost(
  input: CostInput,
  assumptions: Assumptions = DEFAULT_ASSUMPTIONS,
  prices: PriceBook = PRICES,
): CostEstimate {
  checkInput(input);
  const a = assumptions;
  const notes: string[] = [];
  const requests = Math.ceil(input.events / input.eventsPerRequest);
  const perRequest = a.recordPer === "request";
  const records = perRequest ? requests : input.events;
  const recordBytes = perRequest ? input.eventsPerRequest * a.storedEventBytes : a.storedEventBytes;
  const rawBytes = input.events * a.storedEventBytes;
  const gzipBytes = rawBytes / a.gzipRatio;
  const objects = deliveredObjects(requests, input.bufferSeconds, rawBytes, input.bufferMb);

  const requestBytes = input.eventsPerRequest * a.wireEventBytes + a.requestOverheadBytes;
  const apiUnits = requests * Math.ceil(requestBytes / (512 * KB));
  const memoryGb = a.lambdaMemoryMb / 1024;
  const warmGbSeconds = requests * memoryGb * (a.lambdaWarmMs / 1000);
  const coldStarts = Math.min(requests, HOURS_PER_MONTH * a.coldStartsPerHour);
  const initGbSeconds = coldStarts * memoryGb * (a.lambdaInitMs / 1000);

  const kinesisMode = input.kinesisMode ?? "provisioned";
  // An on-demand stream has no shards to size.
  const shards =
    input.kinesis && kinesisMode === "provisioned" ? provisionedShards(records, recordBytes, a) : 0;
  const firehoseGb = (records * Math.ceil(recordBytes / (5 * KB)) * 5 * KB) / GB;

  const lines: LineItem[] = [];
  const add = (id: LineId, service: string, item: string, quantity: number, unitPrice: Price) => {
    const usd = quantity * unitPrice.usd;
    lines.push({
      id,
      service,
      item,
      quantity,
      unit: unitPrice.unit,
      unitPrice,
      usd,
      usdAlwaysFree: usd,
    });
    if (unitPrice.firstTierUpTo !== undefined && quantity > unitPrice.firstTierUpTo)
      notes.push(`${service} ${item}: past the first price tier; the figure is an upper bound.`);
  };

  add("httpApi", "API Gateway", "HTTP API requests (512 KB metered)", apiUnits, prices.httpApiRequest);
  add("lambdaRequests", "Lambda", "invocations", requests, prices.lambdaRequest);
  add(
    "lambdaCompute",
    "Lambda",
    `compute, arm64 ${a.lambdaMemoryMb} MB × ${a.lambdaWarmMs} ms`,
    warmGbSeconds,
    prices.lambdaArmGbSecond,
  );
  add(
    "lambdaInit",
    "Lambda",
    `cold-start INIT ${a.lambdaInitMs} ms (≤ ${a.coldStartsPerHour}/h)`,
    initGbSeconds,
    prices.lambdaArmGbSecond,
  );
  if (input.kinesis)
    for (const k of kinesisItems(
      kinesisMode,
      { events: input.events, records, recordBytes, coldStarts },
      a,
      prices,
    ))
      add(k.id, "Kinesis", k.item, k.quantity, k.unitPrice);
  add(
    "firehose",
    "Firehose",
    `${input.kinesis ? "Kinesis-sourced" : "DirectPut"} ingestion, record per ${a.recordPer}, 5 KB steps`,
    firehoseGb,
    prices.firehoseIngestedGb,
  );
  add(
    "s3Storage",
    "S3",
    `Standard storage, gzip, ${a.retainedMonths} months kept`,
    (gzipBytes / GB) * a.retainedMonths,
    prices.s3StandardGbMonth,
  );
  add("s3Put", "S3", `PUT per Firehose flush (${bufferLabel(input)} buffer)`, objects, prices.s3PutOrList);
  add(
    "s3List",
    "S3",
    "LIST by the hourly report sync",
    input.events > 0 ? a.syncRunsPerMonth * listRequestsPerSync(objects, a.syncListedHours) : 0,
    prices.s3PutOrList,
  );
  add("s3Get", "S3", "GET by the hourly report sync (each object once)", objects, prices.s3Get);
  add(
    "logs",
    "CloudWatch Logs",
    "Lambda log ingestion (Standard)",
    (requests * a.logBytesPerInvocation) / GB,
    prices.logsIngestedGb,
  );
  if (input.alarmTopicKey)
    // CloudWatch calls KMS only when an alarm changes state: a handful of requests, inside the free tier.
    add(
      "alarmTopicKey",
      "KMS",
      "customer key of the alarm topic (encrypt_alarm_topic)",
      1,
      prices.kmsKeyMonth,
    );
  add(
    "transferOut",
    "Data transfer",
    "out: responses and report sync downloads",
    (requests * a.responseBytes + gzipBytes) / GB,
    prices.dataTransferOutGb,
  );

  notes.push(...capacityNotes(requests, shards, a));
  const cacheNote = reportCacheNote(input.events, a);
  if (cacheNote) notes.push(cacheNote);
  applyAlwaysFreeTiers(lines);
  const totalUsd = sum(lines.map((l) => l.usd));
  const totalUsdAlwaysFree = sum(lines.map((l) => l.usdAlwaysFree));
  return {
    input,
    assumptions: a,
    volumes: {
      requests,
      records,
      recordBytes,
      objects,
      rawGbPerMonth: rawBytes / GB,
      gzipGbPerMonth: gzipBytes / GB,
      shards,
    },
    lines,
    totalUsd,
    totalUsdAlwaysFree,
    notes,
  };
}

/** Lambda, CloudWatch Logs, KMS and data-transfer allowances renew every month for every account. */
function applyAlwaysFreeTiers(lines: LineItem[]): void {
  const byId = (id: LineId) => lines.find((l) => l.id === id);
  const allow = (allowance: number, ...ids: LineId[]) => {
    let left = allowance;
    for (const id of ids) {
      const line = byId(id);
      if (!line) continue;
      const free = Math.min(left, line.quantity);
      left -= free;
      line.usdAlwaysFree = (line.quantity - free) * line.unitPrice.usd;
    }
  };
  allow(FREE_TIERS.lambdaRequests.amount, "lambdaRequests");
  allow(FREE_TIERS.lambdaGbSeconds.amount, "lambdaCompute", "lambdaInit");
  allow(FREE_TIERS.logsGb.amount, "logs");
  allow(FREE_TIERS.kmsRequests.amount, "kinesisKms");
  allow(FREE_TIERS.dataTransferOutGb.amount, "transferOut");
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
