import { describe, expect, it } from "vitest";
import { renderedSamplePage } from "../sample-warehouse.ts";

/** The flagged hours' table: its caption and each row's hour and direction. */
async function flaggedHours(sql: string): Promise<{ caption: string; rows: string[] }> {
  const page = await renderedSamplePage("anomalies.html", { sql, days: 7 });
  const table = page.match(/<caption>([^<]*flagged[^<]*)<\/caption>([\s\S]*?)<\/table>/);
  const rows = [...(table?.[2] ?? "").matchAll(/<tr><td[^>]*>([^<]*)<\/td>.*?<td>(spike|drop)<\/td><\/tr>/g)];
  return { caption: table?.[1] ?? "", rows: rows.map((m) => `${m[1]} ${m[2]}`) };
}

// The sample's latest event is at 23:00:40 on Nov 20: its 23:00 hour has only begun.
const latestHour = "TIMESTAMP '2026-11-20 23:00:00'";

describe("anomalies page", () => {
  it("flags no drop in the hour the data is still filling, and every other flag", async () => {
    const { caption, rows } = await flaggedHours(`
      UPDATE anomalies SET events = 1, z = -9.5, is_anomaly = true WHERE hour = ${latestHour};
      UPDATE anomalies SET events = 1, z = -9.0, is_anomaly = true WHERE hour = ${latestHour} - INTERVAL 5 HOUR`);
    expect(caption).toBe("2 hours flagged in the period");
    expect(rows).toEqual(["2026-11-19 17:00 UTC spike", "2026-11-20 18:00 UTC drop"]);
  });

  it("flags a spike in the hour the data is still filling", async () => {
    const { rows } = await flaggedHours(
      `UPDATE anomalies SET events = 900, z = 15, is_anomaly = true WHERE hour = ${latestHour}`,
    );
    expect(rows).toEqual(["2026-11-20 23:00 UTC spike", "2026-11-19 17:00 UTC spike"]);
  });

  it("gives the chart's figures as a folded table: each hour's events, baseline and flag", async () => {
    const page = await renderedSamplePage("anomalies.html", { days: 7 });
    const figures = page.match(/<details><summary>[^<]*<\/summary>[\s\S]*?<\/details>/)?.[0] ?? "";
    const headers = [...figures.matchAll(/<th scope="col"[^>]*>([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(headers).toEqual(["Hour", "Events", "Baseline", "Flagged"]);
    const rows = [...figures.matchAll(/<tr><td class="time">([^<]*)<\/td>(.*?)<\/tr>/g)];
    // Seven days of hours, the last of them the 23:00 hour still filling.
    expect(rows).toHaveLength(7 * 24);
    const cells = (hour: string) =>
      [...(rows.find((m) => m[1] === hour)?.[2] ?? "").matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells("2026-11-19 17:00 UTC")).toEqual(["400", "26.0", "spike"]);
    expect(cells("2026-11-19 18:00 UTC")).toEqual(["25", "25.0", "no"]);
  });

  it("shows no hour after the latest data's: an event stamped ahead by a visitor's clock makes none of them a drop", async () => {
    // The latest data is now at 19:00:40; the model's hours go on to 23:00 (the one event stamped
    // then came from a clock running ahead), those after 19:00 without events yet.
    const sql = `
      DELETE FROM stg_events WHERE event_ts >= TIMESTAMP '2026-11-20 19:01:00';
      INSERT INTO stg_events BY NAME
      SELECT uuid() AS event_id, 'page_view' AS event_type, 'ahead' AS session_id, false AS is_bot,
             TIMESTAMP '2026-11-20 23:00:10' AS event_ts, TIMESTAMP '2026-11-20 19:00:50' AS ingest_ts;
      UPDATE anomalies SET events = 0, z = -9.0, is_anomaly = true
      WHERE hour > TIMESTAMP '2026-11-20 19:00:00' AND hour < ${latestHour};`;
    const { caption, rows } = await flaggedHours(sql);
    expect(caption).toBe("1 hour flagged in the period");
    expect(rows).toEqual(["2026-11-19 17:00 UTC spike"]);
    const page = await renderedSamplePage("anomalies.html", { sql, days: 7 });
    const figures = page.match(/<details><summary>[^<]*<\/summary>[\s\S]*?<\/details>/)?.[0] ?? "";
    const hours = [...figures.matchAll(/<tr><td class="time">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(hours.at(-1)).toBe("2026-11-20 19:00 UTC");
  });

  it("says there is no data, not that no hour was flagged, when the period has no hours", async () => {
    const { caption } = await flaggedHours("DELETE FROM anomalies");
    expect(caption).toBe("Hours flagged in the period");
    const page = await renderedSamplePage("anomalies.html", { sql: "DELETE FROM anomalies", days: 7 });
    expect(page).toContain('<td colspan="5" class="empty">No data in this period.</td>');
    expect(page).not.toContain("No hour was flagged");
  });
});
