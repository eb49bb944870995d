// The model runner's face. Filled in by the runner work.
export interface RunnerOptions {
  data: string;
  models: string;
  select?: string[];
  exclude?: string[];
  fullRefresh: boolean;
  vars?: Record<string, unknown>;
}
export interface QueryOptions {
  data: string;
  format: "table" | "csv" | "json";
}

export async function runProject(_step: "build" | "run" | "test", _opts: RunnerOptions): Promise<number> {
  throw new Error("the model runner is not available in this build yet");
}
export async function query(_sql: string, _opts: QueryOptions): Promise<number> {
  throw new Error("ownstats query is not available in this build yet");
}
