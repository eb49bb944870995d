// Each line item against figures worked out by hand (shown in the comments), for the goal case:
// 100,000 events a month, Kinesis off, a 300 s buffer and 3 events per request.
import { describe, expect, it } from "vitest";
import { synthesizeStack } from "../stacks/synthesized.ts";
import { DEFAULT_ASSUMPTIONS, STACK_DEFAULTS } from "./assumptions.ts";
import { type CostEstimate, deliveredObjects, estimateCost, type LineId } from "./estimate.ts";
import { uncountedAlarms } from "./format.ts";

const goalCase = estimateCost({ events: 100_000, kinesis: false, bufferSeconds: 300, eventsPerRequest: 3 });

function line(estimate: CostEstimate, id: LineId) {
  const found = estimate.lines.find((l) => l.id === id);
  if (!found) throw new Error(`no line ${id}`);
  return found;
}

describe("estimateCost, 100k events/month, Kinesis off", () => {
  it("counts requests as events ÷ events per request, rounded up", () => {
    // 100,000 / 3 = 33,333.3 → 33,334
    expect(goalCase.volumes.requests).toBe(33_334);
  });

  it("bills API Gateway one 512 KB unit per request at $1.00 per million", () => {
    // 3 × 420 + 800 = 2,060 bytes < 512 KB → 33,334 units × $0.000001 = $0.033334
    expect(line(goalCase, "httpApi").quantity).toBe(33_334);
    expect(line(goalCase, "httpApi").usd).toBeCloseTo(0.033334, 6);
  });

  it("bills Lambda invocations at $0.20 per million", () => {
    // 33,334 × $0.0000002 = $0.0066668
    expect(line(goalCase, "lambdaRequests").usd).toBeCloseTo(0.0066668, 7);
  });

  it("bills Lambda compute as 128 MB × 50 ms per invocation at the arm64 rate", () => {
    // 33,334 × 0.125 GB × 0.05 s = 208.3375 GB-s × $0.0000133334 = $0.00277785
    expect(line(goalCase, "lambdaCompute").quantity).toBeCloseTo(208.3375, 4);
    expect(line(goalCase, "lambdaCompute").usd).toBeCloseTo(0.00277785, 7);
  });

  it("bills cold-start INIT for at most six cold starts an hour", () => {
    // min(33,334, 730 × 6 = 4,380) × 0.125 GB × 0.4 s = 219 GB-s × $0.0000133334 = $0.00292001
    expect(line(goalCase, "lambdaInit").quantity).toBeCloseTo(219, 6);
    expect(line(goalCase, "lambdaInit").usd).toBeCloseTo(0.00292001, 7);
  });

  it("has no Kinesis lines", () => {
    expect(goalCase.lines.some((l) => l.service === "Kinesis")).toBe(false);
  });

  it("bills Firehose each 500-byte record as 5 KB", () => {
    // 100,000 × 5,120 B = 512,000,000 B = 0.476837 GB × $0.029 = $0.0138283
    expect(line(goalCase, "firehose").quantity).toBeCloseTo(0.476837, 6);
    expect(line(goalCase, "firehose").usd).toBeCloseTo(0.0138283, 6);
  });

  it("writes one S3 object per buffer flush", () => {
    // λ = 33,334 / 2,628,000 s = 0.0126842/s; cycle = 300 + 78.838 = 378.838 s;
    // 2,628,000 / 378.838 = 6,936.99 objects × $0.000005 = $0.0346850
    expect(line(goalCase, "s3Put").quantity).toBeCloseTo(6936.99, 2);
    expect(line(goalCase, "s3Put").usd).toBeCloseTo(0.034685, 6);
  });

  it("stores thirteen months of gzip output at a 5.5× ratio", () => {
    // 100,000 × 500 B / 5.5 = 9,090,909 B a month = 0.00846657 GB × 13 = 0.110065 GB-month × $0.023 = $0.00253150
    expect(line(goalCase, "s3Storage").quantity).toBeCloseTo(0.110065, 6);
    expect(line(goalCase, "s3Storage").usd).toBeCloseTo(0.0025315, 7);
  });

  it("lists once per hourly sync and gets each object once", () => {
    // 730 LIST × $0.000005 = $0.00365; 6,936.99 GET × $0.0000004 = $0.00277480
    expect(line(goalCase, "s3List").usd).toBeCloseTo(0.00365, 8);
    expect(line(goalCase, "s3Get").usd).toBeCloseTo(0.0027748, 7);
  });

  it("counts a LIST per 1,000 keys in the 27 hours each sync lists, when flushes are frequent", () => {
    // 10M events in 3,333,334 requests, 0 s buffer: about 3,333,334 objects, 4,566 an hour; a sync lists
    // 27 hours of them, 123,288 keys: 124 LIST × 730 runs = 90,520 LIST × $0.000005 = $0.4526
    const busy = estimateCost({ events: 10_000_000, kinesis: false, bufferSeconds: 0, eventsPerRequest: 3 });
    expect(line(busy, "s3List").quantity).toBe(90_520);
    expect(line(busy, "s3List").usd).toBeCloseTo(0.4526, 6);
  });

  it("bills CloudWatch Logs for 5 bytes per invocation at $0.50/GB", () => {
    // 33,334 × 5 B = 166,670 B = 0.000155223 GB × $0.50 = $0.0000776117
    expect(line(goalCase, "logs").usd).toBeCloseTo(0.0000776117, 9);
  });

  it("bills transfer out for responses and sync downloads at $0.09/GB", () => {
    // 33,334 × 250 B + 9,090,909 B = 17,424,409 B = 0.0162277 GB × $0.09 = $0.00146050
    expect(line(goalCase, "transferOut").usd).toBeCloseTo(0.0014605, 7);
  });

  it("totals about 10.5 cents, inside the 50-cent goal", () => {
    // sum of the lines above = $0.104706
    expect(goalCase.totalUsd).toBeCloseTo(0.104706, 5);
    expect(goalCase.totalUsd).toBeLessThanOrEqual(0.5);
  });

  it("frees Lambda entirely under the always-free tier but not API Gateway or S3", () => {
    expect(line(goalCase, "lambdaRequests").usdAlwaysFree).toBe(0);
    expect(line(goalCase, "lambdaCompute").usdAlwaysFree).toBe(0);
    expect(line(goalCase, "logs").usdAlwaysFree).toBe(0);
    expect(line(goalCase, "httpApi").usdAlwaysFree).toBe(line(goalCase, "httpApi").usd);
    // $0.104706 − 0.0066668 − 0.00277785 − 0.00292001 − 0.0000776117 − 0.0014605 = $0.0908036
    expect(goalCase.totalUsdAlwaysFree).toBeCloseTo(0.0908036, 5);
  });
});

