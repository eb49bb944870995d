// The shapes of target/manifest.json's resources, as dbt's manifest v12 schema defines them.

export interface ColumnInfo {
  name: string;
  description: string;
  meta: Record<string, unknown>;
  data_type: string | null;
  tags: string[];
}

interface NodeCommon {
  database: string;
  schema: string;
  name: string;
  package_name: string;
  /** Relative to the models folder. */
  path: string;
  original_file_path: string;
  unique_id: string;
  fqn: string[];
  alias: string;
  checksum: { name: "sha256" | "none"; checksum: string };
  config: Record<string, unknown>;
  tags: string[];
  description: string;
  columns: Record<string, ColumnInfo>;
  meta: Record<string, unknown>;
  docs: { show: boolean; node_color: string | null };
  relation_name: string | null;
  raw_code: string;
  language: "sql";
  refs: { name: string; package: null; version: null }[];
  sources: [string, string][];
  metrics: string[][];
  depends_on: { macros: string[]; nodes: string[] };
  /** Under the data folder; an incremental model's incremental query is beside it as `.incremental.sql`. */
  compiled_path: string;
}

export interface ModelManifestNode extends NodeCommon {
  resource_type: "model";
}

export interface TestManifestNode extends NodeCommon {
  resource_type: "test";
  /** Generic tests only (schema.yml), as dbt's GenericTest. */
  test_metadata?: { name: string; kwargs: Record<string, unknown>; namespace: string | null };
  column_name?: string | null;
  file_key_name?: string;
  attached_node?: string | null;
}

export type ManifestNode = ModelManifestNode | TestManifestNode;

/** A source of project.yml as dbt's SourceDefinition (its raw files as an external table). */
export interface ManifestSource {
  database: string | null;
  schema: string;
  name: string;
  resource_type: "source";
  package_name: string;
  path: string;
  original_file_path: string;
  unique_id: string;
  fqn: string[];
  source_name: string;
  source_description: string;
  loader: string;
  identifier: string;
  external: {
    /** Under the data folder. */
    location: string;
    file_format: string;
    partitions: { name: string; data_type: string; description: string; meta: Record<string, unknown> }[];
  };
  description: string;
  columns: Record<string, ColumnInfo>;
  meta: Record<string, unknown>;
  source_meta: Record<string, unknown>;
  tags: string[];
  config: { enabled: boolean };
  relation_name: string | null;
}

/** A macro of models/macros/ as dbt's Macro (a Handlebars partial here, where dbt's is Jinja). */
export interface ManifestMacro {
  name: string;
  resource_type: "macro";
  package_name: string;
  /** Relative to the models folder. */
  path: string;
  original_file_path: string;
  unique_id: string;
  macro_sql: string;
  depends_on: { macros: string[] };
  description: string;
  meta: Record<string, unknown>;
  docs: { show: boolean; node_color: string | null };
  patch_path: string | null;
  arguments: { name: string; type: string | null; description: string }[];
  /** Seconds since the epoch, as dbt's. */
  created_at: number;
  supported_languages: ("sql" | "python")[] | null;
}
