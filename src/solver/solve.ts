// The optimiser: split into components, solve each with the backend that suits its size,
// check every answer against the constraints, and report objective, proven bound and gap.
// Deterministic for the same input. No I/O.
import { greedy, simpleBound } from "./greedy";
import { lagrangianBound } from "./lagrangian";
import { solveWithHighs } from "./highs-backend";
import { solveWithLpSolver } from "./lp-solver-backend";
import { assignmentsOf, decompose, objectiveOf, violations, type Component } from "./model";
import { validateProblem, type Backend, type ComponentStats, type MatchingProblem, type MatchingSolution } from "./problem";

/** Components up to this many pairs go to javascript-lp-solver, which finishes them quickly. */
export const LP_SOLVER_MAX_PAIRS = 120;
/**
 * Components above this many pairs are too large for HiGHS to close in seconds (measured: at
 * 116,000 pairs it does not improve on the greedy start in 60 s). They are solved by LP
 * relaxation, fixing what the LP decides, a MIP on the rest, and a greedy repair; the LP optimum
 * is the bound.
 */
export const LP_FIX_MIN_PAIRS = 20_000;

export function chooseBackend(component: Component, forced: Backend | "auto"): Backend {
  if (forced !== "auto") return forced;
  if (component.occurrenceIds.length === 1) return "greedy";
  if (component.pairs.length <= LP_SOLVER_MAX_PAIRS) return "lp-solver";
  return component.pairs.length >= LP_FIX_MIN_PAIRS ? "highs-lp-fix" : "highs";
}

async function solveComponent(component: Component, backend: Backend, timeLimitSeconds: number, relativeGap: number): Promise<{ chosen: boolean[]; stats: ComponentStats }> {
  const started = performance.now();
  const fallback = greedy(component);
  if (violations(component, fallback).length > 0) {
    // Only pinned pairs that contradict each other can make the greedy start infeasible.
    throw new Error(`pinned pairs cannot all be kept: ${violations(component, fallback).join("; ")}`);
  }
  let chosen = fallback;
  let bound = simpleBound(component);
  let optimal = component.occurrenceIds.length === 1 && backend === "greedy";
  if (backend === "highs-lp-fix") {
    const result = await solveByLpFixing(component, timeLimitSeconds, relativeGap, fallback);
    if (violations(component, result.chosen).length === 0 && objectiveOf(component, result.chosen) >= objectiveOf(component, fallback)) chosen = result.chosen;
    bound = Math.min(bound, result.bound);
  } else if (backend === "highs" || backend === "lp-solver") {
    const result = backend === "highs" ? await solveWithHighs(component, { timeLimitSeconds, relativeGap, start: fallback }) : solveWithLpSolver(component, { timeLimitSeconds });
    // Whatever a backend returns is checked; an invalid or worse answer keeps the greedy one.
    if (result.chosen && violations(component, result.chosen).length === 0 && objectiveOf(component, result.chosen) >= objectiveOf(component, fallback)) chosen = result.chosen;
    bound = Math.min(bound, result.bound);
    optimal = result.optimal && chosen === result.chosen;
  }
  const objective = objectiveOf(component, chosen);
  if (optimal) bound = objective;
  bound = Math.max(bound, objective);
  return {
    chosen,
    stats: {
      citizens: component.citizenIds.length,
      occurrences: component.occurrenceIds.length,
      pairs: component.pairs.length,
      backend,
      status: optimal || bound - objective <= relativeGap * Math.max(1, Math.abs(bound)) ? "OPTIMAL" : "FEASIBLE",
      objective,
      bound,
      timeMs: Math.round(performance.now() - started),
    },
  };
}

/** The optimiser's signature: `solveMatching` here, or the same call run on a solver thread. */
export type Solve = (problem: MatchingProblem, hooks?: SolveHooks) => Promise<MatchingSolution>;

export interface SolveHooks {
  /** Called after each component is solved (and once before, with solved = 0). */
  onProgress?: (progress: { solved: number; total: number }) => void | Promise<void>;
}

/**
 * LP relaxation, then a MIP over the pairs the LP left fractional (those at 1 kept, those at 0
 * dropped), then a greedy repair that adds what still fits. The rounded-down LP solution keeps
 * every constraint, so the restricted MIP always has a solution to start from. The bound is the
 * lower of the LP optimum and the Lagrangian bound started from the LP's seat prices
 * (lagrangian.ts), which is much tighter (measured at XL: 0.02 % above the optimum against the
 * LP's 0.11 %); the MIP stops as soon as its solution is within the requested gap of that bound.
 */
