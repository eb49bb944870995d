// One file of the dev server's reports or demo site as a response: streamed from disk, not read into
// memory whole (the SQL page's DuckDB engine is 18 MB and more, asked for by every tab that opens it),
// with a validator so a browser keeps what did not change.

import { type FileHandle, open, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { Readable } from "node:stream";
import type { Context } from "hono";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
  ".parquet": "application/vnd.apache.parquet",
  ".arrow": "application/vnd.apache.arrow.file",
};

/**
 * The file at `path` (a folder's index.html), or undefined when there is none. `editHtml` changes an
 * HTML page before it is sent (a notice on top); such a page is small and read whole.
 */
export async function sendFile(
  c: Context,
  path: string,
  editHtml?: (html: string) => string,
): Promise<Response | undefined> {
  let handle: FileHandle | undefined;
  try {
    let file = path;
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const type = types[extname(file)] ?? "application/octet-stream";
    if (editHtml !== undefined && extname(file) === ".html") {
      // A page with a notice edited in has no validator: its bytes are not the file's.
      const html = editHtml(await readFile(file, "utf8"));
      return c.body(html, 200, { "Cache-Control": "no-cache", "Content-Type": type });
    }
    // The size and time of the file that is open: a build that replaces the file meanwhile (by a
    // rename) leaves this one whole, so the validator and the length stay true to the bytes sent.
    handle = await open(file, "r");
    const info = await handle.stat();
    if (!info.isFile()) return undefined;
    // Rebuilt every few seconds, so always revalidated; the validator lets a browser keep what did
    // not change (the SQL page's DuckDB, say) instead of loading it again on every visit.
    const etag = `W/"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
    const headers = { "Cache-Control": "no-cache", ETag: etag };
    const asked = c.req
      .header("if-none-match")
      ?.split(",")
      .map((tag) => tag.trim());
    if (asked?.includes(etag)) return c.body(null, 304, headers);
    const sent = { ...headers, "Content-Type": type, "Content-Length": String(info.size) };
    // Hono answers HEAD by dropping a GET's body without cancelling it, which would leave the file open.
    if (c.req.method === "HEAD" || info.size === 0) return c.body(null, 200, sent);
    // The stream closes the file when it ends, and when the browser goes away before it does.
    const body = Readable.toWeb(handle.createReadStream({ start: 0, end: info.size - 1 }));
    handle = undefined;
    return c.body(body as ReadableStream<Uint8Array>, 200, sent);
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}
