// A name that is not there, and the one it most likely meant.
import { distance as editDistance } from "fastest-levenshtein";

/** The error for a ref to a model that is not there, with the model it most likely meant. */
export function missingRefMessage(name: string, models: Iterable<string>): string {
  return `ref to a model that does not exist: "${name}"${didYouMean(name, models)}`;
}

/** ` (did you mean "x"?)` for the name a misspelt one most likely meant; "" when none is close. */
export function didYouMean(name: string, names: Iterable<string>): string {
  const meant = closestName(name, names);
  return meant ? ` (did you mean "${meant}"?)` : "";
}

/**
 * The name a misspelt one most likely meant: the same in other letter case, or one a letter or two
 * away (`sesions` for `sessions`); a short name is close to too many others to guess.
 */
export function closestName(name: string, names: Iterable<string>): string | undefined {
  const allowed = name.length <= 3 ? 0 : name.length <= 6 ? 1 : 2;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of names) {
    const distance = editDistance(candidate.toLowerCase(), name.toLowerCase());
    if (distance <= allowed && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}
