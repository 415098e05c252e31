// An independent check of a solution against its problem, written from the problem format alone
// (it shares no code with the optimiser): every assignment an eligible, allowed pair; every
// pinned pair kept; headcounts, capacities and conflict groups respected; the objective
// recomputed; the bound no lower than the objective; the gap, status and stop reason consistent
// with them. Used by the tests and by `npm run solve -- --check`. Pure.
import type { MatchingProblem, MatchingSolution } from "./problem";

const pairKey = (citizen: string, occurrence: string) => JSON.stringify([citizen, occurrence]);

/** What is wrong with the solution (empty when everything holds). */
export function checkSolution(problem: MatchingProblem, solution: MatchingSolution): string[] {
  const failures: string[] = [];
  const fail = (message: string) => {
    if (failures.length < 100) failures.push(message);
  };
  const pairs = new Map(problem.pairs.map((p) => [pairKey(p.citizen, p.occurrence), p]));
  const forbidden = new Set((problem.forbidden ?? []).map((r) => pairKey(r.citizen, r.occurrence)));
  const seats = new Map<string, number>();
  const loads = new Map<string, number>();
  const chosen = new Set<string>();
  let scores = 0;
  for (const a of solution.assignments) {
    const key = pairKey(a.citizen, a.occurrence);
    const pair = pairs.get(key);
    if (!pair) {
      fail(`${a.citizen}/${a.occurrence} is not an eligible pair`);
      continue;
    }
    if (chosen.has(key)) fail(`${a.citizen}/${a.occurrence} is assigned twice`);
    if (forbidden.has(key)) fail(`${a.citizen}/${a.occurrence} is forbidden`);
    chosen.add(key);
    scores += pair.score;
    seats.set(a.occurrence, (seats.get(a.occurrence) ?? 0) + 1);
    loads.set(a.citizen, (loads.get(a.citizen) ?? 0) + pair.loadMinutes);
  }
  for (const r of problem.fixed ?? []) if (!chosen.has(pairKey(r.citizen, r.occurrence))) fail(`fixed pair ${r.citizen}/${r.occurrence} is not kept`);
  for (const o of problem.occurrences) {
    const n = seats.get(o.id) ?? 0;
    if (n > o.headcount) fail(`occurrence ${o.id} has ${n} citizens for ${o.headcount} seats`);
  }
  let penalty = 0;
  for (const c of problem.citizens) {
    const load = loads.get(c.id) ?? 0;
    if (load > c.capacityMinutes + 1e-6) fail(`citizen ${c.id} takes ${load} minutes, more than their ${c.capacityMinutes}`);
    for (const step of problem.fairness ?? []) penalty += step.weightPerMinute * Math.max(0, load - step.aboveMinutes);
  }
  for (const group of problem.conflicts ?? []) {
    const taken = new Set(group.occurrences.filter((o) => chosen.has(pairKey(group.citizen, o))));
    if (taken.size > 1) fail(`citizen ${group.citizen} has ${taken.size} occurrences of one conflict group (${[...taken].join(", ")})`);
  }
  const objective = scores - penalty;
  const slack = 1e-9 * Math.max(1, Math.abs(objective)) + 1e-9 * solution.assignments.length;
  if (Math.abs(objective - solution.objective) > slack) fail(`objective is ${objective}, the solution says ${solution.objective}`);
  if (!(solution.bound >= solution.objective - slack)) fail(`bound ${solution.bound} is below the objective ${solution.objective}`);
  const gap = Math.max(0, (solution.bound - solution.objective) / Math.max(1, Math.abs(solution.bound)));
  if (Number.isFinite(solution.bound) && Math.abs(gap - solution.gap) > 1e-9) fail(`gap is ${gap}, the solution says ${solution.gap}`);
  // OPTIMAL when every component's bound meets its objective within the tolerance.
  const proven = solution.bound - solution.objective < solution.tolerance * Math.max(1, solution.components.length);
  if (solution.status === "OPTIMAL" && !proven)
    fail(`status OPTIMAL with bound - objective = ${solution.bound - solution.objective}, not below the tolerance ${solution.tolerance}`);
  if ((solution.status === "OPTIMAL") !== (solution.stoppedBy === "OPTIMAL")) fail(`status ${solution.status} but stopped by ${solution.stoppedBy}`);
  return failures;
}
