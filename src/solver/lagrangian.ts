// A bound tighter than the LP relaxation for large components: Lagrangian relaxation of the
// headcount rows. Pure, no solver library.
//
// With a price λ_o ≥ 0 on each occurrence's seats, the problem splits into one small problem per
// citizen: choose, among their own pairs, the set worth most at the prices (score - λ_o), within
// their capacity and conflicts, less the fairness penalty. For any prices,
//   L(λ) = Σ_o λ_o · headcount_o + Σ_c (best value of citizen c's problem)
// is an upper bound on the optimum. Each citizen's problem is solved exactly (as an integer
// problem), which is what makes L tighter than the LP bound: at the LP's dual prices L(λ) is at
// most the LP optimum, and a few subgradient steps lower it further. On the seeded XL instances
// the LP bound is about 0.11 % above the optimum; what remains is the knapsack and conflict
// structure of each citizen, which the exact per-citizen problems capture.
import { fairnessPenalty, type Component } from "./model";

export interface CitizenItems {
  /** Pair indices of the citizen, in the component. */
  pairs: number[];
  /** For each item (position in `pairs`), the positions of the items it conflicts with. */
  conflicts: number[][];
}

/** Search nodes per citizen before its exact value is replaced by a relaxed upper bound. */
const MAX_NODES = 20_000;

function citizenItems(component: Component): CitizenItems[] {
  const pairsOf: number[][] = component.citizenIds.map(() => []);
  component.pairs.forEach((p, i) => pairsOf[p.citizen]!.push(i));
  const position = new Int32Array(component.pairs.length);
  pairsOf.forEach((list) => list.forEach((i, k) => (position[i] = k)));
  const conflicts: number[][][] = pairsOf.map((list) => list.map(() => []));
  for (const group of component.conflictGroups) {
    const c = component.pairs[group[0]!]!.citizen;
    for (const a of group) for (const b of group) if (a !== b) conflicts[c]![position[a]!]!.push(position[b]!);
  }
  return pairsOf.map((pairs, c) => ({ pairs, conflicts: conflicts[c]! }));
}

export interface CitizenChoice {
  /** Upper bound on the citizen's best value at these prices (exact unless `exact` is false). */
  value: number;
  exact: boolean;
  /** Pair indices chosen by the best set found. */
  chosen: number[];
}

/**
 * Best set of one citizen's pairs at the given pair values: within capacity, at most one of each
 * conflict group, fixed pairs always in, less the fairness penalty of the load. Depth-first
 * search over the pairs worth something, densest first, pruned with the fractional-knapsack
 * bound; when the search is too long, the fractional bound itself is returned (still an upper
 * bound, so the Lagrangian bound stays valid).
 */
