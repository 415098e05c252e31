// The optimiser: split into components, solve each with the method that suits its size within
// a deterministic work budget, check every answer against the constraints, and report the
// objective, a proven bound, the gap and what stopped the search. The same input gives the same
// answer on any machine unless the wall-clock safety stop fires, and then the answer says so.
// No I/O.
import { Budget, defaultWorkLimit, minimumWork, Share, VISITS_PER_UNIT } from "./budget";
import { greedy, improveByMoves, simpleBound } from "./greedy";
import { HighsMatchingModel, siftedLp, type MipRun } from "./highs-backend";
import { CitizenSearch, fixByLagrangian, lagrangianBound } from "./lagrangian";
import { solveWithLpSolver } from "./lp-solver-backend";
import { searchSmallComponent } from "./small-search";
import { assignmentsOf, decompose, objectiveOf, violations, type Component } from "./model";
import {
  parseProblem,
  type Backend,
  type ComponentMethod,
  type ComponentStats,
  type MatchingProblem,
  type MatchingSolution,
  type SolveStatus,
  type StopReason,
} from "./problem";
import { isProvenOptimal, objectiveResolution, reportedBound, type Resolution } from "./tolerance";

/**
 * Components from this many pairs on are solved by LP relaxation, Lagrangian bounds and
 * neighbourhood MIPs instead of one MIP over everything: measured at size XL (116,000 pairs)
 * whole-problem HiGHS needs 30-56 CPU seconds to prove its optimum, the pipeline reaches 0.003 %
 * of its bound in about 3 (docs/solver.md).
 */
export const LARGE_COMPONENT_PAIRS = 20_000;

/** Search nodes the citizen search gets on a one-citizen component before HiGHS takes it. */
const CITIZEN_SEARCH_NODES = 200_000;
/** Components of at most this many pairs are solved by the small search (small-search.ts) instead of HiGHS. */
export const SMALL_COMPONENT_PAIRS = 24;

export function chooseMethod(component: Component, forced: Backend | "auto"): ComponentMethod {
  if (forced !== "auto") return forced;
  if (component.pairs.length <= SMALL_COMPONENT_PAIRS) return "small-search";
  return component.pairs.length >= LARGE_COMPONENT_PAIRS ? "highs-lp-fix" : "highs";
}

/**
 * Subgradient steps of each round's Lagrangian pass. Each round then searches the neighbourhood
 * of the new prices' choices and fixes what the bound allows; the last round's MIP takes what
 * is left of the budget.
 */
const ROUND_STEPS = [50, 150, 50, 50];
const FIRST_STEPS = ROUND_STEPS[0]!;
/** Pairs the Lagrangian citizens chose that a neighbourhood MIP takes at most, beyond the LP's and the incumbent's. */
const NEIGHBOURHOOD_CHOSEN = 10_000;
/** Work a MIP of a large component is started with at least (else the search stops there). */
const MIN_MIP_WORK = 3_000;

export interface PhaseReport {
  phase: string;
  objective: number;
  bound: number;
  work: number;
  seconds: number;
  detail?: Record<string, number | string>;
}

/** What one component's search holds: the best valid choice so far and every proven bound. */
class ComponentSearch {
  best: boolean[];
  value: number;
  private readonly bounds: number[] = [];
  stop: StopReason | null = null;

  constructor(
    readonly component: Component,
    readonly share: Share,
    readonly resolution: Resolution,
    readonly relativeGap: number,
    private readonly onPhase?: (phase: PhaseReport) => void,
  ) {
    this.best = greedy(component);
    // Pinned pairs are checked by parseProblem, so the greedy start keeps every constraint.
    if (violations(component, this.best).length > 0) throw new Error(`greedy start infeasible: ${violations(component, this.best).join("; ")}`);
    this.value = objectiveOf(component, this.best);
    this.bounds.push(simpleBound(component));
  }

  /** Takes a choice if it keeps every constraint and is better; whatever a backend says, it is checked. */
  offer(candidate: boolean[] | null | undefined) {
    if (!candidate || violations(this.component, candidate).length > 0) return;
    const value = objectiveOf(this.component, candidate);
    if (value > this.value) {
      this.best = candidate;
      this.value = value;
    }
  }

  addBound(bound: number) {
    if (!Number.isNaN(bound)) this.bounds.push(bound);
  }