describe("estimateCost, Kinesis on", () => {
  const on = estimateCost({ events: 10_000_000, kinesis: true, bufferSeconds: 300, eventsPerRequest: 1 });

  it("bills one provisioned shard for the whole month", () => {
    // peak = 10,000,000 / 2,628,000 × 10 = 38 records/s → 1 shard × 730 h × $0.015 = $10.95
    expect(on.volumes.shards).toBe(1);
    expect(line(on, "kinesisShards").usd).toBeCloseTo(10.95, 6);
  });

  it("bills one 25 KB PUT payload unit per record", () => {
    // 10,000,000 × $0.000000014 = $0.14
    expect(line(on, "kinesisPut").quantity).toBe(10_000_000);
    expect(line(on, "kinesisPut").usd).toBeCloseTo(0.14, 6);
  });

  it("bills the KMS calls of the encrypted stream, writer and reader every five minutes plus cold starts", () => {
    // 2 × 730 h × 12 + min(10,000,000, 4,380) = 21,900 calls × $0.000003 = $0.0657;
    // always free: (21,900 − 20,000) × $0.000003 = $0.0057
    expect(line(on, "kinesisKms").quantity).toBe(21_900);
    expect(line(on, "kinesisKms").usd).toBeCloseTo(0.0657, 8);
    expect(line(on, "kinesisKms").usdAlwaysFree).toBeCloseTo(0.0057, 8);
  });

  it("adds shards when the busiest second passes 1,000 records", () => {
    // 1e9 / 2,628,000 × 10 = 3,805 records/s → 4 shards
    const big = estimateCost({ events: 1e9, kinesis: true, bufferSeconds: 300, eventsPerRequest: 1 });
    expect(big.volumes.shards).toBe(4);
  });
});

describe("record packing and batching", () => {
  it("bills Firehose per request when the function joins a request's events into one record", () => {
    const packed = estimateCost(
      { events: 100_000, kinesis: false, bufferSeconds: 300, eventsPerRequest: 3 },
      { ...DEFAULT_ASSUMPTIONS, recordPer: "request" },
    );
    // 3 × 500 B = 1,500 B → one 5 KB unit per request: 33,334 × 5,120 B = 0.158948 GB × $0.029 = $0.00460951
    expect(line(packed, "firehose").usd).toBeCloseTo(0.00460951, 7);
  });

  it("rounds a 6 KB record up to 10 KB", () => {
    const large = estimateCost(
      { events: 1000, kinesis: false, bufferSeconds: 300, eventsPerRequest: 1 },
      { ...DEFAULT_ASSUMPTIONS, storedEventBytes: 6 * 1024 },
    );
    // 1,000 × 10,240 B = 0.00953674 GB
    expect(line(large, "firehose").quantity).toBeCloseTo(0.00953674, 8);
  });

  it("bounds objects by requests when the buffer is zero and by flushes when traffic is dense", () => {
    expect(deliveredObjects(10, 0, 6000)).toBe(10);
    // 1e9 requests: nearly one flush every 300 s → just under 2,628,000 / 300 = 8,760
    const dense = deliveredObjects(1e9, 300, 0);
    expect(dense).toBeLessThan(8760);
    expect(dense).toBeGreaterThan(8759.9);
    expect(deliveredObjects(0, 300, 0)).toBe(0);
  });
});

