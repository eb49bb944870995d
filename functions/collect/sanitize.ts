// Removes what must never be stored from what a client sends: query strings, fragments, path
// segments that look like an email address, an IP address, a JSON Web Token or a long number
// (account, phone, card), and free text that holds an email, an IP address or a JSON Web Token.
import { isIPv6 } from "node:net";
import { boundedMemo } from "./bounded-memo.ts";

export const REDACTED = "[redacted]";

// Text holds one when some character of a name sits before an "@" and a dot sits, between two of
// them, in the name after it: what a@b.c needs, tested without the runs on either side, which a
// pattern would retry from every position of a long text without an "@".
const EMAIL = /[^\s@/]@[^\s@/]+\.[^\s@/]/;
// A JSON Web Token: three base64url parts joined by dots, the first a JSON header ({" is eyJ in
// base64), the last empty for an unsigned token. Magic links and email confirmations carry one, and
// its payload names the user (an id, often an email address). A header holds at least "alg", so a
// name that happens to hold eyJ and two dots (eyJobs.example.com, heyJude.mp3.bak) is no token. A
// dash or an underscore may glue one to a name (jwt_eyJ…), a letter or a digit not.
const JWT = /(?<![A-Za-z0-9])eyJ[\w-]{8,}\.[\w-]+\.[\w-]*/;
const JWT_START = "eyJ";
// Nine digits or more, once spaces, dots, commas, dashes, underscores, parentheses and plus signs
// are ignored: phone, card and account numbers however grouped (4111_1111_1111_1111 as much as
// 4111 1111 1111 1111), while dates like 2026-05-01 (eight digits) stay readable.
// Digits of any script count (١٢٣, ０１２ as much as 012).
const LONG_NUMBER = /\p{Nd}{9,}/u;
const NUMBER_SEPARATORS = /[\s().,_+-]/g;
// A UUID is an identifier, not a number: with its dashes ignored, about one in seven holds nine
// digits in a row by chance, which would redact some pages of a kind (/orders/<uuid>) and not others.
// It is cut out (leaving a "/", which no number spans) before the digits are counted.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // One escape that is not UTF-8 (a Latin-1 %F6, a bare %) must not hide the others: the ASCII
    // escapes, which are all an email or a number is made of, are decoded one by one.
    return segment.replace(ASCII_ESCAPE, (_escape, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  }
}
const ASCII_ESCAPE = /%([0-7][0-9A-Fa-f])/g;

const DIGIT = /\d/g;
const NON_ASCII = /[\u0080-\uffff]/;

// An IPv4 address (each part 0-255) not inside a longer run of digits and dots (1.2.3.4.5 is a
// version), or a token that is an IPv6 address: "what is my IP" pages and admin tools put the
// visitor's own address into their paths and titles.
const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`(?<![\\d.])(?:${OCTET}\\.){3}${OCTET}(?![\\d.])`);
// Two colons with only hex digits between them (the digits before the first one change nothing, and
// a pattern reading them was retried from every position of a long run of letters).
const MAYBE_IP = /\d\.\d+\.\d|:[0-9a-f]*:/i;
const NOT_IN_IPV6 = /[^0-9a-f:.]+/i;

// An IPv6 token needs three hex digits: "::" and "::1" name no one, and "Home :: Blog" is a title.
const HEX_DIGIT = /[0-9a-f]/gi;

function holdsIp(text: string): boolean {
  return (
    IPV4.test(text) ||
    text
      .split(NOT_IN_IPV6)
      .some((token) => token.includes(":") && (token.match(HEX_DIGIT)?.length ?? 0) >= 3 && isIPv6(token))
  );
}

function isPersonal(segment: string): boolean {
  // Cheap checks first: most segments are ASCII with no "@", no escape, no token's start, nothing
  // like an IP address and fewer than nine digits.
  if (
    !segment.includes("%") &&
    !segment.includes("@") &&
    !segment.includes(JWT_START) &&
    !NON_ASCII.test(segment) &&
    !MAYBE_IP.test(segment) &&
    (segment.match(DIGIT)?.length ?? 0) < 9
  )
    return false;
  const decoded = readable(segment);
  return (
    EMAIL.test(decoded) ||
    holdsIp(decoded) ||
    JWT.test(decoded) ||
    LONG_NUMBER.test(decoded.replace(UUID, "/").replace(NUMBER_SEPARATORS, ""))
  );
}

