// The stack's resources, construct by construct: event store, stream and delivery, collector and
// query catalog. Stack-wide contracts (variables, outputs, snapshot) are in analytics-stack.test.ts.
import { describe, expect, it } from "vitest";
import { type Block, onlyResource, resourcesOf, statementsOf, synthesizeStack } from "./synthesized.ts";

// One synth for the whole file: it bundles the collector, which is the slow part.
const { tf } = synthesizeStack();

const KINESIS_COUNT = "${var.kinesis_stream_enabled ? 1 : 0}";
const kinesisStream = Object.keys(resourcesOf(tf, "aws_kinesis_stream"))[0] as string;
const firehoseStreams = resourcesOf(tf, "aws_kinesis_firehose_delivery_stream");
const directFirehose = onlyResource(tf, "aws_kinesis_firehose_delivery_stream", "direct-delivery");
const streamFirehose = onlyResource(tf, "aws_kinesis_firehose_delivery_stream", "stream-delivery");
const lambda = onlyResource(tf, "aws_lambda_function");

describe("event store", () => {
  it("blocks every kind of public access and disables ACLs", () => {
    expect(onlyResource(tf, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(tf, "aws_s3_bucket_ownership_controls").rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
  });

  it("encrypts by default and keeps no old versions of deleted events", () => {
    const encryption = onlyResource(tf, "aws_s3_bucket_server_side_encryption_configuration");
    expect(encryption.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, bucket_key_enabled: true },
    ]);
    expect(resourcesOf(tf, "aws_s3_bucket_versioning")).toEqual({});
    expect(onlyResource(tf, "aws_s3_bucket")).toMatchObject({
      bucket_prefix: "ownstats-events-",
      force_destroy: false,
    });
  });

  it("denies every request made without TLS 1.2", () => {
    const statements = statementsOf(tf, onlyResource(tf, "aws_s3_bucket_policy").policy);
    expect(statements).toHaveLength(2);
    for (const s of statements) {
      expect(s).toMatchObject({
        effect: "Deny",
        actions: ["s3:*"],
        principals: [{ type: "*", identifiers: ["*"] }],
      });
      expect(s.resources).toHaveLength(2);
    }
    expect(statements.map((s) => s.condition)).toEqual([
      [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
    ]);
  });

  it("expires raw events, delivery errors and unfinished uploads", () => {
    const rules = onlyResource(tf, "aws_s3_bucket_lifecycle_configuration").rule as Block[];
    const byPrefix = Object.fromEntries(
      rules.map((r) => [(r.filter as { prefix?: string }[])[0]?.prefix ?? "(all)", r]),
    );
    expect(byPrefix["raw/"]?.expiration).toEqual([{ days: "${var.raw_retention_days}" }]);
    // Copies of raw events, so never kept longer than them (terraform.test.ts plans both cases).
    expect(byPrefix["errors/"]?.expiration).toEqual([{ days: "${min(30, var.raw_retention_days)}" }]);
    expect(byPrefix["(all)"]?.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 1 }]);
    expect(rules.every((r) => r.status === "Enabled")).toBe(true);
  });
});

