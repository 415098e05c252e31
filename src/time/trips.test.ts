import { describe, expect, it } from "vitest";
import { overlapsWithTravel, tripMinutes } from "./trips";

const H = 3_600_000;
const at = (startHour: number, endHour: number, municipalityId: string | null) => ({ start: startHour * H, end: endHour * H, municipalityId });
// Grosseto to Follonica 45 minutes, Follonica to Grosseto 50 (routes need not be symmetric).
const ROUTES: Record<string, number> = { "gr|fo": 45, "fo|gr": 50 };
const travel = (from: string, to: string) => ROUTES[`${from}|${to}`];

describe("overlapsWithTravel", () => {
  it("counts the trip from the first place to the second, in the direction travelled", () => {
    expect(overlapsWithTravel(at(9, 10, "gr"), at(10.5, 11, "fo"), travel)).toBe(true); // 45 minutes do not fit in 30
    expect(overlapsWithTravel(at(9, 10, "gr"), at(10.75, 11, "fo"), travel)).toBe(false); // they fit exactly
    expect(overlapsWithTravel(at(10.75, 11, "fo"), at(9, 10, "gr"), travel)).toBe(false); // either order
    expect(overlapsWithTravel(at(9, 10, "fo"), at(10.75, 11, "gr"), travel)).toBe(true); // 50 minutes the other way
  });

  it("needs no trip for the same town, a remote task or an unknown route; times that overlap always clash", () => {
    expect(overlapsWithTravel(at(9, 10, "gr"), at(10, 11, "gr"), travel)).toBe(false);
    expect(overlapsWithTravel(at(9, 10, null), at(10, 11, "fo"), travel)).toBe(false);
    expect(overlapsWithTravel(at(9, 10, "gr"), at(10, 11, "xx"), travel)).toBe(false);
    expect(overlapsWithTravel(at(9, 11, null), at(10, 12, null), travel)).toBe(true);
    expect(tripMinutes("gr", "fo", travel)).toBe(45);
  });
});
