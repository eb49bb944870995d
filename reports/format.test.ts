import { describe, expect, it } from "vitest";
import { formatShare } from "./format.ts";

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
