// javascript-lp-solver on one component, by name only (backend "lp-solver"). It keeps a dense
// tableau, so it suits small components only (docs/solver.md); it runs within the wall-clock
// time left and its answer is checked like every other.
import solver from "javascript-lp-solver";
import type { Component } from "./model";

interface LpModel {
  optimize: string;
  opType: "max" | "min";
  constraints: Record<string, { max?: number; min?: number; equal?: number }>;
  variables: Record<string, Record<string, number>>;
  ints?: Record<string, 1>;
  options?: { timeout?: number; tolerance?: number };
}

export interface LpSolverResult {
  chosen: boolean[] | null;
  /** Its optimum when its branch and bound finished, else +Infinity (no bound). */
  bound: number;
  stoppedBy: "OPTIMAL" | "TIME_LIMIT" | "OTHER";
}

export function solveWithLpSolver(component: Component, options: { timeLimitSeconds: number }): LpSolverResult {
  const model: LpModel = {
    optimize: "value",
    opType: "max",
    constraints: {},
    variables: {},
    ints: {},
    options: { timeout: Math.max(1, Math.floor(options.timeLimitSeconds * 1000)) },
  };
  // A row is only written when some pair has a non-zero coefficient in it: the library reports
  // "infeasible" for a row whose only coefficients are 0 (a citizen whose pairs take no minutes).
  const loaded = new Set(component.pairs.filter((p) => p.load !== 0).map((p) => p.citizen));
  component.occurrenceIds.forEach((_, o) => {
    model.constraints[`o${o}`] = { max: component.headcount[o]! };
  });
  for (const c of loaded) model.constraints[`c${c}`] = { max: component.capacity[c]! };
  component.conflictGroups.forEach((_, g) => {
    model.constraints[`g${g}`] = { max: 1 };
  });
  const groupsOf = new Map<number, number[]>();
  component.conflictGroups.forEach((group, g) => {
    for (const i of group) groupsOf.set(i, [...(groupsOf.get(i) ?? []), g]);
  });
  const steps = component.fairness.filter((step) => step.weightPerMinute > 0);
  component.pairs.forEach((p, i) => {
    const column: Record<string, number> = { value: p.score, [`o${p.occurrence}`]: 1, [`x${i}`]: 1 };
    if (p.load !== 0) {
      column[`c${p.citizen}`] = p.load;
      steps.forEach((_, k) => {
        column[`f${p.citizen}_${k}`] = p.load;
      });
    }
    for (const g of groupsOf.get(i) ?? []) column[`g${g}`] = 1;
    model.variables[`x${i}`] = column;
    model.constraints[`x${i}`] = p.fixed ? { min: 1, max: 1 } : { max: 1 };
    model.ints![`x${i}`] = 1;
  });
  for (const c of loaded) {
    steps.forEach((step, k) => {
      model.constraints[`f${c}_${k}`] = { max: step.aboveMinutes };
      model.variables[`e${c}_${k}`] = { value: -step.weightPerMinute, [`f${c}_${k}`]: -1 };
    });
  }
  const started = performance.now();
  const result = solver.Solve(model) as Record<string, number | boolean | undefined> & { feasible?: boolean; result?: number };
  const timedOut = performance.now() - started >= (model.options!.timeout ?? 0);
  if (!result.feasible) return { chosen: null, bound: Number.POSITIVE_INFINITY, stoppedBy: timedOut ? "TIME_LIMIT" : "OTHER" };
  const chosen = component.pairs.map((_, i) => Number(result[`x${i}`] ?? 0) > 0.5);
  return { chosen, bound: timedOut ? Number.POSITIVE_INFINITY : Number(result.result), stoppedBy: timedOut ? "TIME_LIMIT" : "OPTIMAL" };
}
