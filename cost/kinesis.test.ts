// The Kinesis stream in on-demand capacity mode (the stack's kinesis_stream_mode ON_DEMAND), against
// figures worked out by hand, and the comparison that says which mode is cheaper.
import { describe, expect, it } from "vitest";
import { DEFAULT_ASSUMPTIONS } from "./assumptions.ts";
import { type CostEstimate, estimateCost, type LineId } from "./estimate.ts";
import { compareKinesisModes, describeInput } from "./format.ts";

function line(estimate: CostEstimate, id: LineId) {
  const found = estimate.lines.find((l) => l.id === id);
  if (!found) throw new Error(`no line ${id}`);
  return found;
}

const input = { events: 10_000_000, kinesis: true, bufferSeconds: 300, eventsPerRequest: 1 };
const provisioned = estimateCost(input);
const onDemand = estimateCost({ ...input, kinesisMode: "on-demand" });

describe("estimateCost, Kinesis on-demand, 10M events/month, one per request", () => {
  it("bills the stream by the hour instead of shards and PUT payload units", () => {
    // 730 h × $0.04 = $29.20
    expect(line(onDemand, "kinesisStreamHours")).toMatchObject({ quantity: 730 });
    expect(line(onDemand, "kinesisStreamHours").usd).toBeCloseTo(29.2, 8);
    expect(onDemand.lines.some((l) => l.id === "kinesisShards" || l.id === "kinesisPut")).toBe(false);
    expect(onDemand.volumes.shards).toBe(0);
    expect(describeInput(onDemand.input)).toContain("Kinesis on (on-demand)");
  });

  it("bills each 500-byte record written as 1 KB at $0.08/GB", () => {
    // 10,000,000 × 1,024 B = 10,240,000,000 B = 9.53674 GB × $0.08 = $0.762939
    expect(line(onDemand, "kinesisDataIn").quantity).toBeCloseTo(9.536743, 6);
    expect(line(onDemand, "kinesisDataIn").usd).toBeCloseTo(0.762939, 6);
  });

  it("bills Firehose's read of every record, unrounded, at $0.04/GB", () => {
    // 10,000,000 × 500 B = 5,000,000,000 B = 4.65661 GB × $0.04 = $0.186265
    expect(line(onDemand, "kinesisDataOut").quantity).toBeCloseTo(4.656613, 6);
    expect(line(onDemand, "kinesisDataOut").usd).toBeCloseTo(0.186265, 6);
  });

  it("keeps the KMS calls of the encrypted stream, which do not depend on the mode", () => {
    expect(line(onDemand, "kinesisKms")).toEqual(line(provisioned, "kinesisKms"));
  });

  it("costs $19.06 more than one provisioned shard, everything else alike", () => {
    // ($29.20 + $0.762939 + $0.186265) − ($10.95 shard + $0.14 PUT units) = $19.059204
    expect(onDemand.totalUsd - provisioned.totalUsd).toBeCloseTo(19.059204, 5);
  });

  it("rounds a request's joined events up to whole KB written, and reads them as they are", () => {
    const packed = estimateCost(
      { ...input, events: 100_000, eventsPerRequest: 3, kinesisMode: "on-demand" },
      { ...DEFAULT_ASSUMPTIONS, recordPer: "request" },
    );
    // 33,334 records of 1,500 B: in 33,334 × 2,048 B = 68,268,032 B = 0.0635795 GB × $0.08 = $0.00508636;
    // out 33,334 × 1,500 B = 50,001,000 B = 0.0465671 GB × $0.04 = $0.00186268
    expect(line(packed, "kinesisDataIn").usd).toBeCloseTo(0.00508636, 8);
    expect(line(packed, "kinesisDataOut").usd).toBeCloseTo(0.00186268, 8);
  });

  it("costs the idle stream and its reader's KMS calls when no events arrive", () => {
    // 730 h × $0.04 = $29.20, plus 730 × 12 × $0.000003 = $0.02628
    expect(estimateCost({ ...input, events: 0, kinesisMode: "on-demand" }).totalUsd).toBeCloseTo(29.22628, 6);
  });

  it("asks for no kinesis_shard_count at a busiest second that needs 4 provisioned shards", () => {
    const busy = { ...input, events: 1e9 };
    expect(estimateCost(busy).notes.some((n) => n.includes("kinesis_shard_count=4"))).toBe(true);
    const notes = estimateCost({ ...busy, kinesisMode: "on-demand" }).notes;
    expect(notes.filter((n) => n.includes("kinesis_shard_count"))).toEqual([]);
  });

  it("refuses an unknown mode, and on-demand without the stream, naming the option", () => {
    expect(() => estimateCost({ ...input, kinesisMode: "ondemand" as never })).toThrow(
      "--kinesis-mode must be provisioned or on-demand, got ondemand",
    );
    expect(() => estimateCost({ ...input, kinesis: false, kinesisMode: "on-demand" })).toThrow(
      /--kinesis-mode on-demand prices the Kinesis stream, which --kinesis off leaves out/,
    );
  });
});

describe("which capacity mode is cheaper", () => {
  it("says provisioned, and by how much, when one shard takes the busiest second", () => {
    expect(compareKinesisModes(provisioned)).toBe(
      `With --kinesis-mode on-demand (kinesis_stream_mode=ON_DEMAND): ${usdOf(onDemand)}/month, $19.06 more. Provisioned is cheaper for this traffic; on-demand spares sizing kinesis_shard_count for bursts.`,
    );
    expect(compareKinesisModes(onDemand)).toMatch(
      /^With --kinesis-mode provisioned \(kinesis_stream_mode=PROVISIONED\): \$\d+\.\d\d\/month, \$19\.06 less\. Provisioned is cheaper/,
    );
  });

  it("says on-demand when bursts are so steep that shards sized for them sit idle", () => {
    // A busiest second at 1,000× the average: 1e9 / 2,628,000 × 1,000 = 380,518 records/s → 381 shards,
    // 381 × 730 × $0.015 = $4,171.95 + 1e9 PUT units × $0.000000014 = $14 → $4,185.95 for the stream;
    // on-demand: $29.20 + 953.674 GB × $0.08 + 465.661 GB × $0.04 = $124.12; $4,061.83 less.
    const spiky = { ...DEFAULT_ASSUMPTIONS, peakToAverage: 1000 };
    const shards = estimateCost({ ...input, events: 1e9 }, spiky);
    expect(shards.volumes.shards).toBe(381);
    expect(compareKinesisModes(shards)).toMatch(/\$4061\.83 less\. On-demand is cheaper for this traffic\.$/);
  });

  it("says nothing with the stream off", () => {
    expect(compareKinesisModes(estimateCost({ ...input, kinesis: false }))).toBeUndefined();
  });
});

function usdOf(estimate: CostEstimate): string {
  return `$${estimate.totalUsd.toFixed(2)}`;
}
