// The Kinesis stream's line items in either capacity mode (the stack's kinesis_stream_mode):
// provisioned shards sized for the busiest second, or on-demand's fee per stream-hour and per GB.
import { type Assumptions, GB, HOURS_PER_MONTH, KB, SECONDS_PER_MONTH } from "./assumptions.ts";
import type { Price, PriceBook } from "./prices.ts";

/** `provisioned`: the stack's kinesis_stream_mode PROVISIONED; `on-demand`: ON_DEMAND. */
export type KinesisMode = "provisioned" | "on-demand";
export const KINESIS_MODES: readonly KinesisMode[] = ["provisioned", "on-demand"];

export type KinesisLineId =
  | "kinesisShards"
  | "kinesisPut"
  | "kinesisStreamHours"
  | "kinesisDataIn"
  | "kinesisDataOut"
  | "kinesisKms";

export interface KinesisItem {
  id: KinesisLineId;
  item: string;
  quantity: number;
  unitPrice: Price;
}

export interface KinesisTraffic {
  events: number;
  records: number;
  recordBytes: number;
  coldStarts: number;
}

/** Shards a provisioned stream needs at the busiest second: each takes 1,000 records/s or 1 MiB/s. */
export function provisionedShards(records: number, recordBytes: number, a: Assumptions): number {
  const peakRecordsPerSecond = (records / SECONDS_PER_MONTH) * a.peakToAverage;
  return Math.max(
    1,
    Math.ceil(peakRecordsPerSecond / 1000),
    Math.ceil((peakRecordsPerSecond * recordBytes) / (1024 * KB)),
  );
}

export function kinesisItems(
  mode: KinesisMode,
  traffic: KinesisTraffic,
  a: Assumptions,
  prices: PriceBook,
): KinesisItem[] {
  const { records, recordBytes } = traffic;
  const items: KinesisItem[] = [];
  if (mode === "provisioned") {
    const shards = provisionedShards(records, recordBytes, a);
    items.push(
      {
        id: "kinesisShards",
        item: `${shards} provisioned shard${shards === 1 ? "" : "s"} × ${HOURS_PER_MONTH} h`,
        quantity: shards * HOURS_PER_MONTH,
        unitPrice: prices.kinesisShardHour,
      },
      {
        id: "kinesisPut",
        item: "PUT payload units (25 KB)",
        quantity: records * Math.ceil(recordBytes / (25 * KB)),
        unitPrice: prices.kinesisPutPayloadUnit,
      },
    );
  } else {
    items.push(
      {
        id: "kinesisStreamHours",
        item: `on-demand stream × ${HOURS_PER_MONTH} h`,
        quantity: HOURS_PER_MONTH,
        unitPrice: prices.kinesisOnDemandStreamHour,
      },
      {
        id: "kinesisDataIn",
        item: "on-demand data written (1 KB steps)",
        quantity: (records * Math.ceil(recordBytes / KB) * KB) / GB,
        unitPrice: prices.kinesisOnDemandIngestedGb,
      },
      {
        // Firehose reads every record once; `ownstats live` and `replay` read more while they run.
        id: "kinesisDataOut",
        item: "on-demand data read by Firehose",
        quantity: (records * recordBytes) / GB,
        unitPrice: prices.kinesisOnDemandRetrievedGb,
      },
    );
  }
  items.push({
    id: "kinesisKms",
    item: "KMS calls for stream encryption (aws/kinesis key)",
    quantity:
      HOURS_PER_MONTH * a.kmsCallsPerCredentialHour * (traffic.events > 0 ? 2 : 1) + traffic.coldStarts,
    unitPrice: prices.kmsRequest,
  });
  return items;
}
