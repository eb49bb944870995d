// Serves the collector app with Node's HTTP server (@hono/node-server): used by `ownstats collect`
// and the dev server, and runnable alone against AWS (`tsx functions/collect/server.ts`, env as
// for the Lambda plus PORT).

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";
import { parseAllowedOrigins } from "./allowed-origins.ts";
import { createApp } from "./app.ts";
import { customPathsFromEnv } from "./custom-paths.ts";
import { sinkFromEnv } from "./sink-from-env.ts";
import { wholeNumber, wholeNumberForm } from "./whole-number.ts";

export interface RunningServer {
  server: Server;
  port: number;
  /** Stops accepting connections and resolves once requests in flight have been answered. */
  close(): Promise<void>;
}

export async function serveApp(
  app: Hono,
  { port = 8787, hostname = "127.0.0.1" } = {},
): Promise<RunningServer> {
  const server = createAdaptorServer({ fetch: app.fetch, hostname }) as Server;
  // Browsers keep connections open; the tracker's batches reuse them.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? Object.assign(
              new Error(`port ${port} on ${hostname} is already in use; choose another with --port`),
              {
                code: error.code,
              },
            )
          : error,
      );
    };
    server.once("error", onError);
    server.listen(port, hostname, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const close = () =>
    new Promise<void>((resolve, reject) => {
      // Requests in flight get their answer; a kept-alive connection gets a moment, then is cut.
      const cut = setTimeout(() => server.closeAllConnections(), 2_000);
      server.close((error) => {
        clearTimeout(cut);
        if (error) reject(error);
        else resolve();
      });
      server.closeIdleConnections();
    });
  return { server, port: (server.address() as AddressInfo).port, close };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const port = portFromEnv(process.env.PORT);
    const app = createApp({
      sink: sinkFromEnv(process.env),
      allowedOrigins: parseAllowedOrigins(process.env.ALLOWED_ORIGINS),
      collectPath: customPathsFromEnv(process.env).collectPath,
    });
    const running = await serveApp(app, { port, hostname: process.env.HOST || undefined });
    console.log(`collector listening on http://${process.env.HOST || "127.0.0.1"}:${running.port}/v1/events`);
  } catch (error) {
    // Settings are fixed in the environment: one line naming the variable, not a stack trace.
    console.error(`collector: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}

/** PORT, checked: unset or empty is 8787; "" is not 0 (any port) and "abc" not a crash in listen(). */
function portFromEnv(value: string | undefined): number {
  if (value === undefined || value === "") return 8787;
  const port = wholeNumber(value, 0, 65_535);
  if (port === undefined) throw new Error(`PORT must be ${wholeNumberForm(0, 65_535)}, got "${value}"`);
  return port;
}
