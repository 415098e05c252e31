// The problem in index form, split into independent components, with the objective and a
// feasibility check every backend's answer goes through. Pure.
import type { MatchingProblem, ProblemPairRef } from "./problem";

export interface IndexedPair {
  citizen: number;
  occurrence: number;
  score: number;
  load: number;
  fixed: boolean;
}

/** One connected component of the eligibility graph: solvable on its own. */
export interface Component {
  citizenIds: string[];
  occurrenceIds: string[];
  capacity: number[];
  headcount: number[];
  pairs: IndexedPair[];
  /** Groups of pair indices of which at most one may be chosen (one citizen's overlapping occurrences). */
  conflictGroups: number[][];
  fairness: { aboveMinutes: number; weightPerMinute: number }[];
}

const key = (citizen: string, occurrence: string) => `${citizen}\u0000${occurrence}`;

/**
 * Splits the problem into connected components of the citizen-occurrence graph. Conflicts and
 * capacities only join pairs of the same citizen, so they never cross components. Forbidden
 * pairs are dropped here. Components come out in a deterministic order. With
 * `options.decompose: false` everything is one component.
 */
export function decompose(problem: MatchingProblem): Component[] {
  const forbidden = new Set((problem.forbidden ?? []).map((r) => key(r.citizen, r.occurrence)));
  const fixed = new Set((problem.fixed ?? []).map((r) => key(r.citizen, r.occurrence)));
  const pairs = problem.pairs.filter((p) => !forbidden.has(key(p.citizen, p.occurrence)) || fixed.has(key(p.citizen, p.occurrence)));

  // Union-find over citizens and occurrences.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    let node = x;
    while (node !== root) {
      const next = parent.get(node)!;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  for (const p of pairs) {
    const a = `c:${p.citizen}`;
    const b = `o:${p.occurrence}`;
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }

  const byRoot = new Map<string, typeof pairs>();
  const whole = problem.options?.decompose === false;
  for (const p of pairs) {
    const root = whole ? "all" : find(`c:${p.citizen}`);
    const list = byRoot.get(root) ?? [];
    list.push(p);
    byRoot.set(root, list);
  }
  const capacityOf = new Map(problem.citizens.map((c) => [c.id, c.capacityMinutes]));
  const headcountOf = new Map(problem.occurrences.map((o) => [o.id, o.headcount]));
  const conflictsByCitizen = new Map<string, string[][]>();
  for (const group of problem.conflicts ?? []) {
    const list = conflictsByCitizen.get(group.citizen) ?? [];
    list.push(group.occurrences);
    conflictsByCitizen.set(group.citizen, list);
  }

  const components: Component[] = [];
  for (const root of [...byRoot.keys()].sort()) {
    const list = byRoot.get(root)!.sort((a, b) => a.citizen.localeCompare(b.citizen) || a.occurrence.localeCompare(b.occurrence));
    const citizenIds = [...new Set(list.map((p) => p.citizen))].sort();
    const occurrenceIds = [...new Set(list.map((p) => p.occurrence))].sort();
    const ci = new Map(citizenIds.map((id, i) => [id, i]));
    const oi = new Map(occurrenceIds.map((id, i) => [id, i]));
    const indexed = list.map((p) => ({ citizen: ci.get(p.citizen)!, occurrence: oi.get(p.occurrence)!, score: p.score, load: p.loadMinutes, fixed: fixed.has(key(p.citizen, p.occurrence)) }));
    const pairIndex = new Map(list.map((p, i) => [key(p.citizen, p.occurrence), i]));
    const conflictGroups: number[][] = [];
    for (const citizen of citizenIds) {
      for (const group of conflictsByCitizen.get(citizen) ?? []) {
        const members = group.map((o) => pairIndex.get(key(citizen, o))).filter((i): i is number => i !== undefined);
        if (members.length > 1) conflictGroups.push(members.sort((a, b) => a - b));
      }
    }
    components.push({
      citizenIds,
      occurrenceIds,
      capacity: citizenIds.map((id) => capacityOf.get(id) ?? 0),
      headcount: occurrenceIds.map((id) => headcountOf.get(id) ?? 0),
      pairs: indexed,
      conflictGroups,
      fairness: [...(problem.fairness ?? [])].sort((a, b) => a.aboveMinutes - b.aboveMinutes),
    });
  }
  return components;
}

/** Fairness penalty of one citizen's load: convex, piecewise linear. */
export function fairnessPenalty(load: number, steps: Component["fairness"]): number {
  return steps.reduce((sum, step) => sum + step.weightPerMinute * Math.max(0, load - step.aboveMinutes), 0);
}

/** Objective of a choice of pairs: scores minus fairness penalties. */
export function objectiveOf(component: Component, chosen: boolean[]): number {
  const loads = new Array<number>(component.citizenIds.length).fill(0);
  let total = 0;
  component.pairs.forEach((p, i) => {
    if (!chosen[i]) return;
    total += p.score;
    loads[p.citizen]! += p.load;
  });
  return total - loads.reduce((sum, load) => sum + fairnessPenalty(load, component.fairness), 0);
}

/** Every hard constraint, checked on a choice of pairs; returns what is violated (empty when feasible). */
export function violations(component: Component, chosen: boolean[]): string[] {
  const problems: string[] = [];
  const loads = new Array<number>(component.citizenIds.length).fill(0);
  const seats = new Array<number>(component.occurrenceIds.length).fill(0);
  component.pairs.forEach((p, i) => {
    if (chosen[i]) {
      loads[p.citizen]! += p.load;
      seats[p.occurrence]! += 1;
    } else if (p.fixed) problems.push(`fixed pair ${component.citizenIds[p.citizen]}/${component.occurrenceIds[p.occurrence]} not kept`);
  });
  loads.forEach((load, c) => {
    if (load > component.capacity[c]! + 1e-6) problems.push(`citizen ${component.citizenIds[c]} over capacity (${load} > ${component.capacity[c]})`);
  });
  seats.forEach((n, o) => {
    if (n > component.headcount[o]!) problems.push(`occurrence ${component.occurrenceIds[o]} over headcount (${n} > ${component.headcount[o]})`);
  });
  for (const group of component.conflictGroups) {
    if (group.filter((i) => chosen[i]).length > 1) problems.push(`overlapping occurrences for citizen ${component.citizenIds[component.pairs[group[0]!]!.citizen]}`);
  }
  return problems;
}

export function assignmentsOf(component: Component, chosen: boolean[]): ProblemPairRef[] {
  return component.pairs.filter((_, i) => chosen[i]).map((p) => ({ citizen: component.citizenIds[p.citizen]!, occurrence: component.occurrenceIds[p.occurrence]! }));
}