describe("traffic past what the stack and the report workflow take by default", () => {
  const settings = { kinesis: false, bufferSeconds: 300, eventsPerRequest: 3 };

  it("says nothing while the busiest second stays under the API's throttle", () => {
    // 39,000,000 / 3 = 13,000,000 requests / 2,628,000 s × 10 = 49.5 requests/s ≤ 50
    const notes = estimateCost({ ...settings, events: 39_000_000 }).notes;
    expect(notes.filter((n) => n.includes("api_throttle_rate"))).toEqual([]);
  });

  it("names the throttle variable once the busiest second passes it", () => {
    // 100,000,000 / 3 = 33,333,334 requests / 2,628,000 s × 10 = 126.8 requests/s > 50;
    // 126.8 × 0.05 s = 6.3 collectors at once ≤ 10
    const notes = estimateCost({ ...settings, events: 100_000_000 }).notes;
    expect(notes.filter((n) => n.includes("api_throttle_rate"))).toEqual([
      expect.stringMatching(/about 127 requests\/s, above the stack's default api_throttle_rate of 50/),
    ]);
    // The tracker resends a batch refused with a 429 once, 3 s later (tracker/src/track.ts), as it does a 500.
    const throttled = notes.find((n) => n.includes("api_throttle_rate"));
    expect(throttled).toContain(
      "get a 429, which the tracker resends once, 3 s later, before their events are lost",
    );
    expect(notes.filter((n) => n.includes("lambda_reserved_concurrency"))).toEqual([]);
  });

  it("names the reserved concurrency once the collectors needed at once pass it", () => {
    // 1e9 / 3 requests / 2,628,000 s × 10 = 1,268 requests/s × 0.05 s = 63.4 collectors > 10
    const notes = estimateCost({ ...settings, events: 1e9 }).notes;
    const note = notes.find((n) => /about 64 collectors .* lambda_reserved_concurrency of 10/.test(n));
    // A throttled Lambda behind an HTTP API is a 500 to the browser, not a 429: the tracker resends it once.
    expect(note).toContain("get a 500 from API Gateway (Lambda throttled), which the tracker resends once");
    expect(note).not.toContain("429");
  });

  it("says when the report workflow's data folder outgrows GitHub's Actions cache within the months kept", () => {
    // 10,000,000 × (500 / 5.5 + 103 B) = 1.93909e9 B a month = 1.81 GiB; 10 GiB / that = 5.54 months ≤ 13
    const notes = estimateCost({ ...settings, events: 10_000_000 }).notes;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /grows by about 1\.81 GB a month .* 10 GB Actions cache limit after about 5 months/,
    );
    // 4,000,000 × 193.909 B = 7.756e8 B a month: 13.8 months > 13
    expect(estimateCost({ ...settings, events: 4_000_000 }).notes).toEqual([]);
  });

  it("names kinesis_shard_count when the busiest second needs more shards than the stack deploys", () => {
    // 1e9 events / 2,628,000 s × 10 = 3,805 records/s at the busiest second: 4 shards of 1,000 records/s
    const busy = estimateCost({ ...settings, kinesis: true, events: 1e9 });
    expect(busy.volumes.shards).toBe(4);
    expect(busy.notes.filter((n) => n.includes("kinesis_shard_count=4"))).toHaveLength(1);
    // 262,000,000 events: 997 records/s, one shard, no note
    const fits = estimateCost({ ...settings, kinesis: true, events: 262_000_000 });
    expect(fits.volumes.shards).toBe(1);
    expect(fits.notes.filter((n) => n.includes("kinesis_shard_count"))).toEqual([]);
  });

  it("uses the stack's own defaults", () => {
    const variables = synthesizeStack().tf.variable;
    expect(variables.api_throttle_rate?.default).toBe(STACK_DEFAULTS.apiThrottleRate);
    expect(variables.lambda_reserved_concurrency?.default).toBe(STACK_DEFAULTS.lambdaReservedConcurrency);
    expect(variables.kinesis_shard_count?.default).toBe(STACK_DEFAULTS.kinesisShardCount);
    // Without --kinesis-mode the stream is priced provisioned, as the stack deploys it by default.
    expect(variables.kinesis_stream_mode?.default).toBe("PROVISIONED");
    expect(
      estimateCost({ events: 1000, kinesis: true, bufferSeconds: 300, eventsPerRequest: 3 }).lines,
    ).toContainEqual(expect.objectContaining({ id: "kinesisShards" }));
    // Without the option the estimate has no alarm-topic key, as the stack has none by default.
    expect(variables.encrypt_alarm_topic?.default).toBe(false);
  });

  it("names as many alarms as the stack creates, with the Kinesis stream and without", () => {
    const alarms = Object.values(synthesizeStack().tf.resource.aws_cloudwatch_metric_alarm ?? {});
    const always = alarms.filter((a) => a.count === undefined).length;
    const withStream = alarms.filter((a) => a.count === "${var.kinesis_stream_enabled ? 1 : 0}").length;
    expect(always + withStream).toBe(alarms.length);
    // 4 × $0.10 and 7 × $0.10 a month once the account's 10 free alarms are used up.
    expect(uncountedAlarms(false)).toContain(`the stack's ${always} CloudWatch alarms`);
    expect(uncountedAlarms(false)).toContain(`$${(always * 0.1).toFixed(2)}/month`);
    expect(uncountedAlarms(true)).toContain(`the stack's ${always + withStream} CloudWatch alarms`);
    expect(uncountedAlarms(true)).toContain(`$${((always + withStream) * 0.1).toFixed(2)}/month`);
  });
});

