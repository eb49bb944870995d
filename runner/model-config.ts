// A model's config: its folder's defaults in project.yml under its own {{config}}, checked key by key.

import { parseDocument } from "yaml";
import {
  entryFolder,
  folderEntryCovers,
  type Materialization,
  type ModelFile,
  materializations,
  type ProjectConfig,
  type ProjectError,
  splitTags,
} from "./project.ts";
import type { Meta, SchemaModel } from "./schema-file.ts";
import { sqlLiteral } from "./sql.ts";
import type { Rendered } from "./template.ts";
import { parseDbtYaml } from "./yaml-booleans.ts";

export const incrementalStrategies = ["delete+insert", "append", "time_range"] as const;
export type IncrementalStrategy = (typeof incrementalStrategies)[number];

export interface ModelConfig {
  materialized: Materialization;
  unique_key: string[];
  watermark?: string;
  /**
   * How an incremental batch enters the table: `delete+insert` replaces the stored rows of the batch's
   * keys; `append` inserts the batch as it is, for a model whose query already leaves out what is
   * stored (it saves the delete's scan of the whole table); `time_range` replaces every stored row
   * whose `time_column` is at or after the batch's start (its `{{#range_start}}`, or else its earliest
   * time), for a rollup whose incremental query recomputes all its rows from some time on (a row the
   * batch no longer has goes). @default "delete+insert"
   */
  incremental_strategy: IncrementalStrategy;
  /** For `incremental_strategy="time_range"`: the column whose range the batch replaces. */
  time_column?: string;
  tags: string[];
  /** dbt's enabled: a disabled model is left out of the project, as if its file were not there. */
  enabled: boolean;
  /** dbt's meta: what the user keeps about the model, for manifest.json; no build reads it. */
  meta?: Meta;
}

const configKeys = new Set([
  "enabled",
  "materialized",
  "unique_key",
  "watermark",
  "incremental_strategy",
  "time_column",
  "tags",
  "meta",
]);

/** A config key's list value, written as "a,b" or, in YAML, as a list. */
const listOf = (value: unknown): string[] =>
  typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"))
    ? splitTags(value)
    : [];

/**
 * A model's config as dbt layers it: its folder's defaults in project.yml, then its schema.yml
 * config:, then its own {{config}} (tags add up); undefined after pushing what is wrong.
 */
