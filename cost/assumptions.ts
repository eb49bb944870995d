// What the cost estimate assumes about the workload and the deployed stack. Every figure here drives
// a line item; the CLI prints them next to the table so a reader can disagree with a specific one.

export interface Assumptions {
  /**
   * Bytes of one stored NDJSON line, newline included: 493 B on average over the demo generator's
   * event mix (page views 632 B, scroll and time milestones about 450 B), measured 2026-11-26; the
   * collector stores about 580 B per event when every event carries a referrer.
   */
  storedEventBytes: number;
  /** Bytes of one event as the tracker sends it, before enrichment. */
  wireEventBytes: number;
  /** HTTP request overhead billed by API Gateway's 512 KB metering (headers, batch envelope). */
  requestOverheadBytes: number;
  /** Whether the ingest function sends one stream record per event or one per request (events joined by newlines). */
  recordPer: "event" | "request";
  lambdaMemoryMb: number;
  /**
   * Billed duration of a warm invocation: validate, enrich, one PutRecordBatch/PutRecords round trip.
   * The collector app took 0.3–1.1 ms of one core per 3-event request here (2026-11-26, in process,
   * no sink latency, a shared machine); 128 MB gets about 128/1769 of a vCPU, so 4–15 ms, plus
   * 20–35 ms for the in-region Firehose or Kinesis call (not measured: no AWS account here).
   */
  lambdaWarmMs: number;
  /** Billed INIT phase of a cold start (Lambda bills INIT for managed runtimes since August 2025). */
  lambdaInitMs: number;
  /** Upper bound on cold starts per hour when traffic is sparse (one every ten minutes). */
  coldStartsPerHour: number;
  /**
   * CloudWatch Logs bytes per invocation. The stack sets the function's system and application log
   * levels to WARN, which keeps the platform's START/END/REPORT lines (about 450 B) out; what is left
   * is the odd warning, here one 500-byte line per hundred invocations.
   */
  logBytesPerInvocation: number;
  /**
   * Raw NDJSON bytes ÷ gzip bytes of a delivered object. Measured on demo events: 3.6× for objects of
   * 5 events, 5.5× for 14 (the object size at 100k events a month), 7.5× for 50, 9.1× for 1,000.
   */
  gzipRatio: number;
  /**
   * Bytes the DuckDB warehouse holds per event (staging, sessions, marts): 103 B, measured 2026-11-27
   * on 211,597 demo events (30 days, 20,000 visitors; 21.8 MB).
   */
  warehouseBytesPerEvent: number;
  /** Months of raw data kept in S3: the stack's raw_retention_days default of 395 days. */
  retainedMonths: number;
  /** Report workflow runs per month (hourly). */
  syncRunsPerMonth: number;
  /**
   * Hours of delivered objects each sync run lists: it lists again from 25 hour folders before the last
   * key it has (Firehose retries a failed delivery to S3 for a day, then writes the object in the
   * folder of its first record's arrival), and an hourly run's last key is in the hour before its own:
   * 27 folders up to now. A LIST returns at most 1,000 keys.
   */
  syncListedHours: number;
  /** Bytes of one 202 response with headers, sent back to the browser. */
  responseBytes: number;
  /**
   * KMS calls an hour per credential by the encrypted Kinesis stream: it renews a data key about every five minutes
   * for each set of credentials writing or reading (the function's, Firehose's), and once more for
   * each new set (every cold start).
   */
  kmsCallsPerCredentialHour: number;
  /** Busiest second ÷ average second, for sizing Kinesis shards. */
  peakToAverage: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  storedEventBytes: 500,
  wireEventBytes: 420,
  requestOverheadBytes: 800,
  recordPer: "event",
  lambdaMemoryMb: 128,
  lambdaWarmMs: 50,
  lambdaInitMs: 400,
  coldStartsPerHour: 6,
  logBytesPerInvocation: 5,
  gzipRatio: 5.5,
  warehouseBytesPerEvent: 103,
  retainedMonths: 13,
  syncRunsPerMonth: 730,
  syncListedHours: 27,
  responseBytes: 250,
  kmsCallsPerCredentialHour: 12,
  peakToAverage: 10,
};

/** AWS bills by the 730-hour month. */
export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
/** AWS's billing GB is 2^30 bytes. */
export const GB = 1024 ** 3;
export const KB = 1024;

/**
 * The stack's defaults that cap how much traffic it takes (stacks/variables.ts). Past the throttle
 * rate API Gateway answers 429. Past the reserved concurrency Lambda refuses the invocation and the
 * HTTP API answers 500 "Internal Server Error" (AWS documents a throttled backend as a 500, not a
 * 429). The tracker resends a batch refused either way once, 3 s later; what is refused again is lost.
 */
export const STACK_DEFAULTS = {
  apiThrottleRate: 50,
  lambdaReservedConcurrency: 10,
  /** Past its shards' writes Kinesis refuses records: the collector retries them for 8 s, then answers 503. */
  kinesisShardCount: 1,
};

/**
 * CloudWatch alarms the stack creates (stacks/operator-alarms.ts): API 5xx, collector errors and
 * throttles, DirectPut delivery late; with the Kinesis stream also its delivery late, unread and throttled.
 */
export const STACK_ALARMS = { always: 4, withStream: 3 };

/** The largest Actions cache GitHub saves (and a repository's whole cache allowance): 10 GiB. */
export const ACTIONS_CACHE_LIMIT_BYTES = 10 * 1024 ** 3;