  report(phase: string, detail?: PhaseReport["detail"]) {
    this.onPhase?.({
      phase,
      objective: this.value,
      bound: this.bound(),
      work: Math.round(this.share.spent),
      seconds: this.share.budget.elapsedSeconds(),
      detail,
    });
  }

  /** The lowest bound that is one: a bound below the objective (beyond float slack) is dropped. */
  bound(): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (const raw of this.bounds) {
      const reported = reportedBound(raw, this.value, this.resolution);
      if (reported !== null && reported < lowest) lowest = reported;
    }
    return lowest;
  }

  private withinGap(bound: number): boolean {
    return this.relativeGap > 0 && bound - this.value <= this.relativeGap * Math.max(1, Math.abs(bound));
  }

  /** Proven optimal, or within the relative gap asked for. */
  closed(): boolean {
    const bound = this.bound();
    return isProvenOptimal(bound, this.value, this.resolution) || this.withinGap(bound);
  }

  /** Whether the budget is over; records why. */
  outOfBudget(): boolean {
    if (this.share.timeUp()) this.stop ??= "TIME_LIMIT";
    else if (this.share.exhausted()) this.stop ??= "WORK_LIMIT";
    return this.stop !== null;
  }

  limits() {
    return { work: this.share.workLeft(), seconds: this.share.secondsLeft() };
  }

  /**
   * The value a solution must reach to be better than the best by a whole tolerance, and the
   * bound that then holds for every solution below it (on the objective's lattice, the best
   * itself).
   */
  improvement(): { threshold: number; below: number } {
    const { step, tolerance } = this.resolution;
    if (step !== null) return { threshold: this.value + step - 1e-9 * Math.max(1, Math.abs(this.value)), below: this.value };
    return { threshold: this.value + tolerance / 2, below: this.value + tolerance / 2 };
  }

  stats(backend: ComponentMethod): ComponentStats {
    const bound = this.bound();
    const optimal = isProvenOptimal(bound, this.value, this.resolution);
    const stoppedBy: StopReason = optimal ? "OPTIMAL" : this.withinGap(bound) ? "GAP" : (this.stop ?? "HEURISTIC");
    const status: SolveStatus = optimal ? "OPTIMAL" : "FEASIBLE";
    return {
      citizens: this.component.citizenIds.length,
      occurrences: this.component.occurrenceIds.length,
      pairs: this.component.pairs.length,
      backend,
      status,
      stoppedBy,
      objective: this.value,
      bound,
      work: Math.round(this.share.spent),
    };
  }
}

function mapStop(stop: "OPTIMAL" | "WORK_LIMIT" | "TIME_LIMIT" | "OTHER"): StopReason | null {
  return stop === "WORK_LIMIT" || stop === "TIME_LIMIT" ? stop : null;
}

/** A MIP's answer made maximal: whatever still fits is added, best pair first. */
const repaired = (component: Component, chosen: boolean[] | null) => (chosen ? greedy(component, chosen) : null);

const countFree = (fix: Int8Array) => fix.reduce((n, v) => n + (v === -1 ? 1 : 0), 0);

/**
 * The pipeline for large components: the LP relaxation (a bound, seat prices, a rounding);
 * Lagrangian steps from the LP's prices (a much tighter bound); a MIP over the neighbourhood of
 * the pairs the LP, the incumbent and the Lagrangian citizens use (everything else at 0); then
 * variable fixing by the Lagrangian bound, and a MIP over the pairs it leaves free, whose dual
 * bound, with the fixing's, proves the answer or measures how far it is.
 */
