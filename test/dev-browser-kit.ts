// For the browser tests of `ownstats dev`: one dev server without demo data and one Chromium per
// describe block, started before its tests and stopped after them.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "./chromium.ts";
import { type DevProcess, startDev } from "./dev-server.ts";

/** Without demo data, the events a test sends are the only ones there are. */
export function devAndChromium(chromiumPath: string | undefined): { dev: DevProcess; browser: Browser } {
  const running = {} as { dev: DevProcess; browser: Browser };
  beforeAll(async () => {
    [running.dev, running.browser] = await Promise.all([
      startDev(["--no-demo"]),
      launchChromium(chromiumPath as string),
    ]);
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.dev?.stop();
  });
  return running;
}
