// Shared by the browser tests of /live: an event as the feed passes it on, and what the page must show
// for times in a zone.
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import type { LiveEvent } from "../local/live-feed.ts";
import { wallClock } from "../reports/zone.ts";

/** The event's `time`, its title, the table's and the chart's captions and bars all in `zone`. */
export async function expectTimesIn(live: Page, time: Locator, zone: string): Promise<void> {
  const wall = wallClock(zone, (await time.getAttribute("datetime")) as string);
  await expect(time.textContent()).resolves.toBe(wall.slice(11, 19));
  await expect(time.getAttribute("title")).resolves.toBe(
    `${wall.slice(0, 10)} ${wall.slice(11, 19)} ${zone}`,
  );
  await expect(live.textContent("thead th >> nth=0")).resolves.toBe(`Time (${zone})`);
  await expect(live.textContent("figcaption")).resolves.toContain(`(${zone})`);
  await expect(live.locator("#chart div").last().getAttribute("title")).resolves.toMatch(
    new RegExp(` ${zone.replace("/", "\\/")}: \\d+ events$`),
  );
}

/** A page view arriving now, as the feed passes it on; `fields` replace its own. */
export const liveEvent = (fields: Partial<LiveEvent> = {}): LiveEvent => ({
  time: new Date().toISOString(),
  event_type: "page_view",
  site: "example.com",
  page_path: "/",
  detail: "",
  browser: "Firefox",
  device_type: "desktop",
  country: "DE",
  is_bot: false,
  ...fields,
});