/** Text as a person reads it: percent escapes decoded, compatibility forms as the ASCII they stand for. */
function readable(text: string): string {
  // Links passed through a mailer or a redirect are often encoded twice (%2540 for @).
  let decoded = text;
  for (let pass = 0; pass < 3 && decoded.includes("%"); pass++) {
    const next = decode(decoded);
    if (next === decoded) break;
    decoded = next;
  }
  // Full-width and compatibility forms (＠, ０-９, －, ＋) read as the ASCII they stand for, as people
  // typing on a CJK keyboard send them.
  return decoded.normalize("NFKC");
}

// Explicit directional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): invisible,
// they reorder the text after them wherever it is shown, so a variant named with an override would
// reverse the rest of the reports' verdict sentence that names it ("Trojan Source"). A page's title or
// a visitor's text reads the same without them; the marks U+200E and U+200F, which reorder nothing
// beyond themselves, stay.
const DIRECTIONAL_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Text a client sent with its directional controls removed. */
export const withoutDirectionalControls = (text: string): string => text.replace(DIRECTIONAL_CONTROLS, "");

// Every way an "@" reaches the collector: plain, full-width or small (NFKC reads ＠ and ﹫ as @), or
// behind a percent escape, once or more (%40, %2540, and %EF%BC%A0 for ＠ as a browser writes it
// into a link). Text with none of them holds no email, whatever else it holds.
const MAYBE_AT = /[@\uFF20\uFE6B]|%[0-9A-Fa-f]{2}/;

/**
 * Free text a page or a link sets (a title, a UTM value, a prop value) replaced whole by [redacted]
 * when it holds an email-looking part, an IP address or a JSON Web Token, as a path segment is. Long
 * numbers stay: there they are prices, counts and campaign codes more often than anything personal.
 */
export function redactPersonal<T extends string | undefined>(text: T): T {
  if (text === undefined) return text;
  const maybeAt = MAYBE_AT.test(text);
  // A token is written in base64url, which a link needs no escape for.
  const maybeJwt = text.includes(JWT_START);
  if (!maybeAt && !maybeJwt && !MAYBE_IP.test(text)) return text;
  const decoded = readable(text);
  return (maybeAt && EMAIL.test(decoded)) || holdsIp(decoded) || (maybeJwt && JWT.test(decoded))
    ? (REDACTED as T)
    : text;
}

/**
 * A path with its query string, fragment and path parameters removed and personal-looking segments
 * redacted.
 */
export function sanitizePath(path: string): string {
  const end = path.search(QUERY_OR_FRAGMENT);
  // Only the bare path is remembered: query strings (click ids, tokens) are never kept.
  return redactPath(end === -1 ? path : path.slice(0, end));
}
const QUERY_OR_FRAGMENT = /[?#]/;

// A segment's parameters (";jsessionid=…", the session token a Java server writes into every link
// when cookies are off; Angular's ";id=3") are cut as a query string is: a session token would
// otherwise be stored with every page view, and the same page counted once per visitor.
const redactPath = boundedMemo(5_000, (path) =>
  path
    .split("/")
    .map((segment) => {
      const bare = segment.includes(";") ? segment.slice(0, segment.indexOf(";")) : segment;
      return bare && isPersonal(bare) ? REDACTED : bare;
    })
    .join("/"),
);

/** A referrer reduced to origin + path (sanitized), or undefined when it has no usable origin. */
export const sanitizeReferrer = boundedMemo(5_000, (referrer): string | undefined => {
  let url: URL;
  try {
    url = new URL(referrer);
    // blob:https://site/uuid names its page's URL after "blob:": that URL is the referrer.
    if (url.protocol === "blob:") url = new URL(url.pathname);
  } catch {
    return undefined;
  }
  withoutRootDot(url);
  // Opaque origins (android-app://, about:) still name their host; data: and the like do not.
  const origin = url.origin !== "null" ? url.origin : url.host ? `${url.protocol}//${url.host}` : undefined;
  if (!origin) return undefined;
  // An app referrer comes with or without its final slash (android-app://com.google.android.gm).
  return origin + sanitizePath(url.pathname || "/");
});

/** Drops the DNS root's trailing dot from a URL's host: example.com. is example.com, one source. */
export function withoutRootDot(url: URL): URL {
  if (url.hostname.endsWith(".")) url.hostname = url.hostname.replace(/\.+$/, "");
  return url;
}
