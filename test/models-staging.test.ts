// stg_events on hand-written events: channel rules in order, host matching, UTM cleaning, ISO-8601
// offsets to UTC, duplicates (earliest arrival wins) and bots kept for the marts to leave out.
import { beforeAll, describe, expect, it } from "vitest";
import { at, type Built, buildWith, ev, query, type RawEvent } from "./models-kit.ts";

// [case, utm fields and referrer, expected channel]
const channelCases: [string, RawEvent, string][] = [
  ["cpc with spaces and capitals", { utm_source: "Google", utm_medium: " CPC " }, "paid"],
  ["paid_social beats the social source", { utm_source: "facebook", utm_medium: "paid_social" }, "paid"],
  ["display", { utm_medium: "display" }, "paid"],
  ["medium email", { utm_source: "partner", utm_medium: "email" }, "email"],
  ["source newsletter", { utm_source: "newsletter" }, "email"],
  ["email beats a search referrer", { utm_medium: "email", referrer: "https://www.google.com/" }, "email"],
  ["medium social", { utm_source: "someone", utm_medium: "social" }, "social"],
  ["source x", { utm_source: "x" }, "social"],
  ["source hackernews", { utm_source: "hackernews" }, "social"],
  ["source bluesky", { utm_source: "bluesky" }, "social"],
  ["source lnkd.in", { utm_source: "lnkd.in" }, "social"],
  ["referrer t.co", { referrer: "https://t.co/abc" }, "social"],
  ["referrer microsoft.com is not t.co", { referrer: "https://microsoft.com/" }, "referral"],
  ["referrer x.com", { referrer: "https://x.com/home" }, "social"],
  ["referrer xx.com is not x.com", { referrer: "https://xx.com/" }, "referral"],
  ["referrer www.linkedin.com", { referrer: "https://www.linkedin.com/feed" }, "social"],
  ["referrer news.ycombinator.com", { referrer: "https://news.ycombinator.com/item" }, "social"],
  ["referrer mastodon.social", { referrer: "https://mastodon.social/@someone" }, "social"],
  ["referrer bsky.app", { referrer: "https://bsky.app/profile/x" }, "social"],
  [
    "social source beats a search referrer",
    { utm_source: "reddit", referrer: "https://google.com/" },
    "social",
  ],
  ["referrer www.google.co.uk", { referrer: "https://www.google.co.uk/" }, "search"],
  ["referrer search.brave.com", { referrer: "https://search.brave.com/search" }, "search"],
  ["referrer duckduckgo.com", { referrer: "https://duckduckgo.com/" }, "search"],
  ["referrer notgoogle.com is not google", { referrer: "https://notgoogle.com/" }, "referral"],
  // A link followed from a mail: Google's and Yahoo's webmail carry a search engine's label.
  ["referrer mail.google.com", { referrer: "https://mail.google.com/mail/u/0/" }, "email"],
  ["referrer the Gmail app", { referrer: "android-app://com.google.android.gm/" }, "email"],
  ["referrer mail.yahoo.co.jp", { referrer: "https://mail.yahoo.co.jp/" }, "email"],
  ["referrer outlook.live.com", { referrer: "https://outlook.live.com/mail/0/" }, "email"],
  ["referrer google.com is still search", { referrer: "https://www.google.com/" }, "search"],
  [
    "a social source beats a webmail referrer",
    { utm_source: "linkedin", referrer: "https://mail.google.com/" },
    "social",
  ],
  [
    "a source beats a webmail referrer",
    { utm_source: "partner", referrer: "https://mail.google.com/" },
    "referral",
  ],
  [
    "a medium beats a webmail referrer",
    { utm_medium: "social", referrer: "https://mail.google.com/" },
    "social",
  ],
  ["medium organic", { utm_source: "partner", utm_medium: "organic" }, "search"],
  ["source google alone is a referral", { utm_source: "google" }, "referral"],
  ["any other source", { utm_source: "partner" }, "referral"],
  ["another site", { referrer: "https://blog.other.org/post" }, "referral"],
  ["own site", { referrer: "https://example.com/pricing" }, "direct"],
  ["own site with www", { referrer: "https://www.example.com/" }, "direct"],
  ["own site on a port", { site: "127.0.0.1:8787", referrer: "http://127.0.0.1:8787/pricing" }, "direct"],
  // An IPv6 host is bracketed, and its colons are no port.
  ["own site on IPv6 loopback", { site: "[::1]:8787", referrer: "http://[::1]:8787/pricing" }, "direct"],
  [
    "another port of a listed host",
    { site: "example.com:8443", referrer: "https://other.example/" },
    "referral",
  ],
  ["a blank source is no source", { utm_source: "   " }, "direct"],
  // URL-decoded utm values can carry %09, %0A or %C2%A0 at their ends.
  ["source newsletter after a tab and a line break", { utm_source: "\tNewsletter\n" }, "email"],
  ["medium cpc between no-break spaces", { utm_medium: "\u00a0cpc\u00a0" }, "paid"],
  ["a source of only a tab and a line break is no source", { utm_source: "\t\r\n" }, "direct"],
  ["nothing", {}, "direct"],
];

