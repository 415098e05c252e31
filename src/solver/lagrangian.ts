// Lagrangian relaxation of the headcount rows: a bound tighter than the LP relaxation, and a
// proof that most pairs cannot be in any better solution. Pure, no solver library.
//
// With a price λ_o ≥ 0 on each occurrence's seats, the problem splits into one small problem per
// citizen: choose, among their own pairs, the set worth most at the prices (score - λ_o), within
// their capacity and conflict groups, less the fairness penalty. For any prices,
//   L(λ) = Σ_o λ_o · headcount_o + Σ_c (best value of citizen c's problem)
// is an upper bound on the optimum, as long as each citizen's value is exact or an upper bound
// of it. Each citizen's problem is solved as an integer problem (a search with a valid pruning
// bound), which is what makes L tighter than the LP bound: what is left between the LP and the
// optimum is mostly each citizen's knapsack and conflict structure, which these capture.
import { fairnessPenalty, pairGroups, type Component } from "./model";
import { fitsCapacity } from "./problem";

/** Search nodes per citizen problem before its exact value is replaced by a relaxed upper bound. */
export const MAX_CITIZEN_NODES = 20_000;

export interface CitizenChoice {
  /** The best value at these prices, or an upper bound of it when `exact` is false. */
  value: number;
  exact: boolean;
  /** Pair indices of the best set found (feasible for the citizen). */
  chosen: number[];
  /** Search nodes used. */
  nodes: number;
}

interface Candidate {
  pair: number;
  value: number;
  load: number;
}

/**
 * Each citizen's own problem: the best set of their pairs at given pair values, within their
 * capacity, at most one pair of each conflict group, pinned pairs always in, less the fairness
 * penalty of the load. Depth-first search over the pairs worth something, densest first (pairs
 * taking no minutes before all), pruned with the fractional-knapsack bound of what is left
 * (conflicts and the extra penalty ignored: both only lower a value, so the bound stays valid).
 * Exact on every input; a search longer than `maxNodes` returns the fractional bound of the
 * whole problem instead, still an upper bound.
 */
export class CitizenSearch {
  readonly pairsOf: number[][];
  private readonly offsets: Int32Array;
  private readonly groups: Int32Array;
  /** How many chosen pairs hold each conflict group (0 or 1 on a consistent search). */
  private readonly taken: Int32Array;

  constructor(readonly component: Component) {
    this.pairsOf = component.citizenIds.map(() => []);
    component.pairs.forEach((p, i) => this.pairsOf[p.citizen]!.push(i));
    ({ offsets: this.offsets, groups: this.groups } = pairGroups(component));
    this.taken = new Int32Array(component.conflictGroups.length);
  }

  private blocked(pair: number): boolean {
    for (let k = this.offsets[pair]!; k < this.offsets[pair + 1]!; k++) if (this.taken[this.groups[k]!]! > 0) return true;
    return false;
  }

  private mark(pair: number, delta: 1 | -1) {
    for (let k = this.offsets[pair]!; k < this.offsets[pair + 1]!; k++) this.taken[this.groups[k]!]! += delta;
  }

