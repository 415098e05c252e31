// HiGHS (WASM) on one component: the LP relaxation and 0-1 programs over its pairs, with a
// deterministic work limit (simplex iterations) and a wall-clock safety stop. Returns what HiGHS
// found and proved; solve.ts checks and reports it.
import { setFlagsFromString } from "node:v8";
import loadHighs, { type Highs } from "highs";
import { pairGroups, type Component, type PairGroups } from "./model";

let runtime: Promise<Highs> | undefined;
const highs = () => (runtime ??= loadHighs());

/**
 * Loads HiGHS compiled ahead of time and solves a tiny model once, so the first real run is as
 * fast as the later ones. By default V8 compiles WebAssembly lazily with its baseline compiler
 * and optimises functions only once they are hot: measured at size L, the first solve in a
 * process then takes 1.8 s and the next ones 0.6 s. Compiling every function with the optimising
 * compiler up front costs about 1.5 s once, at start, and the first solve takes 0.8 s. Long-lived
 * processes that run matchings (the worker, the server with in-process jobs, the benchmark) call
 * this when they start; a one-off use (the CLI, tests) just loads HiGHS on first use.
 * The V8 flags are set for this one compilation and restored afterwards (they are global).
 */
export async function warmUpHighs(): Promise<void> {
  if (!runtime) {
    setFlagsFromString("--no-liftoff");
    setFlagsFromString("--no-wasm-lazy-compilation");
    runtime = loadHighs();
    try {
      await runtime;
    } finally {
      setFlagsFromString("--liftoff");
      setFlagsFromString("--wasm-lazy-compilation");
    }
  }
  const h = await runtime;
  h.solve("Maximize\n obj: x + y\nSubject To\n c: x + y <= 1\nBinaries\n x y\nEnd", { output_flag: false });
}

/** Why a HiGHS run ended, in the optimiser's terms. */
export type HighsStop = "OPTIMAL" | "WORK_LIMIT" | "TIME_LIMIT" | "OTHER";

export interface HighsLimits {
  /** Work units left: simplex iterations, the LP's own and those of every node of a MIP. */
  work: number;
  /** Wall-clock seconds left (the safety stop). */
  seconds: number;
}

export interface LpResult {
  /** Pair values of the relaxation (0 for pairs not in the model), and each occurrence's seat price. */
  values: Float64Array;
  seatPrices: Float64Array;
  /** The LP optimum: an upper bound of the component when `stoppedBy` is OPTIMAL, else +Infinity. */
  bound: number;
  stoppedBy: HighsStop;
  work: number;
}

export interface MipRun {
  limits: HighsLimits;
  /** Per pair of the component: 1 keeps it, 0 drops it, -1 leaves it free (pinned pairs are always kept). */
  fix?: Int8Array;
  /** A feasible choice to start from, over the component's pairs (it must agree with `fix` and the model's pairs). */
  start?: boolean[];
  relativeGap: number;
  absoluteGap: number;
  /** Stop as soon as a solution worth at least this much is found. */
  stopAtObjective?: number;
  presolve?: boolean;
  /** Further HiGHS options (measurements). */
  highsOptions?: Record<string, string | number | boolean>;
}

export interface MipResult {
  /** The best choice found over the component's pairs, or null when none was. */
  chosen: boolean[] | null;
  /** HiGHS's proven dual bound of the model solved (with `fix`, or a subset of pairs, of that restricted model only). */
  bound: number;
  stoppedBy: HighsStop;
  work: number;
}

const bigintToNumber = (x: unknown) => (typeof x === "bigint" ? Number(x) : typeof x === "number" ? x : 0);

/**
 * One component as a HiGHS model, built as sparse arrays (no LP text to parse), over all its
 * pairs or a subset of them (the others are at 0), and reused: only bounds, integrality and new
 * columns change between runs.
 *
 * Rows: each occurrence's headcount (their duals are the seat prices); each conflict group with
 * at least two of its pairs in the model (at most one of them, whatever the group's size); each
 * citizen's load, once one of their pairs that takes minutes is in the model. Rows are added as
 * pairs come in: HiGHS's simplex keeps several arrays per row, and measured at 600,000 pairs a
 * model with every group's row grew its memory past 1 GB for an LP of 56,000 columns.
 * A citizen's load is split into segments between the fairness thresholds (the last one ends at
 * the capacity): the first costs nothing and needs no column, so one row says load - (penalised
 * segments) <= free minutes, and with growing weights the LP fills the cheaper segments first.
 * (Measured at size L: a column and an equality row per free segment cost about 10 % more.)
 */
