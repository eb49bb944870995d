// What live and replay say when --endpoint answers HTTP but is no Kinesis (the dev server's port, an S3
// server's): the SDK's own word for it is "UnknownError", which names neither the flag nor the server.
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ListShardsCommand } from "@aws-sdk/client-kinesis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKinesisClient } from "../functions/collect/aws-clients.ts";
import { kinesisError } from "./kinesis-error.ts";

// A page (the dev server's), or the JSON answer of another API.
const server = createServer((request, response) => {
  request.resume();
  if (request.url === "/json/") response.writeHead(404, { "content-type": "application/json" }).end("{}");
  else if (request.url === "/kinesis/")
    response
      .writeHead(400, { "content-type": "application/x-amz-json-1.1" })
      .end('{"__type":"SerializationException"}');
  else response.writeHead(404, { "content-type": "text/html" }).end("<h1>Nothing here</h1>");
});
let endpoint: string;

beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("kinesisError", () => {
  it.each(["/", "/json/"])(
    "names an endpoint that answers, but not as Kinesis (%s), and the flag to check",
    async (path) => {
      const client = createKinesisClient({ endpoint: `${endpoint}${path}` });
      const failed = await client
        .send(new ListShardsCommand({ StreamName: "ownstats-events" }))
        .then(
          () => undefined,
          (error: unknown) => error,
        )
        .finally(() => client.destroy());
      expect(failed).toBeDefined();
      const error = kinesisError(failed, `${endpoint}${path}`, "us-east-1") as Error;
      expect(error.message).toBe(
        `${endpoint}${path} answered with HTTP 404 but no Kinesis answer: is --endpoint the Kinesis server's URL?`,
      );
    },
  );

  it("leaves an error of Kinesis's own as it is, though the SDK gives it no message", async () => {
    const client = createKinesisClient({ endpoint: `${endpoint}/kinesis/` });
    const failed = await client
      .send(new ListShardsCommand({ StreamName: "ownstats-events" }))
      .then(
        () => undefined,
        (error: unknown) => error,
      )
      .finally(() => client.destroy());
    expect((failed as Error).name).toBe("SerializationException");
    expect(kinesisError(failed, `${endpoint}/kinesis/`, "us-east-1")).toBe(failed);
  });
});
