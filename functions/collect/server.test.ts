// The app behind Node's HTTP server: bodies sent in chunks without a Content-Length are read and
// limited the same way, and close() lets a request in flight finish.
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readSpoolLines, Spool } from "../../local/spool.ts";
import { createApp } from "./app.ts";
import { type RunningServer, serveApp } from "./server.ts";

let dir: string;
let spool: Spool;
let server: RunningServer;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ownstats-server-"));
  spool = await Spool.open(dir);
  server = await serveApp(createApp({ sink: spool }), { port: 0 });
});
afterEach(async () => {
  await server.close();
  await spool.close();
  await rm(dir, { recursive: true, force: true });
});

/** POSTs `parts` as a chunked body (no Content-Length). */
function postChunked(parts: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: server.port,
        method: "POST",
        path: "/v1/events",
        headers: { "content-type": "text/plain" },
      },
      (res) => {
        let body = "";
        res.on("data", (c: Buffer) => {
          body += c.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    for (const part of parts) req.write(part);
    req.end();
  });
}

const event = JSON.stringify({
  event_type: "page_view",
  event_id: "6f1c2a4e-8b0d-4c3e-9f51-2d7a9c1e0b34",
  session_id: "session_0001",
  event_ts: "2026-01-31T12:00:00Z",
  page_path: "/",
});

describe("serveApp", () => {
  it("reads a chunked body", async () => {
    const res = await postChunked([event.slice(0, 10), event.slice(10)]);
    expect(res.status).toBe(202);
    expect(await readSpoolLines(dir)).toHaveLength(1);
  });

  it("answers 413 to a chunked body past 64 KiB without reading all of it", async () => {
    const res = await postChunked(Array.from({ length: 20 }, () => "x".repeat(8 * 1024)));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: "body larger than 65536 bytes" });
  });
});
