// Sources and campaigns over the period: sessions and conversions by source, the sites that sent
// visitors, channels, and attribution by model side by side.
import { barChart, palette, shortDays } from "../charts.ts";
import { figure, formatCount, formatDecimal, formatSeconds, formatShare, isoDate, num } from "../format.ts";
import { conversionTable, engagedTimeColumn, type Page, shownOf, table } from "../page.ts";
import { lastDayNote, lastDayPartial, periodDatesSql, periodDays } from "../period.ts";
import {
  periodCampaignsSql,
  periodChannelsSql,
  periodReferringSitesSql,
  periodSourcesSql,
} from "../period-sources.ts";
import { referrerCell, referringSites, topReferrersSql } from "../referring-sites.ts";
import { localRangeSql, localSql } from "../zone.ts";

export const attributionModels = ["first_touch", "last_touch", "linear", "position_based"] as const;

/** Each model's credit as a column of its own. */
const creditColumns = attributionModels
  .map((m) => `coalesce(sum(conversions) FILTER (WHERE model = '${m}'), 0) AS ${m}`)
  .join(", ");

/** Referring sites shown: a site's long tail of one-visit hosts stays in the mart and the playground. */
const topReferrers = 25;

/** The channels the models derive: each keeps its colour whichever of them a period holds. */
const channelOrder = ["direct", "email", "paid", "referral", "search", "social"];

