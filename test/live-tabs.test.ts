// /live open in several tabs of one browser. A browser opens at most six HTTP/1.1 connections to
// one host, and an event stream holds one for as long as its page is open: six /live tabs with a
// stream each would leave no connection for a seventh, for the demo site, the reports or the
// tracker's POSTs. The tabs share one stream instead.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumOrWarn } from "./chromium.ts";
import { devAndChromium } from "./dev-browser-kit.ts";

const chromiumPath = chromiumOrWarn("live tabs browser test");

describe.skipIf(!chromiumPath)("/live in many tabs", () => {
  const running = devAndChromium(chromiumPath);

  it("keeps the site, the collector and every tab working with eight /live tabs open", async () => {
    const context = await running.browser.newContext();
    const tabs: Page[] = [];
    for (let i = 0; i < 8; i++) {
      const tab = await context.newPage();
      await tab.goto(`${running.dev.url}/live`, { timeout: 10_000 });
      await tab.waitForSelector("#status[data-state=open]", { timeout: 10_000 });
      tabs.push(tab);
    }
    const site = await context.newPage();
    // Without its tracker, so that the one event below is the only one the tabs count.
    await site.route("**/analytics.js", (route) => route.abort());
    await site.goto(`${running.dev.url}/`, { timeout: 10_000 });
    // The tracker's POST goes out of the same browser, on the connections the tabs leave free.
    const posted = await site.evaluate(
      async (event) => {
        const res = await fetch("/v1/events", { method: "POST", body: JSON.stringify(event) });
        return res.status;
      },
      {
        event_type: "cta_click",
        event_id: randomUUID(),
        session_id: "session_0001",
        event_ts: new Date().toISOString(),
        page_path: "/pricing",
        element: "many_tabs",
      },
    );
    expect(posted).toBe(202);
    for (const tab of tabs) {
      await tab.waitForSelector("#events tr:has-text('many_tabs')", { timeout: 10_000 });
      await expect(tab.locator("#events tr").count()).resolves.toBe(1);
      await expect(tab.textContent("#last-hour")).resolves.toBe("1");
    }
    // A tab opened later gets the event as the others show it, counted once.
    const late = await context.newPage();
    await late.goto(`${running.dev.url}/live`);
    await late.waitForSelector("#events tr:has-text('many_tabs')", { timeout: 10_000 });
    await expect(late.textContent("#last-hour")).resolves.toBe("1");
    await context.close();

    // A browser without shared workers (Chrome on Android) opens a stream of its own.
    const withoutWorkers = await running.browser.newContext();
    await withoutWorkers.addInitScript(() => Reflect.deleteProperty(window, "SharedWorker"));
    const plain = await withoutWorkers.newPage();
    await plain.goto(`${running.dev.url}/live`);
    await plain.waitForSelector("#status[data-state=open]");
    await plain.waitForSelector("#events tr:has-text('many_tabs')", { timeout: 10_000 });
    await expect(plain.textContent("#last-hour")).resolves.toBe("1");
    await withoutWorkers.close();
  }, 120_000);
});
