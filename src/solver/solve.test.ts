// The optimiser against brute force on small random instances, and one test per hard constraint.
import { describe, expect, it } from "vitest";
import { seededRandom } from "../random";
import { decompose, objectiveOf, violations } from "./model";
import { ProblemError, type MatchingProblem } from "./problem";
import { solveMatching } from "./solve";

function randomInstance(seed: number, citizens = 4, occurrences = 4, density = 0.6): MatchingProblem {
  const random = seededRandom(seed);
  const problem: MatchingProblem = {
    citizens: Array.from({ length: citizens }, (_, i) => ({ id: `c${i}`, capacityMinutes: random.pick([60, 120, 180, 240]) })),
    occurrences: Array.from({ length: occurrences }, (_, i) => ({ id: `o${i}`, headcount: random.int(1, 2) })),
    pairs: [],
    conflicts: [],
    fairness: [{ aboveMinutes: 60, weightPerMinute: random.pick([0, 0.05, 0.2]) }],
  };
  for (const c of problem.citizens) for (const o of problem.occurrences) {
    if (random.chance(density)) problem.pairs.push({ citizen: c.id, occurrence: o.id, score: 100 + random.int(0, 40), loadMinutes: random.pick([60, 90, 120]) });
  }
  for (const c of problem.citizens) if (random.chance(0.5)) problem.conflicts!.push({ citizen: c.id, occurrences: ["o0", "o1"] });
  return problem;
}

/** The best objective over every subset of pairs that keeps the constraints. */
function bruteForce(problem: MatchingProblem): number {
  let best = 0;
  for (const component of decompose(problem)) {
    let componentBest = Number.NEGATIVE_INFINITY;
    const n = component.pairs.length;
    for (let mask = 0; mask < 1 << n; mask += 1) {
      const chosen = component.pairs.map((_, i) => Boolean(mask & (1 << i)));
      if (violations(component, chosen).length === 0) componentBest = Math.max(componentBest, objectiveOf(component, chosen));
    }
    best += componentBest;
  }
  return best;
}

