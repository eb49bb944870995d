// What refuses an `ownstats dev` start before anything serves: a bad --vars, a bad demo anchor, and how
// any start-up problem is told (one line, exit 2, as usage errors are).
import { loadProjectFiles } from "../runner/project.ts";
import { varsErrors } from "../runner/vars.ts";
import { demoAnchor } from "./demo.ts";
import { DevStartError } from "./dev-guard.ts";
import { refusedWrite, StartProblem } from "./start-problem.ts";

/** A bad --vars (an unknown zone) would fail every build: named once at the start instead. */
export function checkVars(models: string, vars: Record<string, unknown> | undefined): void {
  const [problem] = varsErrors(loadProjectFiles(models).config.vars, vars ?? {});
  if (problem) throw new DevStartError(`${problem.file}: ${problem.message}`);
}

export function checkDemoAnchor(): void {
  try {
    demoAnchor();
  } catch (error) {
    throw new DevStartError((error as Error).message);
  }
}

export function startFailed(thrown: unknown, data: string): number {
  // A full disk passes the writable check (an empty file) and fails at the lock's first byte.
  const error = refusedWrite(thrown, data);
  const message = error instanceof Error ? error.message : String(error);
  // Every start-up problem is one line and exit 2, as usage errors are.
  if (error instanceof StartProblem || /already in use|EACCES|EROFS|ENOTDIR/.test(message)) {
    console.error(`ownstats dev: ${message.split("\n")[0]}`);
    return 2;
  }
  throw error;
}
