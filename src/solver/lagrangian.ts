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

/** A pair forced into or out of a citizen's choice (variable fixing). */
export interface Force {
  in?: number;
  out?: number;
}

const NO_FORCE: Force = {};

/**
 * Each citizen's own problem: the best set of their pairs at given seat prices (a pair is worth
 * its score less its occurrence's price), within their capacity, at most one pair of each
 * conflict group, pinned pairs always in, less the fairness penalty of the load. Depth-first
 * search over the pairs worth something, densest first (pairs taking no minutes before all),
 * pruned with the fractional-knapsack bound of what is left (conflicts and the extra penalty
 * ignored: both only lower a value, so the bound stays valid). Exact on every input; a search
 * longer than `maxNodes` returns the fractional bound of the whole problem instead, still an
 * upper bound. Scratch arrays are reused: one search at a time.
 */
export class CitizenSearch {
  readonly pairsOf: Int32Array[];
  private readonly offsets: Int32Array;
  private readonly groups: Int32Array;
  /** How many chosen pairs hold each conflict group (0 or 1 on a consistent search). */
  private readonly taken: Int32Array;
  private readonly score: Float64Array;
  private readonly load: Float64Array;
  private readonly occurrence: Int32Array;
  private readonly fixed: Uint8Array;
  // Candidates of the current search, sorted by density: pair, value, load.
  private readonly candidate: Int32Array;
  private readonly candidateValue: Float64Array;
  private readonly candidateLoad: Float64Array;
  private readonly stack: Int32Array;
  private readonly bestStack: Int32Array;
  private readonly forced: Int32Array;
  private forcedCount = 0;
  // State of the current search.
  private n = 0;
  private capacity = 0;
  private forcedLoad = 0;
  private base = 0;
  private penaltyAtBase = 0;
  private bestValue = 0;
  private bestSize = 0;
  private depth = 0;
  private nodes = 0;
  private maxNodes = 0;
  private aborted = false;
  /**
   * Checked every 1,024 search nodes: true aborts the search (its value is then the relaxed
   * upper bound, still valid). The wall-clock safety stop reaches into long searches this way.
   */
  stopCheck: (() => boolean) | null = null;

  constructor(readonly component: Component) {
    const counts = new Int32Array(component.citizenIds.length);
    for (const p of component.pairs) counts[p.citizen]! += 1;
    this.pairsOf = Array.from(counts, (n) => new Int32Array(n));
    const fill = new Int32Array(component.citizenIds.length);
    component.pairs.forEach((p, i) => {
      this.pairsOf[p.citizen]![fill[p.citizen]!++] = i;
    });
    ({ offsets: this.offsets, groups: this.groups } = pairGroups(component));
    this.taken = new Int32Array(component.conflictGroups.length);
    this.score = Float64Array.from(component.pairs, (p) => p.score);
    this.load = Float64Array.from(component.pairs, (p) => p.load);
    this.occurrence = Int32Array.from(component.pairs, (p) => p.occurrence);
    this.fixed = Uint8Array.from(component.pairs, (p) => (p.fixed ? 1 : 0));
    const most = counts.reduce((m, n) => Math.max(m, n), 0);
    this.candidate = new Int32Array(most);
    this.candidateValue = new Float64Array(most);
    this.candidateLoad = new Float64Array(most);
    this.stack = new Int32Array(most);
    this.bestStack = new Int32Array(most);
    this.forced = new Int32Array(most);
  }

  private blocked(pair: number): boolean {
    for (let k = this.offsets[pair]!; k < this.offsets[pair + 1]!; k++) if (this.taken[this.groups[k]!]! > 0) return true;
    return false;
  }

  private mark(pair: number, delta: 1 | -1) {
    for (let k = this.offsets[pair]!; k < this.offsets[pair + 1]!; k++) this.taken[this.groups[k]!]! += delta;
  }

