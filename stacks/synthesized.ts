// Reading a synthesized stack (cdk.tf.json) in tests: blocks by type, and policy documents behind references.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { AnalyticsStack } from "./analytics-stack.ts";

export type Block = Record<string, unknown> & { count?: unknown };

export interface Synthesized {
  readonly resource: Record<string, Record<string, Block>>;
  readonly data: Record<string, Record<string, Block>>;
  readonly variable: Record<string, Block>;
  readonly output: Record<string, Block>;
  readonly terraform: Record<string, unknown>;
}

export interface Statement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: string[];
  readonly resources?: string[];
  readonly principals?: { type: string; identifiers: string[] }[];
  readonly condition?: { test: string; variable: string; values: string[] }[];
}

/** Every resource of a type, keyed by its logical name. */
export function resourcesOf(tf: Synthesized, type: string): Record<string, Block> {
  return tf.resource[type] ?? {};
}

/** The only resource of a type whose logical name contains `nameHint`; throws if there is not exactly one. */
export function onlyResource(tf: Synthesized, type: string, nameHint = ""): Block {
  const found = Object.entries(resourcesOf(tf, type)).filter(([name]) => name.includes(nameHint));
  if (found.length !== 1) {
    throw new Error(
      `expected one ${type} named like "${nameHint}", found ${found.map(([n]) => n).join(", ") || "none"}`,
    );
  }
  return (found[0] as [string, Block])[1];
}

/** The statements of the aws_iam_policy_document that a `${data.aws_iam_policy_document.NAME[.0].json}` names. */
export function statementsOf(tf: Synthesized, reference: unknown): Statement[] {
  const match = /data\.aws_iam_policy_document\.([^.}\s]+)/.exec(String(reference));
  const document = match ? tf.data.aws_iam_policy_document?.[match[1] as string] : undefined;
  if (!document) throw new Error(`no policy document behind ${String(reference)}`);
  return document.statement as Statement[];
}

/** All policy documents with their logical names. */
export function policyDocuments(tf: Synthesized): [string, Statement[]][] {
  return Object.entries(tf.data.aws_iam_policy_document ?? {}).map(([name, doc]) => [
    name,
    doc.statement as Statement[],
  ]);
}

/** A block's `count` as written, e.g. `${var.kinesis_stream_enabled ? 1 : 0}`. */
export function countOf(block: Block): unknown {
  return block.count;
}

/** Synthesizes the stack as tests see it (fixed region, testing app) and parses the Terraform JSON. */
export function synthesizeStack(): { text: string; tf: Synthesized } {
  const app = Testing.app();
  const text = Testing.synth(new AnalyticsStack(app, "ownstats", { region: "eu-west-1" }));
  // The testing app writes into a fresh temporary folder (with the collector bundle); nothing reads it later.
  rmSync(app.outdir, { recursive: true, force: true });
  return { text, tf: JSON.parse(text) as Synthesized };
}

/**
 * Synthesizes the stack as `cdktf synth` does, collector archive included, and gives `use` the stack's
 * folder. Both temporary folders the synthesis makes (the testing app's, with the collector bundle,
 * and the output's) are removed afterwards.
 */
export function withFullSynth<T>(use: (stackDir: string) => T): T {
  const app = Testing.app();
  const outdir = Testing.fullSynth(new AnalyticsStack(app, "ownstats", { region: "eu-west-1" }));
  try {
    return use(join(outdir, "stacks", "ownstats"));
  } finally {
    for (const dir of [outdir, app.outdir]) rmSync(dir, { recursive: true, force: true });
  }
}
