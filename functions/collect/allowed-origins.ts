// ALLOWED_ORIGINS: which sites may send events. An entry is an origin ("https://example.com"), a
// bare host ("example.com", any scheme) or either with a wildcard first label
// ("https://*.example.com", "*.example.com"), which takes every subdomain at any depth, but not
// example.com itself (as a TLS certificate's *.example.com): list that too when it sends events.

/** Parses ALLOWED_ORIGINS ("https://a.com, b.org, *.c.net", or "*" / empty for any). */
export function parseAllowedOrigins(value: string | undefined): string[] {
  const list = (value ?? "")
    .split(",")
    .map((entry) => entry.trim().toLowerCase().replace(/\/+$/, ""))
    .filter(Boolean);
  return list.includes("*") ? [] : list.map(asBrowsersSendIt);
}

/**
 * An origin as a browser's Origin header has it (https://münchen.de:443 → https://xn--mnchen-3ya.de),
 * and a bare host as its URL host, so that an entry written either way matches. A wildcard label
 * survives URL parsing as it is.
 */
function asBrowsersSendIt(entry: string): string {
  try {
    return entry.includes("://") ? new URL(entry).origin : new URL(`https://${entry}`).host;
  } catch {
    return entry;
  }
}

/**
 * The Origin header in lower case when it is an origin and nothing more (scheme, host, port), as a
 * browser sends it; else null. Checked before any entry is matched: a header with a path, a query or
 * a fragment ("https://evil.net?.example.com") would otherwise end in a wildcard's suffix while its
 * host, which becomes the events' site, is another.
 */
export function exactOrigin(header: string | undefined): string | null {
  if (!header) return null;
  const lower = header.toLowerCase();
  try {
    return new URL(lower).origin === lower ? lower : null;
  } catch {
    return null;
  }
}

/**
 * Whether an origin (exactOrigin's) or its host is taken by one entry of parseAllowedOrigins.
 * A wildcard matches one or more whole labels before the rest: *.example.com takes
 * a.example.com and a.b.example.com, never example.com or badexample.com.
 */
export function originMatches(entry: string, origin: string, host: string | null): boolean {
  const subject = entry.includes("://") ? origin : host;
  if (subject === null) return false;
  const star = entry.indexOf("*.");
  if (star < 0 || (star > 0 && !entry.startsWith("://", star - 3))) return entry === subject;
  const prefix = entry.slice(0, star);
  const suffix = entry.slice(star + 1);
  return (
    subject.length > prefix.length + suffix.length && subject.startsWith(prefix) && subject.endsWith(suffix)
  );
}
