// Goals: which CTA was clicked, which form started and submitted, which custom events with which
// properties, worked out here by hand from a few sessions.
import { describe, expect, it } from "vitest";
import { runProject } from "../runner/index.ts";
import { openWarehouse } from "../runner/warehouse.ts";
import {
  at,
  buildWith,
  ev,
  modelsDir,
  query,
  type RawEvent,
  resultOf,
  stepwiseAndWhole,
} from "./models-kit.ts";

const cta = (session_id: string, minute: number, element: string, more: RawEvent = {}) =>
  ev({ session_id, event_type: "cta_click", element, event_ts: at(minute), ...more });
const form = (session_id: string, minute: number, event_type: string, more: RawEvent = {}) =>
  ev({ session_id, event_type, element: "contact", event_ts: at(minute), ...more });
const custom = (session_id: string, minute: number, props: RawEvent, more: RawEvent = {}) =>
  ev({ session_id, event_type: "custom", name: "plan_toggle", props, event_ts: at(minute), ...more });

/** Four visitor sessions (one without a visitor id, two of one visitor) and a bot. */
const events: RawEvent[] = [
  ev({ session_id: "s1", event_ts: at(0) }),
  cta("s1", 1, "book_call"),
  cta("s1", 2, "book_call"),
  form("s1", 3, "form_start"),
  form("s1", 4, "form_submit"),
  custom("s1", 5, { billing: "yearly", seats: 3, trial: true }),
  ev({ session_id: "s2", visitor_id: undefined, event_ts: at(10) }),
  cta("s2", 11, "book_call", { visitor_id: undefined }),
  form("s2", 12, "form_start", { visitor_id: undefined }),
  custom("s2", 13, { billing: "monthly", seats: 3, trial: false }, { visitor_id: undefined }),
  ev({ session_id: "s3", event_ts: at(20) }),
  cta("s3", 21, "get_started"),
  ev({ session_id: "s4", visitor_id: "visitor-b", event_ts: at(30) }),
  cta("bot", 40, "book_call", { is_bot: true, visitor_id: "robot" }),
];

const goalsSql = "select * from goals order by event_type, name";
const propsSql = "select * from goal_props order by all";

