// /live shows times in the zone the reports show them in (var timezone, here from `dev --vars`), not
// in UTC and not in the browser's own zone: an analyst in Berlin reads the same time on both.
import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chromiumOrWarn, launchChromium } from "./chromium.ts";
import { startDev } from "./dev-server.ts";
import { expectTimesIn } from "./live-kit.ts";

const chromiumPath = chromiumOrWarn("live time zone browser test");

describe.skipIf(!chromiumPath)("/live's time zone", () => {
  it("shows an event's time in the reports' zone, and names it", async () => {
    const dev = await startDev(["--no-demo", "--vars", "{timezone: Europe/Berlin}"]);
    const browser = await launchChromium(chromiumPath as string);
    try {
      // The reports take the zone from the build that rendered them: the start-up build.
      for (let ready = false; !ready; await new Promise((r) => setTimeout(r, 250)))
        ready = (await fetch(`${dev.url}/reports/`)).status === 200;
      // A browser in a third zone, so that neither UTC nor the browser's clock can pass for Berlin's.
      const context = await browser.newContext({ timezoneId: "America/New_York" });
      const live = await context.newPage();
      await live.goto(`${dev.url}/live`);
      await live.waitForSelector("#status[data-state=open]");
      const sent = await fetch(`${dev.url}/v1/events`, {
        method: "POST",
        body: JSON.stringify({
          event_type: "page_view",
          event_id: crypto.randomUUID(),
          session_id: "zone-test-session",
          event_ts: new Date().toISOString(),
          page_path: "/zone",
        }),
      });
      expect(sent.status).toBe(202);

      const time = live.locator("#events tr:has-text('/zone') time");
      await time.waitFor({ timeout: 10_000 });
      await expectTimesIn(live, time, "Europe/Berlin");
      await context.close();
    } finally {
      await browser.close();
      await dev.stop();
      rmSync(dev.data, { recursive: true, force: true });
    }
  }, 120_000);
});
