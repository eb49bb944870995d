// What `live` and `replay` say when Kinesis cannot be asked: the endpoint, the stream or the missing
// credentials, with what to check, where the SDK's words ("connect ECONNREFUSED 127.0.0.1:4567") name
// none of the flags.
import { noCredentials, UNREACHABLE } from "./sync-s3-error.ts";

/** The error to show for a failed request to Kinesis (`endpoint`, else AWS in `region`); anything else as it was. */
export function kinesisError(
  error: unknown,
  endpoint: string | undefined,
  region: string | undefined,
): unknown {
  type Failed = {
    name?: string;
    message?: string;
    code?: string;
    cause?: { code?: string };
    $metadata?: { httpStatusCode?: number };
  };
  const { name = "", message = "", cause, $metadata } = error as Failed;
  // Kinesis on AWS is asked over HTTP/2, whose failed stream carries the network error as its cause.
  const code = [(error as Failed).code, cause?.code].find((c) => c !== undefined && UNREACHABLE.has(c));
  const where = endpoint ?? `Kinesis${region ? ` in region ${region}` : ""}`;
  if (code)
    return new Error(
      `could not reach ${where} (${code}): ${endpoint ? "is the Kinesis server running, and --endpoint its URL?" : "check the network, and AWS_REGION"}`,
    );
  // An HTTP answer that is no Kinesis one (the dev server's port, an S3 server's): the SDK names no
  // error type ("Unknown"), or fails to read it as JSON. Kinesis's own errors always name their type.
  const status = $metadata?.httpStatusCode;
  if (status !== undefined && (name === "Unknown" || /Deserialization error/.test(message)))
    return new Error(
      `${where} answered with HTTP ${status} but no Kinesis answer: ${endpoint ? "is --endpoint the Kinesis server's URL?" : "check the network (a proxy in the way) and AWS_REGION"}`,
    );
  if (name === "NoShardsListed")
    return new Error(
      `${where} listed no shard of the stream, though every Kinesis stream has one: ${endpoint ? "is --endpoint the Kinesis server's URL?" : "check the network (a proxy in the way) and AWS_REGION"}`,
    );
  if (name === "ResourceNotFoundException")
    return new Error(
      `${message.replace(/\.$/, "")} at ${where}: check --stream, the kinesis_stream_name output of a stack deployed with kinesis_stream_enabled = true`,
    );
  if (name === "CredentialsProviderError") return noCredentials(message);
  return error;
}