describe("stream and delivery", () => {
  it("creates the Kinesis stream only when enabled: encrypted, 24 h, in the capacity mode kinesis_stream_mode names", () => {
    expect(resourcesOf(tf, "aws_kinesis_stream")[kinesisStream]).toMatchObject({
      count: KINESIS_COUNT,
      retention_period: 24,
      encryption_type: "KMS",
      kms_key_id: "alias/aws/kinesis",
      stream_mode_details: {
        stream_mode: '${(var.kinesis_stream_mode == "ON_DEMAND") ? "ON_DEMAND" : "PROVISIONED"}',
      },
    });
  });

  it("sets kinesis_shard_count shards on a provisioned stream and none on an on-demand one", () => {
    // The AWS provider refuses a shard count on an on-demand stream, even 1.
    expect(resourcesOf(tf, "aws_kinesis_stream")[kinesisStream]?.shard_count).toBe(
      '${(var.kinesis_stream_mode == "ON_DEMAND") ? null : var.kinesis_shard_count}',
    );
  });

  it("accepts only the two capacity modes AWS knows, naming them when refused", () => {
    const [rule] = tf.variable.kinesis_stream_mode?.validation as {
      condition: string;
      error_message: string;
    }[];
    expect(rule?.condition).toBe('${contains(["PROVISIONED", "ON_DEMAND"], var.kinesis_stream_mode)}');
    expect(rule?.error_message).toMatch(/^kinesis_stream_mode must be "PROVISIONED" .* or "ON_DEMAND"/);
  });

  it("always has a DirectPut stream and, gated by the same count, a stream-fed one", () => {
    expect(Object.keys(firehoseStreams)).toHaveLength(2);
    expect(directFirehose.count).toBeUndefined();
    expect(directFirehose.kinesis_source_configuration).toBeUndefined();
    expect(directFirehose.server_side_encryption).toEqual({ enabled: true, key_type: "AWS_OWNED_CMK" });
    expect(streamFirehose.count).toBe(KINESIS_COUNT);
    expect(streamFirehose.kinesis_source_configuration).toMatchObject({
      kinesis_stream_arn: `\${aws_kinesis_stream.${kinesisStream}.0.arn}`,
    });
  });

  it("writes gzip objects named *.gz into Hive folders by arrival hour, errors apart, buffered per the variables, logged", () => {
    for (const stream of [directFirehose, streamFirehose]) {
      const s3 = stream.extended_s3_configuration as Block;
      expect(stream.destination).toBe("extended_s3");
      expect(s3).toMatchObject({
        prefix: "raw/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/",
        compression_format: "GZIP",
        file_extension: ".gz",
        buffering_interval: "${var.firehose_buffer_seconds}",
        buffering_size: "${var.firehose_buffer_mb}",
        cloudwatch_logging_options: { enabled: true },
      });
      expect(s3.error_output_prefix).toMatch(/^errors\/.*!\{firehose:error-output-type\}/);
    }
  });
});

describe("collector", () => {
  it("runs Node 22 on arm64 from the bundled asset, with a concurrency cap", () => {
    expect(lambda).toMatchObject({
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      reserved_concurrent_executions: "${var.lambda_reserved_concurrency}",
      logging_config: { log_format: "JSON", application_log_level: "WARN" },
    });
    expect(lambda.filename).toMatch(/^assets\/collector_bundle_[0-9A-F]+\/[0-9A-F]+\/archive\.zip$/);
  });

  it("picks its sink and names from the same switch as the stream", () => {
    const env = (lambda.environment as { variables: Record<string, string> }).variables;
    expect(env.SINK).toBe('${var.kinesis_stream_enabled ? "kinesis" : "firehose"}');
    expect(env.KINESIS_STREAM_NAME).toBe(
      `\${var.kinesis_stream_enabled ? aws_kinesis_stream.${kinesisStream}.0.name : ""}`,
    );
    expect(env.FIREHOSE_STREAM_NAME).toMatch(
      /^\$\{aws_kinesis_firehose_delivery_stream\.direct-delivery_[^.]+\.name\}$/,
    );
    expect(env.ALLOWED_ORIGINS).toBe('${join(",", var.allowed_origins)}');
  });

  it("turns to the Kinesis stream only once the Firehose stream reading it exists", () => {
    // A Kinesis-fed Firehose stream starts reading at LATEST: records put before it exists never land.
    const streamFirehoseName = Object.entries(firehoseStreams).find(([, b]) => b === streamFirehose)?.[0];
    expect(lambda.depends_on).toContain(`aws_kinesis_firehose_delivery_stream.${streamFirehoseName}`);
  });

  it("turns away from the Kinesis stream before the stream, its reader and its put permission go", () => {
    // Turning the switch off, Terraform destroys what the function depends on before it updates the
    // function, unless those are create-before-destroy: without it the function keeps putting to a
    // stream that has lost its reader (acknowledged events never land) or its permission (503s).
    const usedByLambda = JSON.stringify([lambda.depends_on, lambda.environment]);
    const gatedAndUsed = Object.entries(tf.resource).flatMap(([type, blocks]) =>
      Object.entries(blocks)
        .filter(([name, block]) => block.count === KINESIS_COUNT && usedByLambda.includes(`${type}.${name}`))
        .map(([name, block]) => [`${type}.${name}`, block] as const),
    );
    expect(gatedAndUsed.map(([address]) => address.split(".")[0]).sort()).toEqual([
      "aws_iam_role_policy",
      "aws_kinesis_firehose_delivery_stream",
      "aws_kinesis_stream",
    ]);
    for (const [address, block] of gatedAndUsed) {
      expect(block.lifecycle, address).toEqual({ create_before_destroy: true });
    }
  });

  it("keeps its logs for a bounded time", () => {
    expect(onlyResource(tf, "aws_cloudwatch_log_group", "collector")).toMatchObject({
      name: "/aws/lambda/ownstats-collector",
      retention_in_days: 14,
    });
  });

  it("sits behind an HTTP API route with CORS for the allowed origins and stage throttling", () => {
    expect(onlyResource(tf, "aws_apigatewayv2_api")).toMatchObject({
      protocol_type: "HTTP",
      cors_configuration: {
        // Wildcard subdomains become their scheme's wildcard (planned in terraform-variables.test.ts).
        allow_origins:
          '${distinct([ for key, val in toset(var.allowed_origins): replace(val, "/^(https?://)[*][.].*$/", "$${1}*")])}',
        allow_methods: ["POST", "OPTIONS"],
      },
    });
    expect(onlyResource(tf, "aws_apigatewayv2_route", "events-route").route_key).toBe("POST /v1/events");
    expect(onlyResource(tf, "aws_apigatewayv2_stage")).toMatchObject({
      name: "$default",
      auto_deploy: true,
      default_route_settings: {
        throttling_rate_limit: "${var.api_throttle_rate}",
        throttling_burst_limit: "${var.api_throttle_burst}",
      },
    });
    expect(onlyResource(tf, "aws_apigatewayv2_stage").access_log_settings).toBeUndefined();
    const permission = onlyResource(tf, "aws_lambda_permission", "api_invoke");
    expect(permission).toMatchObject({
      action: "lambda:InvokeFunction",
      principal: "apigateway.amazonaws.com",
    });
    expect(permission.source_arn).toMatch(/\.execution_arn\}\/\*\/POST\/v1\/events$/);
  });
});

