import { Hono } from "hono";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveApp } from "../functions/collect/server.ts";
import { LiveFeed } from "../local/live-feed.ts";
import { mountLive } from "../local/live-routes.ts";
import { chromiumOrWarn, launchChromium } from "./chromium.ts";
import { tempFolder } from "./temp-folders.ts";

const chromiumPath = chromiumOrWarn("live phone browser test");

describe.skipIf(!chromiumPath)("/live on a phone", () => {
  let browser: Browser;
  let feed: LiveFeed;
  let url: string;
  const stops: (() => unknown)[] = [];
  beforeAll(async () => {
    feed = await new LiveFeed(tempFolder("ownstats-live-phone-"), 60_000).start();
    const app = new Hono();
    const routes = mountLive(app, feed);
    const server = await serveApp(app, { port: 0 });
    url = `http://127.0.0.1:${server.port}`;
    browser = await launchChromium(chromiumPath as string);
    stops.push(
      () => feed.stop(),
      () => server.close(),
      () => routes.closeStreams(),
      () => browser.close(),
    );
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  it("fits a 390 px wide screen with long page paths in the table", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(`${url}/live`);
    await page.waitForSelector("#status[data-state=open]");
    feed.publish(
      {
        time: new Date().toISOString(),
        event_type: "experiment_exposure",
        site: "www.a-rather-long-domain-name.example",
        page_path: "/blog/2026/11/why-we-moved-our-analytics-to-our-own-infrastructure-and-what-it-cost",
        detail: "pricing_page_headline_copy = variant_with_longer_name",
        browser: "Samsung Internet for Android",
        device_type: "mobile",
        country: "DE",
        is_bot: false,
      },
      "p-000000000000001",
    );
    await page.waitForSelector("#events tr");
    const [scrollWidth, clientWidth] = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      document.documentElement.clientWidth,
    ]);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    await context.close();
  }, 60_000);
});
