import { describe, expect, it } from "vitest";
import { summarizeRun } from "./run-summary.model";

const problem = {
  occurrences: [
    { id: "o1", headcount: 2, start: "2026-11-23T09:00:00.000Z", end: "2026-11-23T11:00:00.000Z" },
    { id: "o2", headcount: 1 },
  ],
  pairs: [
    { citizen: "c1", occurrence: "o1", score: 10, loadMinutes: 120 },
    { citizen: "c2", occurrence: "o1", score: 8, loadMinutes: 150 },
    { citizen: "c1", occurrence: "o2", score: 5, loadMinutes: 60 },
  ],
};
const compiled = { ineligiblePins: [{ citizen: "c2", occurrence: "o2", reasons: ["NO_SKILL"] }] };

describe("summarizeRun", () => {
  it("keeps what the run's fields show, with the minutes of the proposed pairs only, in the input's order", () => {
    const summary = summarizeRun(problem, compiled, {
      assignments: [
        { citizen: "c1", occurrence: "o2" },
        { citizen: "c1", occurrence: "o1" },
      ] as never,
    });
    expect(summary).toEqual({
      occurrences: [
        { id: "o1", headcount: 2, start: "2026-11-23T09:00:00.000Z" },
        { id: "o2", headcount: 1 },
      ],
      ineligiblePins: compiled.ineligiblePins,
      loads: [
        ["c1", "o1", 120],
        ["c1", "o2", 60],
      ],
    });
  });

  it("has no minutes before the run is solved", () => {
    expect(summarizeRun(problem, compiled, null).loads).toEqual([]);
    expect(summarizeRun(problem, compiled, { assignments: [] } as never).loads).toEqual([]);
  });
});
