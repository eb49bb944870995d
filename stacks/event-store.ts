import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { policyDocument } from "./policy.ts";

/** Key prefixes inside the event bucket; every writer and reader agrees on them. */
export const RAW_PREFIX = "raw/";
export const ERRORS_PREFIX = "errors/";
export const ATHENA_RESULTS_PREFIX = "athena-results/";

export interface EventStoreProps {
  /** Start of the bucket name; AWS appends a unique suffix. @default "ownstats-events-" */
  readonly bucketPrefix?: string;
  /** Days before objects under raw/ are deleted (a token from `raw_retention_days`). @default 395 */
  readonly rawRetentionDays?: number;
  /**
   * Days before Firehose's failed-delivery objects under errors/ (raw events) are deleted; never
   * longer than `rawRetentionDays`. @default 30
   */
  readonly errorRetentionDays?: number;
  /** Days before Athena query results (rows of raw/) are deleted; never longer than `rawRetentionDays`. @default 7 */
  readonly athenaResultRetentionDays?: number;
  /** Days before an unfinished multipart upload is aborted (its parts are billed until then). @default 1 */
  readonly abortIncompleteUploadDays?: number;
}

/**
 * The S3 bucket that holds the raw events: private, owner-enforced, encrypted, TLS-only, and
 * self-cleaning so that personal data is not kept longer than the retention says.
 */
export class EventStore extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: EventStoreProps = {}) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "bucket", {
      bucketPrefix: props.bucketPrefix ?? "ownstats-events-",
      // Versioning stays off: with it, an expiration only hides events instead of deleting them.
      forceDestroy: false,
    });
    const bucket = this.bucket.id;

    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      // SSE-S3: free, and no key policy to manage; SSE-KMS would add a per-request cost.
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    });

    const everything = [this.bucket.arn, `${this.bucket.arn}/*`];
    new S3BucketPolicy(this, "tls-only", {
      bucket,
      // Deny statements: they may name every principal and every S3 action, and only take access away.
      policy: policyDocument(this, "tls-only-policy", [
        {
          sid: "DenyWithoutTls",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: everything,
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
        {
          sid: "DenyTlsBelow12",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: everything,
          condition: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
        },
      ]),
      // S3 rejects a policy write while the public-access block is being changed.
      dependsOn: [publicAccess],
    });

    const expire = (id: string, prefix: string, days: number) => ({
      id,
      status: "Enabled",
      filter: [{ prefix }],
      expiration: [{ days }],
    });
    const rawDays = props.rawRetentionDays ?? 395;
    // Failed deliveries and query results are copies of raw events: a shorter raw retention (a
    // privacy promise) must not leave them behind for longer.
    const atMostRaw = (days: number) => Token.asNumber(Fn.min([days, rawDays]));
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        expire("expire-raw-events", RAW_PREFIX, rawDays),
        expire("expire-delivery-errors", ERRORS_PREFIX, atMostRaw(props.errorRetentionDays ?? 30)),
        expire(
          "expire-athena-results",
          ATHENA_RESULTS_PREFIX,
          atMostRaw(props.athenaResultRetentionDays ?? 7),
        ),
        {
          id: "abort-incomplete-uploads",
          status: "Enabled",
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteUploadDays ?? 1 }],
        },
      ],
    });
  }
}
