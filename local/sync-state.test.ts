import { S3Client } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it } from "vitest";
import { sourceKey } from "./sync-state.ts";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe("sync sourceKey", () => {
  it("names AWS's bucket by its region, so one of the same name created again in another region starts afresh", async () => {
    delete process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_ENDPOINT_URL_S3;
    const keys = await Promise.all(
      ["eu-central-1", "us-east-1"].map((region) => sourceKey(new S3Client({ region }), "events", "raw/")),
    );
    expect(keys).toEqual(["s3://events/raw/ in eu-central-1", "s3://events/raw/ in us-east-1"]);
  });

  it("names a bucket on another server by its endpoint, from --endpoint or from AWS_ENDPOINT_URL_S3", async () => {
    const local = new S3Client({
      region: "us-east-1",
      endpoint: "http://127.0.0.1:4566/",
      forcePathStyle: true,
    });
    expect(await sourceKey(local, "events", "raw/")).toBe("s3://events/raw/ at http://127.0.0.1:4566");
    process.env.AWS_ENDPOINT_URL_S3 = "http://localhost:9000/";
    expect(await sourceKey(new S3Client({ region: "us-east-1" }), "events", "raw/")).toBe(
      "s3://events/raw/ at http://localhost:9000",
    );
  });
});
