// The fixed shapes of the demo's imaginary site: its pages and how visitors move between them,
// where visitors come from, and the devices and places they use. Numbers are weights, not counts.
import { Weighted } from "./demo-random.ts";

export const DEMO_SITE = "example.com";
export const SITE_ORIGIN = `https://${DEMO_SITE}`;

export interface Page {
  path: string;
  title: string;
  /** Median seconds a visitor stays; long reads hold people longer and get scrolled further. */
  dwell: number;
  /** How far a typical visitor scrolls, 0–1 (1 = a short page seen entirely). */
  reach: number;
}

export const pages = {
  home: { path: "/", title: "Ownstats — analytics you own", dwell: 25, reach: 0.7 },
  features: { path: "/features", title: "Features — Ownstats", dwell: 40, reach: 0.6 },
  pricing: { path: "/pricing", title: "Pricing — Ownstats", dwell: 45, reach: 0.75 },
  article: {
    path: "/blog/own-your-analytics",
    title: "Own your analytics: a pipeline in an afternoon",
    dwell: 110,
    reach: 0.5,
  },
  cookieless: {
    path: "/blog/cookieless-tracking",
    title: "Counting visitors without cookies",
    dwell: 90,
    reach: 0.45,
  },
  docs: { path: "/docs/getting-started", title: "Getting started — Ownstats docs", dwell: 70, reach: 0.55 },
  about: { path: "/about", title: "About — Ownstats", dwell: 20, reach: 0.8 },
  contact: { path: "/contact", title: "Contact — Ownstats", dwell: 30, reach: 0.9 },
} satisfies Record<string, Page>;

export type PageKey = keyof typeof pages;

/** Where a visitor goes next from each page; "exit" ends the session. */
export const nextPage: Record<PageKey, Weighted<PageKey | "exit">> = {
  home: new Weighted([
    ["features", 3],
    ["pricing", 3],
    ["article", 1.5],
    ["docs", 1],
    ["about", 0.7],
    ["exit", 4],
  ]),
  features: new Weighted([
    ["pricing", 4],
    ["docs", 1.5],
    ["home", 0.5],
    ["exit", 3],
  ]),
  pricing: new Weighted([
    ["contact", 0.8],
    ["features", 1],
    ["docs", 1],
    ["home", 0.5],
    ["exit", 4],
  ]),
  article: new Weighted([
    ["cookieless", 1.2],
    ["home", 1],
    ["pricing", 0.8],
    ["exit", 6],
  ]),
  cookieless: new Weighted([
    ["article", 0.8],
    ["home", 0.8],
    ["pricing", 0.6],
    ["exit", 6],
  ]),
  docs: new Weighted([
    ["pricing", 1],
    ["features", 1],
    ["exit", 4],
  ]),
  about: new Weighted([
    ["contact", 0.5],
    ["home", 1],
    ["exit", 3],
  ]),
  contact: new Weighted([
    ["home", 0.5],
    ["exit", 5],
  ]),
};

/** How a session arrived: its referrer and UTM parameters, and the page it landed on. */
export interface Arrival {
  channel: "direct" | "search" | "social" | "email" | "paid" | "referral";
  referrer?: string;
  utm?: { source: string; medium: string; campaign: string; term?: string; content?: string };
  landing: Weighted<PageKey>;
}

const landOnContent = new Weighted<PageKey>([
  ["article", 5],
  ["cookieless", 3],
  ["home", 1],
]);
const landOnHome = new Weighted<PageKey>([
  ["home", 8],
  ["pricing", 1],
  ["docs", 1],
]);

/** A session's arrival, drawn by weight; returning visitors come back directly or by email more often. */
export const arrivals: readonly (readonly [Arrival, number])[] = [
  [{ channel: "direct", landing: landOnHome }, 24],
  [{ channel: "search", referrer: "https://www.google.com/", landing: landOnContent }, 18],
  [{ channel: "search", referrer: "https://duckduckgo.com/", landing: landOnContent }, 4],
  [{ channel: "search", referrer: "https://www.bing.com/", landing: landOnContent }, 2],
  [
    {
      channel: "social",
      referrer: "https://www.linkedin.com/",
      utm: { source: "linkedin", medium: "social", campaign: "launch_week", content: "carousel" },
      landing: landOnContent,
    },
    6,
  ],
  [{ channel: "social", referrer: "https://www.linkedin.com/feed/", landing: landOnContent }, 2],
  [
    {
      channel: "social",
      referrer: "https://t.co/",
      utm: { source: "twitter", medium: "social", campaign: "launch_week", content: "thread" },
      landing: landOnContent,
    },
    5,
  ],
  [{ channel: "social", referrer: "https://news.ycombinator.com/", landing: landOnContent }, 3],
  [
    {
      channel: "email",
      utm: { source: "newsletter", medium: "email", campaign: "monthly_digest" },
      landing: landOnContent,
    },
    6,
  ],
  [
    {
      channel: "paid",
      referrer: "https://www.google.com/",
      utm: { source: "google", medium: "cpc", campaign: "brand_search", term: "self hosted analytics" },
      landing: new Weighted<PageKey>([
        ["pricing", 3],
        ["home", 2],
      ]),
    },
    6,
  ],
  [
    {
      channel: "paid",
      referrer: "https://www.linkedin.com/",
      utm: { source: "linkedin", medium: "paid_social", campaign: "privacy_webinar" },
      landing: new Weighted<PageKey>([["features", 1]]),
    },
    2,
  ],
  [{ channel: "referral", referrer: "https://github.com/ownstats/ownstats", landing: landOnHome }, 5],
  [{ channel: "referral", referrer: "https://dev.to/", landing: landOnContent }, 2],
  [{ channel: "referral", referrer: "https://stackoverflow.com/questions", landing: landOnHome }, 1.5],
];

