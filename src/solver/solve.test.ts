// The optimiser: one test per hard constraint, the cases an outside review found, and the
// budget: what stops a search is said, and the answer is the same for the same input.
import { describe, expect, it } from "vitest";
import { bruteForce } from "./brute-force";
import { checkSolution } from "./check";
import { generateInstance } from "./instances";
import { improveByMoves } from "./greedy";
import { decompose, pairGroups, type Component } from "./model";
import type { MatchingProblem } from "./problem";
import { searchSmallComponent } from "./small-search";
import { solveMatching } from "./solve";

const BACKENDS = ["auto", "highs", "highs-lp-fix", "lp-solver"] as const;

async function solveChecked(problem: MatchingProblem) {
  const solution = await solveMatching(problem);
  expect(checkSolution(problem, solution)).toEqual([]);
  return solution;
}

describe("hard constraints", () => {
  it("never exceeds an occurrence's headcount", async () => {
    const solution = await solveChecked({
      citizens: [
        { id: "a", capacityMinutes: 600 },
        { id: "b", capacityMinutes: 600 },
        { id: "c", capacityMinutes: 600 },
      ],
      occurrences: [{ id: "o", headcount: 2 }],
      pairs: ["a", "b", "c"].map((citizen) => ({ citizen, occurrence: "o", score: 100, loadMinutes: 60 })),
    });
    expect(solution.assignments).toHaveLength(2);
  });

  it("never exceeds a citizen's capacity", async () => {
    for (const backend of BACKENDS) {
      const solution = await solveChecked({
        citizens: [{ id: "a", capacityMinutes: 150 }],
        occurrences: [
          { id: "o1", headcount: 1 },
          { id: "o2", headcount: 1 },
          { id: "o3", headcount: 1 },
        ],
        pairs: ["o1", "o2", "o3"].map((occurrence) => ({ citizen: "a", occurrence, score: 100, loadMinutes: 60 })),
        options: { backend },
      });
      expect(solution.assignments, backend).toHaveLength(2);
    }
  });

  it("never gives a citizen two occurrences of a conflict group", async () => {
    for (const backend of BACKENDS) {
      const solution = await solveChecked({
        citizens: [
          { id: "a", capacityMinutes: 600 },
          { id: "b", capacityMinutes: 600 },
        ],
        occurrences: [
          { id: "o1", headcount: 1 },
          { id: "o2", headcount: 1 },
        ],
        pairs: [
          { citizen: "a", occurrence: "o1", score: 100, loadMinutes: 60 },
          { citizen: "a", occurrence: "o2", score: 120, loadMinutes: 60 },
          { citizen: "b", occurrence: "o1", score: 10, loadMinutes: 60 },
        ],
        conflicts: [{ citizen: "a", occurrences: ["o1", "o2"] }],
        options: { backend },
      });
      expect(solution.assignments, backend).toEqual([
        { citizen: "b", occurrence: "o1" },
        { citizen: "a", occurrence: "o2" },
      ]);
    }
  });

  it("keeps pinned pairs even when another choice scores more, and never uses forbidden ones", async () => {
    const problem: MatchingProblem = {
      citizens: [
        { id: "a", capacityMinutes: 600 },
        { id: "b", capacityMinutes: 600 },
      ],
      occurrences: [
        { id: "o", headcount: 1 },
        { id: "p", headcount: 1 },
      ],
      pairs: [
        { citizen: "a", occurrence: "o", score: 200, loadMinutes: 60 },
        { citizen: "b", occurrence: "o", score: 100, loadMinutes: 60 },
        { citizen: "a", occurrence: "p", score: 150, loadMinutes: 60 },
      ],
      fixed: [{ citizen: "b", occurrence: "o" }],
      forbidden: [{ citizen: "a", occurrence: "p" }],
    };
    for (const backend of [...BACKENDS, "greedy"] as const) {
      const solution = await solveChecked({ ...problem, options: { backend } });
      expect(solution.assignments, backend).toEqual([{ citizen: "b", occurrence: "o" }]);
    }
  });

  it("spreads hours when the fairness penalty is convex", async () => {
    const problem: MatchingProblem = {
      citizens: [
        { id: "busy", capacityMinutes: 600 },
        { id: "free", capacityMinutes: 600 },
      ],
      occurrences: [
        { id: "o1", headcount: 1 },
        { id: "o2", headcount: 1 },
      ],
      pairs: [
        { citizen: "busy", occurrence: "o1", score: 110, loadMinutes: 120 },
        { citizen: "busy", occurrence: "o2", score: 110, loadMinutes: 120 },
        { citizen: "free", occurrence: "o1", score: 100, loadMinutes: 120 },
        { citizen: "free", occurrence: "o2", score: 100, loadMinutes: 120 },
      ],
    };
    const unfair = await solveChecked(problem);
    expect(unfair.assignments.every((a) => a.citizen === "busy")).toBe(true);
    const fair = await solveChecked({ ...problem, fairness: [{ aboveMinutes: 120, weightPerMinute: 0.5 }] });
    expect(new Set(fair.assignments.map((a) => a.citizen))).toEqual(new Set(["busy", "free"]));
  });
});

