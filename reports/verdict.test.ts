import { describe, expect, it } from "vitest";
import { experimentVerdict, type VariantResult } from "./verdict.ts";

const control: VariantResult = {
  variant: "control",
  is_control: true,
  sessions: 1000,
  conversions: 100,
  conversion_rate: 0.1,
  uplift: 0,
  p_value: null,
  prob_best: 0.014,
  srm_p_value: 0.8,
};

describe("experiment verdict", () => {
  it("gives no verdict for an experiment of more variants than the mart scores (prob_best NULL)", () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      ...control,
      variant: `v${i}`,
      is_control: i === 0,
      prob_best: null,
    }));
    expect(experimentVerdict(many)).toBe(
      "no verdict: 60 variants are more than an experiment is scored for (50); a page that names its variants by an id or a price runs no A/B test",
    );
  });

  it("names a significant winner with its uplift and probability to be best", () => {
    const b = {
      ...control,
      variant: "B",
      is_control: false,
      conversions: 114,
      conversion_rate: 0.114,
      uplift: 0.14,
      p_value: 0.01,
      prob_best: 0.986,
    };
    expect(experimentVerdict([control, b])).toBe(
      "B converts 14 % better; 98.6 % likely best; significant at 5 %",
    );
  });

  it("gives a tiny significant difference finer than a whole percent, never as 0 % better or worse", () => {
    const huge = { ...control, sessions: 10_000_000, conversions: 1_000_000 };
    const b = { ...huge, variant: "B", is_control: false, uplift: 0.004, p_value: 0.001, prob_best: 0.999 };
    expect(experimentVerdict([{ ...huge, prob_best: 0.001 }, b])).toBe(
      "B converts 0.4 % better; 99.9 % likely best; significant at 5 %",
    );
    const c = { ...b, variant: "C", uplift: -0.0004, prob_best: 0.0001 };
    expect(experimentVerdict([{ ...huge, prob_best: 0.9999 }, c])).toBe(
      "control converts best (C < 0.1 % worse); > 99.9 % likely best; significant at 5 %",
    );
  });

  it("never rounds a near-certainty up to 100 %", () => {
    const b = {
      ...control,
      variant: "B",
      is_control: false,
      uplift: 0.67,
      p_value: 0.0001,
      prob_best: 0.99999,
    };
    expect(experimentVerdict([control, b])).toBe(
      "B converts 67 % better; > 99.9 % likely best; significant at 5 %",
    );
  });

  it("says there is not enough evidence when the leader is not significant", () => {
    const b = { ...control, variant: "B", is_control: false, uplift: 0.03, p_value: 0.4, prob_best: 0.7 };
    expect(experimentVerdict([{ ...control, prob_best: 0.3 }, b])).toBe(
      "not enough evidence yet (B leads; 70.0 % likely best)",
    );
  });

  it("says there is not enough evidence with too few sessions", () => {
    const b = { ...control, variant: "B", is_control: false, sessions: 10, p_value: 0.01, prob_best: 0.99 };
    expect(experimentVerdict([control, b])).toMatch(/^not enough evidence yet/);
  });

  it("reports a control that beats every variant significantly", () => {
    const b = { ...control, variant: "B", is_control: false, uplift: -0.2, p_value: 0.001, prob_best: 0.001 };
    expect(experimentVerdict([{ ...control, prob_best: 0.999 }, b])).toBe(
      "control converts best (B 20 % worse); 99.9 % likely best; significant at 5 %",
    );
  });

  it("gives no winner when the visitors are not split as intended: the split itself is broken", () => {
    const split = { srm_p_value: 0.0004 };
    const b = {
      ...control,
      ...split,
      variant: "B",
      is_control: false,
      sessions: 1100,
      uplift: 0.5,
      p_value: 0.0001,
      prob_best: 0.999,
    };
    expect(experimentVerdict([{ ...control, ...split }, b])).toBe(
      "no verdict: the visitors are not split as intended (sample ratio p < 0.001); look for a fault in the assignment or the tracking of a variant",
    );
  });

  it("names a broken split before waiting for sessions: a variant that is barely tracked never fills up", () => {
    const split = { srm_p_value: 0.00001 };
    const b = {
      ...control,
      ...split,
      variant: "B",
      is_control: false,
      sessions: 12,
      conversions: 2,
      conversion_rate: 0.17,
    };
    expect(experimentVerdict([{ ...control, ...split }, b])).toMatch(
      /^no verdict: the visitors are not split as intended/,
    );
  });

  it("names no leader while no variant has converted: equal zero rates are no lead", () => {
    const none = { ...control, conversions: 0, conversion_rate: 0 };
    const b = {
      ...none,
      variant: "B",
      is_control: false,
      sessions: 1020,
      uplift: null,
      p_value: 1,
      prob_best: 0.49,
    };
    expect(experimentVerdict([{ ...none, prob_best: 0.51 }, b])).toBe(
      "not enough evidence yet: no variant has a conversion yet",
    );
  });
});