export const firstArrival = new Weighted(arrivals);
export const returnArrival = new Weighted(
  arrivals.map(([arrival, weight]) => {
    const boost = arrival.channel === "direct" ? 4 : arrival.channel === "email" ? 2.5 : 0.6;
    return [arrival, weight * boost] as const;
  }),
);

/** The spike: a launch post that is shared widely for a couple of hours. */
export const spikeArrival: Arrival = {
  channel: "social",
  referrer: "https://news.ycombinator.com/",
  landing: new Weighted<PageKey>([["article", 1]]),
};

export interface Device {
  type: "desktop" | "mobile" | "tablet";
  browser: string;
  version: number;
  os: string;
  screen: [number, number];
  viewport: number;
}

export const devices = new Weighted<Device>([
  [
    { type: "desktop", browser: "Chrome", version: 131, os: "Windows", screen: [1920, 1080], viewport: 1903 },
    18,
  ],
  [
    { type: "desktop", browser: "Chrome", version: 130, os: "macOS", screen: [1512, 982], viewport: 1512 },
    10,
  ],
  [
    {
      type: "desktop",
      browser: "Firefox",
      version: 133,
      os: "Windows",
      screen: [1920, 1080],
      viewport: 1903,
    },
    6,
  ],
  [
    { type: "desktop", browser: "Firefox", version: 132, os: "Linux", screen: [2560, 1440], viewport: 2543 },
    4,
  ],
  [{ type: "desktop", browser: "Safari", version: 18, os: "macOS", screen: [1440, 900], viewport: 1440 }, 9],
  [
    {
      type: "desktop",
      browser: "Microsoft Edge",
      version: 131,
      os: "Windows",
      screen: [1366, 768],
      viewport: 1349,
    },
    6,
  ],
  [{ type: "mobile", browser: "Safari", version: 18, os: "iOS", screen: [390, 844], viewport: 390 }, 16],
  [{ type: "mobile", browser: "Chrome", version: 131, os: "Android", screen: [412, 915], viewport: 412 }, 15],
  [
    {
      type: "mobile",
      browser: "Samsung Internet for Android",
      version: 26,
      os: "Android",
      screen: [360, 800],
      viewport: 360,
    },
    3,
  ],
  [{ type: "tablet", browser: "Safari", version: 18, os: "iOS", screen: [820, 1180], viewport: 820 }, 3],
  [{ type: "tablet", browser: "Chrome", version: 131, os: "Android", screen: [800, 1280], viewport: 800 }, 1],
]);

/**
 * The crawlers that slip past the tracker's own checks; the collector flags them. Their HeadlessChrome
 * is named "Chrome", as bowser names it.
 */
export const botDevice = { browser: "Chrome", version: 131, os: "Linux", type: "desktop" } as const;

export interface Place {
  timezone: string;
  country: string;
  language: string;
  /** Hours from UTC, standard time; the demo ignores daylight saving. */
  offset: number;
}

export const places = new Weighted<Place>([
  [{ timezone: "America/New_York", country: "US", language: "en-US", offset: -5 }, 16],
  [{ timezone: "America/Los_Angeles", country: "US", language: "en-US", offset: -8 }, 9],
  [{ timezone: "America/Chicago", country: "US", language: "en-US", offset: -6 }, 5],
  [{ timezone: "Europe/London", country: "GB", language: "en-GB", offset: 0 }, 10],
  [{ timezone: "Europe/Berlin", country: "DE", language: "de-DE", offset: 1 }, 12],
  [{ timezone: "Europe/Paris", country: "FR", language: "fr-FR", offset: 1 }, 6],
  [{ timezone: "Europe/Amsterdam", country: "NL", language: "nl-NL", offset: 1 }, 4],
  [{ timezone: "Europe/Stockholm", country: "SE", language: "sv-SE", offset: 1 }, 2],
  [{ timezone: "Europe/Madrid", country: "ES", language: "es-ES", offset: 1 }, 3],
  [{ timezone: "America/Toronto", country: "CA", language: "en-CA", offset: -5 }, 4],
  [{ timezone: "America/Sao_Paulo", country: "BR", language: "pt-BR", offset: -3 }, 3],
  [{ timezone: "Asia/Kolkata", country: "IN", language: "en-IN", offset: 5.5 }, 6],
  [{ timezone: "Asia/Tokyo", country: "JP", language: "ja-JP", offset: 9 }, 3],
  [{ timezone: "Australia/Sydney", country: "AU", language: "en-AU", offset: 10 }, 3],
]);

/** Share of a day's visits that start in each local hour: quiet nights, a working-day hump, an evening tail. */
export const localHours = new Weighted<number>(
  [
    0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.5, 1, 1.8, 2.6, 3, 3, 2.7, 2.8, 3, 2.8, 2.5, 2.1, 1.7, 1.6, 1.5, 1.3,
    0.9, 0.5,
  ].map((weight, hour) => [hour, weight] as const),
);

/** The weekly rhythm, Monday first (ISO), for a UTC day's getUTCDay() index shifted below. */
export const weekdayWeight = [0.55, 1.05, 1.1, 1.1, 1.05, 0.9, 0.5]; // Sun, Mon, …, Sat

/** The experiment on the pricing page's call to action and each variant's click-through. */
export const experiment = {
  name: "cta_copy",
  variants: [
    { name: "control", ctaRate: 0.08 },
    { name: "b", ctaRate: 0.14 },
  ],
} as const;

export const SCROLL_MILESTONES = [25, 50, 75, 100] as const;
export const TIME_MILESTONES = [30, 60, 180, 300] as const;
