// `ownstats demo`: the same seed and anchor give the same files; the data has every shape the
// reports need (event types, channels, campaigns, the experiment's difference, the spike, bots).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { demoAnchor, writeDemo } from "../local/demo.ts";
import { DEMO_DEFAULTS } from "../local/demo-defaults.ts";
import { openWarehouse, type Warehouse } from "../runner/warehouse.ts";
import { tempFolder } from "./temp-folders.ts";

const now = "2026-03-02T10:00:00Z";

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".gz"))
    .map((name) => join(root, name))
    .sort();
}

/** Partition folder → its decompressed content; object names carry a random suffix by design. */
function contentByPartition(data: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of filesUnder(join(data, "raw"))) {
    const partition = relative(data, file).split("/").slice(0, -1).join("/");
    out.set(partition, (out.get(partition) ?? "") + gunzipSync(readFileSync(file)).toString("utf8"));
  }
  return out;
}

const tempData = () => tempFolder("ownstats-demo-");

describe("demo determinism", () => {
  it("writes the same events into the same partitions for the same seed and anchor", async () => {
    const [a, b, c] = [tempData(), tempData(), tempData()];
    await writeDemo({ data: a, visitors: 300, days: 14, seed: 7, now });
    await writeDemo({ data: b, visitors: 300, days: 14, seed: 7, now });
    await writeDemo({ data: c, visitors: 300, days: 14, seed: 8, now });
    const first = contentByPartition(a);
    expect(first.size).toBeGreaterThan(100);
    expect(contentByPartition(b)).toEqual(first);
    expect(contentByPartition(c)).not.toEqual(first);
  });

  it("writes an hour of more than maxObjectChars in several objects, each in arrival order, every event once", async () => {
    // As a launch spike of a million visitors (150 MB in one hour) is written in objects of 32 MiB.
    const [whole, split] = [tempData(), tempData()];
    const one = await writeDemo({ data: whole, visitors: 300, days: 14, seed: 7, now });
    const several = await writeDemo({
      data: split,
      visitors: 300,
      days: 14,
      seed: 7,
      now,
      maxObjectChars: 5000,
    });
    expect(several.objects).toBeGreaterThan(one.objects + 20);
    expect(several).toMatchObject({ events: one.events, bytes: one.bytes });
    const lines = (data: string) => {
      const out = new Map<string, string[]>();
      for (const [partition, text] of contentByPartition(data))
        out.set(partition, text.split("\n").filter(Boolean).sort());
      return out;
    };
    expect(lines(split)).toEqual(lines(whole));
    for (const file of filesUnder(join(split, "raw"))) {
      const records = gunzipSync(readFileSync(file)).toString("utf8").split("\n").filter(Boolean);
      const text = records.reduce((sum, line) => sum + line.length + 1, 0);
      expect(records.length === 1 || text <= 5000, `${file} holds ${text} characters`).toBe(true);
      const arrivals = records.map((line) => JSON.parse(line).ingest_ts as string);
      expect(arrivals).toEqual([...arrivals].sort());
    }
  });

  it("takes the anchor from OWNSTATS_DEMO_NOW and ends the data before it", async () => {
    const data = tempData();
    process.env.OWNSTATS_DEMO_NOW = "2025-07-01T12:34:56Z";
    try {
      const summary = await writeDemo({ data, visitors: 50, days: 3, seed: 1 });
      expect(summary.to).toBe("2025-07-01T12:00:00.000Z");
      expect(summary.from).toBe("2025-06-28T12:00:00.000Z");
    } finally {
      delete process.env.OWNSTATS_DEMO_NOW;
    }
    const partitions = [...contentByPartition(data).keys()].sort();
    expect(partitions.at(-1)).toBe("raw/year=2025/month=07/day=01/hour=11");
  });

  it("puts the spike inside a short period whatever the hour, so every visitor asked for is there", async () => {
    for (const days of [1, 2]) {
      const summary = await writeDemo({
        data: tempData(),
        visitors: 400,
        days,
        seed: 1,
        now: "2026-03-02T20:00:00Z",
      });
      expect(summary.spike.start >= summary.from, `--days ${days}`).toBe(true);
      expect(summary.spike.end <= summary.to, `--days ${days}`).toBe(true);
      expect(summary.visitors, `--days ${days}`).toBe(400);
    }
  });

  it("names a bad anchor", async () => {
    await expect(
      writeDemo({ data: tempData(), visitors: 5, days: 1, seed: 1, now: "yesterday" }),
    ).rejects.toThrow(/"now" must be an ISO-8601 time with its zone .*, got "yesterday"/);
  });

  it("refuses an OWNSTATS_DEMO_NOW later than the clock, whose events would arrive in the future, and takes one up to an hour ahead", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-01T10:20:00Z"));
    try {
      process.env.OWNSTATS_DEMO_NOW = "2026-03-01T11:30:00Z";
      expect(() => demoAnchor()).toThrow(
        'OWNSTATS_DEMO_NOW is later than the current time (2026-03-01T10:20:00.000Z), got "2026-03-01T11:30:00Z"',
      );
      // A clock a little behind the one of the machine whose time was copied.
      process.env.OWNSTATS_DEMO_NOW = "2026-03-01T11:00:00Z";
      expect(new Date(demoAnchor()).toISOString()).toBe("2026-03-01T11:00:00.000Z");
      process.env.OWNSTATS_DEMO_NOW = "2025-07-01T12:34:56Z";
      expect(new Date(demoAnchor()).toISOString()).toBe("2025-07-01T12:00:00.000Z");
    } finally {
      vi.useRealTimers();
      delete process.env.OWNSTATS_DEMO_NOW;
    }
  });

  it("refuses an OWNSTATS_DEMO_NOW that is no ISO-8601 date or time with its zone, naming the variable", () => {
    try {
      // "1" is the year 2001 to Date.parse; a time without a zone is read in the machine's zone; a day
      // the month does not have is the next month's to Date.parse.
      for (const value of [
        "yesterday",
        "1",
        "2026-03-01T10:00",
        "March 1, 2026",
        "2026-02-30",
        "2026-04-31T00:00:00Z",
      ]) {
        process.env.OWNSTATS_DEMO_NOW = value;
        expect(() => demoAnchor(), value).toThrow(
          `OWNSTATS_DEMO_NOW must be an ISO-8601 time with its zone (2026-03-01T00:00:00Z) or a date (2026-03-01, UTC), got "${value}"`,
        );
      }
      for (const [value, hour] of [
        ["2026-03-01", "2026-03-01T00:00:00.000Z"],
        ["2026-03-01T10:30:00+02:00", "2026-03-01T08:00:00.000Z"],
        ["", undefined],
      ] as const) {
        process.env.OWNSTATS_DEMO_NOW = value;
        if (hour) expect(new Date(demoAnchor()).toISOString()).toBe(hour);
        else expect(demoAnchor()).toBeLessThanOrEqual(Date.now());
      }
    } finally {
      delete process.env.OWNSTATS_DEMO_NOW;
    }
  });
});

