// The reference the optimiser is tested against: every subset of the allowed pairs of a small
// problem, checked and valued straight from the problem format (no code shared with the
// optimiser). Exponential: for problems of at most about 16 pairs. Pure.
import type { MatchingProblem } from "./problem";

export interface BruteForceResult {
  /** The optimum, or -Infinity when no subset keeps every constraint. */
  optimum: number;
  /** Each feasible subset's value, with the pairs it uses (indices into problem.pairs). */
  feasible: { value: number; pairs: number[] }[];
}

export function bruteForce(problem: MatchingProblem, keepAll = false): BruteForceResult {
  const key = (citizen: string, occurrence: string) => `${citizen}\u0000${occurrence}`;
  const forbidden = new Set((problem.forbidden ?? []).map((r) => key(r.citizen, r.occurrence)));
  const fixed = new Set((problem.fixed ?? []).map((r) => key(r.citizen, r.occurrence)));
  const allowed = problem.pairs.map((p, i) => ({ ...p, i })).filter((p) => !forbidden.has(key(p.citizen, p.occurrence)));
  if (allowed.length > 20) throw new Error(`brute force over ${allowed.length} pairs`);
  const capacity = new Map(problem.citizens.map((c) => [c.id, c.capacityMinutes]));
  const headcount = new Map(problem.occurrences.map((o) => [o.id, o.headcount]));
  let optimum = Number.NEGATIVE_INFINITY;
  const feasible: BruteForceResult["feasible"] = [];
  for (let mask = 0; mask < 1 << allowed.length; mask++) {
    const chosen = allowed.filter((_, k) => (mask >> k) & 1);
    const keys = new Set(chosen.map((p) => key(p.citizen, p.occurrence)));
    if ([...fixed].some((f) => !keys.has(f))) continue;
    const seats = new Map<string, number>();
    const loads = new Map<string, number>();
    for (const p of chosen) {
      seats.set(p.occurrence, (seats.get(p.occurrence) ?? 0) + 1);
      loads.set(p.citizen, (loads.get(p.citizen) ?? 0) + p.loadMinutes);
    }
    if ([...seats].some(([o, n]) => n > headcount.get(o)!)) continue;
    if ([...loads].some(([c, load]) => load > capacity.get(c)! + 1e-6)) continue;
    if ((problem.conflicts ?? []).some((g) => new Set(g.occurrences.filter((o) => keys.has(key(g.citizen, o)))).size > 1)) continue;
    let value = chosen.reduce((sum, p) => sum + p.score, 0);
    for (const load of loads.values()) for (const step of problem.fairness ?? []) value -= step.weightPerMinute * Math.max(0, load - step.aboveMinutes);
    if (value > optimum) optimum = value;
    if (keepAll) feasible.push({ value, pairs: chosen.map((p) => p.i) });
  }
  return { optimum, feasible };
}