describe("query catalog", () => {
  const table = onlyResource(tf, "aws_glue_catalog_table");
  const parameters = table.parameters as Record<string, string>;

  it("projects the Hive partitions instead of crawling them", () => {
    expect(parameters["projection.enabled"]).toBe("true");
    expect(parameters["projection.hour.range"]).toBe("0,23");
    expect(parameters["projection.month.digits"]).toBe("2");
    // `$${…}` in Terraform JSON is a literal `${…}` for Athena, not an interpolation.
    expect(parameters["storage.location.template"]).toMatch(
      /^s3:\/\/\$\{aws_s3_bucket\.[^}]+\.bucket\}\/raw\/year=\$\$\{year\}\/month=\$\$\{month\}\/day=\$\$\{day\}\/hour=\$\$\{hour\}\/$/,
    );
    expect(table.partition_keys).toEqual(
      ["year", "month", "day", "hour"].map((name) => ({ name, type: "int" })),
    );
  });

  it("reads every field of the stored event record with the JSON SerDe", () => {
    const storage = table.storage_descriptor as Block;
    expect((storage.ser_de_info as Block).serialization_library).toBe("org.openx.data.jsonserde.JsonSerDe");
    const columns = Object.fromEntries(
      (storage.columns as { name: string; type: string }[]).map((c) => [c.name, c.type]),
    );
    const ints = [
      "screen_width",
      "screen_height",
      "viewport_width",
      "browser_version",
      "scroll_pct",
      "seconds",
      "schema_version",
    ];
    expect(Object.keys(columns)).toHaveLength(34);
    for (const name of ints) expect(columns[name], name).toBe("int");
    expect(columns.is_bot).toBe("boolean");
    for (const name of ["event_id", "event_ts", "ingest_ts", "site", "country", "props"])
      expect(columns[name], name).toBe("string");
  });

  it("limits what one Athena query may scan and keeps results in their own prefix", () => {
    const configuration = onlyResource(tf, "aws_athena_workgroup").configuration as Block;
    expect(configuration).toMatchObject({
      enforce_workgroup_configuration: true,
      bytes_scanned_cutoff_per_query: 10 * 1024 ** 3,
      result_configuration: { encryption_configuration: { encryption_option: "SSE_S3" } },
    });
    expect((configuration.result_configuration as Block).output_location).toMatch(/\/athena-results\/$/);
  });
});
