// What the server derives from the request: browser family from the user agent (which is then
// dropped), bot flag, country from the IANA time zone (never from an IP), site from the Origin.
import Bowser from "bowser";
import ct from "countries-and-timezones";
import { isbot } from "isbot";
import { boundedMemo } from "./bounded-memo.ts";
import type { DeviceType } from "./event.ts";
import { withoutRootDot } from "./sanitize.ts";

export interface Client {
  browser: string | null;
  browser_version: number | null;
  os: string | null;
  device_type: DeviceType;
  is_bot: boolean;
}

const UNKNOWN_CLIENT: Client = {
  browser: null,
  browser_version: null,
  os: null,
  device_type: "other",
  // A request without a user agent is not a browser.
  is_bot: true,
};

/** Browser, major version, OS, device type and bot flag of a user agent (never the string itself). */
export function parseClient(userAgent: string | undefined): Client {
  return userAgent ? parseKnownClient(userAgent) : UNKNOWN_CLIENT;
}

// Bowser's parsers name a few browsers its BROWSER_MAP leaves out (MIUI Browser, shipped on most
// Xiaomi phones, among them): without them those visitors would have no browser at all.
const NAMED_BY_BOWSER_OUTSIDE_ITS_MAP = ["Miui", "Opera Touch", "PlayStation 4", "SlimerJS"];
const KNOWN_BROWSERS = new Set([...Object.values(Bowser.BROWSER_MAP), ...NAMED_BY_BOWSER_OUTSIDE_ITS_MAP]);

// The models read browser_version as an INTEGER: one stored value past it fails every read of raw/.
const MAX_BROWSER_VERSION = 2_147_483_647;

/** The same as parseClient, parsed afresh each time. */
export function parseUserAgent(userAgent: string): Client {
  const parsed = Bowser.parse(userAgent);
  const major = Number.parseInt(parsed.browser.version ?? "", 10);
  const platform = parsed.platform.type;
  const device_type: DeviceType =
    platform === "desktop" || platform === "mobile" || platform === "tablet" ? platform : "other";
  // Bowser names a browser it does not know by whatever text comes before the user agent's last "/",
  // which can be most of the string (an email, a serial number): only the names it knows are kept.
  const known = KNOWN_BROWSERS.has(parsed.browser.name ?? "");
  return {
    browser: known ? (parsed.browser.name as string) : null,
    browser_version: known && major >= 0 && major <= MAX_BROWSER_VERSION ? major : null,
    os: parsed.os.name || null,
    device_type,
    is_bot: isbot(userAgent) || platform === "bot",
  };
}

// Parsing a user agent costs far more than the rest of an event; real traffic repeats a few
// hundred of them, so the parsed form is remembered, keyed by the string, in memory only.
const parseKnownClient = boundedMemo(2_000, parseUserAgent);

/** ISO 3166-1 alpha-2 country of an IANA time zone, or null (UTC, unknown or malformed zones). */
export function countryOfTimezone(timezone: string | undefined): string | null {
  return timezone ? countryOfZone(timezone) : null;
}
const countryOfZone = boundedMemo(1_000, (timezone) =>
  /^[A-Za-z0-9_+\-/]+$/.test(timezone) ? (ct.getCountryForTimezone(timezone)?.id ?? null) : null,
);

const MAX_HOST = 253 + ":65535".length;

/** The host (with a non-default port) of an Origin header, or null when absent, opaque or too long. */
export function siteOfOrigin(origin: string | undefined): string | null {
  if (!origin || origin === "null") return null;
  try {
    const host = withoutRootDot(new URL(origin)).host;
    // No site's name is longer than a DNS name (253) and a port: a longer Origin header (up to the
    // server's 16 KiB) would be stored again with each of a batch's 50 events.
    return host && host.length <= MAX_HOST ? host : null;
  } catch {
    return null;
  }
}