describe("cases from the outside review", () => {
  it("counts a pair that takes no minutes once the capacity is used (101, not 100), with every backend", async () => {
    for (const capacity of [60, 0]) {
      const problem: MatchingProblem = {
        citizens: [
          { id: "a", capacityMinutes: capacity },
          { id: "b", capacityMinutes: 60 },
        ],
        occurrences: [
          { id: "long", headcount: 1 },
          { id: "quick", headcount: 1 },
          { id: "other", headcount: 1 },
        ],
        pairs: [
          { citizen: "a", occurrence: "long", score: 100, loadMinutes: 60 },
          { citizen: "a", occurrence: "quick", score: 1, loadMinutes: 0 },
          { citizen: "b", occurrence: "other", score: 5, loadMinutes: 60 },
          { citizen: "b", occurrence: "long", score: 2, loadMinutes: 60 },
        ],
      };
      const { optimum } = bruteForce(problem);
      for (const backend of BACKENDS) {
        const solution = await solveChecked({ ...problem, options: { backend } });
        expect(solution.objective, `${backend}, capacity ${capacity}`).toBe(optimum);
        expect(solution.status).toBe("OPTIMAL");
      }
    }
  });

  it("javascript-lp-solver solves a citizen whose pairs all take no minutes (200, not the greedy 102)", async () => {
    const problem: MatchingProblem = {
      citizens: [
        { id: "a", capacityMinutes: 0 },
        { id: "b", capacityMinutes: 60 },
      ],
      occurrences: [
        { id: "o1", headcount: 1 },
        { id: "o2", headcount: 1 },
      ],
      pairs: [
        { citizen: "a", occurrence: "o1", score: 100, loadMinutes: 0 },
        { citizen: "a", occurrence: "o2", score: 100, loadMinutes: 0 },
        { citizen: "b", occurrence: "o1", score: 102, loadMinutes: 60 },
      ],
      conflicts: [{ citizen: "a", occurrences: ["o1", "o2"] }],
      options: { backend: "lp-solver" },
    };
    const solution = await solveChecked(problem);
    expect(solution.objective).toBe(bruteForce(problem).optimum);
    expect(solution.objective).toBe(202);
    expect(solution.status).toBe("OPTIMAL");
  });

  it("does not call OPTIMAL what a relative gap stopped, and reports the real bound", async () => {
    const problem = generateInstance("M", 2);
    const exact = await solveChecked(problem);
    expect(exact.status).toBe("OPTIMAL");
    const loose = await solveChecked({ ...problem, options: { relativeGap: 0.05, backend: "highs", decompose: false } });
    expect(loose.bound).toBeGreaterThanOrEqual(exact.objective);
    expect(loose.objective).toBeLessThanOrEqual(exact.objective);
    if (loose.objective < exact.objective) {
      expect(loose.status).toBe("FEASIBLE");
      expect(loose.stoppedBy).toBe("GAP");
      expect(loose.gap).toBeGreaterThan(0);
      expect(loose.gap).toBeLessThanOrEqual(0.05);
    }
  });

  it("keeps a conflict group of 2,000 occurrences as one list, not every pair of its members", () => {
    const occurrences = Array.from({ length: 2_000 }, (_, o) => ({ id: `o${o}`, headcount: 1 }));
    const citizens = Array.from({ length: 20 }, (_, c) => ({ id: `c${c}`, capacityMinutes: 600 }));
    const problem: MatchingProblem = {
      citizens,
      occurrences,
      pairs: citizens.flatMap((c) => occurrences.map((o) => ({ citizen: c.id, occurrence: o.id, score: 1000, loadMinutes: 60 }))),
      conflicts: citizens.map((c) => ({ citizen: c.id, occurrences: occurrences.map((o) => o.id) })),
    };
    const [component] = decompose(problem);
    const { groups } = pairGroups(component!);
    // One membership per pair: 40,000, where the pairs of members would be 80 million.
    expect(groups.length).toBe(40_000);
  });

  it("solves a conflict group of 2,000 occurrences per citizen to the optimum", async () => {
    const occurrences = Array.from({ length: 2_000 }, (_, o) => ({ id: `o${o}`, headcount: 1 }));
    const citizens = Array.from({ length: 20 }, (_, c) => ({ id: `c${c}`, capacityMinutes: 600 }));
    const solution = await solveChecked({
      citizens,
      occurrences,
      pairs: citizens.flatMap((c, ci) =>
        occurrences.map((o, oi) => ({ citizen: c.id, occurrence: o.id, score: 1000 + ((ci * 7 + oi * 13) % 50), loadMinutes: 60 })),
      ),
      conflicts: citizens.map((c) => ({ citizen: c.id, occurrences: occurrences.map((o) => o.id) })),
    });
    // Each citizen takes one occurrence of their group; nothing else can be better than 20 seats.
    expect(solution.assignments).toHaveLength(20);
    expect(solution.status).toBe("OPTIMAL");
  });
});