let built: Built;

beforeAll(async () => {
  const events: RawEvent[] = channelCases.map(([name, fields], i) =>
    ev({ event_id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, page_title: name, ...fields }),
  );
  events.push(
    ev({
      event_id: "10000000-0000-4000-8000-000000000001",
      session_id: "session-utm",
      utm_source: "  LinkedIn ",
      utm_medium: "Social",
      utm_campaign: "",
      utm_term: " Analytics ",
      event_ts: "2026-03-02T01:30:00+02:00",
    }),
    ev({
      event_id: "10000000-0000-4000-8000-000000000002",
      session_id: "session-tz",
      event_ts: "2026-03-01T23:30:00.250-05:30",
      ingest_ts: "2026-03-02T05:00:01.000Z",
    }),
    ev({
      event_id: "10000000-0000-4000-8000-000000000003",
      session_id: "session-tz",
      event_ts: "2026-03-02T07:00:00+0200",
    }),
    ev({
      event_id: "10000000-0000-4000-8000-000000000004",
      session_id: "session-tz",
      event_ts: "2026-03-02T10:00Z",
    }),
    // The same event delivered twice: the first arrival stays, whatever the second carries.
    ev({
      event_id: "20000000-0000-4000-8000-000000000001",
      session_id: "session-dup",
      page_path: "/first",
      ingest_ts: at(10),
    }),
    ev({
      event_id: "20000000-0000-4000-8000-000000000001",
      session_id: "session-dup",
      page_path: "/second",
      ingest_ts: at(90),
    }),
    ev({ event_id: "30000000-0000-4000-8000-000000000001", session_id: "session-bot", is_bot: true }),
    // Not a UUID (the collector never accepts one; raw files from elsewhere might hold it).
    ev({ event_id: "not-a-uuid", session_id: "session-bad-id" }),
  );
  built = await buildWith(events);
});

