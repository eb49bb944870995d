// `ownstats dev` in Chromium: a visitor opens the demo site, goes to the pricing page and clicks
// "Book a call". The click shows on the /live page as it arrives, and `ownstats query` finds it in
// the warehouse within 10 seconds of the tracker sending it. The pages load without a failed request.
import { describe, expect, it } from "vitest";
import { chromiumOrWarn } from "./chromium.ts";
import { devAndChromium } from "./dev-browser-kit.ts";
import { queryRows } from "./dev-server.ts";

const chromiumPath = chromiumOrWarn("dev server browser test");

describe.skipIf(!chromiumPath)("ownstats dev in a browser", () => {
  const running = devAndChromium(chromiumPath);

  it("shows a CTA click live and makes it queryable within 10 seconds", async () => {
    // Ready means the start-up build has rendered the reports; later builds follow new data only.
    for (let ready = false; !ready; await new Promise((r) => setTimeout(r, 250)))
      ready = (await fetch(`${running.dev.url}/reports/`)).status === 200;
    const context = await running.browser.newContext();
    const live = await context.newPage();
    await live.goto(`${running.dev.url}/live`);
    await live.waitForSelector("#status[data-state=open]");

    const page = await context.newPage();
    await page.goto(`${running.dev.url}/`);
    await expect(page.title()).resolves.toBe("Ownstats — analytics you own");
    await page.click('a[href="/pricing"] >> nth=0');
    await page.waitForURL(`${running.dev.url}/pricing`);
    const sent = page.waitForResponse(
      (response) =>
        response.url() === `${running.dev.url}/v1/events` &&
        (response.request().postData() ?? "").includes("cta_click"),
    );
    await page.click('[data-cta="book_call"]');
    const response = await sent;
    expect(response.status()).toBe(202);
    const sentAt = Date.now();

    await live.waitForSelector("#events tr:has-text('cta_click')", { timeout: 10_000 });
    await expect(live.textContent("#events")).resolves.toContain("book_call");
    // Its time is in UTC, and says so: in the column's header and on the time itself.
    await expect(live.textContent("thead th >> nth=0")).resolves.toBe("Time (UTC)");
    const time = live.locator("#events tr:has-text('cta_click') time");
    await expect(time.getAttribute("datetime")).resolves.toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    await expect(time.getAttribute("title")).resolves.toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

    // Poll `ownstats query` (a process of its own, as a user would run it) until the click is there.
    let startedAt = 0;
    let rows: Record<string, unknown>[] | undefined;
    for (;;) {
      startedAt = Date.now();
      rows = await queryRows(
        running.dev.data,
        "select element, page_path, site from stg_events where event_type = 'cta_click'",
      );
      if (rows?.length) break;
      if (startedAt - sentAt > 10_000) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(rows).toEqual([
      { element: "book_call", page_path: "/pricing", site: new URL(running.dev.url).host },
    ]);
    // The query that first saw it had started within 10 s of the tracker's POST.
    expect(startedAt - sentAt).toBeLessThanOrEqual(10_000);
    await context.close();
  }, 120_000);

  it("loads the demo site and /live without a failed request or a console error", async () => {
    const context = await running.browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    for (const path of ["/", "/pricing", "/blog/own-your-analytics"]) {
      await page.goto(`${running.dev.url}${path}`);
      await page.waitForLoadState("networkidle");
    }
    await page.goto(`${running.dev.url}/live`);
    await page.waitForSelector("#status[data-state=open]");
    // Browsers ask every site for /favicon.ico (outside the page's own requests); a 404 there is
    // the console error "Failed to load resource" on the first page a visitor opens.
    const icon = await fetch(`${running.dev.url}/favicon.ico`);
    expect([icon.status, icon.headers.get("content-type")]).toEqual([200, "image/svg+xml"]);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
