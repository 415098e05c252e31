// The problem parser: every kind of bad input gets one clear issue (or several), never a crash,
// and pinned pairs that cannot all be kept are named with the constraint they break.
import { describe, expect, it } from "vitest";
import { parseOptions, parseProblem, ProblemError, type ProblemIssue } from "./problem";

const valid = () => ({
  citizens: [
    { id: "a", capacityMinutes: 120 },
    { id: "b", capacityMinutes: 60 },
  ],
  occurrences: [
    { id: "o", headcount: 1 },
    { id: "p", headcount: 1 },
  ],
  pairs: [
    { citizen: "a", occurrence: "o", score: 100, loadMinutes: 60 },
    { citizen: "a", occurrence: "p", score: 90, loadMinutes: 60 },
    { citizen: "b", occurrence: "o", score: 80, loadMinutes: 60 },
  ],
});

function issuesOf(input: unknown): ProblemIssue[] {
  try {
    parseProblem(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemError);
    return (error as ProblemError).issues;
  }
  throw new Error("accepted");
}

describe("parseProblem", () => {
  it("accepts a valid problem as it is", () => {
    expect(parseProblem(valid())).toEqual(valid());
  });

  it.each([
    ["null", null, "", /expected an object, got null/],
    ["an empty object", {}, "citizens", /expected a list, got nothing/],
    ["a list", [], "", /expected an object, got a list/],
    ["a number as text", { ...valid(), citizens: [{ id: "a", capacityMinutes: "60" }] }, "citizens[0].capacityMinutes", /finite number, got the text "60"/],
    [
      "an infinite number (1e999 in JSON)",
      { ...valid(), pairs: [{ citizen: "a", occurrence: "o", score: Number.POSITIVE_INFINITY, loadMinutes: 1 }] },
      "pairs[0].score",
      /finite number/,
    ],
    ["NaN", { ...valid(), pairs: [{ citizen: "a", occurrence: "o", score: 1, loadMinutes: Number.NaN }] }, "pairs[0].loadMinutes", /finite number/],
    ["a negative load", { ...valid(), pairs: [{ citizen: "a", occurrence: "o", score: 1, loadMinutes: -1 }] }, "pairs[0].loadMinutes", /must be >=0/],
    ["a fractional headcount", { ...valid(), occurrences: [{ id: "o", headcount: 1.5 }] }, "occurrences[0].headcount", /whole number/],
    ["a score beyond the cap", { ...valid(), pairs: [{ citizen: "a", occurrence: "o", score: 1e300, loadMinutes: 1 }] }, "pairs[0].score", /must be <=/],
    ["an unknown field", { ...valid(), pair: [] }, "", /unknown field "pair"/],
    ["an unknown backend", { ...valid(), options: { backend: "magic" } }, "options.backend", /must be one of/],
    ["a time limit as text", { ...valid(), options: { timeLimitSeconds: "10" } }, "options.timeLimitSeconds", /finite number/],
    ["a zero time limit", { ...valid(), options: { timeLimitSeconds: 0 } }, "options.timeLimitSeconds", /must be >0/],
    ["a fractional work limit", { ...valid(), options: { workLimit: 1.5 } }, "options.workLimit", /whole number/],
  ])("refuses %s", (_, input, path, message) => {
    const issues = issuesOf(input);
    expect(issues.map((i) => i.path)).toContain(path);
    expect(issues.find((i) => i.path === path)!.message).toMatch(message);
  });

  it("refuses duplicates and unknown ids, listing each", () => {
    const issues = issuesOf({
      ...valid(),
      citizens: [...valid().citizens, { id: "a", capacityMinutes: 1 }],
      pairs: [
        ...valid().pairs,
        { citizen: "a", occurrence: "o", score: 1, loadMinutes: 1 },
        { citizen: "zed", occurrence: "nowhere", score: 1, loadMinutes: 1 },
      ],
      conflicts: [{ citizen: "a", occurrences: ["o", "gone"] }],
      fixed: [{ citizen: "b", occurrence: "p" }],
    });
    expect(issues.map((i) => i.code).sort()).toEqual(["DUPLICATE", "DUPLICATE", "UNKNOWN_ID", "UNKNOWN_ID", "UNKNOWN_ID", "UNKNOWN_ID"]);
    expect(issues.map((i) => i.message)).toContain("b/p is not an eligible pair");
  });

  it("refuses a pair both fixed and forbidden", () => {
    const issues = issuesOf({ ...valid(), fixed: [{ citizen: "a", occurrence: "o" }], forbidden: [{ citizen: "a", occurrence: "o" }] });
    expect(issues).toEqual([
      { code: "FIXED_AND_FORBIDDEN", path: "fixed[0]", message: "a/o is both fixed and forbidden", pairs: [{ citizen: "a", occurrence: "o" }] },
    ]);
  });

  it("names the constraint and the pairs when pinned pairs cannot all be kept", () => {
    const overHeadcount = issuesOf({
      ...valid(),
      fixed: [
        { citizen: "a", occurrence: "o" },
        { citizen: "b", occurrence: "o" },
      ],
    });
    expect(overHeadcount).toEqual([
      expect.objectContaining({
        code: "FIXED_OVER_HEADCOUNT",
        pairs: [
          { citizen: "a", occurrence: "o" },
          { citizen: "b", occurrence: "o" },
        ],
      }),
    ]);
    const overCapacity = issuesOf({
      ...valid(),
      citizens: [
        { id: "a", capacityMinutes: 100 },
        { id: "b", capacityMinutes: 60 },
      ],
      fixed: [
        { citizen: "a", occurrence: "o" },
        { citizen: "a", occurrence: "p" },
      ],
    });
    expect(overCapacity).toEqual([
      expect.objectContaining({ code: "FIXED_OVER_CAPACITY", message: "the pairs fixed for citizen a take 120 minutes, more than their 100" }),
    ]);
    const conflict = issuesOf({
      ...valid(),
      conflicts: [{ citizen: "a", occurrences: ["o", "p"] }],
      fixed: [
        { citizen: "a", occurrence: "o" },
        { citizen: "a", occurrence: "p" },
      ],
    });
    expect(conflict).toEqual([expect.objectContaining({ code: "FIXED_CONFLICT", path: "conflicts[0]" })]);
  });

  it("checks options on their own too", () => {
    expect(parseOptions({ timeLimitSeconds: 5, backend: "greedy" })).toEqual({ timeLimitSeconds: 5, backend: "greedy" });
    expect(() => parseOptions({ relativeGap: -1 })).toThrow(ProblemError);
    expect(() => parseOptions({ speed: "fast" })).toThrow(/unknown field "speed"/);
  });
});
