// A problem that stops `collect` or `dev` before it serves, which the user fixes (a flag, a folder, a
// lock, a checkpoint): printed as one line with exit code 2, never as a stack trace.
export class StartProblem extends Error {}