describe("improving by moves", () => {
  it("fills an empty seat by handing one of the citizen's assignments to someone else", () => {
    // a holds o (the greedy's first choice) and has no minutes for p; b can take o instead.
    const problem: MatchingProblem = {
      citizens: [
        { id: "a", capacityMinutes: 60 },
        { id: "b", capacityMinutes: 60 },
      ],
      occurrences: [
        { id: "o", headcount: 1 },
        { id: "p", headcount: 1 },
      ],
      pairs: [
        { citizen: "a", occurrence: "o", score: 110, loadMinutes: 60 },
        { citizen: "a", occurrence: "p", score: 100, loadMinutes: 60 },
        { citizen: "b", occurrence: "o", score: 105, loadMinutes: 60 },
      ],
      fixed: [],
    };
    const [component] = decompose(problem);
    const start = new Array<boolean>(3).fill(false);
    start[0] = true; // a/o only: b is idle, p empty
    const { chosen } = improveByMoves(component!, start);
    expect(assignmentsOfNames(component!, chosen)).toEqual(["a/p", "b/o"]);
  });
});

const assignmentsOfNames = (component: Component, chosen: boolean[]) =>
  component.pairs.flatMap((p, i) => (chosen[i] ? [`${component.citizenIds[p.citizen]}/${component.occurrenceIds[p.occurrence]}`] : [])).sort();