export class HighsMatchingModel {
  /** The component's pair in each model column, or -1 for a fairness segment. */
  private readonly columnPair: number[] = [];
  /** The model column of each of the component's pairs, or -1 when the pair is not in the model. */
  private readonly pairColumn: Int32Array;
  /** The model row of each conflict group and each citizen's load, or -1 while it has none. */
  private readonly groupRow: Int32Array;
  private readonly citizenRow: Int32Array;
  /** How many of each group's pairs are in the model. */
  private readonly groupMembers: Int32Array;
  private readonly segmentColumn: number[][];
  private readonly segments: { width: number; weight: number }[][];
  private readonly free: number[];
  private readonly memberships: PairGroups;
  private rows: number;

  private constructor(
    private readonly h: Highs,
    private readonly model: ReturnType<Highs["createModel"]>,
    private readonly component: Component,
  ) {
    this.pairColumn = new Int32Array(component.pairs.length).fill(-1);
    this.groupRow = new Int32Array(component.conflictGroups.length).fill(-1);
    this.citizenRow = new Int32Array(component.citizenIds.length).fill(-1);
    this.groupMembers = new Int32Array(component.conflictGroups.length);
    this.rows = component.occurrenceIds.length;
    this.memberships = pairGroups(component);
    this.free = [];
    this.segments = component.citizenIds.map((_, c) => {
      const cap = component.capacity[c]!;
      const steps = component.fairness.filter((step) => step.aboveMinutes < cap && step.weightPerMinute > 0);
      const bounds = [0, ...steps.map((step) => step.aboveMinutes), cap];
      let weight = 0;
      this.free.push(bounds[1]!);
      return steps.map((step, k) => ({ width: bounds[k + 2]! - bounds[k + 1]!, weight: (weight += step.weightPerMinute) }));
    });
    this.segmentColumn = this.segments.map(() => []);
  }

  /** Builds the model over `pairs` (default: every pair of the component). Pinned pairs are always included. */
  static async build(component: Component, pairs?: ArrayLike<number>): Promise<HighsMatchingModel> {
    const h = await highs();
    const numRows = component.occurrenceIds.length;
    const model = h.createModel({
      numCols: 0,
      numRows,
      sense: h.constants.objectiveSense.maximize,
      colCost: new Float64Array(0),
      colLower: new Float64Array(0),
      colUpper: new Float64Array(0),
      rowLower: new Float64Array(numRows).fill(-h.infinity),
      rowUpper: Float64Array.from(component.headcount),
      matrix: { format: "csc", numRows, numCols: 0, starts: Int32Array.of(0), indices: new Int32Array(0), values: new Float64Array(0) },
    });
    const built = new HighsMatchingModel(h, model, component);
    const initial = pairs ? Array.from(pairs) : Array.from(component.pairs.keys());
    component.pairs.forEach((p, i) => {
      if (p.fixed) initial.push(i);
    });
    built.addPairs(initial);
    return built;
  }

