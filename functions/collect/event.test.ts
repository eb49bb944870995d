// The wire contract, one case per rule of design §4.
import { describe, expect, it } from "vitest";
import { describeIssues, type WireEventInput, wireEventSchema } from "./event.ts";

const base: WireEventInput = {
  event_type: "page_view",
  event_id: "3F2504E0-4F89-41D3-9A0C-0305E82C3301",
  session_id: "session_0001",
  event_ts: "2026-01-01T01:00:00+01:00",
  page_path: "/",
};

function check(event: Record<string, unknown>): { ok: true; data: unknown } | { ok: false; error: string } {
  const result = wireEventSchema.safeParse(event);
  return result.success
    ? { ok: true, data: result.data }
    : { ok: false, error: describeIssues(result.error) };
}
const rejects = (event: Record<string, unknown>, pattern: RegExp) => {
  const result = check(event);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error).toMatch(pattern);
};
const accepts = (event: Record<string, unknown>) => {
  const result = check(event);
  expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
  return (result as { data: Record<string, unknown> }).data;
};

describe("wire contract", () => {
  it("accepts a minimal page_view", () => {
    expect(accepts(base)).toEqual(base);
  });

  it("drops unknown fields", () => {
    expect(accepts({ ...base, ip: "1.2.3.4", user_agent: "x", cookie: "a=b" })).not.toHaveProperty("ip");
  });

  it("knows the nine event types", () => {
    for (const type of ["cta_click", "form_start", "form_submit", "exit_intent"])
      accepts({ ...base, event_type: type });
    rejects({ ...base, event_type: "click" }, /event_type must be one of page_view/);
  });

  it("requires event_id as a UUID, session_id, event_ts and page_path", () => {
    rejects({ ...base, event_id: undefined }, /event_id is required/);
    rejects({ ...base, event_id: "not-a-uuid" }, /event_id must be a UUID/);
    rejects({ ...base, session_id: undefined }, /session_id is required/);
    rejects({ ...base, event_ts: undefined }, /event_ts is required/);
    rejects({ ...base, page_path: undefined }, /page_path is required/);
  });

  it("checks session_id and visitor_id formats", () => {
    rejects({ ...base, session_id: "short" }, /session_id must be 8–64/);
    rejects({ ...base, session_id: "x".repeat(65) }, /session_id must be 8–64/);
    rejects({ ...base, visitor_id: "has space!" }, /visitor_id must be 8–64/);
    accepts({ ...base, visitor_id: "Ab_-0123456789" });
  });

  it("requires a zone on event_ts", () => {
    rejects(
      { ...base, event_ts: "2026-01-01T00:00:00" },
      /event_ts must be an ISO-8601 date-time with a zone/,
    );
    rejects({ ...base, event_ts: "yesterday" }, /event_ts must be an ISO-8601/);
    accepts({ ...base, event_ts: "2026-01-01T00:00:00.123Z" });
  });

  it("limits page_path, page_title, referrer, utm_*, timezone, element, experiment, name", () => {
    rejects({ ...base, page_path: "pricing" }, /page_path must start with \//);
    rejects({ ...base, page_path: `/${"a".repeat(2000)}` }, /page_path must be at most 2000/);
    rejects({ ...base, page_title: "t".repeat(301) }, /page_title must be at most 300/);
    rejects({ ...base, referrer: "not a url" }, /referrer must be a URL/);
    rejects({ ...base, referrer: 5 }, /referrer must be a URL/);
    rejects({ ...base, referrer: `https://a.com/${"a".repeat(2000)}` }, /referrer must be at most 2000/);
    rejects({ ...base, utm_campaign: "c".repeat(201) }, /utm_campaign must be at most 200/);
    // A longer language is the browser's tag, taken and cut when stored.
    accepts({ ...base, language: "l".repeat(36) });
    rejects({ ...base, language: 35 }, /language must be a string/);
    rejects({ ...base, timezone: "z".repeat(65) }, /timezone must be at most 64/);
    rejects({ ...base, element: "e".repeat(201) }, /element must be at most 200/);
    rejects({ ...base, experiment: "e".repeat(101) }, /experiment must be at most 100/);
    rejects({ ...base, event_type: "custom", name: "n".repeat(51) }, /name must be at most 50/);
  });

  it("takes screen sizes as whole numbers from 0, wider than 20000 too (the stored record cuts them)", () => {
    accepts({ ...base, screen_width: 0, screen_height: 20_000, viewport_width: 1280 });
    accepts({ ...base, screen_width: 20_480, viewport_width: 20_480 });
    rejects({ ...base, screen_width: 1e21 }, /screen_width must be a whole number/);
    rejects({ ...base, screen_height: -1 }, /screen_height must be at least 0/);
    rejects({ ...base, viewport_width: 10.5 }, /viewport_width must be a whole number/);
    rejects({ ...base, screen_width: "1920" }, /screen_width must be a whole number/);
  });

  it("requires the fields each event type needs", () => {
    rejects({ ...base, event_type: "scroll_depth" }, /scroll_pct is required for scroll_depth/);
    rejects({ ...base, event_type: "scroll_depth", scroll_pct: 30 }, /scroll_pct must be 25, 50, 75 or 100/);
    accepts({ ...base, event_type: "scroll_depth", scroll_pct: 75 });
    rejects({ ...base, event_type: "time_on_page" }, /seconds is required for time_on_page/);
    rejects({ ...base, event_type: "time_on_page", seconds: 1.5 }, /seconds must be a whole number/);
    accepts({ ...base, event_type: "time_on_page", seconds: 30 });
    rejects({ ...base, event_type: "experiment_exposure", experiment: "cta_copy" }, /variant is required/);
    accepts({ ...base, event_type: "experiment_exposure", experiment: "cta_copy", variant: "b" });
    rejects({ ...base, event_type: "custom" }, /name is required for custom/);
    accepts({ ...base, event_type: "custom", name: "signup" });
  });

  it("takes an experiment or variant named by a number as text, and nothing else but text", () => {
    const exposure = { ...base, event_type: "experiment_exposure" };
    expect(accepts({ ...exposure, experiment: 2026, variant: 1 })).toMatchObject({
      experiment: "2026",
      variant: "1",
    });
    rejects({ ...exposure, experiment: "hero", variant: true }, /variant must be a string or a number/);
    rejects(
      { ...exposure, experiment: "hero", variant: "x".repeat(101) },
      /variant must be at most 100 characters/,
    );
  });

  it("limits props to 20 keys of strings ≤ 200, numbers and booleans", () => {
    accepts({ ...base, props: { plan: "pro", seats: 3, annual: true } });
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i]));
    rejects({ ...base, props: many }, /props must have at most 20 keys/);
    rejects({ ...base, props: { a: "x".repeat(201) } }, /props\.a/);
    rejects({ ...base, props: { a: { nested: 1 } } }, /props\.a prop values must be/);
    rejects({ ...base, props: { a: null } }, /props\.a/);
    for (const props of [["pro"], "plan=pro", null])
      rejects({ ...base, props }, /^props must be an object of prop names to values$/);
  });

  it("never lets a props key reach the prototype", () => {
    const props = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}');
    rejects({ ...base, props }, /props prop name "__proto__" is reserved/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Other names that live on prototypes are ordinary keys of a plain data object.
    const data = accepts({ ...base, props: { constructor: "x", toString: 1 } });
    expect(data.props).toEqual({ constructor: "x", toString: 1 });
  });

  it("counts the length of strings with lone surrogates like any other", () => {
    accepts({ ...base, page_title: "a\ud800b" });
  });
});