describe("demo shape", () => {
  let wh: Warehouse;
  let spikeStart: string;

  beforeAll(async () => {
    const data = tempData();
    const summary = await writeDemo({ data, ...DEMO_DEFAULTS, now });
    spikeStart = summary.spike.start;
    wh = await openWarehouse(data);
    await wh.run(`create view events as select * from read_ndjson('${join(data, "raw")}/**/*.gz',
      hive_partitioning = true, hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER, 'hour': INTEGER},
      columns = {event_id: 'VARCHAR', event_type: 'VARCHAR', session_id: 'VARCHAR', visitor_id: 'VARCHAR',
        event_ts: 'VARCHAR', ingest_ts: 'VARCHAR', site: 'VARCHAR', page_path: 'VARCHAR', referrer: 'VARCHAR',
        utm_source: 'VARCHAR', utm_medium: 'VARCHAR', utm_campaign: 'VARCHAR', country: 'VARCHAR',
        device_type: 'VARCHAR', element: 'VARCHAR', experiment: 'VARCHAR', variant: 'VARCHAR', name: 'VARCHAR',
        scroll_pct: 'INTEGER', seconds: 'INTEGER', is_bot: 'BOOLEAN', schema_version: 'INTEGER', props: 'JSON'})`);
  });

  it("has every event type, unique ids, and each record in its arrival hour's partition", async () => {
    const types = await wh.all("select distinct event_type from events order by 1");
    expect(types.map((r) => r.event_type)).toEqual([
      "cta_click",
      "custom",
      "exit_intent",
      "experiment_exposure",
      "form_start",
      "form_submit",
      "page_view",
      "scroll_depth",
      "time_on_page",
    ]);
    const [ids] = await wh.all(`select count(*) as n, count(distinct event_id) as ids,
      count(*) filter (where hour <> extract(hour from ingest_ts::timestamp)
        or day <> extract(day from ingest_ts::timestamp)) as misplaced,
      count(*) filter (where event_ts > ingest_ts or ingest_ts >= '${now}') as out_of_order,
      count(*) filter (where not regexp_matches(event_ts, '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$')) as bad_ts
      from events`);
    expect(ids).toEqual({ n: ids?.n, ids: ids?.n, misplaced: 0, out_of_order: 0, bad_ts: 0 });
  });

  it("brings visitors from every channel, with linkedin and twitter campaigns", async () => {
    const sources =
      await wh.all(`select utm_source, utm_medium, count(distinct session_id) as sessions from events
      where utm_source is not null group by all order by all`);
    const names = sources.map((r) => `${r.utm_source}/${r.utm_medium}`);
    expect(names).toEqual(
      expect.arrayContaining(["linkedin/social", "twitter/social", "newsletter/email", "google/cpc"]),
    );
    const [referrers] = await wh.all(`select
      count(*) filter (where referrer like 'https://www.google.com/%') as search,
      count(*) filter (where referrer like 'https://github.com/%') as referral,
      count(*) filter (where event_type = 'page_view' and referrer is null) as direct from events`);
    expect(Object.values(referrers ?? {}).every((n) => Number(n) > 50)).toBe(true);
  });

  it("toggles the pricing plan both ways, mostly to yearly", async () => {
    const rows = await wh.all(`select props->>'billing' as billing, count(*) as n from events
      where event_type = 'custom' and name = 'plan_toggle' group by 1 order by 1`);
    expect(rows.map((r) => r.billing)).toEqual(["monthly", "yearly"]);
    const [monthly, yearly] = rows.map((r) => Number(r.n));
    expect(yearly).toBeGreaterThan(monthly ?? 0);
  });

  it("has visitors returning in later weeks", async () => {
    const [row] =
      await wh.all(`select count(*) filter (where weeks >= 2) as returning, count(*) as visitors from (
      select visitor_id, (max(event_ts::timestamp)::date - min(event_ts::timestamp)::date) // 7 as weeks
      from events where not is_bot group by visitor_id)`);
    expect(Number(row?.returning)).toBeGreaterThan(Number(row?.visitors) * 0.05);
  });

  it("runs the cta_copy experiment with a real difference in conversion between control and b", async () => {
    const rows = await wh.all(`with exposed as (
        select distinct session_id, variant from events where event_type = 'experiment_exposure' and experiment = 'cta_copy'),
      -- The variant sets the call to action's click rate (demo-world.ts); form submits, further down
      -- the path, are too few in a sample this size to show the difference reliably.
      converted as (select distinct session_id from events where event_type = 'cta_click')
      select variant, count(*) as sessions, count(c.session_id) as conversions
      from exposed left join converted c using (session_id) group by variant order by variant`);
    expect(rows.map((r) => r.variant)).toEqual(["b", "control"]);
    const [b, control] = rows.map((r) => Number(r.conversions) / Number(r.sessions)) as [number, number];
    expect(b).toBeGreaterThan(control * 1.3);
  });

  it("puts each call to action on several pages, clicked more often on pricing and contact than on blog posts", async () => {
    // The goals page shows where each CTA is clicked: one page with all of a CTA's clicks shows nothing.
    const ctas =
      await wh.all(`select element, sum(clicks) as clicks, count(*) as pages, max(clicks) as top from (
        select element, page_path, count(*) as clicks from events
        where event_type = 'cta_click' and not is_bot group by all)
      group by element having sum(clicks) >= 20 order by element`);
    expect(ctas.map((r) => r.element)).toEqual(["book_call", "get_started"]);
    for (const cta of ctas) {
      expect(Number(cta.pages), `${cta.element}'s pages`).toBeGreaterThanOrEqual(3);
      expect(Number(cta.top) / Number(cta.clicks), `${cta.element}'s busiest page's share`).toBeLessThan(
        0.85,
      );
    }
    const rates = await wh.all(`select page_path,
        count(*) filter (where event_type = 'cta_click' and element = 'book_call')
          / count(*) filter (where event_type = 'page_view') as rate
      from events where not is_bot group by page_path`);
    const rate = (path: string) => Number(rates.find((r) => r.page_path === path)?.rate ?? 0);
    const blogs = rates.filter((r) => String(r.page_path).startsWith("/blog/")).map((r) => Number(r.rate));
    expect(blogs).toHaveLength(2);
    expect(Math.min(rate("/pricing"), rate("/contact"))).toBeGreaterThan(3 * Math.max(...blogs));
  });

  it("has one traffic spike: the busiest hour is the launch hour, far above a typical hour", async () => {
    const hours = await wh.all(`select date_trunc('hour', event_ts::timestamp)::varchar as hour, count(*) as n
      from events where not is_bot group by 1 order by n desc`);
    const median = Number(hours[Math.floor(hours.length / 2)]?.n);
    expect(hours[0]?.hour).toBe(spikeStart.slice(0, 13).replace("T", " ") + ":00:00");
    expect(Number(hours[0]?.n)).toBeGreaterThan(median * 10);
  });

  it("has a bounce rate like a real site's: many visitors glance at one page and leave", async () => {
    // The sessions model's bounce: one page view at most, no conversion or other interaction, under 30 s
    // engaged, under 50 % scrolled.
    const [row] = await wh.all(`select avg(bounced::int) as bounce_rate, avg(pages) as pages from (
      select count(*) filter (where event_type = 'page_view') as pages,
        pages <= 1
          and count(*) filter (where event_type in ('cta_click', 'form_start', 'form_submit', 'custom')) = 0
          and coalesce(max(seconds), 0) < 30 and coalesce(max(scroll_pct), 0) < 50 as bounced
      from events where not is_bot group by session_id)`);
    expect(Number(row?.bounce_rate)).toBeGreaterThan(0.2);
    expect(Number(row?.bounce_rate)).toBeLessThan(0.5);
    expect(Number(row?.pages)).toBeGreaterThan(1.3);
  });

  it("flags about 3 % of events as bots", async () => {
    const [row] = await wh.all("select avg(is_bot::int) as share from events");
    expect(Number(row?.share)).toBeGreaterThanOrEqual(0.015);
    expect(Number(row?.share)).toBeLessThanOrEqual(0.035);
  });
});
