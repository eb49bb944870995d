// The README's cost tables are printed by cost/readme-table.ts from the estimate; a change of price
// or assumption that is not copied into the README fails here instead of publishing stale figures.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const script = fileURLToPath(new URL("../cost/readme-table.ts", import.meta.url));

/** Each Markdown table in the text as rows of trimmed cells, the |---| line left out. */
function tables(text: string): string[][][] {
  const blocks = text
    .split(/\n(?!\|)/)
    .map((block) => block.split("\n").filter((line) => line.startsWith("|")));
  return blocks
    .filter((rows) => rows.length > 1)
    .map((rows) =>
      rows
        .filter((row) => !/^\|[\s|:-]+\|$/.test(row))
        .map((row) =>
          row
            .slice(1, -1)
            .split("|")
            .map((cell) => cell.trim()),
        ),
    );
}

it("shows the cost tables that cost/readme-table.ts prints", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script]);
  const printed = tables(stdout);
  expect(printed).toHaveLength(2);
  const inReadme = tables(readme);
  for (const table of printed) expect(inReadme).toContainEqual(table);
});
