import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { chromiumOrWarn, launchChromium } from "./chromium.ts";

const executable = chromiumOrWarn("chromium smoke test");

describe.runIf(executable)("Debian Chromium through playwright-core", () => {
  it("opens a loopback page and runs its script", async () => {
    const server = createServer((_, res) => {
      res.setHeader("content-type", "text/html");
      res.end("<!doctype html><title>t</title><p id=p></p><script>p.textContent = 6 * 7</script>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const browser = await launchChromium(executable as string);
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(await page.textContent("#p")).toBe("42");
    } finally {
      await browser.close();
      server.close();
    }
  });
});
