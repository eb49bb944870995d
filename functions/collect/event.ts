// The wire contract of POST /v1/events (design §4) and the stored record every sink receives.
// Unknown fields are stripped by the object schemas; nothing outside this list is ever stored.
import { z } from "zod";

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_EVENTS_PER_BATCH = 50;
export const SCHEMA_VERSION = 1;

export const EVENT_TYPES = [
  "page_view",
  "cta_click",
  "scroll_depth",
  "time_on_page",
  "form_start",
  "form_submit",
  "exit_intent",
  "experiment_exposure",
  "custom",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const DEVICE_TYPES = ["desktop", "mobile", "tablet", "other"] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** Assigning this key would replace an object's prototype: it is never accepted as a props key. */
const PROTOTYPE_KEY = "__proto__";

/** Lone UTF-16 surrogates (legal in JSON escapes, invalid in UTF-8 files) become U+FFFD. */
export const wellFormed = (s: string): string => (s as unknown as WellFormedString).toWellFormed();
// ES2024 string methods, present in Node 20 but not in the ES2023 library this project targets.
interface WellFormedString {
  toWellFormed(): string;
}

/** An error message that says "is required" when the field is missing and `expected` otherwise. */
const expect = (expected: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : expected),
});

/**
 * How far event_ts may lie from the collector's clock. A tracker sends within seconds; a time
 * outside this is a broken client clock, and stored it would stretch every hourly and daily series
 * across the years between (or past year 9999, which no model can read).
 */
export const EVENT_TS_WINDOW = { pastHours: 72, futureHours: 24 } as const;

/** The contract's limits, read by the schema below and by the plain-event shortcut alike. */
export const LIMITS = {
  /** Longest text per optional text field. */
  text: {
    page_title: 300,
    utm_source: 200,
    utm_medium: 200,
    utm_campaign: 200,
    utm_term: 200,
    utm_content: 200,
    /** Stored length; a longer tag is taken and cut (app.ts). */
    language: 35,
    timezone: 64,
    element: 200,
    experiment: 100,
    variant: 100,
    name: 50,
  },
  url: 2_000,
  /** Widest screen or viewport stored; a wider one (a page zoomed far out) is stored as this. */
  dimension: 20_000,
  seconds: 7 * 24 * 3600,
  scrollSteps: [25, 50, 75, 100],
} as const;
export const DIMENSION_FIELDS = ["screen_width", "screen_height", "viewport_width"] as const;

// Validation only: normalizing (lower-case ids, UTC times, well-formed strings) happens when the
// stored record is built, which keeps parsing more than twice as fast as zod transforms would.
const text = (max: number) =>
  z.string(expect("must be a string")).max(max, `must be at most ${max} characters`);
// A page's own code names experiments and variants, often by number (variant("hero", 1)); the tracker
// sends an exposure once per session, so one refused for its type would never land.
const label = (max: number) =>
  z.union([text(max), z.number().transform(String)], "must be a string or a number");
export const IDENTIFIER = /^[A-Za-z0-9_-]{8,64}$/;
const identifier = z
  .string(expect("must be a string"))
  .regex(IDENTIFIER, "must be 8–64 characters of A-Z, a-z, 0-9, _ or -");
// No upper bound here: at 25 % zoom a 5K screen is 20,480 CSS pixels wide, and refusing the page
// view would lose the visit for a size. The stored record cuts it to LIMITS.dimension (app.ts).
const dimension = z.int(expect("must be a whole number")).min(0, "must be at least 0");

const propsRecord = z
  .record(
    z.string().max(50, "prop names must be at most 50 characters"),
    z.union([text(200), z.number(), z.boolean()], "prop values must be a string (≤ 200), number or boolean"),
    // zod's own message would say "expected record", a word of zod's rather than of this contract.
    "must be an object of prop names to values",
  )
  .refine((value) => Object.keys(value).length <= 20, "must have at most 20 keys");

// zod's record drops a "__proto__" key without a word, so it is refused before the record sees it.
// Typed as the record: what it takes and gives is the record's.
const props = z
  .unknown()
  .refine(
    (value) => typeof value !== "object" || value === null || !Object.hasOwn(value, PROTOTYPE_KEY),
    `prop name "${PROTOTYPE_KEY}" is reserved`,
  )
  .pipe(propsRecord) as unknown as typeof propsRecord;

