// Property-based tests of the optimiser against brute force, on thousands of random small
// problems that include the cases that broke it before: pairs taking no minutes, citizens with
// no capacity (or only such pairs), occurrences with no seats, fairness thresholds on both sides
// of a capacity, large and overlapping conflict groups, decimal and negative scores, pinned and
// forbidden pairs. Every answer goes through the independent checker.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bruteForce } from "./brute-force";
import { checkSolution } from "./check";
import { greedy, improveByMoves, simpleBound } from "./greedy";
import { HighsMatchingModel } from "./highs-backend";
import { CitizenSearch, evaluatePrices, fixByLagrangian } from "./lagrangian";
import { decompose, objectiveOf, violations } from "./model";
import { parseProblem, type ProblemError, type MatchingProblem } from "./problem";
import { solveMatching } from "./solve";
import { isProvenOptimal, objectiveResolution } from "./tolerance";

const MAX_PAIRS = 11;

/** A random small problem (at most MAX_PAIRS pairs). */
const problems = (options: { pins?: boolean } = {}) =>
  fc.record({ citizens: fc.integer({ min: 1, max: 4 }), occurrences: fc.integer({ min: 1, max: 4 }) }).chain(({ citizens, occurrences }) =>
    fc
      .record({
        capacity: fc.array(fc.constantFrom(0, 30, 60, 90, 120, 150, 240, 45.5), { minLength: citizens, maxLength: citizens }),
        headcount: fc.array(fc.constantFrom(0, 1, 1, 1, 2, 3), { minLength: occurrences, maxLength: occurrences }),
        cells: fc.array(
          fc.option(
            fc.record({
              score: fc.oneof(fc.integer({ min: -50, max: 1200 }), fc.constantFrom(0, 1, 100, 1000.5, 1012.25, 999.99)),
              load: fc.constantFrom(0, 0, 15, 30, 60, 90, 120, 45.5),
              pin: fc.constantFrom("none", "none", "none", "none", "none", "fixed", "forbidden"),
            }),
            { freq: 2 },
          ),
          { minLength: citizens * occurrences, maxLength: citizens * occurrences },
        ),
        conflicts: fc.array(
          fc.record({
            citizen: fc.integer({ min: 0, max: citizens - 1 }),
            members: fc.uniqueArray(fc.integer({ min: 0, max: occurrences - 1 }), { minLength: Math.min(2, occurrences), maxLength: occurrences }),
          }),
          { maxLength: 3 },
        ),
        fairness: fc.array(fc.record({ aboveMinutes: fc.constantFrom(0, 30, 60, 120, 300), weightPerMinute: fc.constantFrom(0, 0.05, 0.3, 1, 2.5, 20) }), {
          maxLength: 2,
        }),
      })
      .map(({ capacity, headcount, cells, conflicts, fairness }) => {
        const problem: MatchingProblem = {
          citizens: capacity.map((capacityMinutes, c) => ({ id: `c${c}`, capacityMinutes })),
          occurrences: headcount.map((h, o) => ({ id: `o${o}`, headcount: h })),
          pairs: [],
          conflicts: conflicts.map((g) => ({ citizen: `c${g.citizen}`, occurrences: g.members.map((o) => `o${o}`) })),
          fixed: [],
          forbidden: [],
          fairness,
        };
        cells.forEach((cell, k) => {
          if (!cell || problem.pairs.length >= MAX_PAIRS) return;
          const ref = { citizen: `c${Math.floor(k / occurrences)}`, occurrence: `o${k % occurrences}` };
          problem.pairs.push({ ...ref, score: cell.score, loadMinutes: cell.load });
          if (options.pins && cell.pin === "fixed") problem.fixed!.push(ref);
          if (options.pins && cell.pin === "forbidden") problem.forbidden!.push(ref);
        });
        return problem;
      }),
  );

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

/** The checks every answer of every backend must pass against the brute-force optimum. */
function expectTruthful(problem: MatchingProblem, solution: Awaited<ReturnType<typeof solveMatching>>, optimum: number, label: string) {
  expect(checkSolution(problem, solution), label).toEqual([]);
  expect(solution.objective, label).toBeLessThanOrEqual(optimum + 1e-6);
  expect(solution.bound, `${label}: bound below the optimum`).toBeGreaterThanOrEqual(optimum - 1e-6);
  if (solution.status === "OPTIMAL") expect(close(solution.objective, optimum), `${label}: OPTIMAL at ${solution.objective}, optimum ${optimum}`).toBe(true);
}

