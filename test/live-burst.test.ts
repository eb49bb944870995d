// A burst of events on an open /live page: the page draws them once a frame, not once an event,
// so that thousands of events in a second leave it responsive, and it still counts every one.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { chromiumOrWarn } from "./chromium.ts";
import { devAndChromium } from "./dev-browser-kit.ts";

const chromiumPath = chromiumOrWarn("live burst browser test");

describe.skipIf(!chromiumPath)("/live in a burst", () => {
  const running = devAndChromium(chromiumPath);

  it("counts and lists a burst of 2,000 events with far fewer redraws than events", async () => {
    const { dev, browser } = running;
    const page = await browser.newPage();
    await page.goto(`${dev.url}/live`);
    await page.waitForSelector("#status[data-state=open]");
    await page.evaluate(() => {
      const counter = window as unknown as { chartRedraws: number };
      counter.chartRedraws = 0;
      new MutationObserver(() => counter.chartRedraws++).observe(document.getElementById("chart") as Node, {
        childList: true,
      });
    });

    const burst = 2_000;
    const batch = () =>
      Array.from({ length: 50 }, () => ({
        event_type: "page_view",
        event_id: randomUUID(),
        session_id: "session_0001",
        event_ts: new Date().toISOString(),
        page_path: "/burst",
      }));
    const statuses = await Promise.all(
      Array.from({ length: burst / 50 }, () =>
        fetch(`${dev.url}/v1/events`, { method: "POST", body: JSON.stringify({ events: batch() }) }).then(
          (res) => res.status,
        ),
      ),
    );
    expect(new Set(statuses)).toEqual(new Set([202]));

    await page.waitForFunction(
      (n) => document.getElementById("last-hour")?.textContent === String(n),
      burst,
      {
        timeout: 30_000,
      },
    );
    await expect(page.locator("#events tr").count()).resolves.toBe(200);
    const redraws = await page.evaluate(() => (window as unknown as { chartRedraws: number }).chartRedraws);
    expect(redraws).toBeLessThan(burst / 4);
    await page.close();
  }, 120_000);
});
