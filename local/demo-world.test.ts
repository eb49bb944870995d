// The demo's clients are written as the collector would store them for a real browser of each kind:
// a value the collector never writes (a browser name bowser does not give) would show up in the
// reports of demo data only.
import { describe, expect, it } from "vitest";
import { parseUserAgent } from "../functions/collect/enrich.ts";
import { botDevice, devices } from "./demo-world.ts";

const userAgents = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
];
const crawler =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";

const stored = (client: {
  browser: string | null;
  browser_version: number | null;
  os: string | null;
  device_type: string;
}) => `${client.browser} ${client.browser_version} ${client.os} ${client.device_type}`;

describe("demo clients", () => {
  it("are each what the collector stores for such a browser", () => {
    const collected = new Set(userAgents.map((agent) => stored(parseUserAgent(agent))));
    for (const device of devices.values)
      expect(collected).toContain(
        stored({
          browser: device.browser,
          browser_version: device.version,
          os: device.os,
          device_type: device.type,
        }),
      );
  });

  it("name the crawler's browser as the collector does, and flag it", () => {
    const client = parseUserAgent(crawler);
    expect(client.is_bot).toBe(true);
    expect(
      stored({
        browser: botDevice.browser,
        browser_version: botDevice.version,
        os: botDevice.os,
        device_type: botDevice.type,
      }),
    ).toBe(stored(client));
  });
});
