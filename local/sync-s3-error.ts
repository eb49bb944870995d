// What a failed request to S3 means for the person running `ownstats sync`: the SDK's own words ("The
// specified bucket does not exist", "Could not load credentials from any providers", "Access Denied")
// name neither the bucket, the endpoint nor the region, nor what to do about them.
import type { S3Client } from "@aws-sdk/client-s3";

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  /** The bucket's region, from the body of an S3 error that names it. */
  Region?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

/** Where a client sends its requests: the URL of its endpoint, undefined for AWS's own. */
export async function endpointOf(client: S3Client): Promise<string | undefined> {
  const endpoint = await client.config.endpoint?.();
  if (endpoint) {
    const port = endpoint.port ? `:${endpoint.port}` : "";
    return `${endpoint.protocol}//${endpoint.hostname}${port}${endpoint.path.replace(/\/$/, "")}`;
  }
  // The SDK also takes an endpoint from the environment, outside its client's settings.
  const fromEnvironment = process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL;
  if (fromEnvironment && process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== "true")
    return fromEnvironment.replace(/\/$/, "");
  return undefined;
}

/** The folder the stack's report reader role may list and read (its RAW_PREFIX). */
export const REPORT_ROLE_FOLDER = "raw/";

const REFUSED_CREDENTIALS = new Set([
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "InvalidToken",
  "TokenRefreshRequired",
]);
/** Network errors that mean the endpoint was never reached (a wrong URL, a server not started). */
export const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/**
 * The error to show for a failed request about `bucket` by `client`; anything else as it was. A server
 * that is not S3 (a wrong port or host in --endpoint) answers with a web page, which the SDK turns into
 * "UnknownError". S3 answers a request sent to another region than the bucket's with a redirect (301),
 * or from the global endpoint that us-east-1 uses with a 400 AuthorizationHeaderMalformed, whose
 * messages name no region to set, though their x-amz-bucket-region header does.
 */
export async function s3Error(
  error: unknown,
  bucket: string,
  prefix: string,
  client: S3Client,
  silenceMs?: number,
): Promise<unknown> {
  const { name = "", message = "", code, Region, $metadata, $response } = error as SdkError;
  const status = $metadata?.httpStatusCode;
  const [region, endpoint] = await Promise.all([client.config.region(), endpointOf(client)]);
  const server = endpoint ?? "S3";
  const bucketRegion = $response?.headers?.["x-amz-bucket-region"] ?? Region;
  if (bucketRegion && bucketRegion !== region && (status === 301 || status === 400))
    return new Error(
      `bucket ${bucket} is in region ${bucketRegion}, not ${region}: set AWS_REGION=${bucketRegion} (in the scheduled workflow, the AWS_REGION repository variable)`,
    );
  if (status && /^UnknownError$|Deserialization error|XML parse error/.test(message))
    return notS3(bucket, status, endpoint);
  if (name === "NoSuchBucket")
    return new Error(
      `bucket ${bucket} does not exist ${endpoint ? `at ${endpoint}` : `in S3 (region ${region})`}: check --bucket, the bucket_name output of the deployed stack`,
    );
  if (REFUSED_CREDENTIALS.has(name))
    return new Error(
      `${server} refused the credentials (${name}: ${message}): check AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary ones)`,
    );
  if (name === "CredentialsProviderError") return noCredentials(message);
  if (name === "AccessDenied" || status === 403)
    return new Error(
      // S3's own message names the identity and the action it was denied, when it says more than that.
      `${server} denied these credentials access to bucket ${bucket} (${name || status}${/^access denied\.?$/i.test(message) || !message ? "" : `: ${message}`}): they need s3:ListBucket on the bucket and s3:GetObject on its objects (as the stack's report reader role has); check AWS_PROFILE` +
        // That role may list and read raw/ alone: a prefix above or beside it is denied to it.
        (prefix.startsWith(REPORT_ROLE_FOLDER)
          ? ""
          : `, and --prefix: the report reader role may list ${REPORT_ROLE_FOLDER} and the folders under it only`),
    );
  // The request was given up (answeredWithin) or its socket went silent (the client's socketTimeout).
  if (silenceMs !== undefined && (name === "AbortError" || name === "TimeoutError"))
    return new Error(
      `${endpoint ?? `S3 in region ${region}`} accepted the connection but sent no answer for ${silenceMs / 1000} s: ${endpoint ? "check that the S3 server is working and that --endpoint is its URL" : "check the network (a VPN or proxy in the way)"}, then run sync again`,
    );
  if (code && UNREACHABLE.has(code))
    return new Error(
      `could not reach ${endpoint ?? `S3 in region ${region}`} (${code}): ${endpoint ? "is the S3 server running, and --endpoint its URL?" : "check the network, and AWS_REGION"}`,
    );
  return error;
}

/** Credentials the SDK could not load; a profile that is set but gives none is named, not asked for. */
export function noCredentials(message: string): Error {
  if (!/from any providers/.test(message))
    return new Error(`the AWS credentials could not be loaded: ${message}`);
  const profile = process.env.AWS_PROFILE;
  if (profile)
    return new Error(
      `AWS_PROFILE=${profile} gives no credentials: ~/.aws/config and ~/.aws/credentials hold no such profile, or one without keys, SSO or a role to assume (aws configure list --profile ${profile} shows what it has)`,
    );
  return new Error(
    "no AWS credentials were found: set AWS_PROFILE to a profile in ~/.aws/config, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
  );
}

/** A listing answered by something that is not S3. */
export function notS3(bucket: string, status: number | undefined, endpoint?: string): Error {
  return new Error(
    `${endpoint ?? "S3"} answered the listing of bucket ${bucket} with HTTP ${status ?? "?"} but no S3 answer; ` +
      "is --endpoint the S3 server's URL?",
  );
}
