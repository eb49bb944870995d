import { describe, expect, it } from "vitest";
import { change, changePoints, formatShare } from "./format.ts";

describe("formatShare", () => {
  it("shows 0 % and 100 % only for none and all", () => {
    expect(formatShare(0)).toBe("0.0 %");
    expect(formatShare(1)).toBe("100.0 %");
    expect(formatShare(1 / 3000)).toBe("< 0.1 %");
    expect(formatShare(2999 / 3000)).toBe("> 99.9 %");
    expect(formatShare(0.004, 0)).toBe("< 1 %");
    expect(formatShare(0.996, 0)).toBe("> 99 %");
  });

  it("rounds every other share to its digits", () => {
    expect(formatShare(0.0005)).toBe("0.1 %");
    expect(formatShare(0.08525)).toBe("8.5 %");
    expect(formatShare(0.9994)).toBe("99.9 %");
    expect(formatShare(0.005, 0)).toBe("1 %");
    expect(formatShare(0.2768, 0)).toBe("28 %");
    expect(formatShare(null)).toBe("–");
  });
});

describe("change against the previous period", () => {
  it("says which period has no figure: none now beside a previous one is no missing previous data", () => {
    expect(change(Number.NaN, 0.05).text).toBe("no data in this period");
    expect(changePoints(Number.NaN, 0.05).text).toBe("no data in this period");
    expect(change(0.05, Number.NaN).text).toBe("no previous data");
    expect(changePoints(Number.NaN, Number.NaN).text).toBe("no previous data");
    expect(changePoints(0.06, 0.05).text).toBe("+1.0 pt vs previous period");
  });

  it("says −100 % only for a fall to none: a figure left above 0 keeps the digits that tell it apart", () => {
    expect(change(0, 5000).text).toBe("−100.0 % vs previous period");
    expect(change(2, 5000).text).toBe("−99.96 % vs previous period");
    expect(change(1, 100_000).text).toBe("−99.999 % vs previous period");
    expect(change(40, 50).text).toBe("−20.0 % vs previous period");
  });

  it("says ±0 only for no change: a change too small for one decimal keeps the digits that show it", () => {
    expect(change(5000, 5000).text).toBe("±0 % vs previous period");
    expect(change(5001, 5000).text).toBe("+0.02 % vs previous period");
    expect(change(99_999, 100_000).text).toBe("−0.001 % vs previous period");
    expect(change(100_000_001, 100_000_000).text).toBe("+0.000001 % vs previous period");
    expect(change(1_000_000_001, 1_000_000_000).text).toBe("+< 0.000001 % vs previous period");
    expect(changePoints(0.5, 0.5).text).toBe("±0 pt vs previous period");
    expect(changePoints(0.5002, 0.5).text).toBe("+0.02 pt vs previous period");
    expect(changePoints(0.4999, 0.5).text).toBe("−0.01 pt vs previous period");
    // A rate that fell from all to almost none, or rose from none to almost all, is no 100 pt change.
    expect(changePoints(0.0001, 1).text).toBe("−99.99 pt vs previous period");
    expect(changePoints(0.9999, 0).text).toBe("+99.99 pt vs previous period");
    expect(changePoints(0, 1).text).toBe("−100.0 pt vs previous period");
    // Rounding alone (0.1 + 0.2 is 0.30000000000000004) is no change.
    expect(change(0.1 + 0.2, 0.3).text).toBe("±0 % vs previous period");
    expect(changePoints(0.1 + 0.2, 0.3).text).toBe("±0 pt vs previous period");
  });
});