export function resolveConfig(
  file: ModelFile,
  project: ProjectConfig,
  inFile: Rendered["config"],
  errors: ProjectError[],
  inSchema?: SchemaModel["config"] & { file: string },
  /** schema.yml's meta: beside the model's description, which its config's meta: adds to. */
  schemaMeta?: Meta,
): ModelConfig | undefined {
  // The most specific folder entry wins: "staging/web" over "staging".
  const folderKey = Object.keys(project.folders)
    .filter((k) => folderEntryCovers(k, file.folder))
    .sort((a, b) => entryFolder(b).length - entryFolder(a).length)[0];
  const folder = folderKey ? project.folders[folderKey] : undefined;
  const args = { ...(inSchema?.args ?? {}), ...(inFile?.args ?? {}) };
  let ok = true;
  const failAt = (where: { file: string; line?: number }, message: string) => {
    // Said as the file writes it: key: value in a YAML file, key="value" in a model's {{config}}.
    const written = /\.ya?ml$/.test(where.file)
      ? message.replace(/(\w+)="([^"]*)"/g, "$1: $2").replace(/ or "([^"]*)"/g, " or $1")
      : message;
    errors.push({ file: where.file, line: where.line, message: written });
    ok = false;
  };
  const inSchemaAt = (key: string) => ({ file: inSchema?.file ?? file.file, line: inSchema?.lines[key] });
  // A value is wrong where it is written: in the model, or in schema.yml.
  const fail = (message: string, key?: string) =>
    failAt(
      inSchema && key && key in inSchema.args && !(key in (inFile?.args ?? {}))
        ? inSchemaAt(key)
        : { file: file.file, line: inFile?.line },
      message,
    );
  // dbt's other keys (schema, alias, …) have no meaning here; say which ones do.
  const unknownKeys = (
    written: Record<string, unknown>,
    at: (key: string) => { file: string; line?: number },
  ) => {
    for (const key of Object.keys(written))
      if (!configKeys.has(key))
        failAt(at(key), `unknown config key "${key}" (it takes: ${[...configKeys].join(", ")})`);
  };
  unknownKeys(inFile?.args ?? {}, () => ({ file: file.file, line: inFile?.line }));
  if (inSchema) unknownKeys(inSchema.args, inSchemaAt);
  const enabled = args.enabled ?? folder?.enabled ?? true;
  if (typeof enabled !== "boolean")
    fail(`enabled must be true or false (unquoted), not ${JSON.stringify(enabled)}`, "enabled");
  const tags = [...(folder?.tags ?? []), ...listOf(inSchema?.args.tags), ...listOf(inFile?.args.tags)];
  // As dbt's: meta is merged key by key, the more specific config winning.
  const meta = {
    ...folder?.meta,
    ...schemaMeta,
    ...metaOf(inSchema?.args.meta, "meta: { owner: finance }", (m) => failAt(inSchemaAt("meta"), m)),
    ...metaOf(inFile?.args.meta, `meta="{owner: finance}"`, (m) =>
      failAt({ file: file.file, line: inFile?.line }, m),
    ),
  };
  const described = Object.keys(meta).length > 0 ? { meta } : {};
  // A model switched off need not be finished: what it would build is not checked.
  if (enabled === false)
    return ok
      ? {
          materialized: "view",
          unique_key: [],
          incremental_strategy: "delete+insert",
          tags,
          enabled,
          ...described,
        }
      : undefined;
  const materialized = (args.materialized ?? folder?.materialized ?? "view") as Materialization;
  if (!materializations.includes(materialized))
    fail(
      `materialized must be one of ${materializations.join(", ")}, not ${sqlLiteral(String(materialized))}`,
      "materialized",
    );
  const uniqueKey = listOf(args.unique_key);
  const watermark = typeof args.watermark === "string" ? args.watermark : undefined;
  const timeColumn = typeof args.time_column === "string" ? args.time_column : undefined;
  const strategy = (args.incremental_strategy ?? "delete+insert") as IncrementalStrategy;
  if (!incrementalStrategies.includes(strategy))
    fail(
      `incremental_strategy must be one of ${incrementalStrategies.join(", ")}, not ${sqlLiteral(String(strategy))}`,
      "incremental_strategy",
    );
  if (materialized === "incremental") {
    if (uniqueKey.length === 0 && strategy === "delete+insert")
      fail(
        'an incremental model needs unique_key="column" (or incremental_strategy="append" or "time_range")',
        "materialized",
      );
    if (!watermark)
      fail('an incremental model needs watermark="column" (a time column of the model)', "materialized");
    if (strategy === "time_range" && !timeColumn)
      fail(
        'incremental_strategy="time_range" needs time_column="column" (the column whose range a batch replaces)',
        "incremental_strategy",
      );
  }
  if (timeColumn && strategy !== "time_range")
    fail('time_column is only read with incremental_strategy="time_range"', "time_column");
  if (!ok) return undefined;
  return {
    materialized,
    unique_key: uniqueKey,
    watermark,
    incremental_strategy: strategy,
    ...(timeColumn ? { time_column: timeColumn } : {}),
    tags: [...new Set(tags)],
    enabled: true,
    ...described,
  };
}

/**
 * A meta: mapping as written: a YAML mapping in a .yml file, and in a {{config}} line, whose values
 * are texts, the same mapping as YAML text (`meta="{owner: finance}"`); anything else is pushed to `fail`.
 */
export function metaOf(value: unknown, example: string, fail: (message: string) => void): Meta | undefined {
  if (value === undefined) return undefined;
  let read: unknown = value;
  if (typeof value === "string")
    try {
      read = parseDbtYaml(value, parseDocument);
    } catch {
      read = undefined;
    }
  if (read && typeof read === "object" && !Array.isArray(read)) return read as Meta;
  fail(`meta must be a mapping, such as ${example}, not ${JSON.stringify(value)}`);
  return undefined;
}
