// `ownstats cost`: an itemized monthly AWS estimate for a traffic level and the stack's settings.
import { estimateCost } from "./estimate.ts";
import { formatEstimate } from "./format.ts";

export interface CostOptions {
  events: number;
  kinesis: "on" | "off";
  bufferSeconds: number;
  eventsPerRequest: number;
}

export { estimateCost } from "./estimate.ts";

export async function printCost(opts: CostOptions): Promise<number> {
  if (opts.kinesis !== "on" && opts.kinesis !== "off") {
    console.error(`ownstats cost: --kinesis must be on or off, got ${String(opts.kinesis)}`);
    return 2;
  }
  try {
    const estimate = estimateCost({
      events: opts.events,
      kinesis: opts.kinesis === "on",
      bufferSeconds: opts.bufferSeconds,
      eventsPerRequest: opts.eventsPerRequest,
    });
    console.log(formatEstimate(estimate));
    return 0;
  } catch (error) {
    if (error instanceof RangeError) {
      console.error(`ownstats cost: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
