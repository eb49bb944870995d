// dbt's console lines, which analysts read daily:
// `1 of 7 START sql table model main.sessions ........ [RUN]` and the Done. summary.

import { withMemoryHint } from "./memory-limit.ts";
import type { ProjectError } from "./project.ts";
import type { NodeResult } from "./run-results.ts";
import type { MacroLine } from "./template-lines.ts";

const width = 80;

export function line(index: number, total: number, message: string, status: string): string {
  const head = `${index} of ${total} ${message} `;
  return `${head}${".".repeat(Math.max(3, width - head.length))} [${status}]`;
}

export function seconds(s: number): string {
  return `${s.toFixed(2)}s`;
}

/**
 * `models/x.sql:12`; for a line a macro wrote, the macro's file and line first:
 * `models/macros/m.sql:3, included from models/x.sql:12`.
 */
export function location(file: string, line?: number, macroLines: MacroLine[] = []): string {
  const at = line ? `${file}:${line}` : file;
  return [...macroLines.map((m) => `${m.file}:${m.line}`), at].join(", included from ");
}

export function projectErrorLines(errors: ProjectError[]): string[] {
  const out = [`Encountered ${errors.length} project error${errors.length === 1 ? "" : "s"}:`];
  for (const e of errors) {
    const where = location(e.file, e.line, e.macroLines);
    out.push(`  Compilation Error in ${where}`, `    ${e.message.replace(/\n/g, "\n    ")}`);
  }
  return out;
}

export function projectWarningLines(warnings: ProjectError[]): string[] {
  return warnings.map((w) => `[WARNING]: ${location(w.file, w.line, w.macroLines)} ${w.message}`);
}

/** "1 model", "2 models". */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** dbt's first line: `Found 7 models, 12 data tests, 1 source`. */
export function foundLine(models: number, tests: number, sources: number): string {
  return `Found ${plural(models, "model")}, ${plural(tests, "data test")}, ${plural(sources, "source")}`;
}

/** The summary after a run; `interrupted` (Ctrl-C) never says it completed, whatever ran before the signal. */
export function summaryLines(results: NodeResult[], elapsed: number, interrupted = false): string[] {
  const kinds = new Map<string, number>();
  for (const r of results) {
    const kind = r.resource_type === "model" ? `${r.materialized} model` : "data test";
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const what = [...kinds].map(([k, n]) => plural(n, k)).join(", ") || "nothing";
  const errors = results.filter((r) => r.status === "error" || r.status === "fail");
  const warnings = results.filter((r) => r.status === "warn");
  const pass = results.filter((r) => r.status === "success" || r.status === "pass").length;
  const skip = results.filter((r) => r.status === "skipped").length;
  const out = ["", `Finished running ${what} in ${elapsed.toFixed(2)} seconds.`, ""];
  if (errors.length === 0 && warnings.length === 0)
    out.push(
      interrupted
        ? `Interrupted: ${plural(skip, "node")} of ${results.length} not run`
        : "Completed successfully",
    );
  else
    out.push(`Completed with ${plural(errors.length, "error")} and ${plural(warnings.length, "warning")}:`);
  for (const r of [...errors, ...warnings]) {
    out.push("");
    const where = location(r.original_file_path, r.line, r.line ? r.macroLines : []);
    if (r.resource_type === "model") out.push(`Runtime Error in model ${r.name} (${where})`);
    else if (r.status === "error") out.push(`Runtime Error in test ${r.name} (${where})`);
    else out.push(`${r.status === "warn" ? "Warning" : "Failure"} in test ${r.name} (${where})`);
    const message = withMemoryHint(r.message ?? "");
    out.push(`  ${message.replace(/\n/g, "\n  ")}`);
    // As dbt prints it, so that the rows can be read at once (`ownstats query "select * from …"`).
    if (r.resource_type === "test" && r.status !== "error" && r.relation_name)
      out.push("", "  See test failures:", `  select * from ${r.relation_name}`);
  }
  out.push(
    "",
    `Done. PASS=${pass} WARN=${warnings.length} ERROR=${errors.length} SKIP=${skip} TOTAL=${results.length}`,
  );
  return out;
}