describe("the alarm topic's own key (encrypt_alarm_topic)", () => {
  it("adds $1 a month for the key only when asked", () => {
    expect(goalCase.lines.some((l) => l.id === "alarmTopicKey")).toBe(false);
    const encrypted = estimateCost({ ...goalCase.input, alarmTopicKey: true });
    expect(line(encrypted, "alarmTopicKey")).toMatchObject({ service: "KMS", quantity: 1, usd: 1 });
    // No free tier covers a key: the always-free column grows by the same dollar.
    expect(encrypted.totalUsd).toBeCloseTo(goalCase.totalUsd + 1, 10);
    expect(encrypted.totalUsdAlwaysFree).toBeCloseTo(goalCase.totalUsdAlwaysFree + 1, 10);
  });
});

describe("input checks", () => {
  const ok = { events: 1000, kinesis: false, bufferSeconds: 300, eventsPerRequest: 3 };
  it.each([
    [{ ...ok, bufferSeconds: 901 }, /--buffer-seconds must be a whole number from 0 to 900/],
    [{ ...ok, eventsPerRequest: 51 }, /--events-per-request must be a whole number from 1 to 50/],
    [{ ...ok, eventsPerRequest: 0 }, /--events-per-request/],
    [{ ...ok, events: -1 }, /--events must be a whole number/],
    [{ ...ok, events: 1.5 }, /--events must be a whole number/],
  ])("rejects %o", (input, message) => {
    expect(() => estimateCost(input)).toThrow(message);
  });

  it("costs nothing but the idle stream when no events arrive", () => {
    expect(estimateCost({ ...ok, events: 0 }).totalUsd).toBe(0);
    // the shard, 730 h × $0.015 = $10.95, and the reader's KMS calls, 730 × 12 × $0.000003 = $0.02628
    expect(estimateCost({ ...ok, events: 0, kinesis: true }).totalUsd).toBeCloseTo(10.97628, 6);
  });
});

describe("the Firehose buffer size (--buffer-mb)", () => {
  it("sets how many objects a busy stream writes, and so the S3 PUTs and GETs", () => {
    const input = { events: 1e9, kinesis: false, bufferSeconds: 300, eventsPerRequest: 3 };
    // 1e9 events × 500 B = 476,837 MiB before compression a month: one object per MiB with a 1 MiB
    // buffer, many more than the 8,760 flushes of a 300 s interval.
    const small = estimateCost({ ...input, bufferMb: 1 });
    expect(small.volumes.objects).toBeCloseTo((1e9 * 500) / 2 ** 20, 0);
    const put = small.lines.find((line) => line.id === "s3Put");
    expect(put?.item).toBe("PUT per Firehose flush (300 s / 1 MiB buffer)");
    expect(put?.quantity).toBe(small.volumes.objects);
    // The stack's default of 128 MiB: the interval sets the count.
    expect(estimateCost(input).volumes.objects).toBeCloseTo(8760, -1);
    expect(estimateCost({ ...input, bufferMb: 128 }).totalUsd).toBe(estimateCost(input).totalUsd);
    expect(small.totalUsd).toBeGreaterThan(estimateCost(input).totalUsd);
  });

  it("is refused outside Firehose's 1-128 MiB", () => {
    const input = { events: 1000, kinesis: false, bufferSeconds: 300, eventsPerRequest: 3 };
    for (const bufferMb of [0, 129, 1.5])
      expect(() => estimateCost({ ...input, bufferMb })).toThrow(
        `--buffer-mb must be a whole number from 1 to 128, got ${bufferMb}`,
      );
  });
});
