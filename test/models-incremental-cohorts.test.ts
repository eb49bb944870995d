// cohorts built incrementally where a late event takes a session away from its visitor: the rows of
// weeks left without any visitor must go, as a full build never had them.
import { describe, expect, it } from "vitest";
import { ev, query, stepwiseAndWhole } from "./models-kit.ts";

const rows = "select cohort_week, weeks_since, visitors, cohort_size from cohorts order by all";

describe("incremental cohorts", () => {
  it("drops the week of a visitor whose only session turned out to have no visitor id", async () => {
    const { stepwise, whole } = await stepwiseAndWhole([
      [
        // v0's only session, in the week of Monday 2 March; v1 first seen a week later.
        ev({ session_id: "s0", visitor_id: "v0", event_ts: "2026-03-03T10:00:00Z" }),
        ev({ session_id: "s1", visitor_id: "v1", event_ts: "2026-03-10T10:00:00Z" }),
      ],
      [
        // Delivered late: an earlier event of s0 without a visitor_id, so s0 has none, and v0 no session.
        ev({
          session_id: "s0",
          visitor_id: undefined,
          event_ts: "2026-03-03T09:59:00Z",
          ingest_ts: "2026-03-10T11:00:00Z",
        }),
      ],
    ]);
    const expected = [
      { cohort_week: "2026-03-09T00:00:00.000Z", weeks_since: 0, visitors: 1, cohort_size: 1 },
    ];
    expect(await query(whole, rows)).toEqual(expected);
    expect(await query(stepwise, rows)).toEqual(expected);
  });

  it("drops every week when the only visitor's sessions all turned out to have no visitor id", async () => {
    const { stepwise, whole } = await stepwiseAndWhole([
      [
        ev({ session_id: "s0", visitor_id: "v0", event_ts: "2026-03-03T10:00:00Z" }),
        ev({ session_id: "s1", visitor_id: "v0", event_ts: "2026-03-10T10:00:00Z" }),
      ],
      ["s0", "s1"].map((session_id, i) =>
        ev({
          session_id,
          visitor_id: undefined,
          event_ts: `2026-03-${i ? 10 : "03"}T09:00:00Z`,
          ingest_ts: "2026-03-10T11:00:00Z",
        }),
      ),
    ]);
    expect(await query(whole, rows)).toEqual([]);
    expect(await query(stepwise, rows)).toEqual([]);
  });
});