  /**
   * Adds pairs as new columns (those already in the model are skipped), with the rows they now
   * need: a conflict group's once two of its pairs are in, a citizen's (and its fairness
   * segments) once one of their pairs takes minutes.
   */
  addPairs(pairs: Iterable<number>) {
    const { component } = this;
    const added: number[] = [];
    for (const i of pairs) {
      if (this.pairColumn[i] !== -1) continue;
      this.pairColumn[i] = -2; // taken, column index assigned below
      added.push(i);
    }
    if (added.length === 0) return;
    // New rows, with the coefficients of the columns already in the model.
    const newGroups: number[] = [];
    const newCitizens: number[] = [];
    const citizenSeen = new Set<number>();
    for (const i of added) {
      for (const g of this.groupsOfPair(i)) if (++this.groupMembers[g]! === 2 && this.groupRow[g] === -1) newGroups.push(g);
      const p = component.pairs[i]!;
      if (p.load !== 0 && this.citizenRow[p.citizen] === -1 && !citizenSeen.has(p.citizen)) {
        citizenSeen.add(p.citizen);
        newCitizens.push(p.citizen);
      }
    }
    newCitizens.sort((a, b) => a - b);
    const rowLower: number[] = [];
    const rowUpper: number[] = [];
    const starts: number[] = [0];
    const indices: number[] = [];
    const values: number[] = [];
    for (const g of newGroups) {
      this.groupRow[g] = this.rows++;
      for (const i of component.conflictGroups[g]!) {
        if (this.pairColumn[i]! >= 0) {
          indices.push(this.pairColumn[i]!);
          values.push(1);
        }
      }
      starts.push(indices.length);
      rowLower.push(-this.h.infinity);
      rowUpper.push(1);
    }
    // A citizen's row comes with their first pair that takes minutes, so no column in the model
    // has a coefficient in it yet.
    for (const c of newCitizens) {
      this.citizenRow[c] = this.rows++;
      starts.push(indices.length);
      rowLower.push(-this.h.infinity);
      rowUpper.push(this.free[c]!);
    }
    if (rowUpper.length > 0) {
      this.model.addRows({
        lower: Float64Array.from(rowLower),
        upper: Float64Array.from(rowUpper),
        matrix: {
          format: "csr",
          numRows: rowUpper.length,
          numCols: this.columnPair.length,
          starts: Int32Array.from(starts),
          indices: Int32Array.from(indices),
          values: Float64Array.from(values),
        },
      });
    }
    // New columns: the new citizens' fairness segments, then the pairs.
    const cost: number[] = [];
    const upper: number[] = [];
    const colStarts: number[] = [0];
    const colIndices: number[] = [];
    const colValues: number[] = [];
    const pushColumn = (pair: number, c: number, u: number, entries: [number, number][]) => {
      if (pair >= 0) this.pairColumn[pair] = this.columnPair.length;
      this.columnPair.push(pair);
      cost.push(c);
      upper.push(u);
      for (const [row, value] of entries) {
        colIndices.push(row);
        colValues.push(value);
      }
      colStarts.push(colIndices.length);
    };
    for (const c of newCitizens) {
      this.segments[c]!.forEach((segment, k) => {
        this.segmentColumn[c]![k] = this.columnPair.length;
        pushColumn(-1, -segment.weight, segment.width, [[this.citizenRow[c]!, -1]]);
      });
    }
    for (const i of added) {
      const p = component.pairs[i]!;
      const entries: [number, number][] = [[p.occurrence, 1]];
      for (const g of this.groupsOfPair(i)) if (this.groupRow[g]! >= 0) entries.push([this.groupRow[g]!, 1]);
      if (p.load !== 0) entries.push([this.citizenRow[p.citizen]!, p.load]);
      pushColumn(i, p.score, 1, entries);
    }
    this.model.addCols({
      cost: Float64Array.from(cost),
      lower: new Float64Array(cost.length),
      upper: Float64Array.from(upper),
      matrix: {
        format: "csc",
        numRows: this.rows,
        numCols: cost.length,
        starts: Int32Array.from(colStarts),
        indices: Int32Array.from(colIndices),
        values: Float64Array.from(colValues),
      },
    });
  }

  private groupsOfPair(pair: number): Int32Array {
    return this.memberships.groups.subarray(this.memberships.offsets[pair]!, this.memberships.offsets[pair + 1]!);
  }

  /** Columns in the model (pairs and fairness segments). */
  get size(): number {
    return this.columnPair.length;
  }

  dispose() {
    this.model.dispose();
  }

  private options(limits: HighsLimits, extra: Record<string, string | number | boolean>) {
    this.model.zeroAllClocks();
    this.model.options.set({ output_flag: false, random_seed: 0, time_limit: Math.max(0.01, limits.seconds), ...extra });
  }

  private stopOf(status: number, ourInterrupt: boolean): HighsStop {
    const s = this.h.constants.modelStatus;
    if (status === s.optimal) return "OPTIMAL";
    if (status === s.timeLimit) return "TIME_LIMIT";
    if (status === s.iterationLimit || (status === s.interrupted && ourInterrupt)) return "WORK_LIMIT";
    return "OTHER";
  }

  /** Bounds and integrality of the columns for a run: pinned pairs at 1, `fix` applied, segments at their widths. */
  private setPairs(fix: Int8Array | undefined, integral: boolean) {
    const n = this.columnPair.length;
    if (n === 0) return;
    const lower = new Float64Array(n);
    const upper = new Float64Array(n);
    const integrality = new Int32Array(n);
    this.columnPair.forEach((i, j) => {
      if (i < 0) return;
      const p = this.component.pairs[i]!;
      lower[j] = p.fixed || fix?.[i] === 1 ? 1 : 0;
      upper[j] = fix?.[i] === 0 && !p.fixed ? 0 : 1;
      integrality[j] = integral ? 1 : 0;
    });
    this.segments.forEach((list, c) => {
      list.forEach((segment, k) => {
        const column = this.segmentColumn[c]![k];
        if (column !== undefined) upper[column] = segment.width;
      });
    });
    this.model.changeColsBounds({ kind: "range", from: 0, to: n - 1 }, lower, upper);
    this.model.changeColsIntegrality({ kind: "range", from: 0, to: n - 1 }, integrality);
  }