  /**
   * Best choice of one citizen. `value(i)` is pair i's value at the current prices. `forceIn`
   * and `forceOut` add a pair that must be in or out (for variable fixing); a forced-in pair
   * that cannot be kept with the pinned ones gives -Infinity.
   */
  best(citizen: number, value: (pair: number) => number, force: { in?: number; out?: number } = {}, maxNodes = MAX_CITIZEN_NODES): CitizenChoice {
    const { component } = this;
    const own = this.pairsOf[citizen]!;
    const capacity = component.capacity[citizen]!;
    const forced: number[] = [];
    let forcedValue = 0;
    let forcedLoad = 0;
    let feasible = true;
    for (const i of own) {
      if (!(component.pairs[i]!.fixed || i === force.in)) continue;
      if (i === force.out || this.blocked(i)) feasible = false;
      forced.push(i);
      forcedValue += value(i);
      forcedLoad += component.pairs[i]!.load;
      this.mark(i, 1);
    }
    const release = () => forced.forEach((i) => this.mark(i, -1));
    if (!feasible || !fitsCapacity(forcedLoad, capacity)) {
      release();
      return { value: Number.NEGATIVE_INFINITY, exact: true, chosen: [], nodes: 0 };
    }
    const base = forcedValue - fairnessPenalty(forcedLoad, component.fairness);
    const candidates: Candidate[] = [];
    for (const i of own) {
      const p = component.pairs[i]!;
      if (p.fixed || i === force.in || i === force.out) continue;
      const v = value(i);
      // A pair worth nothing at these prices never raises the value (the penalty only grows).
      if (v <= 0 || this.blocked(i) || !fitsCapacity(forcedLoad + p.load, capacity)) continue;
      candidates.push({ pair: i, value: v, load: p.load });
    }
    if (candidates.length === 0) {
      release();
      return { value: base, exact: true, chosen: forced, nodes: 0 };
    }
    // Densest first; pairs that take no minutes have infinite density and come first.
    const density = (c: Candidate) => (c.load === 0 ? Number.POSITIVE_INFINITY : c.value / c.load);
    candidates.sort((a, b) => density(b) - density(a) || b.value - a.value || a.pair - b.pair);
    const n = candidates.length;
    // What candidates from `from` on can add with `room` minutes left, as a fractional knapsack.
    const fractional = (from: number, room: number) => {
      let sum = 0;
      for (let j = from; j < n; j++) {
        const c = candidates[j]!;
        if (this.blocked(c.pair)) continue;
        if (fitsCapacity(c.load, room)) {
          sum += c.value;
          room -= c.load;
        } else {
          sum += (c.value * Math.max(0, room)) / c.load;
          break;
        }
      }
      return sum;
    };
    const penaltyAtBase = fairnessPenalty(forcedLoad, component.fairness);
    let best = base;
    let bestSet: number[] = [];
    const current: number[] = [];
    let nodes = 0;
    let aborted = false;
    const search = (from: number, sumValue: number, load: number) => {
      if (++nodes > maxNodes) {
        aborted = true;
        return;
      }
      const objective = base + sumValue - (fairnessPenalty(forcedLoad + load, component.fairness) - penaltyAtBase);
      if (objective > best) {
        best = objective;
        bestSet = [...current];
      }
      for (let j = from; j < n && !aborted; j++) {
        const c = candidates[j]!;
        if (this.blocked(c.pair) || !fitsCapacity(forcedLoad + load + c.load, capacity)) continue;
        if (base + sumValue + fractional(j, capacity - forcedLoad - load) <= best) return;
        current.push(c.pair);
        this.mark(c.pair, 1);
        search(j + 1, sumValue + c.value, load + c.load);
        this.mark(c.pair, -1);
        current.pop();
      }
    };
    const rootBound = base + fractional(0, capacity - forcedLoad);
    search(0, 0, 0);
    release();
    const chosen = [...forced, ...bestSet];
    if (aborted) return { value: Math.max(best, rootBound), exact: false, chosen, nodes };
    return { value: best, exact: true, chosen, nodes };
  }
}

export interface LagrangianOptions {
  /** Starting prices per occurrence (for instance the LP's duals of the headcount rows). */
  prices?: ArrayLike<number>;
  /** Objective of a known solution: the target of the step size. */
  incumbent: number;
  /** Subgradient steps at most. */
  maxSteps: number;
  /** Called after each step with the work it took (search nodes and pairs visited); true stops. */
  onStep?: (work: number) => boolean;
}

export interface LagrangianResult {
  bound: number;
  /** The prices at which the bound was found. */
  prices: Float64Array;
  steps: number;
}

