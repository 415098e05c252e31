// The independent checker catches every kind of false answer.
import { describe, expect, it } from "vitest";
import { checkSolution } from "./check";
import type { MatchingProblem, MatchingSolution } from "./problem";

const problem: MatchingProblem = {
  citizens: [
    { id: "a", capacityMinutes: 90 },
    { id: "b", capacityMinutes: 600 },
  ],
  occurrences: [
    { id: "o", headcount: 1 },
    { id: "p", headcount: 1 },
    { id: "q", headcount: 1 },
  ],
  pairs: [
    { citizen: "a", occurrence: "o", score: 100, loadMinutes: 60 },
    { citizen: "a", occurrence: "p", score: 100, loadMinutes: 60 },
    { citizen: "b", occurrence: "o", score: 50, loadMinutes: 60 },
    { citizen: "b", occurrence: "p", score: 50, loadMinutes: 60 },
    { citizen: "b", occurrence: "q", score: 50, loadMinutes: 60 },
  ],
  conflicts: [{ citizen: "b", occurrences: ["p", "q"] }],
  fixed: [{ citizen: "b", occurrence: "p" }],
  forbidden: [{ citizen: "b", occurrence: "o" }],
};

const solution = (assignments: [string, string][], objective: number, extra: Partial<MatchingSolution> = {}): MatchingSolution => ({
  status: "OPTIMAL",
  stoppedBy: "OPTIMAL",
  assignments: assignments.map(([citizen, occurrence]) => ({ citizen, occurrence })),
  objective,
  bound: objective,
  gap: 0,
  tolerance: 1,
  work: 0,
  components: [],
  ...extra,
});

describe("checkSolution", () => {
  it("passes a true answer", () => {
    expect(
      checkSolution(
        problem,
        solution(
          [
            ["a", "o"],
            ["b", "p"],
          ],
          150,
        ),
      ),
    ).toEqual([]);
  });

  it.each([
    [
      "an ineligible pair",
      solution(
        [
          ["a", "q"],
          ["b", "p"],
        ],
        50,
      ),
      /a\/q is not an eligible pair/,
    ],
    [
      "a forbidden pair",
      solution(
        [
          ["b", "o"],
          ["b", "p"],
        ],
        100,
      ),
      /b\/o is forbidden/,
    ],
    ["a pinned pair left out", solution([["a", "o"]], 100), /fixed pair b\/p is not kept/],
    [
      "a pair twice",
      solution(
        [
          ["a", "o"],
          ["a", "o"],
          ["b", "p"],
        ],
        250,
      ),
      /assigned twice/,
    ],
    [
      "too many on a seat",
      solution(
        [
          ["a", "p"],
          ["b", "p"],
        ],
        150,
      ),
      /occurrence p has 2 citizens for 1 seats/,
    ],
    [
      "too many minutes",
      solution(
        [
          ["a", "o"],
          ["a", "p"],
          ["b", "p"],
        ],
        250,
      ),
      /citizen a takes 120 minutes, more than their 90/,
    ],
    [
      "two of one conflict group",
      solution(
        [
          ["a", "o"],
          ["b", "p"],
          ["b", "q"],
        ],
        200,
      ),
      /citizen b has 2 occurrences of one conflict group/,
    ],
    [
      "a wrong objective",
      solution(
        [
          ["a", "o"],
          ["b", "p"],
        ],
        151,
      ),
      /objective is 150/,
    ],
    [
      "a bound below the objective",
      solution(
        [
          ["a", "o"],
          ["b", "p"],
        ],
        150,
        { bound: 140, gap: 0 },
      ),
      /bound 140 is below the objective/,
    ],
    [
      "OPTIMAL with a gap",
      solution(
        [
          ["a", "o"],
          ["b", "p"],
        ],
        150,
        { bound: 160, gap: 10 / 160 },
      ),
      /status OPTIMAL with bound - objective = 10/,
    ],
    [
      "a wrong gap",
      solution(
        [
          ["a", "o"],
          ["b", "p"],
        ],
        150,
        { bound: 160, gap: 0, status: "FEASIBLE", stoppedBy: "WORK_LIMIT" },
      ),
      /gap is 0.0625/,
    ],
    [
      "a status at odds with the stop reason",
      solution(
        [
          ["a", "o"],
          ["b", "p"],
        ],
        150,
        { stoppedBy: "WORK_LIMIT" },
      ),
      /status OPTIMAL but stopped by WORK_LIMIT/,
    ],
  ])("catches %s", (_, forged, message) => {
    expect(checkSolution(problem, forged).join("\n")).toMatch(message);
  });
});
