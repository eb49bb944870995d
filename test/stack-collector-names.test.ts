// The collector run outside Lambda (`ownstats collect --sink kinesis|firehose`) without stream names in its
// environment writes to its defaults: on AWS those must be the streams the stack deploys.
import { describe, expect, it } from "vitest";
import { DEFAULT_FIREHOSE_STREAM, DEFAULT_KINESIS_STREAM } from "../functions/collect/sink-from-env.ts";
import { onlyResource, synthesizeStack } from "../stacks/synthesized.ts";

describe("the collector's default stream names", () => {
  const { tf } = synthesizeStack();

  it("name the stack's Kinesis stream and its DirectPut Firehose stream", () => {
    expect(DEFAULT_KINESIS_STREAM).toBe(onlyResource(tf, "aws_kinesis_stream").name);
    expect(DEFAULT_FIREHOSE_STREAM).toBe(
      onlyResource(tf, "aws_kinesis_firehose_delivery_stream", "direct-delivery").name,
    );
  });
});