export const wireEventSchema = z
  .object({
    event_type: z.enum(EVENT_TYPES, expect(`must be one of ${EVENT_TYPES.join(", ")}`)),
    event_id: z.guid(expect("must be a UUID")),
    session_id: identifier,
    visitor_id: identifier.optional(),
    event_ts: z.iso.datetime({
      offset: true,
      ...expect("must be an ISO-8601 date-time with a zone, e.g. 2026-01-31T12:00:00Z"),
    }),
    page_path: z
      .string(expect("must be a string"))
      .startsWith("/", "must start with /")
      .max(LIMITS.url, `must be at most ${LIMITS.url} characters`),
    page_title: text(LIMITS.text.page_title).optional(),
    // document.referrer is "" for a visit no page sent: a client that sends it as it is sends no referrer.
    referrer: z
      .union(
        [
          z.literal("").transform(() => undefined),
          z.url("must be a URL").max(LIMITS.url, `must be at most ${LIMITS.url} characters`),
        ],
        "must be a URL",
      )
      .optional(),
    utm_source: text(LIMITS.text.utm_source).optional(),
    utm_medium: text(LIMITS.text.utm_medium).optional(),
    utm_campaign: text(LIMITS.text.utm_campaign).optional(),
    utm_term: text(LIMITS.text.utm_term).optional(),
    utm_content: text(LIMITS.text.utm_content).optional(),
    screen_width: dimension.optional(),
    screen_height: dimension.optional(),
    viewport_width: dimension.optional(),
    // The browser's own tag, not the page's: one longer than the stored 35 characters (Unicode
    // extensions: -u-ca-gregory-nu-latn-…) is taken, and stored cut at a subtag (app.ts).
    language: z.string(expect("must be a string")).optional(),
    timezone: text(LIMITS.text.timezone).optional(),
    scroll_pct: z.literal(LIMITS.scrollSteps, "must be 25, 50, 75 or 100").optional(),
    seconds: z
      .int("must be a whole number")
      .min(0, "must be at least 0")
      .max(LIMITS.seconds, `must be at most a week (${LIMITS.seconds})`)
      .optional(),
    element: text(LIMITS.text.element).optional(),
    experiment: label(LIMITS.text.experiment).optional(),
    variant: label(LIMITS.text.variant).optional(),
    name: text(LIMITS.text.name).optional(),
    props: props.optional(),
  })
  .superRefine((event, ctx) => {
    const required = REQUIRED_BY_TYPE[event.event_type] ?? [];
    for (const field of required) {
      if (event[field] === undefined)
        ctx.addIssue({ code: "custom", path: [field], message: `is required for ${event.event_type}` });
    }
  });

/** Fields that some event types require beyond those every event has. */
export const REQUIRED_BY_TYPE: Partial<Record<EventType, (keyof WireEvent)[]>> = {
  scroll_depth: ["scroll_pct"],
  time_on_page: ["seconds"],
  experiment_exposure: ["experiment", "variant"],
  custom: ["name"],
};

/** A valid event as the client sends it (what the tracker builds). */
export type WireEventInput = z.input<typeof wireEventSchema>;
/** A valid event after parsing: unknown fields gone, not yet normalized or sanitized. */
export type WireEvent = z.output<typeof wireEventSchema>;

/** What the server adds to every event. */
export interface ServerFields {
  ingest_ts: string;
  site: string | null;
  browser: string | null;
  browser_version: number | null;
  os: string | null;
  device_type: DeviceType;
  is_bot: boolean;
  country: string | null;
  schema_version: number;
}

/** One line of a raw object: the sanitized wire fields plus the server's. */
export type StoredEvent = WireEvent & ServerFields;

export interface Rejection {
  index: number;
  error: string;
}
/** Body of a 202 (and of a 400 when every event of the body was rejected). */
export interface CollectResponse {
  accepted: number;
  rejected: Rejection[];
}
export interface ErrorResponse {
  error: string;
}

/** A readable one-line reason for a rejected event, naming each field that is wrong. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join(".");
      // A bad props key is reported by zod as "invalid key"; say which rule it broke.
      if (issue.code === "invalid_key" && issue.issues[0]) return `${path} ${issue.issues[0].message}`;
      return path ? `${path} ${issue.message}` : issue.message;
    })
    .join("; ");
}
