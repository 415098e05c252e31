// HiGHS (WASM) on one component: the LP relaxation and 0-1 programs over its pairs, with a
// deterministic work limit (simplex iterations) and a wall-clock safety stop. Returns what HiGHS
// found and proved; solve.ts checks and reports it.
import { setFlagsFromString } from "node:v8";
import loadHighs, { type Highs } from "highs";
import type { Component } from "./model";

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
  /** Pair values of the relaxation, and each occurrence's seat price (the headcount rows' duals). */
  values: Float64Array;
  seatPrices: Float64Array;
  /** The LP optimum: an upper bound of the component when `stoppedBy` is OPTIMAL, else +Infinity. */
  bound: number;
  stoppedBy: HighsStop;
  work: number;
}

export interface MipRun {
  limits: HighsLimits;
  /** Per pair: 1 keeps it, 0 drops it, -1 leaves it free (pinned pairs are always kept). */
  fix?: Int8Array;
  /** A feasible choice to start from (it must agree with `fix`). */
  start?: boolean[];
  relativeGap: number;
  absoluteGap: number;
  /** Stop as soon as a solution worth at least this much is found. */
  stopAtObjective?: number;
  presolve?: boolean;
}

export interface MipResult {
  /** The best choice found, or null when none was. */
  chosen: boolean[] | null;
  /** HiGHS's proven dual bound of the model solved (with `fix`, of that restricted model only). */
  bound: number;
  stoppedBy: HighsStop;
  work: number;
}

const bigintToNumber = (x: unknown) => (typeof x === "bigint" ? Number(x) : typeof x === "number" ? x : 0);

/**
 * One component as a HiGHS model, built once as sparse arrays (no LP text to parse) and reused
 * for the LP relaxation and for every MIP that follows: only bounds and integrality change.
 *
 * Each citizen's load is split into segments between the fairness thresholds (the last one ends
 * at the capacity). The first segment costs nothing and needs no column: one row per citizen
 * says load - (penalised segments) <= free minutes. With growing weights the LP fills the
 * cheaper segments first, so that row models both the capacity and the convex penalty.
 * (Measured at size L: a column and an equality row per free segment cost about 10 % more.)
 * A conflict group is one row (at most one of its pairs), whatever its size.
 */
export class HighsMatchingModel {
  private constructor(
    private readonly h: Highs,
    private readonly model: ReturnType<Highs["createModel"]>,
    private readonly component: Component,
    private readonly segments: { width: number; weight: number }[][],
    private readonly segmentStart: number[],
    private readonly free: number[],
    private readonly numCols: number,
  ) {}