  /** The LP relaxation over the pairs in the model, every pair free in [0, 1] (pinned ones at 1). */
  lp(limits: HighsLimits): LpResult & { rowDual: Float64Array } {
    this.setPairs(undefined, false);
    this.options(limits, { presolve: "off", simplex_iteration_limit: Math.max(1, Math.floor(limits.work)) });
    const { modelStatus } = this.model.run();
    const stoppedBy = this.stopOf(modelStatus, false);
    const work = bigintToNumber(this.model.info.get("simplex_iteration_count"));
    const solution = this.model.getSolution();
    const values = new Float64Array(this.component.pairs.length);
    this.columnPair.forEach((i, j) => {
      if (i >= 0) values[i] = solution.colValue[j]!;
    });
    const rowDual = Float64Array.from(solution.rowDual ?? []);
    const seatPrices = Float64Array.from({ length: this.component.occurrenceIds.length }, (_, o) => Math.max(0, rowDual[o] ?? 0));
    return { values, seatPrices, rowDual, bound: stoppedBy === "OPTIMAL" ? this.model.getObjectiveValue() : Number.POSITIVE_INFINITY, stoppedBy, work };
  }

  /**
   * A pair's reduced cost at the row duals (HiGHS's convention: score less the duals of its
   * rows times its coefficients; a row not in the model is slack, its dual 0). A pair outside
   * the model with a positive one would raise the LP's objective if it came in.
   */
  reducedCost(pair: number, rowDual: Float64Array): number {
    const p = this.component.pairs[pair]!;
    let d = p.score - rowDual[p.occurrence]!;
    const { offsets, groups } = this.memberships;
    for (let k = offsets[pair]!; k < offsets[pair + 1]!; k++) {
      const row = this.groupRow[groups[k]!]!;
      if (row >= 0) d -= rowDual[row]!;
    }
    if (p.load !== 0 && this.citizenRow[p.citizen]! >= 0) d -= p.load * rowDual[this.citizenRow[p.citizen]!]!;
    return d;
  }

  /** Whether a pair is a column of the model. */
  has(pair: number): boolean {
    return this.pairColumn[pair] !== -1;
  }

  /** A MIP over the pairs in the model (`fix` restricting them), with the work and time limits. */
  mip(run: MipRun): MipResult {
    const { component } = this;
    const P = component.pairs.length;
    this.setPairs(run.fix, true);
    // Presolve is off by default: it finds little to remove in this already compact model and,
    // measured at size L, doubles the time to a proven optimum. The root reduced-cost
    // heuristic (a sub-MIP over the pairs with small reduced costs) is off too: measured at
    // size L on three seeds it took a third to a half of the time.
    this.options(run.limits, {
      presolve: run.presolve ? "on" : "off",
      mip_heuristic_run_root_reduced_cost: false,
      mip_rel_gap: run.relativeGap,
      mip_abs_gap: run.absoluteGap,
      simplex_iteration_limit: 2_147_483_647,
      ...run.highsOptions,
    });
    if (run.start) {
      const colValue = new Float64Array(this.columnPair.length);
      const loads = new Float64Array(component.citizenIds.length);
      run.start.forEach((on, i) => {
        if (!on) return;
        loads[component.pairs[i]!.citizen]! += component.pairs[i]!.load;
        if (this.pairColumn[i]! >= 0) colValue[this.pairColumn[i]!] = 1;
      });
      this.segments.forEach((list, c) => {
        let load = loads[c]! - this.free[c]!;
        list.forEach((segment, k) => {
          const used = Math.max(0, Math.min(load, segment.width));
          const column = this.segmentColumn[c]![k];
          if (column !== undefined) colValue[column] = used;
          load -= used;
        });
      });
      this.model.setSolution({ colValue });
    }
    let interrupted = false;
    let lpIterations = 0;
    const { stopAtObjective } = run;
    const { modelStatus } = this.model.run({
      [this.h.constants.callbackType.mipInterrupt]: (event) => {
        const found = event.data.mip_primal_bound;
        lpIterations = Math.max(lpIterations, bigintToNumber(event.data.mip_total_lp_iterations));
        const reached = stopAtObjective !== undefined && found !== undefined && Number.isFinite(found) && found >= stopAtObjective;
        if ((reached || lpIterations >= run.limits.work) && "interrupt" in event) {
          interrupted = !reached;
          event.interrupt();
        }
      },
    });
    const hasSolution = Number(this.model.info.get("primal_solution_status")) === this.h.constants.solutionStatus.feasible;
    let chosen: boolean[] | null = null;
    if (hasSolution) {
      const colValue = this.model.getSolution().colValue;
      chosen = new Array<boolean>(P).fill(false);
      this.columnPair.forEach((i, j) => {
        if (i >= 0 && colValue[j]! > 0.5) chosen![i] = true;
      });
    }
    const dualBound = Number(this.model.info.get("mip_dual_bound"));
    return {
      chosen,
      bound: Number.isFinite(dualBound) ? dualBound : Number.POSITIVE_INFINITY,
      stoppedBy: this.stopOf(modelStatus, interrupted),
      work: Math.max(lpIterations, bigintToNumber(this.model.info.get("simplex_iteration_count"))),
    };
  }
}

