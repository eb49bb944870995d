// DATA/alerts.json: how far the alert checks went, the start of a quiet stretch already sent and the
// hours already alerted, so that each check sends only what is new. Written beside its place and
// renamed into it once the alerts are sent.
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { refusedBecause } from "../runner/refused-write.ts";
import type { AlertState } from "./alerts.ts";
import { temporaryPath } from "./temporary-files.ts";

export const STATE_FILE = "alerts.json";

/** The recorded state, or undefined (said, unless there is none yet) when it cannot be trusted. */
export function readState(path: string, now: number, say: (text: string) => void): AlertState | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as {
      checked_through?: unknown;
      quiet_since?: unknown;
      alerted_hours?: unknown;
    };
    if (typeof state.checked_through !== "string" || Number.isNaN(Date.parse(state.checked_through)))
      throw new Error("checked_through is not a time");
    // Trusted, a check recorded after now would leave every hour until then unchecked.
    if (Date.parse(state.checked_through) > now) {
      say(
        `${path} records a check through ${state.checked_through}, after now (a clock that ran ahead?); checking the last day again`,
      );
      return undefined;
    }
    return {
      checkedThrough: state.checked_through,
      ...(typeof state.quiet_since === "string" ? { quietSince: state.quiet_since } : {}),
      ...(Array.isArray(state.alerted_hours)
        ? { alerted: state.alerted_hours.filter((hour): hour is string => typeof hour === "string") }
        : {}),
    };
  } catch (error) {
    say(`${path} is not what it should be (${(error as Error).message}); checking the last day again`);
    return undefined;
  }
}

/** The state written beside its place, to rename into it; or why it cannot be recorded. */
export function stageState(path: string, state: AlertState): string | { refused: string } {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
    return { refused: "it is a folder; remove it" };
  const temporary = temporaryPath(path);
  try {
    writeFileSync(
      temporary,
      `${JSON.stringify(
        {
          checked_through: state.checkedThrough,
          quiet_since: state.quietSince ?? null,
          alerted_hours: state.alerted ?? [],
        },
        null,
        2,
      )}\n`,
    );
  } catch (error) {
    rmSync(temporary, { force: true });
    const refused = refusedBecause(error, dirname(path));
    if (!refused) throw error;
    return { refused };
  }
  return temporary;
}
