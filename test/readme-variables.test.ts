// Every OWNSTATS_* variable the code reads is named in the README, so a setting never hides in
// the source. Tests set them too, but only the code's reading of one makes it the user's business.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");

/** The project's own TypeScript files, tests left out: what is installed, built or generated is not ours. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name.startsWith(".") || NOT_SOURCE.has(entry.name) ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}
const NOT_SOURCE = new Set(["node_modules", "cdktf.out", "data", "dist"]);

function variablesReadByCode(): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(root))
    for (const [name] of readFileSync(file, "utf8").matchAll(VARIABLE)) names.add(name);
  return names;
}
const VARIABLE = /\bOWNSTATS_[A-Z0-9_]*[A-Z0-9]/g;

it("names in the README every OWNSTATS_* variable the code reads", () => {
  const read = [...variablesReadByCode()].sort();
  expect(read).toContain("OWNSTATS_DATA");
  const named = new Set(readme.match(VARIABLE));
  expect(read.filter((name) => !named.has(name))).toEqual([]);
});
