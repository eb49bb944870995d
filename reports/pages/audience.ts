// Audience: who the period's sessions were — their devices, countries, browsers and operating
// systems, each as the session's first event had it, with how those sessions converted and bounced;
// and, where one pipeline counts several sites (ALLOWED_ORIGINS=https://*.example.com), which site.
import type { Row } from "../../runner/warehouse.ts";
import { barChart } from "../charts.ts";
import { figure, formatCount, formatShare, num } from "../format.ts";
import { type Page, shownOf, table, type ValueCell } from "../page.ts";
import type { Period } from "../period.ts";
import { localRangeSql } from "../zone.ts";

/** Rows a table shows: the long tail stays in the sessions mart (`ownstats query`). */
const shownRows = 25;
/** What a session without the value is listed as (an unknown time zone, an unparsed user agent). */
const unknown = "(unknown)";

/**
 * The period's sessions by one of sessions' first-event columns: visitors (distinct, not added up
 * across values), sessions, conversions and bounces, most sessions first; `total` counts the values.
 */
function audienceSql(period: Period, column: string): string {
  return `
    SELECT coalesce(${column}, '${unknown}') AS value,
           count(DISTINCT coalesce(visitor_id, session_id)) AS visitors, count(*) AS sessions,
           count(*) FILTER (WHERE converted) AS conversions,
           avg(CASE WHEN is_bounce THEN 1.0 ELSE 0.0 END) AS bounce_rate,
           count(*) OVER () AS total
    FROM sessions
    WHERE ${localRangeSql("started_at", period.from, period.until, period.zone)}
    GROUP BY ALL ORDER BY sessions DESC, value LIMIT ${shownRows}`;
}

const countryNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });

/** A country code as its English name, the code kept beside it and alone in the CSV file. */
function countryCell(code: unknown): string | ValueCell {
  const text = String(code);
  const name = /^[A-Z]{2}$/.test(text) ? countryNames.of(text) : undefined;
  return name ? { text: `${name} (${text})`, value: text } : text;
}

function audienceTable(
  caption: string,
  label: string,
  plural: string,
  rows: Row[],
  name: (value: unknown) => string | ValueCell,
) {
  return table(
    shownOf(
      rows,
      caption,
      (n, total) => `The ${n} ${plural} with the most sessions in the period, of ${total}`,
    ),
    [label, "Visitors#", "Sessions#", "Conversion rate#", "Bounce rate#"],
    rows.map((r) => [
      name(r.value),
      formatCount(r.visitors),
      formatCount(r.sessions),
      figure(formatShare, num(r.conversions) / num(r.sessions)),
      figure(formatShare, r.bounce_rate ?? null),
    ]),
    "No data in this period.",
  );
}

const asText = (value: unknown) => String(value);

export const audience: Page = {
  slug: "audience",
  title: "Audience",
  nav: "Audience",
  queries: ({ period }) => ({
    devices: audienceSql(period, "device_type"),
    countries: audienceSql(period, "country"),
    browsers: audienceSql(period, "browser"),
    systems: audienceSql(period, "os"),
    sites: audienceSql(period, "site"),
  }),
  view(rows) {
    const devices = rows.devices ?? [];
    const sites = rows.sites ?? [];
    const title = "Sessions by device";
    return {
      devicesChart: devices.length
        ? barChart(
            title,
            devices.map((r) => String(r.value)),
            [{ name: "sessions", values: devices.map((r) => num(r.sessions)) }],
            { horizontal: true, valueName: "sessions" },
          )
        : { title, svg: "" },
      devicesTable: audienceTable("Sessions by device", "Device", "devices", devices, asText),
      countriesTable: audienceTable(
        "Sessions by country",
        "Country",
        "countries",
        rows.countries ?? [],
        countryCell,
      ),
      browsersTable: audienceTable("Sessions by browser", "Browser", "browsers", rows.browsers ?? [], asText),
      systemsTable: audienceTable(
        "Sessions by operating system",
        "Operating system",
        "operating systems",
        rows.systems ?? [],
        asText,
      ),
      // One site is the whole period: a table of one row would say nothing.
      sitesTable: sites.length > 1 ? audienceTable("Sessions by site", "Site", "sites", sites, asText) : null,
    };
  },
};
