import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup/index.js";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database/index.js";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table/index.js";
import { Construct } from "constructs";
import { ATHENA_RESULTS_PREFIX, RAW_PREFIX } from "./event-store.ts";

/**
 * The stored event record as Athena sees it. Timestamps stay strings (UTC ISO-8601 with `Z`;
 * `from_iso8601_timestamp` reads them); `props` is the object's JSON text (`json_extract` reads it).
 */
export const EVENT_COLUMNS: ReadonlyArray<{ name: string; type: "string" | "int" | "boolean" }> = [
  ...[
    "event_id",
    "event_type",
    "session_id",
    "visitor_id",
    "event_ts",
    "ingest_ts",
    "site",
    "page_path",
    "page_title",
    "referrer",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "language",
    "timezone",
    "country",
    "browser",
    "os",
    "device_type",
    "element",
    "experiment",
    "variant",
    "name",
  ].map((name) => ({ name, type: "string" as const })),
  ...[
    "screen_width",
    "screen_height",
    "viewport_width",
    "browser_version",
    "scroll_pct",
    "seconds",
    "schema_version",
  ].map((name) => ({ name, type: "int" as const })),
  { name: "is_bot", type: "boolean" },
  { name: "props", type: "string" },
];

/** Hive partitions written by Firehose, with the ranges partition projection enumerates. */
const PARTITIONS = [
  { name: "year", range: "2024,2099", digits: undefined },
  { name: "month", range: "1,12", digits: "2" },
  { name: "day", range: "1,31", digits: "2" },
  { name: "hour", range: "0,23", digits: "2" },
] as const;

export interface QueryCatalogProps {
  /** Name of the event bucket. */
  readonly bucketName: string;
  /** Glue database name (lower case, underscores). @default "ownstats" */
  readonly databaseName?: string;
  /** Glue table name. @default "events" */
  readonly tableName?: string;
  /** Athena workgroup name. @default "ownstats" */
  readonly workgroupName?: string;
  /** A query that would scan more than this is cancelled (Athena bills $5 per TB scanned). @default 10 GiB */
  readonly bytesScannedCutoffPerQuery?: number;
}

/**
 * For when one machine is not enough: a Glue table over the same raw/ files, found by partition
 * projection (no crawler, no partition repair), and an Athena workgroup with a per-query scan limit.
 */
export class QueryCatalog extends Construct {
  readonly database: GlueCatalogDatabase;
  readonly table: GlueCatalogTable;
  readonly workgroup: AthenaWorkgroup;

  constructor(scope: Construct, id: string, props: QueryCatalogProps) {
    super(scope, id);
    const raw = `s3://${props.bucketName}/${RAW_PREFIX}`;
    this.database = new GlueCatalogDatabase(this, "database", {
      name: props.databaseName ?? "ownstats",
      description: "ownstats raw events",
    });

    const projection: Record<string, string> = { "projection.enabled": "true" };
    for (const p of PARTITIONS) {
      projection[`projection.${p.name}.type`] = "integer";
      projection[`projection.${p.name}.range`] = p.range;
      if (p.digits) projection[`projection.${p.name}.digits`] = p.digits;
    }
    // `$${…}` reaches Terraform as a literal `${…}`, which Athena fills in per partition.
    const template = PARTITIONS.map((p) => `${p.name}=$\${${p.name}}`).join("/");

    this.table = new GlueCatalogTable(this, "events", {
      databaseName: this.database.name,
      name: props.tableName ?? "events",
      description: "Raw events: gzip NDJSON written by Firehose, one folder per arrival hour (UTC)",
      tableType: "EXTERNAL_TABLE",
      parameters: {
        classification: "json",
        compressionType: "gzip",
        ...projection,
        "storage.location.template": `${raw}${template}/`,
      },
      partitionKeys: PARTITIONS.map((p) => ({ name: p.name, type: "int" })),
      storageDescriptor: {
        location: raw,
        inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
        outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        serDeInfo: {
          name: "json",
          serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
          // A malformed line is skipped instead of failing the whole query.
          parameters: { "ignore.malformed.json": "true" },
        },
        columns: EVENT_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
      },
    });

    this.workgroup = new AthenaWorkgroup(this, "workgroup", {
      name: props.workgroupName ?? "ownstats",
      description: "ownstats queries over raw events",
      forceDestroy: true,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery ?? 10 * 1024 ** 3,
        resultConfiguration: {
          outputLocation: `s3://${props.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: "SSE_S3" },
        },
      },
    });
  }
}
