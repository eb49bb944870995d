// What a failed listing means for the person running `ownstats sync`: the SDK's own words name
// neither the endpoint that is not S3 nor the region the bucket is really in.

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

/**
 * The error to show for a failed listing of `bucket` by a client set to `region`: a server that is not
 * S3 (a wrong port or host in --endpoint) answers with a web page, which the SDK turns into
 * "UnknownError"; S3 answers a request sent to another region than the bucket's with a redirect whose
 * message ("must be addressed using the specified endpoint") names no region, though its
 * x-amz-bucket-region header does.
 */
export function listingError(error: unknown, bucket: string, region: string, endpoint?: string): unknown {
  const { name, message, $metadata, $response } = error as SdkError;
  const status = $metadata?.httpStatusCode;
  const bucketRegion = $response?.headers?.["x-amz-bucket-region"];
  if (bucketRegion && bucketRegion !== region && (status === 301 || name === "PermanentRedirect"))
    return new Error(
      `bucket ${bucket} is in region ${bucketRegion}, not ${region}: set AWS_REGION=${bucketRegion} (in the scheduled workflow, the AWS_REGION repository variable)`,
    );
  if (status && /^UnknownError$|Deserialization error|XML parse error/.test(message ?? ""))
    return notS3(bucket, status, endpoint);
  return error;
}

/** A listing answered by something that is not S3. */
export function notS3(bucket: string, status: number | undefined, endpoint?: string): Error {
  return new Error(
    `${endpoint ?? "S3"} answered the listing of bucket ${bucket} with HTTP ${status ?? "?"} but no S3 answer; ` +
      "is --endpoint the S3 server's URL?",
  );
}
