// The README's account of `ownstats alerts` against the rules the command applies.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import {
  FIRST_LOOK_BACK_MS,
  LATE_LOOK_BACK_MS,
  QUIET_DAYS,
  QUIET_EXPECTED_EVENTS,
} from "../reports/alerts.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const section = readme.slice(
  readme.indexOf("## Alerts: `ownstats alerts`"),
  readme.indexOf("## The AWS stack"),
);

it("gives the spike and quiet rules and the first check's reach as the command applies them", () => {
  expect(section.replace(/\s+/g, " ")).toContain(
    `where the same hours of the previous ${QUIET_DAYS} days held a median of ${QUIET_EXPECTED_EVENTS} events or more`,
  );
  expect(section).toContain(`It needs ${Math.ceil(QUIET_DAYS / 2)} days of history.`);
  expect(section.replace(/\s+/g, " ")).toContain(
    `more events than any hour of the previous ${QUIET_DAYS} days`,
  );
  expect(FIRST_LOOK_BACK_MS).toBe(24 * 3_600_000);
  expect(section.replace(/\s+/g, " ")).toContain("the first one looks back one day");
  expect(LATE_LOOK_BACK_MS).toBe(24 * 3_600_000);
  expect(section.replace(/\s+/g, " ")).toContain(
    "Each check also looks again at the day before the last one",
  );
});
