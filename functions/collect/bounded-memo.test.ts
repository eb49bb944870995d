import { describe, expect, it } from "vitest";
import { boundedMemo } from "./bounded-memo.ts";

describe("boundedMemo", () => {
  it("derives each key once while it is remembered, undefined and null answers included", () => {
    const derived: string[] = [];
    const memo = boundedMemo(10, (key) => {
      derived.push(key);
      return key === "none" ? undefined : key === "null" ? null : key.length;
    });
    expect([memo("abc"), memo("abc"), memo("none"), memo("none"), memo("null"), memo("null")]).toEqual([
      3,
      3,
      undefined,
      undefined,
      null,
      null,
    ]);
    expect(derived).toEqual(["abc", "none", "null"]);
  });

  it("holds at most `limit` keys: past it, earlier keys are derived again", () => {
    const derived: string[] = [];
    const memo = boundedMemo(3, (key) => {
      derived.push(key);
      return key.toUpperCase();
    });
    for (const key of ["a", "b", "c"]) memo(key);
    expect(memo("a")).toBe("A");
    expect(derived).toEqual(["a", "b", "c"]);
    expect(memo("d")).toBe("D"); // a fourth key: the memo starts over with it
    expect(memo("d")).toBe("D");
    expect(memo("a")).toBe("A");
    expect(derived).toEqual(["a", "b", "c", "d", "a"]);
  });

  it("treats keys that name Object.prototype members as plain keys", () => {
    const memo = boundedMemo(5, (key) => `[${key}]`);
    expect(memo("__proto__")).toBe("[__proto__]");
    expect(memo("constructor")).toBe("[constructor]");
    expect(memo("__proto__")).toBe("[__proto__]");
  });
});
