// The in-process schedule's clock: wall-clock hours in Rome, across daylight-saving changes.
import { describe, expect, it } from "vitest";
import { untilNextLocalHour } from "../time/local-time";

const at = (iso: string, ms: number) => new Date(new Date(iso).getTime() + ms).toISOString();

describe("untilNextLocalHour", () => {
  it("finds the next 07:00 in Rome, today or tomorrow", () => {
    expect(at("2026-11-22T05:00:00Z", untilNextLocalHour(new Date("2026-11-22T05:00:00Z"), 7))).toBe("2026-11-22T06:00:00.000Z");
    expect(at("2026-11-22T06:00:00Z", untilNextLocalHour(new Date("2026-11-22T06:00:00Z"), 7))).toBe("2026-11-23T06:00:00.000Z");
  });

  it("finds next Monday 08:00 across the spring and autumn changes", () => {
    // Saturday 27 March 2027, before the clocks go forward: Monday 08:00 is CEST (+02:00).
    expect(at("2027-03-27T08:30:00Z", untilNextLocalHour(new Date("2027-03-27T08:30:00Z"), 8, 1))).toBe("2027-03-29T06:00:00.000Z");
    // Saturday 30 October 2027, before they go back: Monday 08:00 is CET (+01:00).
    expect(at("2027-10-30T08:30:00Z", untilNextLocalHour(new Date("2027-10-30T08:30:00Z"), 8, 1))).toBe("2027-11-01T07:00:00.000Z");
  });
});