  /**
   * Best choice of one citizen at the prices (null: scores alone). `force.in` and `force.out`
   * add a pair that must be in or out (for variable fixing); a forced-in pair that cannot be
   * kept with the pinned ones gives -Infinity.
   */
  best(citizen: number, prices: Float64Array | null, force: Force = NO_FORCE, maxNodes = MAX_CITIZEN_NODES): CitizenChoice {
    const value = this.solve(citizen, prices, force, maxNodes);
    const chosen = [...this.forced.subarray(0, this.forcedCount), ...this.bestStack.subarray(0, this.bestSize)];
    return { value, exact: !this.aborted, chosen, nodes: this.nodes };
  }

  /**
   * Adds the pairs of the citizen's best choice to `used` (per occurrence) and returns its
   * value: what one subgradient step needs, without building a result per citizen.
   */
  countInto(citizen: number, prices: Float64Array, used: Int32Array, visited?: Uint16Array): number {
    const value = this.solve(citizen, prices, NO_FORCE, MAX_CITIZEN_NODES);
    for (let k = 0; k < this.forcedCount; k++) used[this.occurrence[this.forced[k]!]!]! += 1;
    for (let k = 0; k < this.bestSize; k++) {
      used[this.occurrence[this.bestStack[k]!]!]! += 1;
      if (visited && visited[this.bestStack[k]!]! < 65_535) visited[this.bestStack[k]!]! += 1;
    }
    return value;
  }

  /** Search nodes of the last search. */
  get lastNodes(): number {
    return this.nodes;
  }

  private solve(citizen: number, prices: Float64Array | null, force: Force, maxNodes: number): number {
    const own = this.pairsOf[citizen]!;
    const capacity = this.component.capacity[citizen]!;
    const fairness = this.component.fairness;
    let forcedValue = 0;
    let forcedLoad = 0;
    let feasible = true;
    this.forcedCount = 0;
    this.bestSize = 0;
    this.nodes = 0;
    this.aborted = false;
    for (let k = 0; k < own.length; k++) {
      const i = own[k]!;
      if (!(this.fixed[i] || i === force.in)) continue;
      if (i === force.out || this.blocked(i)) feasible = false;
      this.forced[this.forcedCount++] = i;
      forcedValue += prices ? this.score[i]! - prices[this.occurrence[i]!]! : this.score[i]!;
      forcedLoad += this.load[i]!;
      this.mark(i, 1);
    }
    let result: number;
    if (!feasible || !fitsCapacity(forcedLoad, capacity)) {
      this.forcedCount = 0;
      result = Number.NEGATIVE_INFINITY;
    } else {
      const base = forcedValue - fairnessPenalty(forcedLoad, fairness);
      // Candidates, inserted in order of density (value per minute; pairs taking no minutes
      // first), then value, then pair index.
      let n = 0;
      for (let k = 0; k < own.length; k++) {
        const i = own[k]!;
        if (this.fixed[i] || i === force.in || i === force.out) continue;
        const v = prices ? this.score[i]! - prices[this.occurrence[i]!]! : this.score[i]!;
        // A pair worth nothing at these prices never raises the value (the penalty only grows).
        if (v <= 0) continue;
        const w = this.load[i]!;
        if (!fitsCapacity(forcedLoad + w, capacity) || this.blocked(i)) continue;
        let at = n++;
        while (at > 0 && this.before(v, w, i, this.candidateValue[at - 1]!, this.candidateLoad[at - 1]!, this.candidate[at - 1]!)) {
          this.candidate[at] = this.candidate[at - 1]!;
          this.candidateValue[at] = this.candidateValue[at - 1]!;
          this.candidateLoad[at] = this.candidateLoad[at - 1]!;
          at--;
        }
        this.candidate[at] = i;
        this.candidateValue[at] = v;
        this.candidateLoad[at] = w;
      }
      if (n === 0) result = base;
      else {
        this.n = n;
        this.capacity = capacity;
        this.forcedLoad = forcedLoad;
        this.base = base;
        this.penaltyAtBase = fairnessPenalty(forcedLoad, fairness);
        this.bestValue = base;
        this.depth = 0;
        this.maxNodes = maxNodes;
        const rootBound = base + this.fractional(0, capacity - forcedLoad);
        this.search(0, 0, 0);
        result = this.aborted ? Math.max(this.bestValue, rootBound) : this.bestValue;
      }
    }
    for (let k = 0; k < own.length; k++) {
      const i = own[k]!;
      if (this.fixed[i] || i === force.in) this.mark(i, -1);
    }
    return result;
  }