async function solveLarge(search: ComponentSearch) {
  const { component, share } = search;
  const absoluteGap = search.resolution.step !== null ? search.resolution.step * 0.999 : search.resolution.tolerance;
  const { model, lp } = await siftedLp(component, promisingPairs(component, search.best), {
    limits: () => search.limits(),
    spend: (iterations) => share.spend(iterations),
    spendVisits: (visits) => share.spendVisits(visits),
  });
  model.dispose();
  search.report("lp", { columns: model.size, lpBound: lp.bound });
  const citizens = new CitizenSearch(component);
  citizens.stopCheck = () => share.timeUp();
  const step = (work: number) => {
    share.spendVisits(work);
    return search.outOfBudget();
  };
  if (lp.stoppedBy !== "OPTIMAL") {
    search.stop = mapStop(lp.stoppedBy) ?? "WORK_LIMIT";
    if (!share.timeUp()) improve(search);
    // No LP: a bound from the Lagrangian at zero prices, as far as the clock allows.
    if (!share.timeUp())
      search.addBound(lagrangianBound(component, { incumbent: search.value, maxSteps: FIRST_STEPS, onStep: () => share.timeUp() }, citizens).bound);
    return;
  }
  search.addBound(lp.bound);
  search.offer(
    greedy(
      component,
      Array.from(lp.values, (x) => x >= 0.999),
    ),
  );
  improve(search);
  search.report("rounding");
  let prices: Float64Array = lp.seatPrices;
  for (let round = 0; ; round++) {
    if (search.closed() || search.outOfBudget()) return;
    const visited = new Uint16Array(component.pairs.length);
    const lagrangian = lagrangianBound(component, { prices, incumbent: search.value, maxSteps: ROUND_STEPS[round]!, onStep: step, visited }, citizens);
    search.addBound(lagrangian.bound);
    prices = lagrangian.prices;
    search.report("lagrangian", { steps: lagrangian.steps, lagrangianBound: lagrangian.bound });
    if (search.closed() || search.outOfBudget()) return;
    const last = round === ROUND_STEPS.length - 1;
    // A MIP needs some room to be worth starting: HiGHS's root alone takes a few thousand units here.
    if (share.workLeft() < Math.min(MIN_MIP_WORK, share.work / 10)) {
      search.stop = "WORK_LIMIT";
      return;
    }
    const neighbourhood = neighbourhoodOf(component, visited, lp.values, search.best);
    const local = await subMip(search, neighbourhood, { start: search.best, relativeGap: 0, absoluteGap, stopAtObjective: search.bound() - absoluteGap });
    improve(search);
    search.report("neighbourhood", { free: neighbourhood.length, stop: local.stoppedBy });
    if (search.closed() || search.outOfBudget()) return;
    // The first round's bound is still far from the incumbent: fixing would decide little.
    if (round === 0) continue;
    const { threshold, below } = search.improvement();
    const fixing = fixByLagrangian(citizens, prices, threshold, () => share.timeUp());
    share.spendVisits(fixing.work);
    const free = countFree(fixing.fix);
    search.report("fixing", { free });
    if (search.outOfBudget()) return;
    if (!last && free > component.pairs.length / 5) continue;
    const kept: number[] = [];
    fixing.fix.forEach((v, i) => {
      if (v !== 0) kept.push(i);
    });
    const agrees = search.best.every((on, i) => fixing.fix[i] === -1 || fixing.fix[i] === (on ? 1 : 0));
    const reduced = await subMip(search, kept, { fix: fixing.fix, start: agrees ? search.best : undefined, relativeGap: search.relativeGap, absoluteGap });
    // Every solution outside the pairs left free is below the threshold; inside, below the MIP's bound.
    search.addBound(Math.max(reduced.bound, below));
    search.report("reduced", { stop: reduced.stoppedBy, reducedBound: reduced.bound });
    if (search.closed()) return;
    search.stop = mapStop(reduced.stoppedBy) ?? (search.outOfBudget() ? search.stop : null);
    if (search.stop || last) return;
  }
}

/** The incumbent with the empty seats filled by one move where that raises the objective (greedy.ts improveByMoves). */
function improve(search: ComponentSearch) {
  const { chosen, visits } = improveByMoves(search.component, search.best);
  search.share.spendVisits(visits);
  search.offer(chosen);
}

/**
 * A MIP over some of the component's pairs (the others at 0), on a model of those pairs alone,
 * with presolve (it removes what `fix` decides); its answer, repaired, is offered to the search.
 */
async function subMip(search: ComponentSearch, pairs: number[], run: Omit<MipRun, "limits" | "presolve">) {
  const model = await HighsMatchingModel.build(search.component, pairs);
  try {
    const result = model.mip({ ...run, limits: search.limits(), presolve: true });
    search.share.spend(result.work);
    search.offer(repaired(search.component, result.chosen));
    return result;
  } finally {
    model.dispose();
  }
}

