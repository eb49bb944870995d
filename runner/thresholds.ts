// dbt's warn_if and error_if: how many failing rows make a data test warn or fail ("!= 0" for both
// unless set), for a check that may let a few rows through (`warn_if: ">10"`).
import type { DataTest, Severity } from "./tests.ts";

export const anyFailure = "!= 0";
export const thresholdKeys = ["warn_if", "error_if"] as const;

const CONDITION = /^\s*(!=|<>|>=|<=|==|=|>|<)\s*(\d+)\s*$/;

/** The condition as written, in one form ("> 10"); undefined when it is not given; an Error when it cannot be read. */
function readCondition(key: string, written: unknown): string | Error | undefined {
  if (written === undefined) return undefined;
  const found = CONDITION.exec(String(written));
  if (!found || (typeof written !== "string" && typeof written !== "number"))
    return new Error(
      `${key} must compare the failing rows with a number, such as ">10" or "!= 0", not ${JSON.stringify(written)}`,
    );
  return `${found[1]} ${Number(found[2])}`;
}

function holds(condition: string, failures: number): boolean {
  const [op, n] = condition.split(" ") as [string, string];
  const limit = Number(n);
  if (op === ">") return failures > limit;
  if (op === ">=") return failures >= limit;
  if (op === "<") return failures < limit;
  if (op === "<=") return failures <= limit;
  if (op === "=" || op === "==") return failures === limit;
  return failures !== limit;
}

/** As dbt decides: fail when error_if holds (only at severity error), else warn when warn_if holds. */
export function testStatus(
  failures: number,
  test: { severity: Severity; warnIf?: string; errorIf?: string },
): "pass" | "warn" | "fail" {
  if (test.severity === "error" && holds(test.errorIf ?? anyFailure, failures)) return "fail";
  return holds(test.warnIf ?? anyFailure, failures) ? "warn" : "pass";
}

/** A test's warn_if and error_if as DataTest holds them, or the message of the one that cannot be read. */
export function thresholdsOf(
  written: (key: string) => unknown,
): Pick<DataTest, "warnIf" | "errorIf"> | string {
  const out: Pick<DataTest, "warnIf" | "errorIf"> = {};
  for (const key of thresholdKeys) {
    const condition = readCondition(key, written(key));
    if (condition instanceof Error) return condition.message;
    if (condition !== undefined) out[key === "warn_if" ? "warnIf" : "errorIf"] = condition;
  }
  return out;
}
