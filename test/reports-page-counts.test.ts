// Every table that names a page gives it the same views and sessions for the period: the overview's
// top pages, and the engagement page's pages and time milestones, all count a session's views of a
// page on the day of its first view of it, as the pages mart does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { buildSite } from "../reports/index.ts";
import { tableRows } from "../reports/table-rows.ts";
import { buildWith, clock, ev } from "./models-kit.ts";

it("counts a session that crosses midnight into the period on the day it first viewed the page, in every table", async () => {
  const { data } = await buildWith([
    // s1 first views /x two minutes before the period starts and again after midnight, with a minute on it.
    ev({ session_id: "s1", page_path: "/x", event_ts: clock("23:58") }),
    ev({ session_id: "s1", page_path: "/x", event_ts: clock("00:01", 1) }),
    ev({
      session_id: "s1",
      page_path: "/x",
      event_type: "time_on_page",
      seconds: 60,
      event_ts: clock("00:02", 1),
    }),
    ev({ session_id: "s2", visitor_id: "v2", page_path: "/y", event_ts: clock("10:00", 1) }),
    ev({
      session_id: "s2",
      visitor_id: "v2",
      page_path: "/y",
      event_type: "time_on_page",
      seconds: 30,
      event_ts: clock("10:01", 1),
    }),
    ev({ session_id: "s2", visitor_id: "v2", page_path: "/x", event_ts: clock("10:05", 1) }),
    ev({ session_id: "s3", visitor_id: "v3", page_path: "/y", event_ts: clock("12:00", 2) }),
  ]);
  // The period: the two days after the one s1 started on.
  await buildSite({ data, days: 2 });
  const page = (name: string) => readFileSync(join(data, "site", name), "utf8");

  expect(tableRows(page("index.html"), "Top pages")).toEqual([
    ["/y", "2", "2"],
    ["/x", "1", "1"],
  ]);
  expect(tableRows(page("pages.html"), "Pages by views").map((row) => row.slice(0, 3))).toEqual([
    ["/y", "2", "2"],
    ["/x", "1", "1"],
  ]);
  expect(tableRows(page("pages.html"), "Share of a page&#x27;s sessions still on it")).toEqual([
    ["/y", "2", "2", "50.0 %", "0.0 %", "0.0 %", "0.0 %"],
    ["/x", "1", "1", "0.0 %", "0.0 %", "0.0 %", "0.0 %"],
  ]);
});
