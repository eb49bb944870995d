// Reads a request body up to a limit. On Node (@hono/node-server) it reads the IncomingMessage
// directly, skipping the web Request and stream wrappers that otherwise cost more per request than
// parsing the events; elsewhere (Lambda) it reads the web Request.
import type { IncomingMessage } from "node:http";
import type { Context } from "hono";

export type BodyResult = { ok: true; body: Uint8Array } | { ok: false; tooLarge: true };

export async function readBody(c: Context, maxBytes: number): Promise<BodyResult> {
  const declared = Number(c.req.header("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, tooLarge: true };
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && !incoming.readableDidRead && typeof incoming.on === "function") {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of incoming) {
      size += (chunk as Buffer).length;
      // Stop reading at the limit: a body without Content-Length may be endless.
      if (size > maxBytes) return { ok: false, tooLarge: true };
      chunks.push(chunk as Buffer);
    }
    return { ok: true, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks) };
  }
  const body = new Uint8Array(await c.req.arrayBuffer());
  return body.byteLength > maxBytes ? { ok: false, tooLarge: true } : { ok: true, body };
}
