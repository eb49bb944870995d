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
  // Same run, same sources, no minifier: what the size work buys.
  const plain = sizes(await bundleTracker({ minify: false }));
  const smallestPeer = Math.min(...Object.values(PEERS_GZIP_BYTES));
  return {
    bench: "tracker-size",
    figures: [
      {
        name: "analytics.js minified",
        value: raw,
        unit: "B",
        baseline: { name: "same bundle unminified", value: plain.raw, unit: "B" },
        ratio: raw / plain.raw,
      },
      {
        name: "analytics.js gzip -9",
        value: gzip,
        unit: "B",
        baseline: { name: "same bundle unminified, gzip -9", value: plain.gzip, unit: "B" },
        ratio: gzip / plain.gzip,
        goal: `≤ ${GZIP_BUDGET_BYTES} B and below the smallest peer (${smallestPeer} B)`,
        met: gzip <= GZIP_BUDGET_BYTES && gzip < smallestPeer,
      },
      ...Object.entries(PEERS_GZIP_BYTES).map(([peer, bytes]) => ({
        name: `ours ÷ ${peer}`,
        value: gzip / bytes,
        unit: "×",
        baseline: { name: `${peer} gzip -9 (published script)`, value: bytes, unit: "B" },
        goal: "< 1",
        met: gzip < bytes,
      })),
    ],
    notes: ["peer sizes: gzip -9 of each published script, measured from their releases (not rebuilt here)"],
  };
}

await runIfMain(import.meta.url, run);