/** L(λ) at the given prices, with what each citizen chose. */
export function evaluatePrices(search: CitizenSearch, prices: Float64Array, used?: Int32Array): { value: number; work: number } {
  const { component } = search;
  let value = 0;
  let work = component.pairs.length;
  for (let o = 0; o < prices.length; o++) value += prices[o]! * component.headcount[o]!;
  const at = (i: number) => component.pairs[i]!.score - prices[component.pairs[i]!.occurrence]!;
  used?.fill(0);
  for (let c = 0; c < search.pairsOf.length; c++) {
    const choice = search.best(c, at);
    value += choice.value;
    work += choice.nodes;
    if (used) for (const i of choice.chosen) used[component.pairs[i]!.occurrence]! += 1;
  }
  return { value, work };
}

/**
 * Subgradient descent on the prices (Polyak steps towards the incumbent), keeping the lowest
 * bound seen. Every evaluation is a valid bound, so stopping after any step is safe. The number
 * of steps, not the clock, decides when it ends, so the result is the same on any machine.
 */
export function lagrangianBound(component: Component, options: LagrangianOptions, search = new CitizenSearch(component)): LagrangianResult {
  const O = component.occurrenceIds.length;
  const prices = Float64Array.from({ length: O }, (_, o) => Math.max(0, options.prices?.[o] ?? 0));
  const used = new Int32Array(O);
  let best = Number.POSITIVE_INFINITY;
  let bestPrices = prices.slice();
  let step = 1;
  let sinceImproved = 0;
  let steps = 0;
  while (steps < options.maxSteps) {
    steps += 1;
    const { value, work } = evaluatePrices(search, prices, used);
    if (value < best - 1e-9) {
      best = value;
      bestPrices = prices.slice();
      sinceImproved = 0;
    } else if (++sinceImproved >= 5) {
      step /= 2;
      sinceImproved = 0;
    }
    if (options.onStep?.(work)) break;
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
  return { bound: best, prices: bestPrices, steps };
}

export interface Fixing {
  /** Per pair: 1 in every solution better than the threshold, 0 in none, -1 undecided. */
  fix: Int8Array;
  /** L at the prices, the bound the fixing rests on. */
  bound: number;
  work: number;
}

/**
 * Variable fixing by the Lagrangian bound: a pair whose presence (or absence) caps L below
 * `threshold` cannot be in (or out of) any solution worth `threshold` or more. For each pair
 * the citizen's problem is solved again with the pair forced in or out; the rest of L is the
 * same. With the threshold at the incumbent plus the tolerance, every solution better than
 * the incumbent by a whole tolerance keeps these values.
 */
export function fixByLagrangian(search: CitizenSearch, prices: Float64Array, threshold: number, stop: () => boolean = () => false): Fixing {
  const { component } = search;
  const fix = new Int8Array(component.pairs.length).fill(-1);
  let bound = 0;
  let work = component.pairs.length;
  for (let o = 0; o < prices.length; o++) bound += prices[o]! * component.headcount[o]!;
  const at = (i: number) => component.pairs[i]!.score - prices[component.pairs[i]!.occurrence]!;
  const choices = search.pairsOf.map((_, c) => search.best(c, at));
  for (const choice of choices) {
    bound += choice.value;
    work += choice.nodes;
  }
  // Stopped early, the pairs not reached stay undecided, which is always safe.
  for (let c = 0; c < choices.length; c++) {
    if (c % 256 === 255 && stop()) break;
    const choice = choices[c]!;
    const rest = bound - choice.value;
    const inBest = new Set(choice.chosen);
    for (const i of search.pairsOf[c]!) {
      if (component.pairs[i]!.fixed) {
        fix[i] = 1;
        continue;
      }
      const other = inBest.has(i) ? search.best(c, at, { out: i }) : search.best(c, at, { in: i });
      work += other.nodes;
      if (rest + other.value < threshold) fix[i] = inBest.has(i) ? 1 : 0;
    }
  }
  return { fix, bound, work };
}
