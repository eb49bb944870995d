// Reading the GitHub workflows in tests: their jobs and steps, parsed from the YAML.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface Step {
  name?: string;
  id?: string;
  if?: string;
  env?: Record<string, string>;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
export interface Job {
  "runs-on": string;
  container?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  environment?: { name: string; url?: string };
  env?: Record<string, string>;
  steps: Step[];
}
export interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

export const source = (name: string) =>
  readFileSync(new URL(`../.github/workflows/${name}`, import.meta.url), "utf8");
export const load = (name: string) => parse(source(name)) as Workflow;

export function job(workflow: Workflow, name: string): Job {
  const found = workflow.jobs[name];
  if (!found) throw new Error(`no job ${name}`);
  return found;
}

export function stepIndex(steps: Step[], match: (s: Step) => boolean, what: string): number {
  const index = steps.findIndex(match);
  if (index < 0) throw new Error(`no step ${what}`);
  return index;
}

export const uses = (prefix: string) => (s: Step) => s.uses?.startsWith(`${prefix}@`) ?? false;
export const runs = (command: string) => (s: Step) => s.run?.includes(command) ?? false;
