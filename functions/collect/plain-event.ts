// Almost every event a tracker sends is plainly valid. Checking such an event field by field here
// costs a fifth of zod's generic checks, which were the largest share of a request. Whatever this
// check is unsure of (props, a referrer zod would trim, any broken rule) goes to zod: the schema
// stays the contract and names what is wrong. plain-event.test.ts holds the two together, rule by
// rule and at every limit.
import {
  DIMENSION_FIELDS,
  EVENT_TYPES,
  type EventType,
  IDENTIFIER,
  LIMITS,
  REQUIRED_BY_TYPE,
  type WireEvent,
  wireEventSchema,
} from "./event.ts";

const TYPES = new Set<string>(EVENT_TYPES);
// zod's own patterns, read from the schema, so both sides test the same thing.
const UUID = wireEventSchema.shape.event_id.def.pattern as RegExp;
const DATE_TIME = wireEventSchema.shape.event_ts.def.pattern as RegExp;
const TAB_OR_NEWLINE = /[\t\n\r]/;
// An experiment or a variant may be named by a number, stored as its text, and a language of any
// length is taken and cut when stored (event.ts): checked apart.
const TEXT_LIMITS = Object.entries(LIMITS.text).filter(
  ([field]) => field !== "experiment" && field !== "variant" && field !== "language",
);
const SCROLL_STEPS = new Set<unknown>(LIMITS.scrollSteps);

const text = (value: unknown, max: number) =>
  value === undefined || (typeof value === "string" && value.length <= max);
const label = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) ? String(value) : value;
const wholeNumber = (value: unknown, max: number) =>
  value === undefined || (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max);
const identifier = (value: unknown) => typeof value === "string" && IDENTIFIER.test(value);

/** A URL that z.url() accepts unchanged: nothing to trim, no tab or newline for it to strip. */
const plainUrl = (value: unknown) =>
  typeof value === "string" &&
  value.length <= LIMITS.url &&
  value.trim() === value &&
  !TAB_OR_NEWLINE.test(value) &&
  URL.canParse(value);

/** The event as the schema would parse it, or undefined when the schema must decide. */
export function plainWireEvent(item: Record<string, unknown>): WireEvent | undefined {
  const { event_type, event_id, event_ts, page_path, referrer, scroll_pct, seconds } = item;
  if (typeof event_type !== "string" || !TYPES.has(event_type)) return undefined;
  if (typeof event_id !== "string" || !UUID.test(event_id)) return undefined;
  if (!identifier(item.session_id)) return undefined;
  if (item.visitor_id !== undefined && !identifier(item.visitor_id)) return undefined;
  if (typeof event_ts !== "string" || !DATE_TIME.test(event_ts)) return undefined;
  if (typeof page_path !== "string" || !page_path.startsWith("/") || page_path.length > LIMITS.url)
    return undefined;
  if (referrer !== undefined && referrer !== "" && !plainUrl(referrer)) return undefined;
  if (item.props !== undefined) return undefined;
  for (const [field, max] of TEXT_LIMITS) if (!text(item[field], max)) return undefined;
  if (!text(item.language, Number.POSITIVE_INFINITY)) return undefined;
  const experiment = label(item.experiment);
  const variant = label(item.variant);
  if (!text(experiment, LIMITS.text.experiment) || !text(variant, LIMITS.text.variant)) return undefined;
  // z.int() takes safe integers only; a wider screen than LIMITS.dimension is taken, and stored as that.
  for (const field of DIMENSION_FIELDS)
    if (!wholeNumber(item[field], Number.MAX_SAFE_INTEGER)) return undefined;
  if (scroll_pct !== undefined && !SCROLL_STEPS.has(scroll_pct)) return undefined;
  if (!wholeNumber(seconds, LIMITS.seconds)) return undefined;
  for (const field of REQUIRED_BY_TYPE[event_type as EventType] ?? [])
    if (item[field] === undefined) return undefined;
  // Every field in one fixed order, as zod's output holds them (an absent one is undefined).
  return {
    event_type,
    event_id,
    session_id: item.session_id,
    visitor_id: item.visitor_id,
    event_ts,
    page_path,
    page_title: item.page_title,
    // "" is no referrer, as the schema reads it.
    referrer: referrer || undefined,
    utm_source: item.utm_source,
    utm_medium: item.utm_medium,
    utm_campaign: item.utm_campaign,
    utm_term: item.utm_term,
    utm_content: item.utm_content,
    screen_width: item.screen_width,
    screen_height: item.screen_height,
    viewport_width: item.viewport_width,
    language: item.language,
    timezone: item.timezone,
    scroll_pct,
    seconds,
    element: item.element,
    experiment,
    variant,
    name: item.name,
    props: undefined,
  } as WireEvent;
}
