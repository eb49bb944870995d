// A name that is not there, and the one it most likely meant.

/** The error for a ref to a model that is not there, with the model it most likely meant. */
export function missingRefMessage(name: string, models: Iterable<string>): string {
  const message = `ref to a model that does not exist: "${name}"`;
  const meant = closestName(name, models);
  return meant ? `${message} (did you mean "${meant}"?)` : message;
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

/** Levenshtein distance: the fewest letters to insert, delete or change to turn one into the other. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] as number;
}
