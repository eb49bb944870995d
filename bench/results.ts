// What every benchmark returns, so `npm run bench` can gather them into bench/RESULTS.md.
// A figure is always read against a baseline measured in the same run on the same machine.
import { pathToFileURL } from "node:url";

export interface Figure {
  /** What was measured, e.g. "events/s at 20 events per request". */
  name: string;
  value: number;
  unit: string;
  /** The same measurement of the lower bound or reference, taken in the same run. */
  baseline?: { name: string; value: number; unit: string };
  /** value ÷ baseline (or baseline ÷ value when smaller is better, as the bench says in `goal`). */
  ratio?: number;
  /** The goal in words, e.g. "≥ 20,000 events/s and ratio ≥ 0.5". */
  goal?: string;
  met?: boolean;
}

/** A figure read against a baseline in the same unit: the ratio is value ÷ baseline (none when it is 0). */
export function compared(
  name: string,
  value: number,
  unit: string,
  baseline: { name: string; value: number },
): Figure {
  return {
    name,
    value,
    unit,
    baseline: { ...baseline, unit },
    ratio: baseline.value > 0 ? value / baseline.value : undefined,
  };
}

export interface BenchResult {
  bench: string;
  figures: Figure[];
  notes?: string[];
}

export function formatResult(result: BenchResult): string {
  const lines = [`${result.bench}`];
  for (const f of result.figures) {
    const base = f.baseline
      ? `  baseline ${f.baseline.name}: ${round(f.baseline.value)} ${f.baseline.unit}`
      : "";
    const ratio = f.ratio === undefined ? "" : `  ratio ${round(f.ratio)}`;
    const goal = f.goal
      ? `  goal ${f.goal}${f.met === undefined ? "" : f.met ? " (met)" : " (NOT met)"}`
      : "";
    lines.push(`  ${f.name}: ${round(f.value)} ${f.unit}${base}${ratio}${goal}`);
  }
  for (const note of result.notes ?? []) lines.push(`  note: ${note}`);
  return lines.join("\n");
}

function round(n: number): string {
  return Math.abs(n) >= 100 ? Math.round(n).toLocaleString("en-US") : String(Math.round(n * 1000) / 1000);
}

/** Runs a benchmark module's `run` when the file is executed directly (`tsx bench/x.ts`). */
export async function runIfMain(moduleUrl: string, run: () => Promise<BenchResult>): Promise<void> {
  if (process.argv[1] && moduleUrl === pathToFileURL(process.argv[1]).href) {
    console.log(formatResult(await run()));
  }
}
