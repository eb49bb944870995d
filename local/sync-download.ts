// One object of `ownstats sync`: written under a temporary `.part` name (which the readers' `*.gz`
// glob does not match), size-checked, then renamed into place; a partial file left by a download cut
// short is continued with a Range request. It is fsynced before its rename and its folder after it,
// so an object the state records as synced is whole on disk even after a power loss: an empty or
// short file left before the look-back window would never be fetched again.
import { createWriteStream } from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { REFUSED, wayOut } from "../runner/refused-write.ts";
import { makeDirectoryDurably, renameDurably } from "./durable-file.ts";
import { answeredWithin, S3_SILENCE_SECONDS } from "./sync-client.ts";

export interface Downloaded {
  bytes: number;
  resumed: boolean;
  /** S3 no longer holds the object: nothing was written. */
  gone?: boolean;
}

/**
 * The partial file of one version of an object: named after its ETag, so that a partial left by a cut
 * download of an object that has since been replaced under the same key is never continued with the
 * new object's bytes (a file of the right size that is neither).
 */
export function partialPath(target: string, etag: string | undefined): string {
  const version = etag?.replace(/[^A-Za-z0-9-]/g, "");
  return version ? `${target}.${version}.part` : `${target}.part`;
}

/** Removes the partial files of the object's other versions: they will never be continued. */
async function removeOtherPartials(target: string, keep: string): Promise<void> {
  const name = basename(target);
  // The version part has no dot, so another object's partial (`a.gz.b.gz.….part`) never matches.
  const isPartial = (file: string) =>
    file.startsWith(`${name}.`) && /^(\.[A-Za-z0-9-]+)?\.part$/.test(file.slice(name.length));
  const others = (await readdir(dirname(target))).filter(
    (file) => isPartial(file) && file !== basename(keep),
  );
  await Promise.all(others.map((file) => rm(join(dirname(target), file), { force: true })));
}

export async function download(
  client: S3Client,
  bucket: string,
  key: string,
  size: number,
  target: string,
  etag?: string,
  silenceMs = S3_SILENCE_SECONDS * 1000,
): Promise<Downloaded> {
  const partial = partialPath(target, etag);
  await makeDirectoryDurably(dirname(target));
  await removeOtherPartials(target, partial);
  const already = await stat(partial).then(
    (s) => s.size,
    () => 0,
  );
  // Continue an interrupted download; a partial as large as the object was cut before its rename. One
  // larger than the object (two syncs appending at once) holds bytes of neither: start it over.
  const resumed = already > 0 && already < size;
  const offset = resumed ? already : 0;
  if (already !== size || size === 0) {
    const object = await answeredWithin(silenceMs, (abortSignal) =>
      client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, ...(resumed ? { Range: `bytes=${offset}-` } : {}) }),
        { abortSignal },
      ),
    ).catch((error: { name?: string }) => {
      if (error?.name === "NoSuchKey") return undefined;
      throw error;
    });
    if (!object) {
      await rm(partial, { force: true });
      return { bytes: 0, resumed: false, gone: true };
    }
    if (!object.Body) throw new Error(`S3 returned no body for ${key}`);
    try {
      await pipeline(object.Body as Readable, createWriteStream(partial, { flags: resumed ? "a" : "w" }));
    } catch (error) {
      // The network's own word ("aborted", "socket hang up") names neither the object nor the way on.
      const kept = await stat(partial).then(
        (s) => s.size,
        () => 0,
      );
      // A full disk is not cured by running again: the partial file stays, to be resumed once there is
      // room, or once the file system is writable again or the permission given.
      const { code } = error as NodeJS.ErrnoException;
      const refused = code ? REFUSED[code] : undefined;
      if (refused)
        throw new Error(
          `cannot write ${partial}: ${refused} (${code}), after ${kept} of ${size} bytes of ${key}; ${wayOut(code, dirname(partial)) ?? "free some space"}, then run sync again to resume it`,
        );
      throw new Error(
        `download of ${key} stopped after ${kept} of ${size} bytes (${(error as Error).message}); run sync again to resume it`,
      );
    }
  }
  const written = (await stat(partial)).size;
  if (written !== size)
    throw new Error(
      `download of ${key} is incomplete: ${written} of ${size} bytes; run sync again to resume`,
    );
  await renameDurably(partial, target);
  return { bytes: written - offset, resumed };
}