describe("budget and determinism", () => {
  it("stops at the work limit, says so, and gives the same bytes every time", async () => {
    const problem = { ...generateInstance("L", 1), options: { workLimit: 300 } };
    const first = await solveChecked(problem);
    expect(first.stoppedBy).toBe("WORK_LIMIT");
    expect(first.status).toBe("FEASIBLE");
    expect(first.bound).toBeGreaterThan(first.objective);
    const second = await solveMatching(problem);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it("a slow clock fires the safety stop in every phase: a checked answer that says TIME_LIMIT", async () => {
    const problem = { ...generateInstance("L", 1), options: { timeLimitSeconds: 5, backend: "highs-lp-fix" as const } };
    // Each reading of the clock moves it on: the deadline passes after a given number of readings.
    for (const readings of [1, 3, 6, 12, 40]) {
      let now = 0;
      let count = 0;
      const solution = await solveMatching(problem, { clock: () => (++count > readings ? (now += 10_000) : now) });
      expect(checkSolution(problem, solution), `after ${readings} readings`).toEqual([]);
      expect(solution.stoppedBy, `after ${readings} readings`).toBe("TIME_LIMIT");
    }
  });

  it("a slow clock stops a problem of many small components between them", async () => {
    // Each part: the greedy takes c/o (110) and leaves d with p (50); the optimum is c/p + d/o.
    const problem: MatchingProblem = { citizens: [], occurrences: [], pairs: [], conflicts: [] };
    for (let k = 0; k < 500; k++) {
      problem.citizens.push({ id: `c${k}`, capacityMinutes: 120 }, { id: `d${k}`, capacityMinutes: 120 });
      problem.occurrences.push({ id: `o${k}`, headcount: 1 }, { id: `p${k}`, headcount: 1 });
      problem.pairs.push(
        { citizen: `c${k}`, occurrence: `o${k}`, score: 110, loadMinutes: 60 },
        { citizen: `c${k}`, occurrence: `p${k}`, score: 105, loadMinutes: 60 },
        { citizen: `d${k}`, occurrence: `o${k}`, score: 108, loadMinutes: 60 },
        { citizen: `d${k}`, occurrence: `p${k}`, score: 50, loadMinutes: 60 },
      );
      problem.conflicts!.push({ citizen: `c${k}`, occurrences: [`o${k}`, `p${k}`] });
    }
    let now = 0;
    let readings = 0;
    const solution = await solveMatching({ ...problem, options: { timeLimitSeconds: 1 } }, { clock: () => (++readings > 50 ? (now += 100) : now) });
    expect(checkSolution(problem, solution)).toEqual([]);
    expect(solution.stoppedBy).toBe("TIME_LIMIT");
    expect(solution.components.filter((c) => c.stoppedBy === "TIME_LIMIT").length).toBeGreaterThan(400);
    // Without the slow clock every one is proven by the small search.
    const proven = await solveChecked(problem);
    expect(proven.status).toBe("OPTIMAL");
    expect(new Set(proven.components.map((c) => c.backend))).toEqual(new Set(["small-search"]));
  });

  it("the small search gives up past its node limit, and HiGHS takes the component", async () => {
    const problem = generateInstance("S", 2);
    const [component] = decompose({ ...problem, options: { decompose: false } });
    expect(searchSmallComponent(component!, 5)).toBeNull();
    expect(searchSmallComponent(component!, 1e7)).not.toBeNull();
  });

  it("the large-component pipeline reaches the optimum HiGHS proves on the whole problem", async () => {
    const problem = generateInstance("M", 3);
    const whole = await solveChecked({ ...problem, options: { backend: "highs", decompose: false } });
    const pipeline = await solveChecked({ ...problem, options: { backend: "highs-lp-fix" } });
    expect(whole.status).toBe("OPTIMAL");
    expect(pipeline.status).toBe("OPTIMAL");
    expect(pipeline.objective).toBeCloseTo(whole.objective, 6);
  });

  it("splits independent parts into components that add up", async () => {
    const problem = generateInstance("M", 1);
    const solution = await solveChecked(problem);
    expect(solution.components.length).toBeGreaterThan(1);
    expect(solution.components.reduce((sum, c) => sum + c.pairs, 0)).toBe(problem.pairs.length);
    expect(solution.components.reduce((sum, c) => sum + c.objective, 0)).toBeCloseTo(solution.objective, 6);
  });
});
