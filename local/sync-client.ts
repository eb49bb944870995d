// The S3 client `ownstats sync` makes for itself: the region as the AWS CLI finds it, path-style
// addressing for S3-compatible servers, and timeouts that stop a silent connection.
import { S3Client } from "@aws-sdk/client-s3";
import { quietSdkNodeVersionWarning } from "../functions/collect/aws-sdk-warning.ts";

/**
 * The region is AWS_REGION (or AWS_DEFAULT_REGION), else the profile's in ~/.aws/config, as the AWS CLI
 * reads it, else us-east-1: a bucket in the profile's region is then found without setting AWS_REGION.
 */
export async function s3Client(endpoint?: string, silenceMs = S3_SILENCE_SECONDS * 1000): Promise<S3Client> {
  quietSdkNodeVersionWarning();
  let region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (!region) {
    // The SDK's own region chain (environment, then the shared config file), read through a bare client.
    const probe = new S3Client({});
    region = await probe.config.region().catch(() => "us-east-1");
    probe.destroy();
  }
  return new S3Client({
    region,
    // S3-compatible servers (s3rver, MinIO) are addressed by path, not by bucket subdomain.
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    // Without them the SDK waits for ever on a connection that went silent (a laptop changing networks):
    // sync would hang instead of stopping with the download to resume.
    requestHandler: { connectionTimeout: 10_000, socketTimeout: silenceMs },
  });
}

/**
 * Seconds without a byte from S3 after which a request is given up: a live S3 connection is never
 * silent that long, and a cut download costs little, as the next run resumes it.
 */
export const S3_SILENCE_SECONDS = 30;

/**
 * `send` given a signal that aborts it when it has not resolved within `silenceMs`. The socket timeout
 * alone is retried by the SDK (three attempts, some 90 s on a server that accepts the connection and
 * never answers) and then gives its own words; this bounds the wait for an answer, whatever client
 * (a test's has no socket timeout). A listing page resolves once its whole answer is read, a download
 * once its headers are: its body is bounded by the socket timeout alone.
 */
export async function answeredWithin<T>(
  silenceMs: number,
  send: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), silenceMs);
  try {
    return await send(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