describe("stg_events", () => {
  it("derives the channel with the first matching rule", async () => {
    const rows = await query<{ page_title: string; channel: string }>(
      built.data,
      "select page_title, channel from stg_events where page_title is not null",
    );
    const got = Object.fromEntries(rows.map((r) => [r.page_title, r.channel]));
    const expected = Object.fromEntries(channelCases.map(([name, , channel]) => [name, channel]));
    expect(got).toEqual(expected);
  });

  it("lower-cases and trims UTM values and turns empty ones into NULL", async () => {
    const [row] = await query(
      built.data,
      "select utm_source, utm_medium, utm_campaign, utm_term, channel from stg_events where session_id = 'session-utm'",
    );
    expect(row).toEqual({
      utm_source: "linkedin",
      utm_medium: "social",
      utm_campaign: null,
      utm_term: "analytics",
      channel: "social",
    });
  });

  it("keeps the referrer's host lower-cased", async () => {
    const rows = await query(
      built.data,
      "select distinct referrer_host from stg_events where referrer like '%google.co.uk%'",
    );
    expect(rows).toEqual([{ referrer_host: "www.google.co.uk" }]);
  });

  it("turns every ISO-8601 offset into a UTC TIMESTAMP", async () => {
    const rows = await query(
      built.data,
      `select event_id, event_ts, ingest_ts, typeof(event_ts) as type from stg_events
       where session_id in ('session-tz', 'session-utm') order by event_id`,
    );
    expect(rows).toEqual([
      // 01:30 at +02:00 is 23:30 the day before in UTC.
      {
        event_id: "10000000-0000-4000-8000-000000000001",
        event_ts: "2026-03-01T23:30:00.000Z",
        ingest_ts: "2026-03-01T23:30:01.000Z",
        type: "TIMESTAMP",
      },
      // 23:30:00.250 at −05:30 is 05:00:00.250 the next day.
      {
        event_id: "10000000-0000-4000-8000-000000000002",
        event_ts: "2026-03-02T05:00:00.250Z",
        ingest_ts: "2026-03-02T05:00:01.000Z",
        type: "TIMESTAMP",
      },
      {
        event_id: "10000000-0000-4000-8000-000000000003",
        event_ts: "2026-03-02T05:00:00.000Z",
        ingest_ts: "2026-03-02T05:00:01.000Z",
        type: "TIMESTAMP",
      },
      // Minutes only: seconds are zero.
      {
        event_id: "10000000-0000-4000-8000-000000000004",
        event_ts: "2026-03-02T10:00:00.000Z",
        ingest_ts: "2026-03-02T10:00:01.000Z",
        type: "TIMESTAMP",
      },
    ]);
  });

  it("keeps one row per event_id, the earliest arrival", async () => {
    const rows = await query(
      built.data,
      "select page_path, ingest_ts from stg_events where event_id = '20000000-0000-4000-8000-000000000001'",
    );
    expect(rows).toEqual([{ page_path: "/first", ingest_ts: at(10) }]);
  });

  it("stores event_id as a UUID and leaves out a row whose event_id is not one", async () => {
    expect(await query(built.data, "select distinct typeof(event_id) as type from stg_events")).toEqual([
      { type: "UUID" },
    ]);
    expect(
      await query(built.data, "select count(*) as n from stg_events where session_id = 'session-bad-id'"),
    ).toEqual([{ n: 0 }]);
  });

  it("leaves out a row whose event_id is not a UUID also in a batch without duplicates", async () => {
    const alone = await buildWith([
      ev({ event_id: "40000000-0000-4000-8000-000000000001", session_id: "session-ok" }),
      ev({ event_id: "not-a-uuid", session_id: "session-bad-id" }),
    ]);
    expect(alone.output).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0/);
    expect(await query(alone.data, "select session_id from stg_events")).toEqual([
      { session_id: "session-ok" },
    ]);
  });

  it("keeps every good row of a batch with several event_ids that are not UUIDs", async () => {
    // Two rows whose ids are no UUID make a NULL "duplicate"; a NOT IN against it kept no row at all.
    const batch = await buildWith([
      ev({ event_id: "40000000-0000-4000-8000-000000000001", session_id: "session-ok" }),
      ev({ event_id: "40000000-0000-4000-8000-000000000002", session_id: "session-twice" }),
      ev({
        event_id: "40000000-0000-4000-8000-000000000002",
        session_id: "session-twice",
        page_path: "/again",
      }),
      ev({ event_id: "not-a-uuid", session_id: "session-bad-id" }),
      ev({ event_id: "not-a-uuid-either", session_id: "session-bad-id" }),
    ]);
    expect(batch.output).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0/);
    expect(await query(batch.data, "select session_id from stg_events order by session_id")).toEqual([
      { session_id: "session-ok" },
      { session_id: "session-twice" },
    ]);
  });

  it("keeps bots, flagged, and the marts leave them out", async () => {
    expect(await query(built.data, "select is_bot from stg_events where session_id = 'session-bot'")).toEqual(
      [{ is_bot: true }],
    );
    expect(
      await query(built.data, "select count(*) as n from sessions where session_id = 'session-bot'"),
    ).toEqual([{ n: 0 }]);
  });

  it("passes every data test in schema.yml and models/tests", () => {
    expect(built.output).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0/);
    expect(built.output).toMatch(
      /PASS accepted_values_stg_events_channel__paid__email__social__search__referral__direct /,
    );
    expect(built.output).toMatch(/PASS relationships_sessions_session_id__session_id__stg_events /);
  });
});