/**
 * The LP relaxation of a whole component by sifting: solved over a few promising pairs, then
 * again with every pair whose reduced cost at the duals is positive, until none is; the LP over
 * those pairs is then the LP of the whole component (no pair left out could raise it), at a
 * fraction of the memory and time of the whole model (measured at 600,000 pairs: the whole
 * model's dual simplex grew HiGHS's memory past 1 GB). Returns the model, which later runs
 * reuse.
 */
export async function siftedLp(
  component: Component,
  initial: Iterable<number>,
  budget: { limits: () => HighsLimits; spend: (iterations: number) => void; spendVisits: (visits: number) => void },
): Promise<{ model: HighsMatchingModel; lp: LpResult }> {
  const model = await HighsMatchingModel.build(component, [...initial]);
  const P = component.pairs.length;
  for (;;) {
    const lp = model.lp(budget.limits());
    budget.spend(lp.work);
    if (lp.stoppedBy !== "OPTIMAL") return { model, lp };
    // Pairs that would raise the objective, best first, at most as many as the model holds.
    const entering: { pair: number; d: number }[] = [];
    for (let i = 0; i < P; i++) {
      if (model.has(i)) continue;
      const d = model.reducedCost(i, lp.rowDual);
      if (d > 1e-7 * Math.max(1, Math.abs(component.pairs[i]!.score))) entering.push({ pair: i, d });
    }
    budget.spendVisits(P);
    if (entering.length === 0) return { model, lp };
    entering.sort((a, b) => b.d - a.d || a.pair - b.pair);
    model.addPairs(entering.slice(0, Math.max(1000, model.size)).map((e) => e.pair));
  }
}

export interface RawMip {
  objective: number[];
  lower: number[];
  upper: number[];
  rows: { vars: number[]; coefs?: number[]; lower?: number; upper?: number }[];
  timeLimitSeconds: number;
  relativeGap: number;
}

/** A 0-1 program given as sparse rows (binary-program.ts checks what comes back). */
export async function solveRawMip(mip: RawMip): Promise<{ values: Float64Array | null; bound: number; optimal: boolean }> {
  const h = await highs();
  const numCols = mip.objective.length;
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of mip.rows) {
    indices.push(...row.vars);
    values.push(...row.vars.map((_, k) => row.coefs?.[k] ?? 1));
    starts.push(indices.length);
  }
  const model = h.createModel({
    numCols,
    numRows: mip.rows.length,
    sense: h.constants.objectiveSense.maximize,
    colCost: Float64Array.from(mip.objective),
    colLower: Float64Array.from(mip.lower),
    colUpper: Float64Array.from(mip.upper),
    rowLower: Float64Array.from(mip.rows, (r) => r.lower ?? -h.infinity),
    rowUpper: Float64Array.from(mip.rows, (r) => r.upper ?? h.infinity),
    integrality: new Int32Array(numCols).fill(1),
    matrix: { format: "csr", numRows: mip.rows.length, numCols, starts, indices, values },
  });
  try {
    model.options.set({ output_flag: false, time_limit: Math.max(0.05, mip.timeLimitSeconds), mip_rel_gap: mip.relativeGap, random_seed: 0 });
    const { modelStatus } = model.run();
    const hasSolution = Number(model.info.get("primal_solution_status")) === 2;
    const dualBound = Number(model.info.get("mip_dual_bound"));
    return {
      values: hasSolution ? model.getSolution().colValue.slice(0, numCols) : null,
      bound: Number.isFinite(dualBound) ? dualBound : Number.POSITIVE_INFINITY,
      optimal: modelStatus === h.constants.modelStatus.optimal,
    };
  } finally {
    model.dispose();
  }
}
