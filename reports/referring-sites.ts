// The referring sites' lists: the referrers mart and int_daily_sources hold "(none)" beside the sites,
// the sessions that no other site sent. It is no site: listed last whatever its size, named for what
// it is, and never counted in a list's "of N".
import type { Row } from "../runner/warehouse.ts";
import type { ValueCell } from "./page.ts";

export const noReferrer = "(none)";

/**
 * The `limit` sites of `relation` first by `order`, then the "(none)" row; each row carries the count
 * of all sites (without "(none)") as `total`, for shownOf.
 */
export function topReferrersSql(relation: string, columns: string, order: string, limit: number): string {
  return `
      SELECT ${columns}, count(*) FILTER (WHERE referrer <> '${noReferrer}') OVER () AS total
      FROM ${relation}
      QUALIFY referrer = '${noReferrer}'
           OR row_number() OVER (PARTITION BY referrer = '${noReferrer}' ORDER BY ${order}) <= ${limit}
      ORDER BY referrer = '${noReferrer}', ${order}`;
}

/** The rows that are sites: the ones a caption counts. */
export function referringSites(rows: Row[]): Row[] {
  return rows.filter((r) => r.referrer !== noReferrer);
}

/**
 * A list's cell for a referrer: "(none)" says what it stands for where it appears, and its CSV field
 * stays "(none)", the value the marts and the playground hold.
 */
export function referrerCell(referrer: unknown): string | ValueCell {
  return referrer === noReferrer
    ? { text: `${noReferrer}: no referrer from another site`, value: noReferrer }
    : String(referrer);
}
