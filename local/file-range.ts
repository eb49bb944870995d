// Reading a byte range of a spool segment, which the delivery and the /live feed do chunk by chunk.
import { type FileHandle, open } from "node:fs/promises";

/** Bytes [from, to) of an open file, fewer only when the file ends first (one read may return less). */
export async function readAt(handle: FileHandle, from: number, to: number): Promise<Buffer> {
  const buffer = Buffer.alloc(to - from);
  let read = 0;
  while (read < buffer.length) {
    const { bytesRead } = await handle.read(buffer, read, buffer.length - read, from + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return buffer.subarray(0, read);
}

/** Bytes [from, to) of the file at `path`. */
export async function readRange(path: string, from: number, to: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    return await readAt(handle, from, to);
  } finally {
    await handle.close();
  }
}
