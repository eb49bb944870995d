// An open /live tab follows the reports into another time zone (a build with another --vars timezone,
// or project.yml's changed while dev runs) without a reload: its names and the times it shows move.
import { Hono } from "hono";
import { describe, it } from "vitest";
import { serveApp } from "../functions/collect/server.ts";
import { LiveFeed } from "../local/live-feed.ts";
import { mountLive } from "../local/live-routes.ts";
import { chromiumOrWarn, launchChromium } from "./chromium.ts";
import { expectTimesIn, liveEvent } from "./live-kit.ts";
import { tempFolder } from "./temp-folders.ts";

const chromiumPath = chromiumOrWarn("live zone change browser test");

describe.skipIf(!chromiumPath)("/live when the reports' zone changes", () => {
  it("shows the new zone's name and times in an open tab, for the events already listed too", async () => {
    const feed = await new LiveFeed(tempFolder("ownstats-live-zone-"), 60_000).start();
    let zone = "Europe/Berlin";
    const app = new Hono();
    const routes = mountLive(app, feed, () => zone);
    const server = await serveApp(app, { port: 0 });
    const browser = await launchChromium(chromiumPath as string);
    try {
      // A browser in a third zone, so that neither UTC nor the browser's clock can pass for either.
      const context = await browser.newContext({ timezoneId: "America/New_York" });
      const live = await context.newPage();
      await live.goto(`http://127.0.0.1:${server.port}/live`);
      await live.waitForSelector("#status[data-state=open]");
      feed.publish(liveEvent({ page_path: "/zone" }), "p-000000000000001");
      const time = live.locator("#events tr:has-text('/zone') time");
      await time.waitFor({ timeout: 10_000 });
      await expectTimesIn(live, time, "Europe/Berlin");

      zone = "Asia/Tokyo";
      await live.waitForFunction(
        () => document.querySelector("thead th")?.textContent === "Time (Asia/Tokyo)",
      );
      await expectTimesIn(live, time, "Asia/Tokyo");
      await context.close();
    } finally {
      await browser.close();
      routes.closeStreams();
      await server.close();
      feed.stop();
    }
  }, 60_000);
});