describe("optimiser", () => {
  it("finds the brute-force optimum with every exact backend, and the heuristic ones never beat it", async () => {
    for (let seed = 1; seed <= 25; seed += 1) {
      const problem = randomInstance(seed);
      if (problem.pairs.length > 14) continue;
      const optimum = bruteForce(problem);
      for (const backend of ["highs", "lp-solver", "auto"] as const) {
        const solution = await solveMatching({ ...problem, options: { backend } });
        expect(solution.objective, `seed ${seed} ${backend}`).toBeCloseTo(optimum, 6);
        expect(solution.status).toBe("OPTIMAL");
        expect(solution.gap).toBeLessThan(1e-6);
      }
      // The heuristic backends give a valid answer no better than the optimum, and a bound no lower.
      for (const backend of ["greedy", "highs-lp-fix"] as const) {
        const heuristic = await solveMatching({ ...problem, options: { backend } });
        expect(heuristic.objective, `seed ${seed} ${backend}`).toBeLessThanOrEqual(optimum + 1e-9);
        expect(heuristic.bound, `seed ${seed} ${backend}`).toBeGreaterThanOrEqual(optimum - 1e-6);
      }
    }
  });

  it("never exceeds an occurrence's headcount", async () => {
    const solution = await solveMatching({
      citizens: [{ id: "a", capacityMinutes: 600 }, { id: "b", capacityMinutes: 600 }, { id: "c", capacityMinutes: 600 }],
      occurrences: [{ id: "o", headcount: 2 }],
      pairs: ["a", "b", "c"].map((citizen) => ({ citizen, occurrence: "o", score: 100, loadMinutes: 60 })),
    });
    expect(solution.assignments).toHaveLength(2);
  });

  it("never exceeds a citizen's capacity", async () => {
    const solution = await solveMatching({
      citizens: [{ id: "a", capacityMinutes: 150 }],
      occurrences: [{ id: "o1", headcount: 1 }, { id: "o2", headcount: 1 }, { id: "o3", headcount: 1 }],
      pairs: ["o1", "o2", "o3"].map((occurrence) => ({ citizen: "a", occurrence, score: 100, loadMinutes: 60 })),
    });
    expect(solution.assignments).toHaveLength(2);
  });

  it("never gives a citizen two occurrences of a conflict group", async () => {
    const solution = await solveMatching({
      citizens: [{ id: "a", capacityMinutes: 600 }],
      occurrences: [{ id: "o1", headcount: 1 }, { id: "o2", headcount: 1 }],
      pairs: [{ citizen: "a", occurrence: "o1", score: 100, loadMinutes: 60 }, { citizen: "a", occurrence: "o2", score: 120, loadMinutes: 60 }],
      conflicts: [{ citizen: "a", occurrences: ["o1", "o2"] }],
    });
    expect(solution.assignments).toEqual([{ citizen: "a", occurrence: "o2" }]);
  });

  it("keeps pinned pairs even when another choice scores more, and never uses forbidden ones", async () => {
    const problem: MatchingProblem = {
      citizens: [{ id: "a", capacityMinutes: 600 }, { id: "b", capacityMinutes: 600 }],
      occurrences: [{ id: "o", headcount: 1 }, { id: "p", headcount: 1 }],
      pairs: [
        { citizen: "a", occurrence: "o", score: 200, loadMinutes: 60 },
        { citizen: "b", occurrence: "o", score: 100, loadMinutes: 60 },
        { citizen: "a", occurrence: "p", score: 150, loadMinutes: 60 },
      ],
      fixed: [{ citizen: "b", occurrence: "o" }],
      forbidden: [{ citizen: "a", occurrence: "p" }],
    };
    for (const backend of ["highs", "lp-solver", "greedy"] as const) {
      const solution = await solveMatching({ ...problem, options: { backend } });
      expect(solution.assignments, backend).toEqual([{ citizen: "b", occurrence: "o" }]);
    }
  });

  it("spreads hours when the fairness penalty is convex", async () => {
    const problem: MatchingProblem = {
      citizens: [{ id: "busy", capacityMinutes: 600 }, { id: "free", capacityMinutes: 600 }],
      occurrences: [{ id: "o1", headcount: 1 }, { id: "o2", headcount: 1 }],
      pairs: [
        { citizen: "busy", occurrence: "o1", score: 110, loadMinutes: 120 },
        { citizen: "busy", occurrence: "o2", score: 110, loadMinutes: 120 },
        { citizen: "free", occurrence: "o1", score: 100, loadMinutes: 120 },
        { citizen: "free", occurrence: "o2", score: 100, loadMinutes: 120 },
      ],
    };
    const unfair = await solveMatching(problem);
    expect(unfair.assignments.every((a) => a.citizen === "busy")).toBe(true);
    const fair = await solveMatching({ ...problem, fairness: [{ aboveMinutes: 120, weightPerMinute: 0.5 }] });
    expect(new Set(fair.assignments.map((a) => a.citizen))).toEqual(new Set(["busy", "free"]));
  });

  it("is deterministic and splits independent parts into components", async () => {
    const problem = randomInstance(7, 12, 10, 0.25);
    const first = await solveMatching(problem);
    const second = await solveMatching(problem);
    expect({ ...second, timeMs: 0, components: second.components.map((c) => ({ ...c, timeMs: 0 })) }).toEqual({ ...first, timeMs: 0, components: first.components.map((c) => ({ ...c, timeMs: 0 })) });
    expect(first.components.reduce((sum, c) => sum + c.pairs, 0)).toBe(problem.pairs.length);
  });

  it("refuses a malformed problem with a clear error", async () => {
    await expect(solveMatching({ citizens: [], occurrences: [], pairs: [{ citizen: "x", occurrence: "y", score: 1, loadMinutes: 1 }] })).rejects.toThrow(ProblemError);
    await expect(solveMatching({ citizens: [{ id: "a", capacityMinutes: -1 }], occurrences: [], pairs: [] })).rejects.toThrow(/capacityMinutes/);
  });
});
