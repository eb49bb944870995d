// The app behind Node's HTTP server: bodies sent in chunks without a Content-Length are read and
// limited the same way (a 413 closes the connection, so no client is left waiting on it), a client
// that goes away mid-body is no server error, and close() lets a request in flight finish.
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
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
function postChunked(parts: string[]): Promise<{ status: number; connection?: string; body: string }> {
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
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
        );
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
  // Within the collector's window around its clock.
  event_ts: new Date().toISOString(),
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
    expect(res.connection).toBe("close");
    expect(JSON.parse(res.body)).toEqual({ error: "body larger than 65536 bytes" });
  });

  it("closes the connection after a 413 to an endless chunked body, and answers the next one", async () => {
    const socket = connect(server.port, "127.0.0.1");
    socket.on("error", () => {});
    await once(socket, "connect");
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString();
    });
    const closed = once(socket, "close").then(() => "closed by the server");
    socket.write(
      "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    const part = "x".repeat(8 * 1024);
    // 72 KiB and no last chunk: the body could go on for ever.
    for (let i = 0; i < 9; i++) socket.write(`${part.length.toString(16)}\r\n${part}\r\n`);
    // A server that leaves the socket open is caught here, well before the test's own timeout.
    let timer: NodeJS.Timeout | undefined;
    const stillOpen = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve("still open"), 3_000);
    });
    const outcome = await Promise.race([closed, stillOpen]);
    clearTimeout(timer);
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toMatch(/\r\nConnection: close\r\n/i);
    expect(received).toContain('{"error":"body larger than 65536 bytes"}');
    expect(outcome).toBe("closed by the server");

    const next = await postChunked([event]);
    expect(next.status).toBe(202);
    expect(await readSpoolLines(dir)).toHaveLength(1);
  });

  it("closes the connection after a 413 to a declared Content-Length past 64 KiB", async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/v1/events`, {
      method: "POST",
      body: "x".repeat(65 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    await res.text();
    expect((await fetch(`http://127.0.0.1:${server.port}/v1/health`)).status).toBe(200);
  });

  it("takes a client that disconnects mid-body as the client's doing: no error logged, no 500", async () => {
    const errors: string[] = [];
    const answered: number[] = [];
    // An outer app sees the status the collector's handler settled on, though nobody receives it.
    const outer = new Hono();
    outer.use(async (c, next) => {
      await next();
      answered.push(c.res.status);
    });
    outer.route("/", createApp({ sink: spool, logError: (m) => errors.push(m) }));
    const running = await serveApp(outer, { port: 0 });
    try {
      const socket = connect(running.port, "127.0.0.1");
      await once(socket, "connect");
      socket.write(
        "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n",
      );
      socket.write(event.slice(0, 40));
      await new Promise((r) => setTimeout(r, 50));
      socket.destroy();
      for (let i = 0; i < 100 && answered.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(answered).toEqual([400]);
      expect(errors).toEqual([]);
      expect(await readSpoolLines(dir)).toHaveLength(0);
    } finally {
      await running.close();
    }
  });
});
