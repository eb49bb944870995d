// The notes under the cost estimate: where the traffic it prices is more than the stack or the
// report workflow takes by default, and what to change.
import {
  ACTIONS_CACHE_LIMIT_BYTES,
  type Assumptions,
  GB,
  SECONDS_PER_MONTH,
  STACK_DEFAULTS,
} from "./assumptions.ts";

/** Where the busiest second needs more than the stack takes by default (request rate, collectors, Kinesis shards), so the estimate's traffic would not all land. */
export function capacityNotes(requests: number, shards: number, a: Assumptions): string[] {
  const peakRequestsPerSecond = (requests / SECONDS_PER_MONTH) * a.peakToAverage;
  const concurrency = peakRequestsPerSecond * (a.lambdaWarmMs / 1000);
  const notes: string[] = [];
  if (peakRequestsPerSecond > STACK_DEFAULTS.apiThrottleRate)
    notes.push(
      `the busiest second (${a.peakToAverage}× the average) brings about ${Math.ceil(peakRequestsPerSecond).toLocaleString("en-US")} requests/s, above the stack's default api_throttle_rate of ${STACK_DEFAULTS.apiThrottleRate}: deploy with higher api_throttle_rate and api_throttle_burst, or requests past them get a 429, which the tracker resends once, 3 s later, before their events are lost.`,
    );
  if (concurrency > STACK_DEFAULTS.lambdaReservedConcurrency)
    notes.push(
      `that second keeps about ${Math.ceil(concurrency).toLocaleString("en-US")} collectors busy at once, above the stack's default lambda_reserved_concurrency of ${STACK_DEFAULTS.lambdaReservedConcurrency}: raise it too, or requests past it get a 500 from API Gateway (Lambda throttled), which the tracker resends once, 3 s later, before their events are lost.`,
    );
  if (shards > STACK_DEFAULTS.kinesisShardCount)
    notes.push(
      `the busiest second needs ${shards} Kinesis shards, priced above, but the stack deploys ${STACK_DEFAULTS.kinesisShardCount} by default: deploy with kinesis_shard_count=${shards}, or writes past the shards are refused (the stream-throttled alarm goes off) and events are lost once the collector's retries run out.`,
    );
  return notes;
}

/**
 * The report workflow keeps its data folder (raw objects and warehouse) in the Actions cache, so each
 * run fetches only new objects. The folder only grows (sync keeps what it fetched after S3 expires it),
 * and once it passes GitHub's cache limit it is no longer saved: every run then downloads the whole
 * bucket again, GETs and transfer out that the line items do not count. Said when that happens
 * within the months the bucket keeps.
 */
export function reportCacheNote(events: number, a: Assumptions): string | undefined {
  const bytesPerMonth = events * (a.storedEventBytes / a.gzipRatio + a.warehouseBytesPerEvent);
  const months = ACTIONS_CACHE_LIMIT_BYTES / bytesPerMonth;
  if (!(months <= a.retainedMonths)) return undefined;
  const after =
    months < 1 ? "within a month" : `after about ${Math.floor(months)} month${months < 2 ? "" : "s"}`;
  return `the report workflow's data folder grows by about ${quantity(bytesPerMonth / GB)} GB a month (raw objects and warehouse) and passes GitHub's 10 GB Actions cache limit ${after}; from then on it is not saved, and each hourly run downloads the whole bucket again, which the S3 GET and transfer lines do not count: run the reports on a machine that keeps its data folder.`;
}

function quantity(value: number): string {
  return Number(value.toPrecision(3)).toString();
}
