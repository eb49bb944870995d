// The column and partition types that project.yml gives a source, checked by DuckDB itself when a
// run, test or build starts, before any model reads the source. DuckDB's type grammar (aliases such
// as STRING or INT4, DECIMAL(p,s), lists, nested and extension types) is its own and changes with its
// versions (VARINT became BIGNUM): asking it (`SELECT NULL::T`) accepts exactly what read_ndjson
// will, where a copy of that grammar here would drift and refuse a valid type or pass a wrong one.
// `compile` and `ls` open no database, so they leave the check to the run.
import type { ProjectError, SourceType } from "./project.ts";
import { didYouMean } from "./suggest.ts";
import type { Warehouse } from "./warehouse.ts";

/** A project error for each declared type that DuckDB does not take, naming its key and line. */
export async function sourceTypeErrors(wh: Warehouse, types: SourceType[]): Promise<ProjectError[]> {
  const refusals = new Map<string, string | undefined>();
  for (const { type } of types) {
    if (refusals.has(type)) continue;
    // project.ts lets only a name, numeric parameters and [] through, so the type is safe to inline.
    const refusal = await wh.all(`SELECT NULL::${type}`).then(
      () => undefined,
      (error: Error) => error.message.split("\n")[0],
    );
    refusals.set(type, refusal);
  }
  const refused = types.filter(({ type }) => refusals.get(type) !== undefined);
  if (refused.length === 0) return [];
  const rows = await wh.all<{ name: string }>("SELECT DISTINCT upper(type_name) AS name FROM duckdb_types()");
  const names = rows.map((row) => row.name);
  return refused.map(({ key, type, file, line }) => ({
    file,
    line,
    message: `${key}: "${type}" is not a DuckDB type${didYouMean(type.replace(/[([].*$/, ""), names)}: ${refusals.get(type)}`,
  }));
}