/** The first columns of the sifted LP: each occurrence's best-scored pairs and the incumbent's. */
function promisingPairs(component: Component, best: boolean[]): number[] {
  const byOccurrence: number[][] = component.occurrenceIds.map(() => []);
  component.pairs.forEach((p, i) => {
    byOccurrence[p.occurrence]!.push(i);
  });
  const chosen = new Set<number>();
  byOccurrence.forEach((list, o) => {
    list.sort((a, b) => component.pairs[b]!.score - component.pairs[a]!.score || a - b);
    for (const i of list.slice(0, 3 * component.headcount[o]! + 2)) chosen.add(i);
  });
  best.forEach((on, i) => {
    if (on) chosen.add(i);
  });
  return [...chosen].sort((a, b) => a - b);
}

/**
 * Pairs a good solution is likely to use: the LP's, the incumbent's, and those the citizens
 * chose most often over the last Lagrangian pass (at most NEIGHBOURHOOD_CHOSEN of them, most
 * chosen first): a MIP over these is small enough to solve in a second or two.
 */
function neighbourhoodOf(component: Component, visited: Uint16Array, lpValues: Float64Array, best: boolean[]): number[] {
  const inside = new Uint8Array(component.pairs.length);
  const others: number[] = [];
  for (let i = 0; i < component.pairs.length; i++) {
    if (best[i] || lpValues[i]! > 1e-6) inside[i] = 1;
    else if (visited[i]! > 0) others.push(i);
  }
  others.sort((a, b) => visited[b]! - visited[a]! || a - b);
  for (const i of others.slice(0, NEIGHBOURHOOD_CHOSEN)) inside[i] = 1;
  const pairs: number[] = [];
  inside.forEach((on, i) => {
    if (on) pairs.push(i);
  });
  return pairs;
}

async function solveComponent(
  component: Component,
  backend: ComponentMethod,
  share: Share,
  resolution: Resolution,
  relativeGap: number,
  onPhase?: SolveHooks["onPhase"],
): Promise<{ chosen: boolean[]; stats: ComponentStats }> {
  const search = new ComponentSearch(component, share, resolution, relativeGap, onPhase);
  let method: ComponentMethod = backend;
  const done = () => ({ chosen: search.best, stats: search.stats(method) });
  // One occurrence: each citizen has one pair, and the greedy (pinned pairs, then the best
  // positive values that fit) is exact.
  if (component.occurrenceIds.length === 1) {
    search.addBound(search.value);
    method = "greedy";
    return done();
  }
  // One citizen: their own problem, solved exactly by the search the Lagrangian uses.
  if (component.citizenIds.length === 1) {
    const citizen = new CitizenSearch(component);
    citizen.stopCheck = () => share.timeUp();
    const choice = citizen.best(0, null, {}, CITIZEN_SEARCH_NODES);
    share.spendVisits(choice.nodes);
    const chosen = new Array<boolean>(component.pairs.length).fill(false);
    for (const i of choice.chosen) chosen[i] = true;
    search.offer(chosen);
    search.addBound(choice.value);
    if (choice.exact) method = "citizen-search";
  }
  if (search.closed() || backend === "greedy") return done();
  // Out of time already: the greedy answer, said so.
  if (share.timeUp()) {
    search.stop = "TIME_LIMIT";
    return done();
  }
  if (backend === "small-search") {
    const result = searchSmallComponent(component, Math.max(10_000, share.workLeft() * VISITS_PER_UNIT));
    if (result) {
      share.spendVisits(result.nodes * component.pairs.length);
      search.offer(result.chosen);
      search.addBound(result.value);
      return done();
    }
    // Too many nodes: HiGHS takes it.
    method = "highs";
  }
  if (backend === "lp-solver") {
    const result = solveWithLpSolver(component, { timeLimitSeconds: share.secondsLeft() });
    search.offer(result.chosen);
    search.addBound(result.bound);
    if (result.stoppedBy === "TIME_LIMIT" || share.timeUp()) search.stop = "TIME_LIMIT";
    return done();
  }
  if (backend === "highs-lp-fix") {
    await solveLarge(search);
    return done();
  }
  const model = await HighsMatchingModel.build(component);
  try {
    const absoluteGap = resolution.step !== null ? resolution.step * 0.999 : resolution.tolerance;
    const result = model.mip({ limits: search.limits(), start: search.best, relativeGap, absoluteGap });
    share.spend(result.work);
    search.offer(repaired(component, result.chosen));
    // HiGHS's dual bound holds whenever it stopped.
    search.addBound(result.bound);
    search.stop = mapStop(result.stoppedBy);
    if (share.timeUp()) search.stop = "TIME_LIMIT";
  } finally {
    model.dispose();
  }
  return done();
}

