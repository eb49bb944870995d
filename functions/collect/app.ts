// The ingest app: POST /v1/events → validate → sanitize and enrich → sink → 202. It has no AWS
// imports; lambda.ts and server.ts adapt it, and the sink decides where events go.
import { type Handler, Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { exactOrigin, originMatches } from "./allowed-origins.ts";
import { EVENTS_PATH } from "./custom-paths.ts";
import { countryOfTimezone, parseClient, siteOfOrigin } from "./enrich.ts";
import {
  type CollectResponse,
  type ErrorResponse,
  LIMITS,
  MAX_BODY_BYTES,
  SCHEMA_VERSION,
  type StoredEvent,
  type WireEvent,
  wellFormed,
} from "./event.ts";
import { FailureLog } from "./failure-log.ts";
import { parseBody } from "./parse-body.ts";
import { readBody } from "./read-body.ts";
import { redactPersonal, sanitizePath, sanitizeReferrer, withoutDirectionalControls } from "./sanitize.ts";
import type { Sink } from "./sink.ts";
import { toUtcIso } from "./utc-time.ts";

export interface AppOptions {
  sink: Sink;
  /** Origins allowed to send events (parseAllowedOrigins: origins, bare hosts, *. wildcards); empty means any. */
  allowedOrigins?: string[];
  /** @default () => new Date() */
  now?: () => Date;
  /** Where operational errors are reported; they never carry event content. @default console.error */
  logError?: (message: string) => void;
  /** A path that takes events besides /v1/events (COLLECT_API_ENDPOINT, checked by customPathsFromEnv). */
  collectPath?: string;
}

export function createApp({
  sink,
  allowedOrigins = [],
  now = () => new Date(),
  logError = console.error,
  collectPath,
}: AppOptions): Hono {
  const app = new Hono();
  // A sink that stays down (a full disk) fails every request: one line when it starts, not one each.
  const storeFailures = new FailureLog(logError, "collect: events are stored again");
  const isAllowed = (origin: string | undefined): boolean => {
    if (allowedOrigins.length === 0) return true;
    const exact = exactOrigin(origin);
    if (!exact) return false;
    const host = siteOfOrigin(exact);
    return allowedOrigins.some((entry) => originMatches(entry, exact, host));
  };

  const allowOrigin = (origin: string | undefined) =>
    allowedOrigins.length === 0 ? "*" : isAllowed(origin) ? (origin as string) : null;
  const preflight = cors({
    origin: (origin) => allowOrigin(origin),
    allowMethods: ["POST", "OPTIONS"],
    allowHeaders: ["Content-Type"],
    maxAge: 86_400,
  });
  // Hono's cors sets its headers on c.res before the handler runs, so every answer was built twice,
  // the second time as a full web Response with a body stream. Headers prepared with c.header()
  // go straight into the one light response the handler builds; the headers sent are the same.
  const corsHeaders: MiddlewareHandler = async (c, next) => {
    if (c.req.method === "OPTIONS") return preflight(c, next);
    const allowed = allowOrigin(c.req.header("origin") || "");
    if (allowed) c.header("Access-Control-Allow-Origin", allowed);
    c.header("Vary", "Origin", { append: true });
    await next();
  };
  app.use("/v1/*", corsHeaders);
  if (collectPath) app.use(collectPath, corsHeaders);

  const originCheck: MiddlewareHandler = async (c, next) => {
    const origin = c.req.header("origin");
    if (isAllowed(origin)) return next();
    // The refusal is readable by the page that was refused: a browser otherwise reports a CORS
    // failure, hiding the status and the origin named here from the site's owner, and the tracker
    // takes it for a network error and sends the batch again. Nothing is stored either way.
    if (origin) c.header("Access-Control-Allow-Origin", origin);
    return c.json<ErrorResponse>({ error: originRefusal(origin) }, 403);
  };
  const takeEvents: Handler = async (c) => {
    const read = await readBody(c, MAX_BODY_BYTES);
    if (!read.ok && "incomplete" in read)
      return c.json<ErrorResponse>({ error: "the connection closed before the body's end" }, 400);
    if (!read.ok) return c.json<ErrorResponse>({ error: `body larger than ${MAX_BODY_BYTES} bytes` }, 413);
    // A compressed body would otherwise be reported as "not valid UTF-8"; browsers never compress one.
    const encoding = c.req.header("content-encoding")?.trim();
    if (encoding && encoding.toLowerCase() !== "identity")
      return c.json<ErrorResponse>(
        { error: `Content-Encoding ${encoding} is not supported: send the body uncompressed` },
        400,
      );
    const receivedAt = now();
    const parsed = parseBody(read.body, receivedAt.getTime());
    if (!parsed.ok) return c.json<ErrorResponse>({ error: parsed.error }, 400);
    const { events, rejected } = parsed;
    if (events.length === 0) {
      const error = rejected.length === 1 ? "the event was rejected" : "every event was rejected";
      return c.json<ErrorResponse & CollectResponse>({ error, accepted: 0, rejected }, 400);
    }
    const server = {
      ingest_ts: receivedAt.toISOString(),
      site: siteOfOrigin(c.req.header("origin")),
      ...parseClient(c.req.header("user-agent")),
    };
    const stored = events.map((event) => toStored(event, server));
    try {
      await sink.put(stored);
    } catch (error) {
      storeFailures.failed(
        `collect: events not stored: ${error instanceof Error ? error.message : String(error)}`,
      );
      return c.json<ErrorResponse>({ error: "events could not be stored; send them again later" }, 503);
    }
    storeFailures.succeeded();
    return c.json<CollectResponse>({ accepted: stored.length, rejected }, 202);
  };

  for (const path of collectPath ? [EVENTS_PATH, collectPath] : [EVENTS_PATH]) {
    app.post(path, originCheck, takeEvents);
    // Registered after POST and the preflight, so it answers only the other methods.
    app.all(path, (c) => {
      c.header("Allow", "POST, OPTIONS");
      const error = `${path} takes events by POST (a JSON event or {"events":[…]}), not by ${c.req.method}`;
      return c.json<ErrorResponse>({ error }, 405);
    });
  }
  app.get("/v1/health", (c) => c.json({ ok: true }));
  app.notFound((c) => c.json<ErrorResponse>({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    logError(`collect: unexpected error: ${error.message}`);
    return c.json<ErrorResponse>({ error: "internal error" }, 500);
  });
  return app;
}

type RequestFields = Omit<StoredEvent, keyof WireEvent | "country" | "schema_version">;

/**
 * Every text field a client sets, made well-formed and redacted when it holds an email address. A
 * visitor's address turns up where a page or a link puts it (a title, a newsletter's utm_term, a
 * form or CTA named after an account, an event name or variant built from account data), so no
 * field is trusted to be free of one: a false match costs a "[redacted]" label, a miss a stored address.
 */
const text = (value: string | undefined) =>
  value === undefined ? undefined : redactPersonal(displayable(value));

/** Well-formed (lone surrogates → U+FFFD), and without the controls that reorder what follows it. */
const displayable = (value: string) => withoutDirectionalControls(wellFormed(value));

function wellFormedProps(props: WireEvent["props"]): WireEvent["props"] {
  if (props === undefined) return undefined;
  const out: NonNullable<WireEvent["props"]> = {};
  // A key can carry an address as well as a value can (track("vote", { [email]: true })).
  for (const [key, value] of Object.entries(props))
    out[redactPersonal(displayable(key))] =
      typeof value === "string" ? redactPersonal(displayable(value)) : value;
  return out;
}

/**
 * A screen or viewport size, cut to the widest stored. A browser zoomed far out counts them in CSS
 * pixels, several times the device's: such a page view is kept, with the size at the limit.
 */
const atMostDimension = (pixels: number | undefined) =>
  pixels === undefined ? undefined : Math.min(pixels, LIMITS.dimension);

/**
 * A language tag cut to its stored length at the last whole subtag that fits: the language and
 * region come first in a tag, the extensions a long one carries (-u-ca-…-nu-…) after them.
 */
function languageTag(tag: string | undefined): string | undefined {
  const max = LIMITS.text.language;
  if (tag === undefined || tag.length <= max) return tag;
  const subtag = tag.lastIndexOf("-", max);
  // Without a subtag to cut at, never between the two halves of a character: a lone surrogate is
  // written as one, and the models' JSON reader refuses the whole file that holds it.
  const end = subtag > 0 ? subtag : isHighSurrogate(tag.charCodeAt(max - 1)) ? max - 1 : max;
  // Checked again once cut: a cut can end an address where the whole went on (203.0.113.259 → 203.0.113.2).
  return redactPersonal(tag.slice(0, end));
}
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * Builds the stored record field by field, in one fixed order: V8 then gives every record the
 * same shape (spreads and deletes would not), which keeps this and JSON.stringify fast. Strings
 * are made well-formed (lone surrogates → U+FFFD), ids lower-cased, times put in UTC.
 */
function toStored(event: WireEvent, server: RequestFields): StoredEvent {
  const referrer = event.referrer === undefined ? undefined : sanitizeReferrer(event.referrer);
  return {
    event_type: event.event_type,
    event_id: event.event_id.toLowerCase(),
    session_id: event.session_id,
    visitor_id: event.visitor_id,
    event_ts: toUtcIso(event.event_ts),
    page_path: sanitizePath(displayable(event.page_path)),
    page_title: text(event.page_title),
    referrer,
    utm_source: text(event.utm_source),
    utm_medium: text(event.utm_medium),
    utm_campaign: text(event.utm_campaign),
    utm_term: text(event.utm_term),
    utm_content: text(event.utm_content),
    screen_width: atMostDimension(event.screen_width),
    screen_height: atMostDimension(event.screen_height),
    viewport_width: atMostDimension(event.viewport_width),
    language: languageTag(text(event.language)),
    timezone: text(event.timezone),
    scroll_pct: event.scroll_pct,
    seconds: event.seconds,
    element: text(event.element),
    experiment: text(event.experiment),
    variant: text(event.variant),
    name: text(event.name),
    props: wellFormedProps(event.props),
    ingest_ts: server.ingest_ts,
    site: server.site,
    browser: server.browser,
    browser_version: server.browser_version,
    os: server.os,
    device_type: server.device_type,
    is_bot: server.is_bot,
    country: countryOfTimezone(event.timezone),
    schema_version: SCHEMA_VERSION,
  };
}

/**
 * Why a POST was refused for its origin, naming the origin it came with (cut to 200 characters),
 * so that a site owner sees which entry ALLOWED_ORIGINS lacks; a request with no Origin header
 * (a server or curl, never a browser's cross-origin POST) is told that it needs one.
 */
function originRefusal(origin: string | undefined): string {
  if (!origin) return "no Origin header: this endpoint takes events only from the sites in ALLOWED_ORIGINS";
  return `origin ${JSON.stringify(origin.slice(0, 200))} is not allowed to send events (not in ALLOWED_ORIGINS)`;
}
