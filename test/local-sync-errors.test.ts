// What `ownstats sync` says when S3 refuses it or is not there: the bucket, the endpoint or region,
// and what to do, in one line; never the SDK's bare words or a stack trace.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type OutgoingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { ownstatsLimited, ownstatsWith } from "../cli-run.ts";
import { syncBucket, syncStatePath } from "../local/sync.ts";
import { createBucket, s3rverClient, s3rverForFile } from "./s3rver-kit.ts";
import { tempFolder } from "./temp-folders.ts";

const s3rver = s3rverForFile();

/** A server answering every request with `status`, `headers` and `body`, while `use` runs. */
async function answering(
  status: number,
  headers: OutgoingHttpHeaders,
  body: string,
  use: (url: string) => Promise<void>,
): Promise<void> {
  const server = createServer((_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.close();
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What S3 answers with the error `code`. */
const s3ErrorXml = (code: string, message: string, extra = "") =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>R</RequestId><HostId>H</HostId></Error>`;

/** A sync of `bucket` through the server at `url` that must fail with `message`, leaving no state. */
async function failsWith(url: string, bucket: string, message: string | RegExp, prefix = "raw/") {
  const data = tempFolder("ownstats-sync-refused-");
  await expect(syncBucket({ bucket, prefix, data, client: s3rverClient(url) })).rejects.toThrow(message);
  expect(existsSync(syncStatePath(data))).toBe(false);
}

describe("sync refused", () => {
  it("names an endpoint that is no S3 server, whether it answers 404 or 200, instead of syncing nothing", async () => {
    for (const status of [404, 200])
      await answering(status, { "Content-Type": "text/html" }, "<!doctype html><p>hello</p>", (url) =>
        failsWith(
          url,
          "ownstats-events",
          new RegExp(
            `^${url} answered the listing of bucket ownstats-events with HTTP ${status} but no S3 answer; is --endpoint the S3 server's URL\\?$`,
          ),
        ),
      );
  });

  it("names the bucket's region when AWS_REGION is another one, whether S3 redirects (301) or refuses the signature from the global endpoint (400), instead of its bare words", async () => {
    const redirect = s3ErrorXml(
      "PermanentRedirect",
      "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
      "<Endpoint>ownstats-events.s3.eu-central-1.amazonaws.com</Endpoint><Bucket>ownstats-events</Bucket>",
    );
    const malformed = s3ErrorXml(
      "AuthorizationHeaderMalformed",
      "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-central-1'",
      "<Region>eu-central-1</Region>",
    );
    for (const [status, body] of [
      [301, redirect],
      [400, malformed],
    ] as const)
      await answering(
        status,
        { "Content-Type": "application/xml", "x-amz-bucket-region": "eu-central-1" },
        body,
        (url) =>
          failsWith(
            url,
            "ownstats-events",
            "bucket ownstats-events is in region eu-central-1, not us-east-1: set AWS_REGION=eu-central-1",
          ),
      );
  });

  it("says which permissions credentials that S3 denies access need, and that the report reader role lists raw/ only, instead of its bare 'Access Denied'", async () => {
    const denied = (url: string) =>
      `${url} denied these credentials access to bucket ownstats-events (AccessDenied): they need s3:ListBucket on the bucket and s3:GetObject on its objects (as the stack's report reader role has); check AWS_PROFILE`;
    await answering(
      403,
      { "Content-Type": "application/xml" },
      s3ErrorXml("AccessDenied", "Access Denied"),
      async (url) => {
        await failsWith(url, "ownstats-events", new RegExp(`^${escape(denied(url))}$`));
        for (const prefix of ["", "errors/"])
          await failsWith(
            url,
            "ownstats-events",
            `${denied(url)}, and --prefix: the report reader role may list raw/ and the folders under it only`,
            prefix,
          );
      },
    );
  });

  it("names a bucket that does not exist, credentials S3 refuses or none at all (or a profile that gives none), and an S3 server that is not running, with what to do", async () => {
    const { endpoint } = s3rver();
    await createBucket(s3rver(), "ownstats-there");
    const keys = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };
    const sync = (env: NodeJS.ProcessEnv, bucket: string, url = endpoint) =>
      ownstatsWith(
        { AWS_REGION: "us-east-1", AWS_PROFILE: "", ...keys, ...env },
        "sync",
        "--bucket",
        bucket,
        "--endpoint",
        url,
        "--data",
        tempFolder("ownstats-sync-refused-"),
      );
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const nothing = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const noCredentials = {
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      AWS_SHARED_CREDENTIALS_FILE: tempFolder("ownstats-no-credentials-"),
      AWS_CONFIG_FILE: tempFolder("ownstats-no-config-"),
      AWS_EC2_METADATA_DISABLED: "true",
    };
    const cases: [NodeJS.ProcessEnv, string, string, string][] = [
      [
        {},
        "ownstats-nowhere",
        endpoint,
        `ownstats sync: s3://ownstats-nowhere/raw/: bucket ownstats-nowhere does not exist at ${endpoint}: check --bucket, the bucket_name output of the deployed stack\n`,
      ],
      [
        { AWS_ACCESS_KEY_ID: "AKIAWRONG" },
        "ownstats-there",
        endpoint,
        `ownstats sync: s3://ownstats-there/raw/: ${endpoint} refused the credentials (InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.): check AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary ones)\n`,
      ],
      [
        noCredentials,
        "ownstats-there",
        endpoint,
        "ownstats sync: s3://ownstats-there/raw/: no AWS credentials were found: set AWS_PROFILE to a profile in ~/.aws/config, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n",
      ],
      [
        { ...noCredentials, AWS_PROFILE: "reports" },
        "ownstats-there",
        endpoint,
        "ownstats sync: s3://ownstats-there/raw/: AWS_PROFILE=reports gives no credentials: ~/.aws/config and ~/.aws/credentials hold no such profile, or one without keys, SSO or a role to assume (aws configure list --profile reports shows what it has)\n",
      ],
      [
        {},
        "ownstats-there",
        nothing,
        `ownstats sync: s3://ownstats-there/raw/: could not reach ${nothing} (ECONNREFUSED): is the S3 server running, and --endpoint its URL?\n`,
      ],
    ];
    for (const [env, bucket, url, said] of cases) {
      const result = await sync(env, bucket, url);
      expect(result.code, result.stderr).toBe(1);
      expect(
        result.stderr
          .split("\n")
          .filter((line) => line.startsWith("ownstats sync:"))
          .join("\n") + "\n",
      ).toBe(said);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  }, 60_000);

  // prlimit makes every write past a size fail (EFBIG): room on the disk would not help, a higher limit does.
  it.skipIf(process.platform !== "linux" || spawnSync("prlimit", ["--version"]).status !== 0)(
    "names a file size limit (ulimit -f) reached during a download or before it, with how to raise it, and resumes the download once it is raised",
    async () => {
      const put = await createBucket(s3rver(), "ownstats-size-limit");
      const key = "year=2026/month=02/day=10/hour=12/ownstats-direct-1-a.gz";
      await put(key, 20_000);
      const sync = (data: string, ...limits: string[]) =>
        ownstatsLimited(
          limits,
          { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" },
          ...["sync", "--bucket", "ownstats-size-limit", "--endpoint", s3rver().endpoint, "--data", data],
        );
      const data = tempFolder("ownstats-sync-size-limit-");
      const cut = await sync(data, "--fsize=10000");
      expect(cut.code).toBe(1);
      expect(cut.stderr).toMatch(
        new RegExp(
          `^ownstats sync: s3://ownstats-size-limit/raw/: cannot write ${data}/raw/${key}\\.\\w+\\.part: a file size limit \\(ulimit -f\\) is reached \\(EFBIG\\), after 10000 of 20000 bytes of raw/${key}; raise the limit \\(ulimit -f unlimited in the shell that starts ownstats\\), then run sync again to resume it$`,
          "m",
        ),
      );
      const resumed = await sync(data);
      expect(resumed.stdout).toContain("sync: 1 new object (0.0 MB, 1 resumed)");

      const nothing = tempFolder("ownstats-sync-size-limit-");
      const refused = await sync(nothing, "--fsize=0");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `ownstats sync: s3://ownstats-size-limit/raw/: cannot write into the data folder ${nothing}: a file size limit (ulimit -f) is reached (EFBIG); raise the limit (ulimit -f unlimited in the shell that starts ownstats), or choose another --data`,
      );
      for (const result of [cut, refused]) expect(result.stderr).not.toMatch(/^\s+at /m);
    },
    60_000,
  );

  it("gives up a listing that a server which accepted the connection never answers, naming it and what to do, instead of the SDK's words after three attempts", async () => {
    const stalled = createServer(() => {});
    await new Promise<void>((resolve) => stalled.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`;
    const said = new RegExp(
      `^${escape(url)} accepted the connection but sent no answer for 0\\.5 s: check that the S3 server is working and that --endpoint is its URL, then run sync again$`,
    );
    const saved = { ...process.env };
    try {
      // A ready client (without a socket timeout) and the one sync makes itself, as the command does.
      const data = tempFolder("ownstats-sync-stalled-");
      const sync = (settings: { client?: S3Client; endpoint?: string }) =>
        syncBucket({ bucket: "ownstats-events", prefix: "raw/", data, silenceMs: 500, ...settings });
      await expect(sync({ client: s3rverClient(url) })).rejects.toThrow(said);
      Object.assign(process.env, {
        AWS_ACCESS_KEY_ID: "S3RVER",
        AWS_SECRET_ACCESS_KEY: "S3RVER",
        AWS_REGION: "us-east-1",
      });
      await expect(sync({ endpoint: url })).rejects.toThrow(said);
      expect(existsSync(syncStatePath(data))).toBe(false);
    } finally {
      process.env = saved;
      stalled.closeAllConnections();
      stalled.close();
    }
  });

  it("keeps what S3 says about the identity it denied, when it says more than 'Access Denied'", async () => {
    const said =
      'User: arn:aws:sts::123456789012:assumed-role/laptop/me is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::ownstats-events" because no identity-based policy allows the s3:ListBucket action';
    await answering(
      403,
      { "Content-Type": "application/xml" },
      s3ErrorXml("AccessDenied", said.replaceAll('"', "&quot;")),
      (url) =>
        failsWith(
          url,
          "ownstats-events",
          `denied these credentials access to bucket ownstats-events (AccessDenied: ${said}): they need`,
        ),
    );
  });
});