export function bestChoiceOfCitizen(component: Component, items: CitizenItems, citizen: number, value: (pair: number) => number): CitizenChoice {
  const { pairs: pairList, conflicts } = items;
  const capacity = component.capacity[citizen]!;
  // blocked[k] > 0: item k conflicts with something already chosen.
  const blocked = new Int32Array(pairList.length);
  let forcedValue = 0;
  let forcedLoad = 0;
  const forced: number[] = [];
  pairList.forEach((i, k) => {
    if (!component.pairs[i]!.fixed) return;
    forced.push(i);
    forcedValue += value(i);
    forcedLoad += component.pairs[i]!.load;
    for (const other of conflicts[k]!) blocked[other]! += 1;
  });
  // Candidates: worth something, compatible with the fixed pairs, fitting in what is left.
  const candidates: { pair: number; k: number; value: number; load: number }[] = [];
  pairList.forEach((i, k) => {
    const p = component.pairs[i]!;
    if (p.fixed || value(i) <= 0 || blocked[k]! > 0 || forcedLoad + p.load > capacity) return;
    candidates.push({ pair: i, k, value: value(i), load: p.load });
  });
  const base = forcedValue - fairnessPenalty(forcedLoad, component.fairness);
  if (candidates.length === 0) return { value: base, exact: true, chosen: forced };
  candidates.sort((a, b) => b.value / Math.max(1, b.load) - a.value / Math.max(1, a.load) || a.pair - b.pair);
  const n = candidates.length;
  let best = base;
  let bestSet: number[] = [];
  const current: number[] = [];
  let nodes = 0;
  let aborted = false;
  // Upper bound of what candidates from `from` on can add with `room` minutes left (the extra
  // penalty and conflicts among them ignored: both only lower the value).
  const fractional = (from: number, room: number) => {
    let sum = 0;
    for (let j = from; j < n && room > 0; j++) {
      const c = candidates[j]!;
      if (blocked[c.k]! > 0) continue;
      if (c.load <= room) {
        sum += c.value;
        room -= c.load;
      } else {
        sum += (c.value * room) / c.load;
        room = 0;
      }
    }
    return sum;
  };
  const search = (from: number, sumValue: number, load: number) => {
    if (++nodes > MAX_NODES) {
      aborted = true;
      return;
    }
    const objective = base + sumValue - (fairnessPenalty(forcedLoad + load, component.fairness) - fairnessPenalty(forcedLoad, component.fairness));
    if (objective > best) {
      best = objective;
      bestSet = [...current];
    }
    for (let j = from; j < n && !aborted; j++) {
      const c = candidates[j]!;
      if (blocked[c.k]! > 0 || forcedLoad + load + c.load > capacity) continue;
      if (base + sumValue + fractional(j, capacity - forcedLoad - load) <= best) return;
      current.push(c.pair);
      for (const other of conflicts[c.k]!) blocked[other]! += 1;
      search(j + 1, sumValue + c.value, load + c.load);
      for (const other of conflicts[c.k]!) blocked[other]! -= 1;
      current.pop();
    }
  };
  const rootBound = base + fractional(0, capacity - forcedLoad);
  search(0, 0, 0);
  if (aborted) return { value: Math.max(best, rootBound), exact: false, chosen: [...forced, ...bestSet] };
  return { value: best, exact: true, chosen: [...forced, ...bestSet] };
}

export interface LagrangianOptions {
  /** Starting prices per occurrence (for instance the LP's duals of the headcount rows). */
  prices?: ArrayLike<number>;
  /** Objective of a known solution: the target of the step size. */
  incumbent: number;
  /** Stop after this long (milliseconds). */
  timeLimitMs: number;
  maxIterations?: number;
}

export interface LagrangianResult {
  bound: number;
  iterations: number;
}

/**
 * Subgradient descent on the prices (Polyak steps towards the incumbent), keeping the lowest
 * bound seen. Every evaluation is a valid bound, so stopping at any time is safe.
 */
export function lagrangianBound(component: Component, options: LagrangianOptions): LagrangianResult {
  const started = performance.now();
  const items = citizenItems(component);
  const O = component.occurrenceIds.length;
  const prices = Float64Array.from({ length: O }, (_, o) => Math.max(0, options.prices?.[o] ?? 0));
  const used = new Int32Array(O);
  let best = Number.POSITIVE_INFINITY;
  let step = 1;
  let sinceImproved = 0;
  let iterations = 0;
  const maxIterations = options.maxIterations ?? 200;
  while (iterations < maxIterations && performance.now() - started < options.timeLimitMs) {
    iterations += 1;
    used.fill(0);
    let value = 0;
    for (let o = 0; o < O; o++) value += prices[o]! * component.headcount[o]!;
    for (let c = 0; c < items.length; c++) {
      const choice = bestChoiceOfCitizen(component, items[c]!, c, (i) => component.pairs[i]!.score - prices[component.pairs[i]!.occurrence]!);
      value += choice.value;
      for (const i of choice.chosen) used[component.pairs[i]!.occurrence]! += 1;
    }
    if (value < best - 1e-9) {
      best = value;
      sinceImproved = 0;
    } else if (++sinceImproved >= 5) {
      step /= 2;
      sinceImproved = 0;
    }
    // Subgradient of L at these prices: free seats (positive) lower the price, oversubscribed
    // seats raise it; prices stay non-negative.
    let norm = 0;
    for (let o = 0; o < O; o++) {
      const g = component.headcount[o]! - used[o]!;
      if (g < 0 || prices[o]! > 0) norm += g * g;
    }
    if (norm === 0 || value - options.incumbent <= 1e-9 || step < 1e-6) break;
    const t = (step * (value - options.incumbent)) / norm;
    for (let o = 0; o < O; o++) prices[o] = Math.max(0, prices[o]! - t * (component.headcount[o]! - used[o]!));
  }
  return { bound: best, iterations };
}
