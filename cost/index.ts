// The cost model's face. Filled in by the operations work.
export interface CostOptions {
  events: number;
  kinesis: "on" | "off";
  bufferSeconds: number;
  eventsPerRequest: number;
}

export async function printCost(_opts: CostOptions): Promise<number> {
  throw new Error("ownstats cost is not available in this build yet");
}