  static async build(component: Component): Promise<HighsMatchingModel> {
    const h = await highs();
    const P = component.pairs.length;
    const free: number[] = [];
    const segments = component.citizenIds.map((_, c) => {
      const cap = component.capacity[c]!;
      const steps = component.fairness.filter((step) => step.aboveMinutes < cap && step.weightPerMinute > 0);
      const bounds = [0, ...steps.map((step) => step.aboveMinutes), cap];
      let weight = 0;
      free.push(bounds[1]!);
      return steps.map((step, k) => ({ width: bounds[k + 2]! - bounds[k + 1]!, weight: (weight += step.weightPerMinute) }));
    });
    const segmentStart: number[] = [];
    let numCols = P;
    for (const list of segments) {
      segmentStart.push(numCols);
      numCols += list.length;
    }
    const colCost = new Float64Array(numCols);
    const colLower = new Float64Array(numCols);
    const colUpper = new Float64Array(numCols);
    component.pairs.forEach((p, i) => {
      colCost[i] = p.score;
      colLower[i] = p.fixed ? 1 : 0;
      colUpper[i] = 1;
    });
    segments.forEach((list, c) =>
      list.forEach((segment, k) => {
        colCost[segmentStart[c]! + k] = -segment.weight;
        colUpper[segmentStart[c]! + k] = segment.width;
      }),
    );
    // Rows in CSR: occurrences' headcount first (their duals are the seat prices), then the
    // conflict groups, then each citizen's load split into segments. Pairs taking no minutes
    // have no coefficient in their citizen's row.
    const starts: number[] = [0];
    const indices: number[] = [];
    const values: number[] = [];
    const rowUpper: number[] = [];
    const pairsOfOccurrence: number[][] = component.occurrenceIds.map(() => []);
    const pairsOfCitizen: number[][] = component.citizenIds.map(() => []);
    component.pairs.forEach((p, i) => {
      pairsOfOccurrence[p.occurrence]!.push(i);
      if (p.load !== 0) pairsOfCitizen[p.citizen]!.push(i);
    });
    const addRow = (cols: number[], coefficient: (col: number) => number, upper: number) => {
      for (const col of cols) {
        indices.push(col);
        values.push(coefficient(col));
      }
      starts.push(indices.length);
      rowUpper.push(upper);
    };
    pairsOfOccurrence.forEach((cols, o) => addRow(cols, () => 1, component.headcount[o]!));
    for (const group of component.conflictGroups) addRow(group, () => 1, 1);
    pairsOfCitizen.forEach((cols, c) => {
      const segmentCols = segments[c]!.map((_, k) => segmentStart[c]! + k);
      addRow([...cols, ...segmentCols], (col) => (col < P ? component.pairs[col]!.load : -1), free[c]!);
    });
    const numRows = rowUpper.length;
    const model = h.createModel({
      numCols,
      numRows,
      sense: h.constants.objectiveSense.maximize,
      colCost,
      colLower,
      colUpper,
      rowLower: new Float64Array(numRows).fill(-h.infinity),
      rowUpper: Float64Array.from(rowUpper),
      integrality: new Int32Array(numCols),
      matrix: { format: "csr", numRows, numCols, starts: Int32Array.from(starts), indices: Int32Array.from(indices), values: Float64Array.from(values) },
    });
    return new HighsMatchingModel(h, model, component, segments, segmentStart, free, numCols);
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

  /** The LP relaxation, with every pair free in [0, 1] (pinned ones at 1). */
  lp(limits: HighsLimits): LpResult {
    const P = this.component.pairs.length;
    this.setPairs(undefined, false);
    this.options(limits, { presolve: "off", simplex_iteration_limit: Math.max(1, Math.floor(limits.work)) });
    const { modelStatus } = this.model.run();
    const stoppedBy = this.stopOf(modelStatus, false);
    const work = bigintToNumber(this.model.info.get("simplex_iteration_count"));
    const solution = this.model.getSolution();
    const seatPrices = Float64Array.from({ length: this.component.occurrenceIds.length }, (_, o) => Math.max(0, Math.abs(solution.rowDual?.[o] ?? 0)));
    return { values: solution.colValue.slice(0, P), seatPrices, bound: stoppedBy === "OPTIMAL" ? this.model.getObjectiveValue() : Number.POSITIVE_INFINITY, stoppedBy, work };
  }

  /** Bounds of the pair columns for a run: pinned pairs at 1, `fix` applied, integral or not. */
  private setPairs(fix: Int8Array | undefined, integral: boolean) {
    const P = this.component.pairs.length;
    const lower = new Float64Array(P);
    const upper = new Float64Array(P);
    this.component.pairs.forEach((p, i) => {
      lower[i] = p.fixed || fix?.[i] === 1 ? 1 : 0;
      upper[i] = fix?.[i] === 0 && !p.fixed ? 0 : 1;
    });
    this.model.changeColsBounds({ kind: "range", from: 0, to: P - 1 }, lower, upper);
    this.model.changeColsIntegrality({ kind: "range", from: 0, to: P - 1 }, new Int32Array(P).fill(integral ? 1 : 0));
  }

  /** A MIP over the pairs (`fix` restricting them), with the work and time limits. */
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
    });
    if (run.start) {
      const colValue = new Float64Array(this.numCols);
      run.start.forEach((on, i) => (colValue[i] = on ? 1 : 0));
      const loads = new Float64Array(component.citizenIds.length);
      component.pairs.forEach((p, i) => {
        if (run.start![i]) loads[p.citizen]! += p.load;
      });
      component.citizenIds.forEach((_, c) => {
        let load = loads[c]! - this.free[c]!;
        this.segments[c]!.forEach((segment, k) => {
          const used = Math.max(0, Math.min(load, segment.width));
          colValue[this.segmentStart[c]! + k] = used;
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
    const chosen = hasSolution ? Array.from(this.model.getSolution().colValue.subarray(0, P), (v) => v > 0.5) : null;
    const dualBound = Number(this.model.info.get("mip_dual_bound"));
    return {
      chosen,
      bound: Number.isFinite(dualBound) ? dualBound : Number.POSITIVE_INFINITY,
      stoppedBy: this.stopOf(modelStatus, interrupted),
      work: Math.max(lpIterations, bigintToNumber(this.model.info.get("simplex_iteration_count"))),
    };
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