describe("the optimiser against brute force", () => {
  it("refuses exactly the problems whose pinned pairs cannot all be kept, naming them", () => {
    fc.assert(
      fc.property(problems({ pins: true }), (problem) => {
        const fixedAndForbidden = problem.fixed!.some((f) => problem.forbidden!.some((x) => x.citizen === f.citizen && x.occurrence === f.occurrence));
        fc.pre(!fixedAndForbidden);
        const { optimum } = bruteForce(problem);
        let refused: ProblemError | null = null;
        try {
          parseProblem(problem);
        } catch (error) {
          refused = error as ProblemError;
        }
        expect(refused !== null).toBe(optimum === Number.NEGATIVE_INFINITY);
        if (refused) expect(refused.issues.every((issue) => issue.code.startsWith("FIXED_") && (issue.pairs?.length ?? 0) >= 1)).toBe(true);
      }),
      { numRuns: 1500, seed: 15 },
    );
  });

  for (const backend of ["auto", "highs", "highs-lp-fix"] as const) {
    it(`${backend}: proves the optimum of every problem`, async () => {
      await fc.assert(
        fc.asyncProperty(problems({ pins: true }), async (problem) => {
          const { optimum } = bruteForce(problem);
          fc.pre(optimum > Number.NEGATIVE_INFINITY);
          const solution = await solveMatching({ ...problem, options: { backend } });
          expectTruthful(problem, solution, optimum, backend);
          expect(solution.status, `${backend} did not prove ${optimum}: ${JSON.stringify(solution.components)}`).toBe("OPTIMAL");
        }),
        { numRuns: backend === "auto" ? 1000 : 400, seed: 16 },
      );
    });
  }

  it("lp-solver: on problems this small, finishes and proves the optimum too", async () => {
    await fc.assert(
      fc.asyncProperty(problems({ pins: true }), async (problem) => {
        const { optimum } = bruteForce(problem);
        fc.pre(optimum > Number.NEGATIVE_INFINITY);
        const solution = await solveMatching({ ...problem, options: { backend: "lp-solver" } });
        expectTruthful(problem, solution, optimum, "lp-solver");
        expect(solution.status).toBe("OPTIMAL");
      }),
      { numRuns: 400, seed: 17 },
    );
  });

  it("greedy: never claims more than it proves", async () => {
    await fc.assert(
      fc.asyncProperty(problems({ pins: true }), async (problem) => {
        const { optimum } = bruteForce(problem);
        fc.pre(optimum > Number.NEGATIVE_INFINITY);
        const solution = await solveMatching({ ...problem, options: { backend: "greedy" } });
        expectTruthful(problem, solution, optimum, "greedy");
        if (solution.stoppedBy !== "OPTIMAL") expect(solution.stoppedBy).toBe("HEURISTIC");
      }),
      { numRuns: 400, seed: 17 },
    );
  });

  it("gives the same bytes for the same input", async () => {
    await fc.assert(
      fc.asyncProperty(problems({ pins: true }), async (problem) => {
        fc.pre(bruteForce(problem).optimum > Number.NEGATIVE_INFINITY);
        const [a, b] = [await solveMatching(problem), await solveMatching(structuredClone(problem))];
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      { numRuns: 200, seed: 18 },
    );
  });
});

describe("the bounds against brute force", () => {
  it("each citizen's own problem is solved exactly, with pairs forced in or out", () => {
    fc.assert(
      fc.property(
        problems({ pins: true }),
        fc.array(fc.constantFrom(0, 0, 3.5, 40, 500, 1010), { minLength: 4, maxLength: 4 }),
        fc.nat(),
        (problem, prices, pick) => {
          fc.pre(bruteForce(problem).optimum > Number.NEGATIVE_INFINITY);
          for (const component of decompose(problem)) {
            const search = new CitizenSearch(component);
            const at = (i: number) => component.pairs[i]!.score - prices[component.pairs[i]!.occurrence]!;
            for (let c = 0; c < component.citizenIds.length; c++) {
              const own = search.pairsOf[c]!;
              const forced = own.length > 0 ? own[pick % own.length]! : -1;
              for (const force of [{}, { in: forced }, { out: forced }]) {
                const got = search.best(c, Float64Array.from(prices), force);
                // Brute force over this citizen's pairs alone: capacity, groups, pins, fairness.
                let best = Number.NEGATIVE_INFINITY;
                for (let mask = 0; mask < 1 << own.length; mask++) {
                  const chosen = own.filter((_, k) => (mask >> k) & 1);
                  const has = (i: number) => chosen.includes(i);
                  if (own.some((i) => (component.pairs[i]!.fixed || i === force.in) && !has(i)) || (force.out !== undefined && has(force.out))) continue;
                  const all = new Array<boolean>(component.pairs.length).fill(false);
                  chosen.forEach((i) => {
                    all[i] = true;
                  });
                  const load = chosen.reduce((s, i) => s + component.pairs[i]!.load, 0);
                  if (load > component.capacity[c]! + 1e-6 || component.conflictGroups.some((g) => g.filter(has).length > 1)) continue;
                  const penalty = component.fairness.reduce((s, st) => s + st.weightPerMinute * Math.max(0, load - st.aboveMinutes), 0);
                  best = Math.max(best, chosen.reduce((s, i) => s + at(i), 0) - penalty);
                }
                expect(got.exact).toBe(true);
                if (best === Number.NEGATIVE_INFINITY) expect(got.value).toBe(Number.NEGATIVE_INFINITY);
                else expect(close(got.value, best), `citizen ${c} ${JSON.stringify(force)}: ${got.value} against ${best}`).toBe(true);
              }
            }
          }
        },
      ),
      { numRuns: 3000, seed: 19 },
    );
  });

  it("the simple, LP and Lagrangian bounds are never below the optimum, and fixing never cuts a solution that is better by a whole step", async () => {
    await fc.assert(
      fc.asyncProperty(problems({ pins: true }), fc.array(fc.constantFrom(0, 2, 40, 500, 1001), { minLength: 4, maxLength: 4 }), async (problem, prices) => {
        const { optimum, feasible } = bruteForce(problem, true);
        fc.pre(optimum > Number.NEGATIVE_INFINITY);
        const [component] = decompose({ ...problem, options: { decompose: false } });
        if (!component) return;
        expect(simpleBound(component)).toBeGreaterThanOrEqual(optimum - 1e-6);
        const search = new CitizenSearch(component);
        expect(evaluatePrices(search, Float64Array.from(prices.slice(0, component.occurrenceIds.length))).value).toBeGreaterThanOrEqual(optimum - 1e-6);
        const model = await HighsMatchingModel.build(component);
        try {
          const lp = model.lp({ work: 1e6, seconds: 10 });
          expect(lp.bound).toBeGreaterThanOrEqual(optimum - 1e-6);
          const lpPrices = evaluatePrices(search, lp.seatPrices).value;
          expect(lpPrices).toBeGreaterThanOrEqual(optimum - 1e-6);
        } finally {
          model.dispose();
        }
        // Fix against a threshold at a feasible value: every solution reaching it must agree.
        const start = greedy(component);
        const threshold = objectiveOf(component, start) + 0.005;
        const { fix } = fixByLagrangian(search, Float64Array.from(prices.slice(0, component.occurrenceIds.length)), threshold);
        const componentPair = new Map(component.pairs.map((p, i) => [`${component.citizenIds[p.citizen]}|${component.occurrenceIds[p.occurrence]}`, i]));
        for (const solution of feasible) {
          if (solution.value < threshold) continue;
          const on = new Set(solution.pairs.map((k) => componentPair.get(`${problem.pairs[k]!.citizen}|${problem.pairs[k]!.occurrence}`)));
          fix.forEach((v, i) => {
            if (v !== -1) expect(on.has(i) ? 1 : 0, `pair ${i} fixed at ${v} cuts a solution worth ${solution.value}`).toBe(v);
          });
        }
        expect(violations(component, start)).toEqual([]);
      }),
      { numRuns: 800, seed: 20 },
    );
  });

  it("improving by moves keeps every constraint and never lowers the objective", () => {
    fc.assert(
      fc.property(problems({ pins: true }), (problem) => {
        fc.pre(bruteForce(problem).optimum > Number.NEGATIVE_INFINITY);
        for (const component of decompose(problem)) {
          const start = greedy(component);
          const { chosen } = improveByMoves(component, start);
          expect(violations(component, chosen)).toEqual([]);
          expect(objectiveOf(component, chosen)).toBeGreaterThanOrEqual(objectiveOf(component, start) - 1e-9);
        }
      }),
      { numRuns: 1500, seed: 22 },
    );
  });

  it("OPTIMAL is claimed only within the objective's resolution", () => {
    fc.assert(
      fc.property(problems(), (problem) => {
        const resolution = objectiveResolution(problem);
        const { feasible } = bruteForce(problem, true);
        // Every feasible value is a multiple of the step, so none lies strictly between two.
        if (resolution.step !== null)
          for (const { value } of feasible) expect(Math.abs(value / resolution.step - Math.round(value / resolution.step))).toBeLessThan(1e-6);
        expect(isProvenOptimal(10 + resolution.tolerance, 10, resolution)).toBe(false);
      }),
      { numRuns: 1000, seed: 21 },
    );
  });
});
