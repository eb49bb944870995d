// A page whose origin ALLOWED_ORIGINS leaves out, in Debian's Chromium: the collector's 403 reaches
// the page as a 403 that names the origin, not as a CORS failure that hides it, and the tracker
// does not send the refused batch again.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { chromiumOrWarn, launchChromium } from "./chromium.ts";
import { pauseClock, poll, startTrackerSite, type TrackerSite } from "./tracker-harness.ts";

const executable = chromiumOrWarn("tracker refused origin");

describe.runIf(executable)("tracker: an origin outside ALLOWED_ORIGINS", () => {
  let site: TrackerSite;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    vi.stubEnv("ALLOWED_ORIGINS", "https://www.example.com");
    site = await startTrackerSite();
    browser = await launchChromium(executable as string);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await browser?.close();
    await site?.close();
  });

  it("is told why in a 403 the page can read, and the refused batch is not sent again", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await pauseClock(page);
    const statuses: number[] = [];
    page.on("requestfinished", async (request) => {
      if (request.url().endsWith("/v1/events")) statuses.push((await request.response())?.status() ?? 0);
    });
    await page.goto(site.otherOriginPage("cross-origin.html"));
    const origin = new URL(page.url()).origin;
    await page.clock.runFor(3_100);
    await poll(() => statuses).toEqual([403]);
    await page.clock.runFor(20_000); // past the 3-second retry of a network failure
    await site.settle();
    const posts = site.received.filter((r) => r.method === "POST" && r.path === "/v1/events");
    expect(posts).toHaveLength(1);

    const answer = await page.evaluate(
      (endpoint) => fetch(endpoint, { method: "POST", body: "{}" }).then((r) => r.json()),
      `${site.collector.url}/v1/events`,
    );
    expect(answer).toEqual({
      error: `origin "${origin}" is not allowed to send events (not in ALLOWED_ORIGINS)`,
    });
    await context.close();
  });
});
