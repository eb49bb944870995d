// Reads a request body up to a limit. On Node (@hono/node-server) it reads the IncomingMessage
// directly, skipping the web Request and stream wrappers that otherwise cost more per request than
// parsing the events; elsewhere (Lambda) it reads the web Request.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "hono";

export type BodyResult =
  | { ok: true; body: Uint8Array }
  | { ok: false; tooLarge: true }
  /** The client closed the connection before the body's end: nobody is left to answer. */
  | { ok: false; incomplete: true };

export async function readBody(c: Context, maxBytes: number): Promise<BodyResult> {
  const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
  const incoming = env?.incoming;
  const onNode = incoming !== undefined && typeof incoming.on === "function";
  // On Node the rest of a body too large stays unread on the connection (without Content-Length it
  // may be endless), so no request can follow it there: the answer says `Connection: close` and Node
  // closes the socket once the answer is written. Left open, it would hang a kept-alive client.
  const tooLarge = (): BodyResult => {
    if (onNode && env?.outgoing && !env.outgoing.headersSent) env.outgoing.setHeader("Connection", "close");
    return { ok: false, tooLarge: true };
  };
  const declared = Number(c.req.header("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
  if (onNode && !incoming.readableDidRead) {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of incoming) {
        size += (chunk as Buffer).length;
        // Stop reading at the limit: a body without Content-Length may be endless.
        if (size > maxBytes) return tooLarge();
        chunks.push(chunk as Buffer);
      }
    } catch {
      // The only way reading an IncomingMessage fails ("aborted", ECONNRESET): the client went away
      // mid-body. That is the client's doing, not an error of the collector's.
      return { ok: false, incomplete: true };
    }
    return { ok: true, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks) };
  }
  const body = new Uint8Array(await c.req.arrayBuffer());
  return body.byteLength > maxBytes ? tooLarge() : { ok: true, body };
}
