// `ownstats cost`: an itemized monthly AWS estimate for a traffic level and the stack's settings.
import { estimateCost } from "./estimate.ts";
import { compareKinesisModes, formatEstimate, usd } from "./format.ts";
import type { KinesisMode } from "./kinesis.ts";

export interface CostOptions {
  events: number;
  kinesis: "on" | "off";
  kinesisMode: KinesisMode;
  bufferSeconds: number;
  bufferMb: number;
  eventsPerRequest: number;
  encryptAlarmTopic: "on" | "off";
}

export { estimateCost } from "./estimate.ts";

export async function printCost(opts: CostOptions): Promise<number> {
  if (opts.kinesis !== "on" && opts.kinesis !== "off") {
    console.error(`ownstats cost: --kinesis must be on or off, got ${String(opts.kinesis)}`);
    return 2;
  }
  if (opts.encryptAlarmTopic !== "on" && opts.encryptAlarmTopic !== "off") {
    console.error(
      `ownstats cost: --encrypt-alarm-topic must be on or off, got ${String(opts.encryptAlarmTopic)}`,
    );
    return 2;
  }
  try {
    const estimate = estimateCost({
      events: opts.events,
      kinesis: opts.kinesis === "on",
      kinesisMode: opts.kinesisMode,
      bufferSeconds: opts.bufferSeconds,
      bufferMb: opts.bufferMb,
      eventsPerRequest: opts.eventsPerRequest,
      alarmTopicKey: opts.encryptAlarmTopic === "on",
    });
    console.log(formatEstimate(estimate));
    const modes = compareKinesisModes(estimate);
    if (modes) console.log(modes);
    if (estimate.input.kinesis) {
      const without = estimateCost({ ...estimate.input, kinesis: false, kinesisMode: undefined });
      console.log(
        `With --kinesis off (DirectPut Firehose, no stream): ${usd(without.totalUsd)}/month; \`ownstats live\` and \`replay\` need the stream.`,
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof RangeError) {
      console.error(`ownstats cost: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
