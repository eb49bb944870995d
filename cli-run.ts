// Runs the `ownstats` command as a user does, for the command's tests: exit code, stdout and stderr.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const bin = fileURLToPath(new URL("./bin/ownstats.js", import.meta.url));

/**
 * Runs the command with extra environment (in `cwd`, if given); one that starts a server instead is
 * stopped after 20 s.
 */
export const ownstatsIn = (cwd: string | undefined, env: NodeJS.ProcessEnv, ...args: string[]) =>
  settled(run(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...env }, timeout: 20_000 }));
/** The command run by `wrapper` (a command that runs the rest of its arguments, as prlimit or unshare). */
export const ownstatsUnder = (wrapper: string[], env: NodeJS.ProcessEnv, ...args: string[]) =>
  settled(
    run(wrapper[0] as string, [...wrapper.slice(1), process.execPath, bin, ...args], {
      env: { ...process.env, ...env },
      timeout: 20_000,
    }),
  );
/** The command under `prlimit` with `limits` (--fsize=0: no write of a byte, as on a full disk). */
export const ownstatsLimited = (limits: string[], env: NodeJS.ProcessEnv, ...args: string[]) =>
  ownstatsUnder(["prlimit", ...limits], env, ...args);
const settled = (running: Promise<{ stdout: string; stderr: string }>) =>
  running.then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number | null; stdout: string; stderr: string }) => e,
  );
export const ownstatsWith = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  ownstatsIn(undefined, env, ...args);
export const ownstats = (...args: string[]) => ownstatsWith({}, ...args);
/** `collect` on any free port into `data`, with SINK unset so that only the flags choose the sink. */
export const collectInto = (data: string, ...args: string[]) =>
  ownstatsWith({ SINK: "" }, "collect", "--port", "0", "--data", data, ...args);
