// A model's config: its folder's defaults in project.yml under its own {{config}}, checked key by key.
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
import { sqlLiteral } from "./sql.ts";
import type { Rendered } from "./template.ts";

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
}

const configKeys = new Set([
  "materialized",
  "unique_key",
  "watermark",
  "incremental_strategy",
  "time_column",
  "tags",
]);

export function resolveConfig(
  file: ModelFile,
  project: ProjectConfig,
  inFile: Rendered["config"],
  errors: ProjectError[],
): ModelConfig | undefined {
  // The most specific folder entry wins: "staging/web" over "staging".
  const folderKey = Object.keys(project.folders)
    .filter((k) => folderEntryCovers(k, file.folder))
    .sort((a, b) => entryFolder(b).length - entryFolder(a).length)[0];
  const folder = folderKey ? project.folders[folderKey] : undefined;
  const args = inFile?.args ?? {};
  const line = inFile?.line;
  let ok = true;
  const fail = (message: string) => {
    errors.push({ file: file.file, line, message });
    ok = false;
  };
  // dbt's other keys (enabled, schema, alias, …) have no meaning here; say which ones do.
  for (const key of Object.keys(args))
    if (!configKeys.has(key)) fail(`unknown config key "${key}" (it takes: ${[...configKeys].join(", ")})`);
  const materialized = (args.materialized ?? folder?.materialized ?? "view") as Materialization;
  if (!materializations.includes(materialized))
    fail(
      `materialized must be one of ${materializations.join(", ")}, not ${sqlLiteral(String(materialized))}`,
    );
  const uniqueKey = typeof args.unique_key === "string" ? splitTags(args.unique_key) : [];
  const watermark = typeof args.watermark === "string" ? args.watermark : undefined;
  const timeColumn = typeof args.time_column === "string" ? args.time_column : undefined;
  const strategy = (args.incremental_strategy ?? "delete+insert") as IncrementalStrategy;
  if (!incrementalStrategies.includes(strategy))
    fail(
      `incremental_strategy must be one of ${incrementalStrategies.join(", ")}, not ${sqlLiteral(String(strategy))}`,
    );
  if (materialized === "incremental") {
    if (uniqueKey.length === 0 && strategy === "delete+insert")
      fail(
        'an incremental model needs unique_key="column" (or incremental_strategy="append" or "time_range")',
      );
    if (!watermark) fail('an incremental model needs watermark="column" (a time column of the model)');
    if (strategy === "time_range" && !timeColumn)
      fail(
        'incremental_strategy="time_range" needs time_column="column" (the column whose range a batch replaces)',
      );
  }
  if (timeColumn && strategy !== "time_range")
    fail('time_column is only read with incremental_strategy="time_range"');
  const tags = [...(folder?.tags ?? []), ...(typeof args.tags === "string" ? splitTags(args.tags) : [])];
  if (!ok) return undefined;
  return {
    materialized,
    unique_key: uniqueKey,
    watermark,
    incremental_strategy: strategy,
    ...(timeColumn ? { time_column: timeColumn } : {}),
    tags: [...new Set(tags)],
  };
}
