// funnel steps that more than one event could fill: a step repeated, or a later step that is a
// narrower form of an earlier one. Each step needs an event of its own.
import { describe, expect, it } from "vitest";
import { at, buildWith, ev, query } from "./models-kit.ts";

const view = (session_id: string, minute: number, page_path = "/") =>
  ev({ session_id, event_ts: at(minute), page_path });

describe("funnel steps one event could fill twice", () => {
  it("counts a repeated step only for a session with that many matching events", async () => {
    const built = await buildWith(
      [
        // One page view: the first step only.
        view("one", 0),
        // Two page views at the same instant: both steps, not a third.
        view("two", 10),
        view("two", 10, "/docs"),
        // Three page views: all three steps.
        view("three", 20),
        view("three", 21),
        view("three", 22),
      ],
      {
        funnel_steps: [
          { name: "first_page", event_type: "page_view" },
          { name: "second_page", event_type: "page_view" },
          { name: "third_page", event_type: "page_view" },
        ],
      },
    );
    expect(await query(built.data, "select step_name, sessions from funnel order by step")).toEqual([
      { step_name: "first_page", sessions: 3 },
      { step_name: "second_page", sessions: 2 },
      { step_name: "third_page", sessions: 1 },
    ]);
  });

  it("does not let the page view that filled 'any page' fill 'the pricing page' too", async () => {
    const built = await buildWith(
      [
        // Landed on /pricing and left: one page, one step.
        view("landed", 0, "/pricing"),
        // Came to / and went on to /pricing: both steps.
        view("went_on", 10, "/"),
        view("went_on", 11, "/pricing"),
      ],
      {
        funnel_steps: [
          { name: "any_page", event_type: "page_view" },
          { name: "pricing", event_type: "page_view", condition: "page_path = '/pricing'" },
        ],
      },
    );
    expect(await query(built.data, "select step_name, sessions from funnel order by step")).toEqual([
      { step_name: "any_page", sessions: 2 },
      { step_name: "pricing", sessions: 1 },
    ]);
  });

  it("builds without a funnel when funnel_steps is an empty list", async () => {
    const built = await buildWith([view("one", 0), view("one", 1, "/pricing")], { funnel_steps: [] });
    expect(await query(built.data, "select count(*)::INTEGER as n from funnel")).toEqual([{ n: 0 }]);
    expect(await query(built.data, "select count(*)::INTEGER as n from int_session_funnel")).toEqual([
      { n: 0 },
    ]);
    expect(await query(built.data, "select sessions from daily")).toEqual([{ sessions: 1 }]);
  });
});
