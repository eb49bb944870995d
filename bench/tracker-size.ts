// The tracker's size, raw and gzip -9, beside the published scripts of privacy-first peers
// (measured with gzip -9 from their releases; see the analytics anchors of the design notes).
import { bundleTracker, GZIP_BUDGET_BYTES, sizes } from "../tracker/build.ts";
import { type BenchResult, runIfMain } from "./results.ts";

const PEERS_GZIP_BYTES: Record<string, number> = {
  "Plausible plausible-web.js": 2_601,
  "Umami v3.1.0": 2_223,
  "GoatCounter count.js": 3_325,
  "PostHog module.slim.js": 53_987,
};

export async function run(): Promise<BenchResult> {
  const { raw, gzip } = sizes(await bundleTracker());
  const smallestPeer = Math.min(...Object.values(PEERS_GZIP_BYTES));
  return {
    bench: "tracker-size",
    figures: [
      { name: "analytics.js minified", value: raw, unit: "B" },
      {
        name: "analytics.js gzip -9",
        value: gzip,
        unit: "B",
        baseline: { name: "smallest peer (Umami v3.1.0) gzip -9", value: smallestPeer, unit: "B" },
        ratio: gzip / smallestPeer,
        goal: `≤ ${GZIP_BUDGET_BYTES} B and smaller than every peer (ratio < 1)`,
        met: gzip <= GZIP_BUDGET_BYTES && gzip < smallestPeer,
      },
      ...Object.entries(PEERS_GZIP_BYTES).map(([peer, bytes]) => ({
        name: `${peer} gzip -9 (published figure)`,
        value: bytes,
        unit: "B",
        ratio: gzip / bytes,
      })),
    ],
    notes: [
      "peer sizes are gzip -9 of each published script, measured once from their releases; ratio = ours ÷ theirs",
    ],
  };
}

await runIfMain(import.meta.url, run);
