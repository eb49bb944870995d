// Prints the README's cost tables from the estimate, so the published figures come from the code:
// `npx tsx cost/readme-table.ts`.
import { estimateCost } from "./estimate.ts";
import { markdownItemized, markdownVolumeTable } from "./format.ts";

const settings = { bufferSeconds: 300, eventsPerRequest: 3 };
console.log(markdownVolumeTable([10_000, 100_000, 1_000_000, 10_000_000], settings));
console.log();
console.log(markdownItemized(estimateCost({ ...settings, events: 100_000, kinesis: false })));
