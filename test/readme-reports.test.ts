// The README's list of report pages against the pages: the limits it gives are the ones they apply.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { goalsShown, valuesShown } from "../reports/period-goals.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

it("gives the goals page's limits as the page applies them", () => {
  const row = /\n\| `goals\.html` +\|([^\n]*)/.exec(readme)?.[1] ?? "";
  expect(row).toContain(`the top ${valuesShown} values of each of their properties`);
  // The property values' table holds up to goalsShown × valuesShown rows, not goalsShown.
  expect(row).toContain(
    `${goalsShown} CTAs, forms and custom events at most (each with its ${valuesShown} values)`,
  );
  expect(row).not.toMatch(/rows at most per table/);
});
