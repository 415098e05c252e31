// HiGHS (WASM) on one component: a 0-1 program built as sparse arrays (no LP text to parse),
// started from the greedy solution, with a time limit. Returns the incumbent and the proven bound.
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

export interface BackendResult {
  chosen: boolean[] | null;
  bound: number;
  optimal: boolean;
}

export interface HighsRunOptions {
  timeLimitSeconds: number;
  relativeGap: number;
  start?: boolean[];
  /** Solve the LP relaxation only: `values` then holds the fractional pair values and `bound` the LP optimum. */
  relax?: boolean;
  /** Stop as soon as a solution worth at least this much is found (a MIP only). */
  stopAtObjective?: number;
  /** Per pair: 1 keeps it, 0 drops it, -1 leaves it free. */
  fix?: Int8Array;
  highsOptions?: Record<string, string | number | boolean>;
}

export async function solveWithHighs(component: Component, options: HighsRunOptions): Promise<BackendResult & { values?: Float64Array; seatPrices?: Float64Array }> {
  const h = await highs();
  const P = component.pairs.length;
  // Each citizen's load is split into segments between the fairness thresholds (the last one
  // ends at the capacity). The first segment costs nothing and needs no column: one row per
  // citizen says load - (penalised segments) <= free minutes. With growing weights the LP fills
  // the cheaper segments first, so that row models both the capacity and the convex penalty.
  // (Measured at size L: a column and an equality row per free segment cost about 10 % more.)
  const free: number[] = [];
  const segments = component.citizenIds.map((_, c) => {
    const cap = component.capacity[c]!;
    const bounds = [0, ...component.fairness.map((step) => step.aboveMinutes).filter((a) => a < cap), cap];
    const weights = [0, ...component.fairness.filter((step) => step.aboveMinutes < cap).map((_, k, steps) => steps.slice(0, k + 1).reduce((sum, st) => sum + st.weightPerMinute, 0))];
    free.push(bounds[1]!);
    return bounds.slice(2).map((upper, k) => ({ width: upper - bounds[k + 1]!, weight: weights[k + 1]! }));
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
  const integrality = new Int32Array(numCols);
  component.pairs.forEach((p, i) => {
    colCost[i] = p.score;
    colLower[i] = p.fixed || options.fix?.[i] === 1 ? 1 : 0;
    colUpper[i] = options.fix?.[i] === 0 && !p.fixed ? 0 : 1;
    integrality[i] = options.relax ? 0 : 1;
  });
  segments.forEach((list, c) =>
    list.forEach((segment, k) => {
      colCost[segmentStart[c]! + k] = -segment.weight;
      colUpper[segmentStart[c]! + k] = segment.width;
    }),
  );

  // Rows, built in CSR: occurrences' headcount, conflict groups, each citizen's load split into segments.
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const pairsOfOccurrence: number[][] = component.occurrenceIds.map(() => []);
  const pairsOfCitizen: number[][] = component.citizenIds.map(() => []);
  component.pairs.forEach((p, i) => {
    pairsOfOccurrence[p.occurrence]!.push(i);
    pairsOfCitizen[p.citizen]!.push(i);
  });
  const addRow = (cols: number[], coefficients: number[], lower: number, upper: number) => {
    indices.push(...cols);
    values.push(...coefficients);
    starts.push(indices.length);
    rowLower.push(lower);
    rowUpper.push(upper);
  };
  pairsOfOccurrence.forEach((cols, o) => addRow(cols, cols.map(() => 1), -h.infinity, component.headcount[o]!));
  for (const group of component.conflictGroups) addRow(group, group.map(() => 1), -h.infinity, 1);
  pairsOfCitizen.forEach((cols, c) => {
    const segmentCols = segments[c]!.map((_, k) => segmentStart[c]! + k);
    addRow([...cols, ...segmentCols], [...cols.map((i) => component.pairs[i]!.load), ...segmentCols.map(() => -1)], -h.infinity, free[c]!);
  });

  const model = h.createModel({
    numCols,
    numRows: rowUpper.length,
    sense: h.constants.objectiveSense.maximize,
    colCost,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    integrality,
    matrix: { format: "csr", numRows: rowUpper.length, numCols, starts, indices, values },
  });
  try {
    // Presolve finds little to remove in this already compact model and, measured at size L,
    // doubles the time to a proven optimum (docs/solver.md), so it is off. The root
    // reduced-cost heuristic (a sub-MIP over the pairs with small reduced costs) is off too: on
    // these models the cut loop and the other heuristics close the root alone, and measured at
    // size L on three seeds it took a third to a half of the time (3.9 s against 1.8 s).
    model.options.set({
      output_flag: false,
      presolve: "off",
      mip_heuristic_run_root_reduced_cost: false,
      time_limit: Math.max(0.05, options.timeLimitSeconds),
      mip_rel_gap: options.relativeGap,
      random_seed: 0,
      ...options.highsOptions,
    });
    if (options.start) {
      const colValue = new Float64Array(numCols);
      options.start.forEach((on, i) => (colValue[i] = on ? 1 : 0));
      pairsOfCitizen.forEach((cols, c) => {
        let load = cols.reduce((sum, i) => sum + (options.start![i] ? component.pairs[i]!.load : 0), 0) - free[c]!;
        segments[c]!.forEach((segment, k) => {
          const used = Math.max(0, Math.min(load, segment.width));
          colValue[segmentStart[c]! + k] = used;
          load -= used;
        });
      });
      model.setSolution({ colValue });
    }
    const stopAt = options.stopAtObjective;
    const { modelStatus } = model.run(
      stopAt === undefined || options.relax
        ? undefined
        : {
            [h.constants.callbackType.mipInterrupt]: (event) => {
              const found = event.data.mip_primal_bound;
              if (found !== undefined && Number.isFinite(found) && found >= stopAt && "interrupt" in event) event.interrupt();
            },
          },
    );
    const status = h.constants.modelStatus;
    if (options.relax) {
      const solution = model.getSolution();
      const values = solution.colValue.slice(0, P);
      // The headcount rows come first: their duals are the LP's price of a seat.
      const seatPrices = Float64Array.from({ length: component.occurrenceIds.length }, (_, o) => Math.abs(solution.rowDual?.[o] ?? 0));
      const optimal = modelStatus === status.optimal;
      return { chosen: null, values, seatPrices, bound: optimal ? model.getObjectiveValue() : Number.POSITIVE_INFINITY, optimal };
    }
    const hasSolution = Number(model.info.get("primal_solution_status")) === 2;
    const chosen = hasSolution ? Array.from(model.getSolution().colValue.subarray(0, P), (v) => v > 0.5) : null;
    const dualBound = Number(model.info.get("mip_dual_bound"));
    return {
      chosen,
      bound: Number.isFinite(dualBound) ? dualBound : Number.POSITIVE_INFINITY,
      optimal: modelStatus === status.optimal,
    };
  } finally {
    model.dispose();
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