export const sources: Page = {
  slug: "sources",
  title: "Sources and campaigns",
  nav: "Sources",
  queries: ({ period }) => ({
    sources: periodSourcesSql(period),
    channel_totals: periodChannelsSql(period),
    campaigns: periodCampaignsSql(period),
    referrers: topReferrersSql(
      periodReferringSitesSql(period),
      "referrer, visitors, sessions, conversions, bounce_rate, avg_engaged_s",
      "visitors DESC, sessions DESC, referrer",
      topReferrers,
    ),
    channels: `
      SELECT CAST(${localSql("started_at", period.zone)} AS DATE) AS day, coalesce(channel, 'direct') AS channel,
             count(*) AS sessions
      FROM sessions
      WHERE ${localRangeSql("started_at", period.from, period.until, period.zone)}
      GROUP BY ALL ORDER BY day, channel`,
    // The attribution mart's credit for the conversions whose session started in the period.
    attribution_by_channel: `
      SELECT channel, ${creditColumns}
      FROM int_daily_attribution WHERE ${periodDatesSql(period)}
      GROUP BY channel HAVING sum(conversions) > 0 ORDER BY last_touch DESC, channel`,
    attribution_detail: `
      SELECT channel, source, campaign, ${creditColumns}, count(*) OVER () AS total
      FROM int_daily_attribution WHERE ${periodDatesSql(period)}
      GROUP BY channel, source, campaign HAVING sum(conversions) > 0
      ORDER BY last_touch DESC, linear DESC, channel, source, campaign LIMIT 25`,
  }),
  view(rows, { period }) {
    const days = periodDays(period);
    const channelRows = rows.channels ?? [];
    const channelNames = [...new Set(channelRows.map((r) => String(r.channel)))].sort();
    const colourOrder = [...channelOrder, ...channelNames.filter((c) => !channelOrder.includes(c))];
    const counts = new Map(
      channelRows.map((r) => [`${isoDate(r.day ?? null)}|${r.channel}`, num(r.sessions)]),
    );
    // A day before the data starts was not recorded: no bar and no figure, as the overview's days.
    const recorded = (day: string) => period.dataStart !== null && day >= period.dataStart;
    const sessionsOn = (day: string, channel: string) =>
      recorded(day) ? (counts.get(`${day}|${channel}`) ?? 0) : null;
    const byChannel = rows.attribution_by_channel ?? [];
    const modelColumns = attributionModels.map((m) => `${m.replace("_", " ")}#`);
    return {
      channelTotalsTable: conversionTable(
        "Sessions and conversions by channel, most sessions first (sessions started in the period)",
        "Channel",
        "channel",
        rows.channel_totals ?? [],
        { empty: "No data in this period." },
      ),
      sourcesTable: conversionTable(
        "Sessions and conversions by source, most sessions first (sessions started in the period)",
        "Source",
        "source",
        rows.sources ?? [],
        { empty: "No data in this period." },
      ),
      // Campaign names come from visitors' URLs: the table partial escapes every cell.
      campaignsTable: table(
        shownOf(
          rows.campaigns ?? [],
          "Sessions and conversions by campaign (sessions started in the period)",
          (n, total) =>
            `The ${n} campaigns, sources and mediums with the most sessions in the period, of ${total}`,
        ),
        ["Campaign", "Source", "Medium", "Sessions#", "Conversions#", "Conversion rate#"],
        (rows.campaigns ?? []).map((r) => [
          String(r.campaign),
          String(r.source),
          String(r.medium),
          formatCount(r.sessions),
          formatCount(r.conversions),
          figure(formatShare, num(r.conversions) / num(r.sessions)),
        ]),
        "No tagged sessions in this period.",
      ),
      // Hosts come from visitors' browsers: the table partial escapes every cell.
      referrersTable: table(
        shownOf(
          referringSites(rows.referrers ?? []),
          "Visitors and sessions by referring site (sessions started in the period)",
          (n, total) => `The ${n} referring sites that sent the most visitors in the period, of ${total}`,
        ),
        ["Site", "Visitors#", "Sessions#", "Conversion rate#", "Bounce rate#", engagedTimeColumn],
        (rows.referrers ?? []).map((r) => [
          referrerCell(r.referrer),
          formatCount(r.visitors),
          formatCount(r.sessions),
          figure(formatShare, num(r.conversions) / num(r.sessions)),
          figure(formatShare, r.bounce_rate ?? null),
          figure(formatSeconds, r.avg_engaged_s ?? null),
        ]),
        "No data in this period.",
      ),
      channelsChart: channelRows.length
        ? barChart(
            "Sessions per day by channel",
            shortDays(days),
            channelNames.map((name) => ({
              name,
              values: days.map((d) => sessionsOn(d, name)),
              colour: palette[colourOrder.indexOf(name) % palette.length],
            })),
            { stacked: true, valueName: "sessions", lastPartial: lastDayPartial(period) },
          )
        : { title: "Sessions per day by channel", svg: "" },
      // The chart's figures for a reader who cannot see it: its aria-label names it, no more.
      channelsTable: channelRows.length
        ? table(
            "Sessions per day by channel",
            ["Day@", ...channelNames.map((name) => `${name}#`)],
            days.map((d) => [d, ...channelNames.map((name) => formatCount(sessionsOn(d, name)))]),
          )
        : null,
      channelsNote: channelRows.length ? lastDayNote(period, "paler") : "",
      attributionChart: byChannel.length
        ? barChart(
            "Conversions credited to each channel, by attribution model (conversions in sessions started in the period)",
            byChannel.map((r) => String(r.channel)),
            attributionModels.map((m) => ({
              name: m.replace("_", " "),
              values: byChannel.map((r) => round2(num(r[m] ?? 0))),
            })),
            { valueName: "conversions credited" },
          )
        : {
            title:
              "Conversions credited to each channel, by attribution model (conversions in sessions started in the period)",
            svg: "",
            // Attribution has rows only for conversions: sessions without any are still data.
            empty: "no conversions in this period",
          },
      // The chart's figures for a reader who cannot see it: no other table sums the credit per channel.
      attributionChannelsTable: byChannel.length
        ? table(
            "Conversions credited to each channel, by attribution model",
            ["Channel", ...modelColumns],
            byChannel.map((r) => [
              String(r.channel),
              ...attributionModels.map((m) => figure(formatDecimal, r[m] ?? null)),
            ]),
          )
        : null,
      attributionTable: table(
        shownOf(
          rows.attribution_detail ?? [],
          "Conversion credit by channel, source and campaign, per attribution model (conversions in sessions started in the period)",
          (n, total) =>
            `Conversion credit per attribution model: the ${n} channel, source and campaign combinations with the most last-touch credit, of ${total} in the period`,
        ),
        ["Channel", "Source", "Campaign", ...modelColumns],
        (rows.attribution_detail ?? []).map((r) => [
          String(r.channel),
          String(r.source),
          String(r.campaign),
          ...attributionModels.map((m) => figure(formatDecimal, r[m] ?? null)),
        ]),
        // Attribution has rows only for conversions: sessions without any are still data.
        "No conversions in this period.",
      ),
    };
  },
};

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
