// Project-wide data test defaults, as dbt's data_tests: (or older tests:) block of dbt_project.yml:
// `+severity: warn` for every test, and per folder of models/ (`staging: { +store_failures: true }`,
// nested or written as a path like folders:). A test's own config wins, key by key; then the most
// specific folder.
import { z } from "zod";
import { entryFolder, folderEntryCovers } from "./project-folders.ts";
import { testConfigKeys as defaultKeys, readTestConfig } from "./test-config.ts";

/** A data_tests: block as written: `+key: value` configs and folders holding more of them. */
export type TestDefaults = { [key: string]: unknown };

/** Checks a data_tests: block: each `+key` by the same rules as a test's own config, each folder a mapping. */
export const testDefaultsSchema = z
  .record(z.string(), z.unknown())
  .nullable()
  .transform((block) => block ?? {})
  .superRefine((block, ctx) => checkBlock(block, [], ctx));

function checkBlock(block: TestDefaults, path: string[], ctx: z.RefinementCtx): void {
  for (const [key, value] of Object.entries(block)) {
    const at = [...path, key];
    if (key.startsWith("+")) {
      const name = key.slice(1);
      const problem = defaultKeys.includes(name)
        ? readTestConfig((k) => (k === name ? value : undefined))
        : `unknown data test config (it takes: ${defaultKeys.map((k) => `+${k}`).join(", ")})`;
      if (typeof problem === "string") ctx.addIssue({ code: "custom", path: at, message: problem });
    } else if (value === null || (typeof value === "object" && !Array.isArray(value)))
      checkBlock((value ?? {}) as TestDefaults, at, ctx);
    else
      ctx.addIssue({
        code: "custom",
        path: at,
        message: `"${key}" is a folder, which holds +configs; a config key starts with + (+${defaultKeys.includes(key) ? key : "severity"}: …)`,
      });
  }
}

/**
 * Each folder entry of the block with its configs, "" for the whole project. As in dbt, a first
 * level named after the project is the whole project too.
 */
export function defaultEntries(block: TestDefaults, projectName: string): Map<string, TestDefaults> {
  const entries = new Map<string, TestDefaults>();
  const walk = (level: TestDefaults, folder: string) => {
    for (const [key, value] of Object.entries(level)) {
      if (key.startsWith("+")) {
        const entry = entries.get(folder) ?? {};
        entry[key.slice(1)] = value;
        entries.set(folder, entry);
      } else {
        const inner =
          folder === "" && key === projectName ? "" : [folder, entryFolder(key)].filter(Boolean).join("/");
        walk((value ?? {}) as TestDefaults, inner);
      }
    }
  };
  walk(block, "");
  return entries;
}

/** The defaults for a test in a folder of models/: the project's, then each folder's inward, key by key. */
export function defaultsFor(entries: Map<string, TestDefaults>, folder: string): TestDefaults {
  const covering = [...entries.keys()]
    .filter((key) => key === "" || folderEntryCovers(key, folder))
    .sort((a, b) => a.length - b.length);
  return Object.assign({}, ...covering.map((key) => entries.get(key)));
}