/** The optimiser's signature: `solveMatching` here, or the same call run on a solver thread. */
export type Solve = (problem: MatchingProblem, hooks?: SolveHooks) => Promise<MatchingSolution>;

export interface SolveHooks {
  /** Called after each component is solved (and once before, with solved = 0). */
  onProgress?: (progress: { solved: number; total: number }) => void | Promise<void>;
  /** The clock of the safety stop (tests). */
  clock?: () => number;
  /** When the time limit started to count, on that clock (the CLI: before reading the problem). */
  startedAt?: number;
  /** Called after each phase of a large component's search (diagnostics, the benchmark). */
  onPhase?: (phase: PhaseReport) => void;
}

/**
 * Solves a problem given as parsed JSON (anything: it is parsed with parseProblem first and a
 * ProblemError says what is wrong). The time limit counts from this call.
 */
export async function solveMatching(input: unknown, hooks: SolveHooks = {}): Promise<MatchingSolution> {
  const clock = hooks.clock ?? (() => performance.now());
  const started = hooks.startedAt ?? clock();
  const problem = parseProblem(input);
  const options = problem.options ?? {};
  const timeLimit = options.timeLimitSeconds ?? 10;
  const relativeGap = options.relativeGap ?? 0;
  const forced = options.backend ?? "auto";
  const resolution = objectiveResolution(problem);
  const components = decompose(problem);
  const totalPairs = components.reduce((sum, c) => sum + c.pairs.length, 0);
  // What follows the search (the last repair, assembling and printing the answer) keeps about a
  // microsecond per pair of the clock.
  const finishing = 0.05 + totalPairs * 1e-6;
  const budget = new Budget(options.workLimit ?? defaultWorkLimit(totalPairs), Math.max(0, timeLimit - finishing - (clock() - started) / 1000), clock);

  const results: { chosen: boolean[]; stats: ComponentStats }[] = [];
  // Large components first, each given work in proportion to its share of the pairs left (at
  // least what a small one needs), and the clock less a reserve for those still to come.
  const order = components.map((_, i) => i).sort((a, b) => components[b]!.pairs.length - components[a]!.pairs.length || a - b);
  let pairsLeft = totalPairs;
  let solved = 0;
  await hooks.onProgress?.({ solved, total: components.length });
  for (const i of order) {
    const component = components[i]!;
    const proportional = ((budget.workLimit - budget.work) * component.pairs.length) / Math.max(1, pairsLeft);
    pairsLeft -= component.pairs.length;
    const share = new Share(budget, Math.max(minimumWork(component.pairs.length), proportional), 0.02 + pairsLeft * 2e-7);
    results[i] = await solveComponent(component, chooseMethod(component, forced), share, resolution, relativeGap, hooks.onPhase);
    solved += 1;
    await hooks.onProgress?.({ solved, total: components.length });
  }
  return assemble(components, results, resolution, budget.work);
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function assemble(components: Component[], results: { chosen: boolean[]; stats: ComponentStats }[], resolution: Resolution, work: number): MatchingSolution {
  const objective = results.reduce((sum, r) => sum + r.stats.objective, 0);
  const bound = results.reduce((sum, r) => sum + r.stats.bound, 0);
  const assignments = results.flatMap((r, i) => assignmentsOf(components[i]!, r.chosen));
  assignments.sort((a, b) => byCodeUnits(a.occurrence, b.occurrence) || byCodeUnits(a.citizen, b.citizen));
  const stats = results.map((r) => r.stats);
  const optimal = stats.every((s) => s.status === "OPTIMAL");
  // The weakest reason among the components says what stopped the whole.
  const order: StopReason[] = ["TIME_LIMIT", "WORK_LIMIT", "HEURISTIC", "GAP", "OPTIMAL"];
  const stoppedBy = order.find((reason) => stats.some((s) => s.stoppedBy === reason)) ?? "OPTIMAL";
  return {
    status: optimal ? "OPTIMAL" : "FEASIBLE",
    stoppedBy,
    assignments,
    objective,
    bound,
    gap: Math.max(0, (bound - objective) / Math.max(1, Math.abs(bound))),
    tolerance: resolution.tolerance,
    work: Math.round(work),
    components: stats,
  };
}
