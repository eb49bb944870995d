// Extra names for the tracker script and the events endpoint, so that a site can serve both from its
// own domain under names that filter lists do not look for. The variables are named as Umami names
// its own, so a site moving over keeps its settings. Checked once at start-up: a bad value stops the
// start with one line naming the variable, rather than a route that never matches.

export const SCRIPT_NAME_VARIABLE = "TRACKER_SCRIPT_NAME";
export const COLLECT_PATH_VARIABLE = "COLLECT_API_ENDPOINT";

/** The events endpoint every collector answers, whatever else it is given. */
export const EVENTS_PATH = "/v1/events";
/** Where the collector serves the tracker, whatever else it is given. */
export const SCRIPT_PATH = "/analytics.js";

export interface CustomPaths {
  /** Paths the tracker is served at besides /analytics.js. */
  scriptPaths: string[];
  /** A path events are taken at besides /v1/events. */
  collectPath?: string;
}

export class CustomPathError extends Error {}

// Letters, digits and - . _ ~ only: Hono reads ":" and "*" as route patterns, and a browser
// rewrites "." and ".." segments and escapes other characters, so such a route would never match.
const SEGMENT = /^[A-Za-z0-9._~-]+$/;

function checkPath(variable: string, value: string): string {
  const path = value.trim();
  if (!path.startsWith("/"))
    throw new CustomPathError(`${variable} "${value}" must start with "/", e.g. "/${path || "stats.js"}"`);
  const segments = path.slice(1).split("/");
  if (segments.some((segment) => !SEGMENT.test(segment) || segment === "." || segment === ".."))
    throw new CustomPathError(
      `${variable} "${value}" must be a path of letters, digits and - . _ ~ between single slashes, ` +
        'with no query string, no trailing slash and no "." or ".." segment',
    );
  if (path === EVENTS_PATH || path === SCRIPT_PATH || path.startsWith("/v1/"))
    throw new CustomPathError(
      `${variable} "${value}" is taken by the collector's own ${SCRIPT_PATH}, ${EVENTS_PATH} and /v1/ paths, which it always serves; choose another`,
    );
  return path;
}

/** TRACKER_SCRIPT_NAME (a comma list of paths) and COLLECT_API_ENDPOINT (one path), checked. */
export function customPathsFromEnv(env: Record<string, string | undefined>): CustomPaths {
  const scriptPaths = [
    ...new Set(
      (env[SCRIPT_NAME_VARIABLE] ?? "")
        .split(",")
        .filter((entry) => entry.trim() !== "")
        .map((entry) => checkPath(SCRIPT_NAME_VARIABLE, entry)),
    ),
  ];
  const collectValue = env[COLLECT_PATH_VARIABLE] ?? "";
  const collectPath = collectValue.trim() === "" ? undefined : checkPath(COLLECT_PATH_VARIABLE, collectValue);
  // One path cannot both answer GET with the script and take events by POST: the 405 of one would hide the other.
  if (collectPath && scriptPaths.includes(collectPath))
    throw new CustomPathError(
      `${COLLECT_PATH_VARIABLE} and ${SCRIPT_NAME_VARIABLE} both name "${collectPath}": the script and the events need paths of their own`,
    );
  return { scriptPaths, collectPath };
}
