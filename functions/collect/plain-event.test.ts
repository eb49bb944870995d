// The plain check may only take a shortcut: whatever it accepts, the schema accepts with the same
// result, and it accepts every valid event without props whose referrer zod leaves unchanged.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EVENT_TYPES, wireEventSchema } from "./event.ts";
import { plainWireEvent } from "./plain-event.ts";

type Item = Record<string, unknown>;

const BASES: Item[] = EVENT_TYPES.map((event_type) => ({
  event_type,
  event_id: "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
  session_id: "session_0001",
  event_ts: "2026-01-01T01:00:00.000Z",
  page_path: "/",
  ...(event_type === "scroll_depth" ? { scroll_pct: 50 } : {}),
  ...(event_type === "time_on_page" ? { seconds: 30 } : {}),
  ...(event_type === "experiment_exposure" ? { experiment: "hero", variant: "b" } : {}),
  ...(event_type === "custom" ? { name: "signup" } : {}),
}));

/** Every length at or next to a limit of the contract. */
const LENGTHS = [
  0, 1, 7, 8, 9, 34, 35, 36, 49, 50, 51, 63, 64, 65, 99, 100, 101, 199, 200, 201, 299, 300, 301, 1999, 2000,
  2001,
];
const OFF_TYPE = [null, true, 0, 1.5, -1, "", [], {}, ["x"], { a: 1 }];
const strings = (prefix = "") =>
  LENGTHS.map((n) => (prefix + "a".repeat(n)).slice(0, Math.max(n, prefix.length)));
const integers = [
  -1,
  -0,
  0,
  1,
  0.5,
  24,
  25,
  26,
  50,
  75,
  100,
  19_999,
  20_000,
  20_001,
  604_799,
  604_800,
  604_801,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  1e21,
  "25",
];

const PROBES: Record<string, unknown[]> = {
  event_type: [...EVENT_TYPES, "click", "Page_View", "page_view "],
  event_id: [
    "3F2504E0-4F89-41D3-9A0C-0305E82C3301",
    "00000000-0000-0000-0000-000000000000",
    "3f2504e0-4f89-41d3-9a0c-0305e82c330",
    "3f2504e0-4f89-41d3-9a0c-0305e82c33011",
    "3f2504e04f8941d39a0c0305e82c3301",
    "{3f2504e0-4f89-41d3-9a0c-0305e82c3301}",
    "3f2504e0-4f89-41d3-9a0c-0305e82c330g",
  ],
  session_id: [...strings(), "with space1", "ünïcode_ok", "abc/defgh", "Ab_-0123456789"],
  visitor_id: [...strings(), "with space1", "Ab_-0123456789"],
  event_ts: [
    "2026-01-01T01:00:00Z",
    "2026-01-01T01:00:00+01:00",
    "2026-01-01T01:00:00.1234567-05:30",
    "2026-01-01T01:00:00",
    "2026-01-01 01:00:00Z",
    "2026-01-01",
    "2025-02-29T00:00:00Z",
    "2024-02-29T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01T23:59:60Z",
    "2026-01-01T01:00:00+24:00",
    "2026-01-01T01:00:00+0100",
    "2026-01-01t01:00:00z",
    "-002026-01-01T01:00:00Z",
  ],
  page_path: [...strings("/"), "", "relative", "/a?b=c#d", " /lead", "/ünïcode"],
  page_title: strings(),
  referrer: [
    ...strings("https://example.com/"),
    "https://www.google.com/search?q=x",
    "android-app://com.google.android.gm/",
    "not a url",
    "example.com",
    " https://example.com/",
    "https://example.com/ ",
    "https://exa\tmple.com/",
    "https://example.com/\n",
    "http:example.com",
    "mailto:someone@example.com",
    "https://",
  ],
  utm_source: strings(),
  utm_medium: strings(),
  utm_campaign: strings(),
  utm_term: strings(),
  utm_content: strings(),
  screen_width: integers,
  screen_height: integers,
  viewport_width: integers,
  language: strings(),
  timezone: strings(),
  scroll_pct: integers,
  seconds: integers,
  element: strings(),
  experiment: strings(),
  variant: strings(),
  name: strings(),
  props: [{}, { plan: "pro" }, { n: 1, ok: true }],
};

/** zod leaves a referrer unchanged when there is nothing to trim and no tab or newline. */
const zodKeepsReferrer = (referrer: unknown) =>
  typeof referrer !== "string" || (referrer.trim() === referrer && !/[\t\n\r]/.test(referrer));

function expectSameAnswer(item: Item): void {
  const plain = plainWireEvent(item);
  const parsed = wireEventSchema.safeParse(item);
  const label = JSON.stringify(item);
  if (plain !== undefined) {
    expect(parsed.success, label).toBe(true);
    expect(plain, label).toEqual(parsed.data);
  } else if (parsed.success && item.props === undefined && zodKeepsReferrer(item.referrer)) {
    expect.fail(`the plain check declined an event the schema accepts: ${label}`);
  }
}

describe("plainWireEvent", () => {
  it("knows every field of the contract", () => {
    const full = { ...Object.fromEntries(Object.keys(PROBES).map((k) => [k, undefined])), ...BASES[0] };
    expect(Object.keys(PROBES).sort()).toEqual(Object.keys(wireEventSchema.shape).sort());
    expect(Object.keys(plainWireEvent(full as Item) ?? {}).sort()).toEqual(
      Object.keys(wireEventSchema.shape).sort(),
    );
  });

  it("agrees with the schema on every probe of every field, for every event type", () => {
    let accepted = 0;
    for (const base of BASES)
      for (const [field, values] of Object.entries(PROBES))
        for (const value of [undefined, ...values, ...OFF_TYPE]) {
          const item = { ...base, [field]: value };
          expectSameAnswer(item);
          if (plainWireEvent(item)) accepted++;
        }
    expect(accepted).toBeGreaterThan(1_000);
  });

  it("strips unknown fields, as the schema does", () => {
    const item = {
      ...BASES[0],
      ip: "1.2.3.4",
      user_agent: "x",
      cookie: "a=b",
      ["__proto__"]: { polluted: true },
    };
    const plain = plainWireEvent(JSON.parse(JSON.stringify(item)) as Item);
    expect(plain).toBeDefined();
    expect(Object.keys(plain ?? {})).not.toContain("ip");
    expectSameAnswer(JSON.parse(JSON.stringify(item)) as Item);
  });

  it("agrees with the schema on random events", () => {
    const value = fc.oneof(
      fc.constantFrom(...Object.values(PROBES).flat(), ...OFF_TYPE),
      fc.string({ maxLength: 70 }),
      fc.integer({ min: -5, max: 30_000 }),
      fc.anything({ maxDepth: 1 }),
    );
    const fields = fc.dictionary(fc.constantFrom(...Object.keys(PROBES)), value, { maxKeys: 8 });
    fc.assert(
      fc.property(fc.constantFrom(...BASES), fields, (base, changes) =>
        expectSameAnswer({ ...base, ...changes }),
      ),
      { numRuns: 5_000 },
    );
  });
});
