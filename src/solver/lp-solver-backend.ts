// javascript-lp-solver on one small component. It keeps a dense tableau, so it is used only for
// small components (see docs/solver.md); its answer is checked like every other.
import solver from "javascript-lp-solver";
import type { Component } from "./model";
import type { BackendResult } from "./highs-backend";

interface LpModel {
  optimize: string;
  opType: "max" | "min";
  constraints: Record<string, { max?: number; min?: number; equal?: number }>;
  variables: Record<string, Record<string, number>>;
  ints?: Record<string, 1>;
  options?: { timeout?: number; tolerance?: number };
}

export function solveWithLpSolver(component: Component, options: { timeLimitSeconds: number }): BackendResult {
  // No timeout: this backend only gets components small enough to finish, so its answer is optimal.
  void options;
  const model: LpModel = { optimize: "value", opType: "max", constraints: {}, variables: {}, ints: {} };
  component.occurrenceIds.forEach((_, o) => (model.constraints[`o${o}`] = { max: component.headcount[o]! }));
  component.citizenIds.forEach((_, c) => (model.constraints[`c${c}`] = { max: component.capacity[c]! }));
  component.conflictGroups.forEach((_, g) => (model.constraints[`g${g}`] = { max: 1 }));
  const groupsOf = new Map<number, number[]>();
  component.conflictGroups.forEach((group, g) => group.forEach((i) => groupsOf.set(i, [...(groupsOf.get(i) ?? []), g])));
  component.pairs.forEach((p, i) => {
    const column: Record<string, number> = { value: p.score, [`o${p.occurrence}`]: 1, [`c${p.citizen}`]: p.load, [`x${i}`]: 1 };
    for (const g of groupsOf.get(i) ?? []) column[`g${g}`] = 1;
    component.fairness.forEach((_, k) => (column[`f${p.citizen}_${k}`] = p.load));
    model.variables[`x${i}`] = column;
    model.constraints[`x${i}`] = p.fixed ? { min: 1, max: 1 } : { max: 1 };
    model.ints![`x${i}`] = 1;
  });
  component.citizenIds.forEach((_, c) => {
    component.fairness.forEach((step, k) => {
      model.constraints[`f${c}_${k}`] = { max: step.aboveMinutes };
      model.variables[`e${c}_${k}`] = { value: -step.weightPerMinute, [`f${c}_${k}`]: -1 };
    });
  });
  const result = solver.Solve(model) as Record<string, number | boolean | undefined> & { feasible?: boolean; result?: number; bounded?: boolean };
  if (!result.feasible) return { chosen: null, bound: Number.POSITIVE_INFINITY, optimal: false };
  const chosen = component.pairs.map((_, i) => Number(result[`x${i}`] ?? 0) > 0.5);
  return { chosen, bound: Number(result.result), optimal: true };
}
