// When a bound proves an answer optimal: the objective's step from the input's decimals, bounds
// rounded down to it, and the tolerance where there is no exact step.
import { describe, expect, it } from "vitest";
import { decimalsOf, isProvenOptimal, objectiveResolution, reportedBound } from "./tolerance";

const pairs = (scores: number[], load = 60) => scores.map((score, i) => ({ citizen: "c", occurrence: `o${i}`, score, loadMinutes: load }));

describe("objective resolution", () => {
  it("counts decimals", () => {
    expect([0, 7, 1000.5, 0.25, 0.05, 999.99, 1e-6, 1 / 3, 1e9 + 0.5].map(decimalsOf)).toEqual([0, 0, 1, 2, 2, 2, 6, null, 1]);
  });

  it("is 1 for whole scores, and follows the fairness weights times the minutes", () => {
    expect(objectiveResolution({ pairs: pairs([1000, 1040]) })).toEqual({ step: 1, tolerance: 1 });
    expect(objectiveResolution({ pairs: pairs([1000, 1040]), fairness: [{ aboveMinutes: 120, weightPerMinute: 0.05 }] }).step).toBeCloseTo(0.01, 12);
    expect(objectiveResolution({ pairs: pairs([1000], 30.5), fairness: [{ aboveMinutes: 120, weightPerMinute: 0.05 }] }).step).toBeCloseTo(0.001, 12);
    expect(objectiveResolution({ pairs: pairs([1000.5]), fairness: [{ aboveMinutes: 120, weightPerMinute: 0 }] }).step).toBeCloseTo(0.1, 12);
  });

  it("falls back to a small absolute tolerance when the decimals are not exact", () => {
    expect(objectiveResolution({ pairs: pairs([1 / 3, 1]) })).toEqual({ step: null, tolerance: 1e-6 });
    // Scores so large that steps of 1e-6 are beyond double precision.
    expect(objectiveResolution({ pairs: pairs([1e9 + 0.000001, 1e9]) }).step).toBeNull();
  });
});

describe("reported bound", () => {
  const exact = { step: 1, tolerance: 1 };
  it("rounds a bound down to the lattice, with a slack for floating-point error", () => {
    expect(reportedBound(10.6, 10, exact)).toBe(10);
    expect(reportedBound(10.999999999, 10, exact)).toBe(11);
    expect(reportedBound(12.2, 10, exact)).toBe(12);
    expect(reportedBound(Number.POSITIVE_INFINITY, 10, exact)).toBe(Number.POSITIVE_INFINITY);
  });

  it("refuses a bound below the objective instead of clamping it", () => {
    expect(reportedBound(9.5, 10, exact)).toBeNull();
    expect(reportedBound(9, 10, { step: null, tolerance: 1e-6 })).toBeNull();
  });

  it("calls optimal only a bound within the tolerance", () => {
    expect(isProvenOptimal(10, 10, exact)).toBe(true);
    expect(isProvenOptimal(11, 10, exact)).toBe(false);
    const tenth = { step: 0.1, tolerance: 0.1 };
    // 10.1 - 10 is 0.0999... in floating point: still one step, not optimal.
    expect(isProvenOptimal(10.1, 10, tenth)).toBe(false);
    expect(isProvenOptimal(10 + 5e-7, 10, { step: null, tolerance: 1e-6 })).toBe(true);
  });
});
