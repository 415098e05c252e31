// When a bound proves an answer optimal. Pure.
//
// Every objective value is a sum of pair scores less fairness penalties (a weight times whole
// sums of loads above a threshold), so it is a multiple of a step fixed by the input's decimals:
// integer scores and weights of 0.05 per whole minute give a step of 0.01. No solution can then
// lie strictly between the objective and objective + step, so a bound below objective + step
// proves the answer optimal, and a bound can be rounded down to the nearest value a solution can
// take. Where the input has too many decimals (or too large a range) for that to be exact in
// floating point, the tolerance is a small absolute number instead and nothing is rounded.
import type { MatchingProblem } from "./problem";

export interface Resolution {
  /** OPTIMAL means bound - objective < tolerance. */
  tolerance: number;
  /** The objective's step when every objective value is a multiple of it; null otherwise. */
  step: number | null;
}

const MAX_DECIMALS = 6;

/** Decimals of x (0..6), or null when it has more: x times 10^d is whole within four ulps. */
export function decimalsOf(x: number): number | null {
  for (let d = 0; d <= MAX_DECIMALS; d++) {
    const scaled = x * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 4 * Number.EPSILON * Math.max(1, Math.abs(scaled))) return d;
  }
  return null;
}

const maxDecimals = (values: Iterable<number>): number | null => {
  let most = 0;
  for (const v of values) {
    const d = decimalsOf(v);
    if (d === null) return null;
    if (d > most) most = d;
  }
  return most;
};

/** The objective's resolution (see the top of this file). */
export function objectiveResolution(problem: Pick<MatchingProblem, "pairs" | "fairness">): Resolution {
  const steps = (problem.fairness ?? []).filter((s) => s.weightPerMinute > 0);
  let scale = 0;
  let totalLoad = 0;
  for (const p of problem.pairs) {
    scale += Math.abs(p.score);
    totalLoad += p.loadMinutes;
  }
  for (const s of steps) scale += s.weightPerMinute * totalLoad;
  const fallback: Resolution = { tolerance: Math.max(1e-6, scale * 1e-12), step: null };
  const scoreDecimals = maxDecimals(problem.pairs.map((p) => p.score));
  const weightDecimals = maxDecimals(steps.map((s) => s.weightPerMinute));
  const minuteDecimals = steps.length === 0 ? 0 : maxDecimals([...problem.pairs.map((p) => p.loadMinutes), ...steps.map((s) => s.aboveMinutes)]);
  if (scoreDecimals === null || weightDecimals === null || minuteDecimals === null) return fallback;
  const decimals = Math.max(scoreDecimals, steps.length === 0 ? 0 : weightDecimals + minuteDecimals);
  const step = 10 ** -decimals;
  // Multiples of the step must stay exact: the objective's range in steps well inside 2^53.
  if (decimals > 9 || scale / step > 2 ** 50) return fallback;
  return { tolerance: step, step };
}

/**
 * A proven bound as reported: rounded down to the objective's lattice when there is one (with a
 * slack for the solver's floating-point error, about 1e-9 of the bound), otherwise as it is.
 * A bound below the objective by more than that slack is not a bound: null.
 */
export function reportedBound(raw: number, objective: number, resolution: Resolution): number | null {
  const slack = 1e-9 * Math.max(1, Math.abs(raw), Math.abs(objective));
  if (raw < objective - Math.max(slack, resolution.step === null ? resolution.tolerance : 0)) return null;
  if (!Number.isFinite(raw)) return raw;
  const step = resolution.step;
  if (step === null || slack >= step / 2) return Math.max(raw, objective);
  return objective + step * Math.max(0, Math.floor((raw - objective + slack) / step));
}

/**
 * Bound and objective meet: no solution is better by a whole tolerance. On the lattice the
 * reported bound is the objective or at least a step above it, so half a step tells the two apart
 * whatever the floating-point rounding of their difference.
 */
export const isProvenOptimal = (bound: number, objective: number, resolution: Resolution) =>
  bound - objective < (resolution.step !== null ? resolution.step / 2 : resolution.tolerance);
