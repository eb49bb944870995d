import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wireEventSchema } from "./event.ts";
import { toUtcIso } from "./utc-time.ts";

const viaDate = (time: string) => new Date(time).toISOString();
const validTime = (time: string) => wireEventSchema.shape.event_ts.safeParse(time).success;

describe("toUtcIso", () => {
  it("converts offsets, missing milliseconds and long fractions to UTC with milliseconds", () => {
    expect(toUtcIso("2026-03-01T10:00:00+02:00")).toBe("2026-03-01T08:00:00.000Z");
    expect(toUtcIso("2026-03-01T05:30:00-04:00")).toBe("2026-03-01T09:30:00.000Z");
    expect(toUtcIso("2026-03-01T10:00:00Z")).toBe("2026-03-01T10:00:00.000Z");
    expect(toUtcIso("2026-03-01T10:00:00.5Z")).toBe("2026-03-01T10:00:00.500Z");
    expect(toUtcIso("2026-03-01T10:00:00.123456Z")).toBe("2026-03-01T10:00:00.123Z");
    expect(toUtcIso("2024-02-29T23:59:59.999+00:00")).toBe("2024-02-29T23:59:59.999Z");
  });

  it("answers as parsing and formatting does, for every time the contract accepts", () => {
    const instant = fc.date({
      min: new Date("0000-01-01T00:00:00Z"),
      max: new Date("9999-12-31T23:59:59.999Z"),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instant, (date) => {
        const canonical = date.toISOString();
        expect(validTime(canonical)).toBe(true);
        expect(toUtcIso(canonical)).toBe(viaDate(canonical));
      }),
      { numRuns: 2_000 },
    );
    for (const time of [
      "2024-02-29T00:00:00.000Z",
      "2000-02-29T12:00:00.000Z",
      "0000-01-01T00:00:00.000Z",
      "9999-12-31T23:59:59.999Z",
      "2026-12-31T23:59:59.999Z",
    ]) {
      expect(validTime(time)).toBe(true);
      expect(toUtcIso(time)).toBe(viaDate(time));
    }
  });
});
