// The problem in index form, split into independent components, with the objective and a
// feasibility check every backend's answer goes through. Pure.
import { fitsCapacity, type FairnessStep, type MatchingProblem, type ProblemPairRef } from "./problem";

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
  fairness: FairnessStep[];
}

const key = (citizen: string, occurrence: string) => `${citizen}\u0000${occurrence}`;
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Splits the problem into connected components of the citizen-occurrence graph. Conflicts and
 * capacities only join pairs of the same citizen, so they never cross components. Forbidden
 * pairs are dropped here. The problem has been through parseProblem. Components come out in a deterministic order (ids compared by code
 * units, never by locale). With `options.decompose: false` everything is one component.
 */
export function decompose(problem: MatchingProblem): Component[] {
  const forbidden = new Set((problem.forbidden ?? []).map((r) => key(r.citizen, r.occurrence)));
  const fixed = new Set((problem.fixed ?? []).map((r) => key(r.citizen, r.occurrence)));
  const isFixed = (p: { citizen: string; occurrence: string }) => fixed.size > 0 && fixed.has(key(p.citizen, p.occurrence));
  const pairs = forbidden.size === 0 ? problem.pairs : problem.pairs.filter((p) => !forbidden.has(key(p.citizen, p.occurrence)));

  // Ids to numbers, in sorted order: citizens 0..C-1, occurrences C..C+O-1.
  const citizenIds = [...new Set(pairs.map((p) => p.citizen))].sort(byCodeUnits);
  const occurrenceIds = [...new Set(pairs.map((p) => p.occurrence))].sort(byCodeUnits);
  const citizenIndex = new Map(citizenIds.map((id, i) => [id, i]));
  const occurrenceIndex = new Map(occurrenceIds.map((id, i) => [id, i]));
  const C = citizenIds.length;
  const pairCitizen = Int32Array.from(pairs, (p) => citizenIndex.get(p.citizen)!);
  const pairOccurrence = Int32Array.from(pairs, (p) => occurrenceIndex.get(p.occurrence)!);

  // Union-find over citizens and occurrences; a root is its set's smallest node.
  const parent = Int32Array.from({ length: C + occurrenceIds.length }, (_, i) => i);
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[x] !== root) {
      const next = parent[x]!;
      parent[x] = root;
      x = next;
    }
    return root;
  };
  const whole = problem.options?.decompose === false;
  for (let i = 0; i < pairs.length; i++) {
    const a = find(pairCitizen[i]!);
    const b = find(C + pairOccurrence[i]!);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  // Pairs of each component, ordered by citizen then occurrence.
  const order = Array.from(pairs.keys()).sort((a, b) => pairCitizen[a]! - pairCitizen[b]! || pairOccurrence[a]! - pairOccurrence[b]!);
  const byRoot = new Map<number, number[]>();
  for (const i of order) {
    const root = whole ? 0 : find(pairCitizen[i]!);
    let list = byRoot.get(root);
    if (!list) byRoot.set(root, (list = []));
    list.push(i);
  }

  const capacityOf = new Map(problem.citizens.map((c) => [c.id, c.capacityMinutes]));
  const headcountOf = new Map(problem.occurrences.map((o) => [o.id, o.headcount]));
  const conflictsByCitizen = new Map<string, string[][]>();
  for (const group of problem.conflicts ?? []) {
    const list = conflictsByCitizen.get(group.citizen) ?? [];
    list.push(group.occurrences);
    conflictsByCitizen.set(group.citizen, list);
  }
  const fairness = [...(problem.fairness ?? [])].sort((a, b) => a.aboveMinutes - b.aboveMinutes);

  const components: Component[] = [];
  for (const root of [...byRoot.keys()].sort((a, b) => a - b)) {
    const list = byRoot.get(root)!;
    const localCitizen = new Map<number, number>();
    const localOccurrence = new Map<number, number>();
    for (const i of list) if (!localCitizen.has(pairCitizen[i]!)) localCitizen.set(pairCitizen[i]!, localCitizen.size);
    const occurrencesHere = [...new Set(list.map((i) => pairOccurrence[i]!))].sort((a, b) => a - b);
    occurrencesHere.forEach((o, k) => {
      localOccurrence.set(o, k);
    });
    const componentCitizens = [...localCitizen.keys()].map((c) => citizenIds[c]!);
    const componentOccurrences = occurrencesHere.map((o) => occurrenceIds[o]!);
    const indexed = list.map((i) => ({
      citizen: localCitizen.get(pairCitizen[i]!)!,
      occurrence: localOccurrence.get(pairOccurrence[i]!)!,
      score: pairs[i]!.score,
      load: pairs[i]!.loadMinutes,
      fixed: isFixed(pairs[i]!),
    }));
    // A citizen's pairs are contiguous and sorted by occurrence: a group's members are found by
    // binary search, without a map per citizen.
    const occurrenceLocal = new Map(componentOccurrences.map((id, k) => [id, k]));
    const citizenStart = new Int32Array(componentCitizens.length + 1);
    indexed.forEach((p) => {
      citizenStart[p.citizen + 1]! += 1;
    });
    for (let c = 0; c < componentCitizens.length; c++) citizenStart[c + 1]! += citizenStart[c]!;
    const pairOf = (c: number, occurrence: number) => {
      let lo = citizenStart[c]!;
      let hi = citizenStart[c + 1]! - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const o = indexed[mid]!.occurrence;
        if (o === occurrence) return mid;
        if (o < occurrence) lo = mid + 1;
        else hi = mid - 1;
      }
      return undefined;
    };
    const conflictGroups: number[][] = [];
    componentCitizens.forEach((citizen, c) => {
      for (const group of conflictsByCitizen.get(citizen) ?? []) {
        const members = new Set<number>();
        for (const id of group) {
          const o = occurrenceLocal.get(id);
          const k = o === undefined ? undefined : pairOf(c, o);
          if (k !== undefined) members.add(k);
        }
        if (members.size > 1) conflictGroups.push([...members].sort((a, b) => a - b));
      }
    });
    components.push({
      citizenIds: componentCitizens,
      occurrenceIds: componentOccurrences,
      capacity: componentCitizens.map((id) => capacityOf.get(id) ?? 0),
      headcount: componentOccurrences.map((id) => headcountOf.get(id) ?? 0),
      pairs: indexed,
      conflictGroups,
      fairness,
    });
  }
  return components;
}

