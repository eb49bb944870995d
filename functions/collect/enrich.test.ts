import { describe, expect, it } from "vitest";
import { countryOfTimezone, parseClient, parseUserAgent, siteOfOrigin } from "./enrich.ts";

const UA = {
  chromeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  safariIpad:
    "Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1",
  googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  smartTv:
    "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36",
};

describe("parseClient", () => {
  it("derives browser, major version, os and device type", () => {
    expect(parseClient(UA.chromeWindows)).toEqual({
      browser: "Chrome",
      browser_version: 124,
      os: "Windows",
      device_type: "desktop",
      is_bot: false,
    });
    expect(parseClient(UA.safariIphone)).toMatchObject({
      browser: "Safari",
      browser_version: 17,
      os: "iOS",
      device_type: "mobile",
    });
    expect(parseClient(UA.safariIpad)).toMatchObject({ device_type: "tablet" });
    expect(parseClient(UA.smartTv)).toMatchObject({ device_type: "other" });
  });
  it("names the browsers Bowser knows but leaves out of its BROWSER_MAP", () => {
    const miui =
      "Mozilla/5.0 (Linux; U; Android 13; en-in; 22101316I Build/TP1A.220624.014) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/112.0.5615.136 Mobile Safari/537.36 XiaoMi/MiuiBrowser/14.3.0-gn";
    const operaTouch =
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36 OPT/4.4.2";
    expect(parseClient(miui)).toMatchObject({ browser: "Miui", browser_version: 14, device_type: "mobile" });
    expect(parseClient(operaTouch)).toMatchObject({ browser: "Opera Touch", browser_version: 4 });
  });
  it("flags bots, and requests without a user agent", () => {
    expect(parseClient(UA.googlebot).is_bot).toBe(true);
    expect(parseClient("curl/8.5.0").is_bot).toBe(true);
    expect(parseClient(undefined)).toMatchObject({
      browser: null,
      os: null,
      device_type: "other",
      is_bot: true,
    });
    expect(parseClient("")).toMatchObject({ is_bot: true });
  });
  it("never returns the user agent itself", () => {
    expect(JSON.stringify(parseClient(UA.chromeWindows))).not.toContain("Mozilla");
    // Bowser would name this browser "AcmeKiosk for jane.doe@corp.example serial 123456789012 build".
    expect(
      parseClient("AcmeKiosk for jane.doe@corp.example serial 123456789012 build/3.1 (Windows NT 10.0)"),
    ).toMatchObject({ browser: null, browser_version: null, os: "Windows" });
    expect(parseClient(`${"A".repeat(8_000)} b/1 c`).browser).toBeNull();
  });
  it("keeps a major version the models' INTEGER column cannot hold out of the record", () => {
    // One such request made every later build fail reading raw/ ("Failed to cast value to numerical").
    const huge = UA.chromeWindows.replace("Chrome/124.0", "Chrome/99999999999.0");
    expect(parseClient(huge)).toMatchObject({ browser: "Chrome", browser_version: null });
    const atLimit = UA.chromeWindows.replace("Chrome/124.0", "Chrome/2147483647.0");
    expect(parseClient(atLimit).browser_version).toBe(2_147_483_647);
    const pastLimit = UA.chromeWindows.replace("Chrome/124.0", "Chrome/2147483648.0");
    expect(parseClient(pastLimit).browser_version).toBeNull();
  });
  it("answers from memory as a fresh parse does, also once more agents came than it keeps", () => {
    const many = Array.from({ length: 2_500 }, (_, i) => `${UA.chromeWindows.replace("124.0", `${i}.0`)}`);
    for (const agent of many) parseClient(agent);
    for (const agent of [...Object.values(UA), many[0] as string, many[2_499] as string]) {
      expect(parseClient(agent)).toEqual(parseUserAgent(agent));
      expect(parseClient(agent)).toEqual(parseUserAgent(agent));
    }
    expect(parseClient(many[2_499])).toMatchObject({ browser: "Chrome", browser_version: 2499 });
  });
});

describe("countryOfTimezone", () => {
  it("maps an IANA zone to an ISO 3166-1 alpha-2 country", () => {
    expect(countryOfTimezone("Europe/Berlin")).toBe("DE");
    expect(countryOfTimezone("America/New_York")).toBe("US");
    expect(countryOfTimezone("Asia/Calcutta")).toBe("IN");
  });
  it("is null for zones without a country and for junk", () => {
    expect(countryOfTimezone("UTC")).toBeNull();
    expect(countryOfTimezone("Mars/Olympus")).toBeNull();
    expect(countryOfTimezone("__proto__")).toBeNull();
    expect(countryOfTimezone(undefined)).toBeNull();
  });
});

describe("siteOfOrigin", () => {
  it("is the Origin's host", () => {
    expect(siteOfOrigin("https://example.com")).toBe("example.com");
    expect(siteOfOrigin("https://Blog.Example.com:8443")).toBe("blog.example.com:8443");
    expect(siteOfOrigin("http://127.0.0.1:8787")).toBe("127.0.0.1:8787");
    // A page opened as example.com. (the DNS root's trailing dot) is the same site.
    expect(siteOfOrigin("https://example.com.")).toBe("example.com");
    expect(siteOfOrigin("https://example.com.:8443")).toBe("example.com:8443");
  });
  it("is null without a usable Origin", () => {
    expect(siteOfOrigin(undefined)).toBeNull();
    expect(siteOfOrigin("null")).toBeNull();
    expect(siteOfOrigin("garbage")).toBeNull();
  });
  it("is null for a host longer than a DNS name can be, which would be stored with every event of the batch", () => {
    const longest = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.com`;
    expect(longest).toHaveLength(253);
    expect(siteOfOrigin(`https://${longest}:65535`)).toBe(`${longest}:65535`);
    expect(siteOfOrigin(`https://${"a".repeat(60)}.${longest}`)).toBeNull();
    expect(siteOfOrigin(`https://${"x".repeat(16_000)}.example.com`)).toBeNull();
  });
});