  /** Whether candidate (v, w, i) sorts before (v2, w2, i2): denser, then worth more, then lower index. */
  private before(v: number, w: number, i: number, v2: number, w2: number, i2: number): boolean {
    if (w === 0 || w2 === 0) {
      if (w !== w2) return w === 0;
    } else {
      const d = v / w - v2 / w2;
      if (d !== 0) return d > 0;
    }
    return v !== v2 ? v > v2 : i < i2;
  }

  /** What candidates from `from` on can add with `room` minutes left, as a fractional knapsack. */
  private fractional(from: number, room: number): number {
    let sum = 0;
    for (let j = from; j < this.n; j++) {
      const pair = this.candidate[j]!;
      if (this.blocked(pair)) continue;
      const w = this.candidateLoad[j]!;
      if (fitsCapacity(w, room)) {
        sum += this.candidateValue[j]!;
        room -= w;
      } else {
        sum += (this.candidateValue[j]! * Math.max(0, room)) / w;
        break;
      }
    }
    return sum;
  }

  private search(from: number, sumValue: number, load: number) {
    if (++this.nodes > this.maxNodes || ((this.nodes & 1023) === 0 && this.stopCheck?.())) {
      this.aborted = true;
      return;
    }
    const objective = this.base + sumValue - (fairnessPenalty(this.forcedLoad + load, this.component.fairness) - this.penaltyAtBase);
    if (objective > this.bestValue) {
      this.bestValue = objective;
      this.bestSize = this.depth;
      this.bestStack.set(this.stack.subarray(0, this.depth));
    }
    for (let j = from; j < this.n && !this.aborted; j++) {
      const pair = this.candidate[j]!;
      const w = this.candidateLoad[j]!;
      if (this.blocked(pair) || !fitsCapacity(this.forcedLoad + load + w, this.capacity)) continue;
      if (this.base + sumValue + this.fractional(j, this.capacity - this.forcedLoad - load) <= this.bestValue) return;
      this.stack[this.depth++] = pair;
      this.mark(pair, 1);
      this.search(j + 1, sumValue + this.candidateValue[j]!, load + w);
      this.mark(pair, -1);
      this.depth--;
    }
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
  /** Counts, for every pair, the steps at whose prices its citizen chose it (a neighbourhood for the MIPs). */
  visited?: Uint16Array;
}

export interface LagrangianResult {
  bound: number;
  /** The prices at which the bound was found. */
  prices: Float64Array;
  steps: number;
}

/** L(λ) at the given prices, with what each citizen chose. */
export function evaluatePrices(search: CitizenSearch, prices: Float64Array, used?: Int32Array, visited?: Uint16Array): { value: number; work: number } {
  const { component } = search;
  let value = 0;
  let work = component.pairs.length;
  for (let o = 0; o < prices.length; o++) value += prices[o]! * component.headcount[o]!;
  const counts = used ?? new Int32Array(prices.length);
  counts.fill(0);
  for (let c = 0; c < search.pairsOf.length; c++) {
    value += search.countInto(c, prices, counts, visited);
    work += search.lastNodes;
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
    const { value, work } = evaluatePrices(search, prices, used, options.visited);
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
  const choices = search.pairsOf.map((_, c) => search.best(c, prices));
  for (const choice of choices) {
    bound += choice.value;
    work += choice.nodes;
  }
  // Stopped early, the pairs not reached stay undecided, which is always safe.
  for (let c = 0; c < choices.length; c++) {
    if (stop()) break;
    const choice = choices[c]!;
    const rest = bound - choice.value;
    const inBest = new Set(choice.chosen);
    for (const i of search.pairsOf[c]!) {
      if (component.pairs[i]!.fixed) {
        fix[i] = 1;
        continue;
      }
      const other = inBest.has(i) ? search.best(c, prices, { out: i }) : search.best(c, prices, { in: i });
      work += other.nodes;
      if (rest + other.value < threshold) fix[i] = inBest.has(i) ? 1 : 0;
    }
  }
  return { fix, bound, work };
}