/** Fairness penalty of one citizen's load: convex, piecewise linear, never negative. */
export function fairnessPenalty(load: number, steps: FairnessStep[]): number {
  let sum = 0;
  for (const step of steps) if (load > step.aboveMinutes) sum += step.weightPerMinute * (load - step.aboveMinutes);
  return sum;
}

/**
 * The conflict groups each pair belongs to, as CSR arrays (groups of pair i are
 * members[offsets[i]..offsets[i+1]]): linear in the size of the groups, however large a group.
 */
export interface PairGroups {
  offsets: Int32Array;
  groups: Int32Array;
}

const pairGroupsCache = new WeakMap<Component, PairGroups>();
export function pairGroups(component: Component): PairGroups {
  const cached = pairGroupsCache.get(component);
  if (cached) return cached;
  const offsets = new Int32Array(component.pairs.length + 1);
  for (const group of component.conflictGroups) for (const i of group) offsets[i + 1]! += 1;
  for (let i = 0; i < component.pairs.length; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, component.pairs.length);
  const groups = new Int32Array(offsets[component.pairs.length]!);
  component.conflictGroups.forEach((group, g) => {
    for (const i of group) groups[fill[i]!++] = g;
  });
  const result = { offsets, groups };
  pairGroupsCache.set(component, result);
  return result;
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
    if (!fitsCapacity(load, component.capacity[c]!)) problems.push(`citizen ${component.citizenIds[c]} over capacity (${load} > ${component.capacity[c]})`);
  });
  seats.forEach((n, o) => {
    if (n > component.headcount[o]!) problems.push(`occurrence ${component.occurrenceIds[o]} over headcount (${n} > ${component.headcount[o]})`);
  });
  for (const group of component.conflictGroups) {
    if (group.filter((i) => chosen[i]).length > 1)
      problems.push(`overlapping occurrences for citizen ${component.citizenIds[component.pairs[group[0]!]!.citizen]}`);
  }
  return problems;
}

export function assignmentsOf(component: Component, chosen: boolean[]): ProblemPairRef[] {
  return component.pairs
    .filter((_, i) => chosen[i])
    .map((p) => ({ citizen: component.citizenIds[p.citizen]!, occurrence: component.occurrenceIds[p.occurrence]! }));
}
