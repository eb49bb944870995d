// Redaction runs on every path, title, referrer and prop value a client sends, up to 2,000 characters
// each: a pattern that retries the rest of the text from every position does the work of the square
// of its length, and a client sending such texts takes the collector's time for every other one.
// V8 counts a pattern's backtracks when it runs interpreted and unoptimized, and can say when one
// runs past a bound (here 20,000, ten per character) by falling back to its linear engine: redacting
// these texts must never get there.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const sanitize = fileURLToPath(new URL("./sanitize.ts", import.meta.url));

/** What V8 reported of the patterns that ran past the bound while `code` ran, one line each. */
function pastTheBound(code: string): string[] {
  const run = spawnSync(
    process.execPath,
    [
      "--no-regexp-optimization",
      "--regexp-interpret-all",
      "--enable-experimental-regexp-engine-on-excessive-backtracks",
      "--regexp-backtracks-before-fallback=20000",
      "--trace-experimental-regexp-engine",
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      code,
    ],
    { encoding: "utf8" },
  );
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split("\n").filter((line) => line.startsWith("Experimental execution"));
}

const texts = [
  "a".repeat(2000),
  "0".repeat(2000),
  "-eyJ".repeat(500),
  `b@${"b".repeat(1998)}`,
  "1.".repeat(1000),
  "a:".repeat(1000),
  "\u0661".repeat(2000),
  `%41${"a".repeat(1997)}`,
];

it("detects a pattern that retries a 2,000-character text from every position", () => {
  // The check itself: a pattern known to do so is reported, once.
  expect(pastTheBound(`/[^\\s@/]+@[^\\s@/]+\\.[^\\s@/]+/.test("a".repeat(2000));`)).toHaveLength(1);
});

it("redacts 2,000-character paths, referrers and texts without retrying them from every position", () => {
  const code = `
    const { sanitizePath, sanitizeReferrer, redactPersonal } = await import(${JSON.stringify(sanitize)});
    const texts = ${JSON.stringify(texts)};
    for (const text of texts) {
      sanitizePath("/" + text.slice(1));
      sanitizeReferrer("https://example.com/" + text.slice(20));
      redactPersonal(text);
      redactPersonal("%20" + text.slice(3));
    }
  `;
  expect(pastTheBound(code)).toEqual([]);
});
