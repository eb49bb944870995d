// DuckDB lets one process open a database file; another process's attempt fails with
// `IO Error: Could not set lock on file "…": Conflicting lock is held in …`. No DuckDB import here:
// the dev server checks its build jobs' output with this and must not load the engine itself.

/** Whether an error message (or a line of a build's output) says another process holds the file. */
export function heldByAnotherProcess(message: string): boolean {
  return message.includes("Conflicting lock");
}
