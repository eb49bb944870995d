// AWS clients for the sinks and the local commands. A custom endpoint (kinesalite, a local
// Firehose stand-in) gets placeholder credentials and an HTTP/1 handler, which kinesalite needs.
import { FirehoseClient } from "@aws-sdk/client-firehose";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { quietSdkNodeVersionWarning } from "./aws-sdk-warning.ts";

export interface ClientOptions {
  /** e.g. http://127.0.0.1:4567; unset means the real AWS endpoint of the region. */
  endpoint?: string;
  /** @default process.env.AWS_REGION ?? "us-east-1" */
  region?: string;
}

function config({ endpoint, region }: ClientOptions) {
  quietSdkNodeVersionWarning();
  return {
    region: region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
    // The sinks retry partial failures themselves; the SDK still retries whole-request errors.
    maxAttempts: 3,
    ...(endpoint
      ? {
          endpoint,
          credentials: {
            accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "local",
            secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
          },
          requestHandler: new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 10_000 }),
        }
      : {}),
  };
}

export const createKinesisClient = (options: ClientOptions = {}) => new KinesisClient(config(options));
export const createFirehoseClient = (options: ClientOptions = {}) => new FirehoseClient(config(options));