async function solveByLpFixing(component: Component, timeLimitSeconds: number, relativeGap: number, fallback: boolean[]): Promise<{ chosen: boolean[]; bound: number }> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const lp = await solveWithHighs(component, { relax: true, timeLimitSeconds: timeLimitSeconds * 0.5, relativeGap });
  if (!lp.values) return { chosen: fallback, bound: Number.POSITIVE_INFINITY };
  const fix = new Int8Array(component.pairs.length).fill(-1);
  lp.values.forEach((x, i) => {
    if (x >= 0.999) fix[i] = 1;
    else if (x <= 1e-6) fix[i] = 0;
  });
  const start = Array.from(lp.values, (x) => x >= 0.999);
  const rounded = greedy(component, start);
  const incumbent = Math.max(objectiveOf(component, rounded), objectiveOf(component, fallback));
  const lagrangian = lagrangianBound(component, { prices: lp.seatPrices, incumbent, timeLimitMs: Math.max(100, timeLimitSeconds * 100) });
  const bound = Math.min(lp.bound, lagrangian.bound);
  // What building the second model and the repair take is kept aside (measured: about 0.1 s
  // per 20,000 pairs).
  const reserve = 0.3 + component.pairs.length / 200_000;
  const left = Math.max(0.5, timeLimitSeconds - elapsed() - reserve);
  // Here presolve is on: it removes the fixed pairs, leaving a small model (measured at XL: the
  // restricted MIP is solved in 1.1 s with it, and runs out of a 6 s limit without it).
  const mip = await solveWithHighs(component, {
    fix,
    start,
    timeLimitSeconds: left,
    relativeGap,
    stopAtObjective: bound - relativeGap * Math.abs(bound),
    highsOptions: { presolve: "on" },
  });
  const repaired = mip.chosen ? greedy(component, mip.chosen) : rounded;
  return { chosen: objectiveOf(component, repaired) >= objectiveOf(component, rounded) ? repaired : rounded, bound };
}

export async function solveMatching(problem: MatchingProblem, hooks: SolveHooks = {}): Promise<MatchingSolution> {
  validateProblem(problem);
  const started = performance.now();
  const timeLimit = problem.options?.timeLimitSeconds ?? 10;
  const relativeGap = problem.options?.relativeGap ?? 1e-6;
  const forced = problem.options?.backend ?? "auto";
  const components = decompose(problem);
  // The budget covers everything: what decomposition and the greedy starts take comes off it.
  const budget = () => timeLimit - (performance.now() - started) / 1000;
  const totalPairs = components.reduce((sum, c) => sum + c.pairs.length, 0) || 1;

  const results = [];
  // Large components first, each given time in proportion to its share of the remaining pairs.
  const order = components.map((_, i) => i).sort((a, b) => components[b]!.pairs.length - components[a]!.pairs.length || a - b);
  let remainingPairs = totalPairs;
  let solved = 0;
  await hooks.onProgress?.({ solved, total: components.length });
  for (const i of order) {
    const component = components[i]!;
    const share = Math.max(0.05, (budget() * 0.95 * component.pairs.length) / remainingPairs);
    remainingPairs -= component.pairs.length;
    results[i] = await solveComponent(component, chooseBackend(component, forced), share, relativeGap);
    solved += 1;
    await hooks.onProgress?.({ solved, total: components.length });
  }

  const objective = results.reduce((sum, r) => sum + r.stats.objective, 0);
  const bound = results.reduce((sum, r) => sum + r.stats.bound, 0);
  const assignments = results.flatMap((r, i) => assignmentsOf(components[i]!, r.chosen));
  assignments.sort((a, b) => a.occurrence.localeCompare(b.occurrence) || a.citizen.localeCompare(b.citizen));
  const gap = Math.max(0, (bound - objective) / Math.max(1, Math.abs(bound)));
  return {
    status: results.every((r) => r.stats.status === "OPTIMAL") ? "OPTIMAL" : "FEASIBLE",
    assignments,
    objective,
    bound,
    gap,
    timeMs: Math.round(performance.now() - started),
    components: results.map((r) => r.stats),
  };
}
