// An extra script or events path (TRACKER_SCRIPT_NAME, COLLECT_API_ENDPOINT) that a route the
// server adds to the collector (the dev server's pages, reports and live view) also answers: the one
// registered first would silently hide the other, so the start is refused instead.
import type { RouterRoute } from "hono/types";
import {
  COLLECT_PATH_VARIABLE,
  type CustomPaths,
  SCRIPT_NAME_VARIABLE,
} from "../functions/collect/custom-paths.ts";

/**
 * Whether `route` answers `path`: the same path, or a "/prefix/*" above it. "/*" and "*" are the
 * server's fallback (the dev server's 404 page), which answers only what no other route does.
 */
function answers(route: RouterRoute, path: string): boolean {
  if (route.path === path) return true;
  if (route.path === "/*" || route.path === "*") return false;
  return route.path.endsWith("/*") && path.startsWith(route.path.slice(0, -1));
}

/**
 * The problem, if any, with `paths` among `added` (the routes registered after the collector's own,
 * the tracker's among them): the events path must be answered by none of them, a script path by the
 * tracker's route alone.
 */
export function routeClash(added: RouterRoute[], paths: CustomPaths): string | undefined {
  const { collectPath, scriptPaths } = paths;
  if (collectPath && added.some((route) => answers(route, collectPath)))
    return `${COLLECT_PATH_VARIABLE} "${collectPath}" is a path this server already serves; choose another`;
  const taken = scriptPaths.find((path) => added.filter((route) => answers(route, path)).length > 1);
  if (taken) return `${SCRIPT_NAME_VARIABLE} "${taken}" is a path this server already serves; choose another`;
  return undefined;
}