describe("goals", () => {
  it("counts each CTA, form and custom event's events, sessions and visitors, and each form's completion", async () => {
    const built = await buildWith(events);
    const row = (
      event_type: string,
      name: string,
      n: number[],
      share: number,
      completion: number | null,
    ) => ({
      event_type,
      name,
      events: n[0],
      sessions: n[1],
      visitors: n[2],
      session_share: share,
      completion,
    });
    expect(await query(built.data, goalsSql)).toEqual([
      // Two sessions of visitor-a's and one without a visitor: 1 visitor. The bot's click is not counted.
      row("cta_click", "book_call", [3, 2, 1], 0.5, null),
      row("cta_click", "get_started", [1, 1, 1], 0.25, null),
      row("custom", "plan_toggle", [2, 2, 1], 0.5, null),
      // s1 started and submitted the contact form, s2 only started it.
      row("form_start", "contact", [2, 2, 1], 0.5, 0.5),
      row("form_submit", "contact", [1, 1, 1], 0.25, 0.5),
    ]);
  });

  it("counts a CTA whose data-cta is empty or blank under (unnamed), as one sent without it", async () => {
    const built = await buildWith([
      ev({ session_id: "s1", event_ts: at(0) }),
      cta("s1", 1, ""),
      cta("s1", 2, "  "),
      ev({ session_id: "s2", event_ts: at(10) }),
      ev({ session_id: "s2", event_type: "cta_click", event_ts: at(11) }),
    ]);
    expect(await query(built.data, "select name, events, sessions from goals")).toEqual([
      { name: "(unnamed)", events: 3, sessions: 2 },
    ]);
  });

  it("names the properties of a custom event with an empty or blank name (unnamed), as goals names it", async () => {
    const built = await buildWith([
      ev({ session_id: "s1", event_ts: at(0) }),
      custom("s1", 1, { plan: "pro" }, { name: "" }),
      custom("s1", 2, { plan: "pro" }, { name: "  " }),
    ]);
    expect(await query(built.data, "select event_type, name, events from goals")).toEqual([
      { event_type: "custom", name: "(unnamed)", events: 2 },
    ]);
    expect(await query(built.data, propsSql)).toEqual([
      { name: "(unnamed)", prop_key: "plan", prop_value: "pro", events: 2, sessions: 1 },
    ]);
  });

  it("breaks custom events down by property key and value, numbers and booleans as text", async () => {
    const built = await buildWith(events);
    expect(await query(built.data, propsSql)).toEqual([
      { name: "plan_toggle", prop_key: "billing", prop_value: "monthly", events: 1, sessions: 1 },
      { name: "plan_toggle", prop_key: "billing", prop_value: "yearly", events: 1, sessions: 1 },
      { name: "plan_toggle", prop_key: "seats", prop_value: "3", events: 2, sessions: 2 },
      { name: "plan_toggle", prop_key: "trial", prop_value: "false", events: 1, sessions: 1 },
      { name: "plan_toggle", prop_key: "trial", prop_value: "true", events: 1, sessions: 1 },
    ]);
  });

  it("reads property names that look like JSON paths as plain names", async () => {
    // Names are free text up to 50 characters: "$[" is an invalid JSON path, "/plan" a JSON pointer.
    const built = await buildWith([
      ev({ session_id: "s1" }),
      custom("s1", 1, { "$[": "a", "/plan": "b", "a.b": 1 }),
    ]);
    expect(await query(built.data, "select prop_key, prop_value from goal_props order by all")).toEqual([
      { prop_key: "$[", prop_value: "a" },
      { prop_key: "/plan", prop_value: "b" },
      { prop_key: "a.b", prop_value: "1" },
    ]);
  });

  it("gives an incremental run with late events the rows of one build of all events", async () => {
    const late = (e: RawEvent) => ({ ...e, ingest_ts: at(24 * 60) });
    const { stepwise, whole } = await stepwiseAndWhole([
      events,
      [
        // s2 submits the form after all, and s3 sends a custom event: both arrive a day late.
        late(form("s2", 14, "form_submit", { visitor_id: undefined })),
        late(custom("s3", 22, { billing: "yearly", seats: 1 })),
        late(cta("s4", 31, "book_call", { visitor_id: "visitor-b" })),
      ],
    ]);
    for (const model of ["int_session_goals", "int_session_goal_props"])
      expect(resultOf(stepwise, model)?.adapter_response.mode, model).toBe("incremental");
    const goals = await query(whole, goalsSql);
    expect(goals).toContainEqual(
      expect.objectContaining({ event_type: "form_start", name: "contact", completion: 1 }),
    );
    expect(goals).toContainEqual(
      expect.objectContaining({ event_type: "cta_click", name: "book_call", sessions: 3, visitors: 2 }),
    );
    expect(await query(stepwise, goalsSql)).toEqual(goals);
    expect(await query(stepwise, propsSql)).toEqual(await query(whole, propsSql));
    const sessionRows = "select * exclude (loaded_at) from int_session_goals order by all";
    expect(await query(stepwise, sessionRows)).toEqual(await query(whole, sessionRows));
  });

  it("has a data test that fails when a goal has more sessions than events or a completion above 1", async () => {
    const built = await buildWith(events);
    expect(built.output).toMatch(/PASS goals_counts_are_consistent/);
    const warehouse = await openWarehouse(built.data);
    await warehouse.run("UPDATE goals SET completion = 1.5 WHERE event_type = 'form_start'");
    warehouse.close();
    const lines: string[] = [];
    const code = await runProject("test", {
      data: built.data,
      models: modelsDir,
      fullRefresh: false,
      log: (line) => lines.push(line),
    });
    expect(code).toBe(1);
    expect(lines.join("\n")).toMatch(/FAIL 1 goals_counts_are_consistent/);
  });
});
