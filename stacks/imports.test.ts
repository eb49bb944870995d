import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const skipped = new Set(["node_modules", "cdktf.out", "data", "dist", "target", ".git", "test-results"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skipped.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [relative(root, path)] : [];
  });
}

const importsOf = (file: string) =>
  [...readFileSync(join(root, file), "utf8").matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map(
    (m) => m[1] as string,
  );

describe("import boundaries of the infrastructure", () => {
  const files = sourceFiles(root);

  it("keeps cdktf, its providers and constructs inside stacks/ and main.ts (the switch to CDK Terrain is a rename there)", () => {
    const outside = files
      .filter((f) => !f.startsWith("stacks/") && f !== "main.ts")
      .filter((f) => importsOf(f).some((i) => /^(cdktf|@cdktf\/|constructs)/.test(i)));
    expect(outside).toEqual([]);
  });

  it("imports each provider resource from its own path, never the whole provider", () => {
    const stackFiles = files.filter((f) => f.startsWith("stacks/") || f === "main.ts");
    const providerImports = stackFiles.flatMap(importsOf).filter((i) => i.startsWith("@cdktf/provider-aws"));
    expect(providerImports.length).toBeGreaterThan(20);
    for (const i of providerImports) expect(i).toMatch(/^@cdktf\/provider-aws\/lib\/[a-z0-9-]+\/index\.js$/);
  });

  it("never imports the function code into the stack (it is bundled from its path)", () => {
    const stackFiles = files.filter((f) => f.startsWith("stacks/"));
    for (const f of stackFiles)
      expect(
        importsOf(f).filter((i) => i.includes("functions/")),
        f,
      ).toEqual([]);
  });
});
