// HiGHS (WASM) on one component: a 0-1 program built as sparse arrays (no LP text to parse),
// started from the greedy solution, with a time limit. Returns the incumbent and the proven bound.
import loadHighs, { type Highs } from "highs";
import type { Component } from "./model";

let runtime: Promise<Highs> | undefined;
const highs = () => (runtime ??= loadHighs());

export interface BackendResult {
  chosen: boolean[] | null;
  bound: number;
  optimal: boolean;
}

export async function solveWithHighs(component: Component, options: { timeLimitSeconds: number; relativeGap: number; start?: boolean[] }): Promise<BackendResult> {
  const h = await highs();
  const P = component.pairs.length;
  const C = component.citizenIds.length;
  const steps = component.fairness;
  const numCols = P + C * steps.length;
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  const integrality = new Int32Array(numCols);
  component.pairs.forEach((p, i) => {
    colCost[i] = p.score;
    colLower[i] = p.fixed ? 1 : 0;
    colUpper[i] = 1;
    integrality[i] = 1;
  });
  for (let c = 0; c < C; c += 1) {
    steps.forEach((step, k) => {
      const j = P + c * steps.length + k;
      colCost[j] = -step.weightPerMinute;
      colUpper[j] = h.infinity;
    });
  }

  // Rows, built in CSR: occurrences, citizens' capacity, conflict groups, fairness steps.
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
  const addRow = (cols: number[], coefficients: number[], upper: number) => {
    indices.push(...cols);
    values.push(...coefficients);
    starts.push(indices.length);
    rowLower.push(-h.infinity);
    rowUpper.push(upper);
  };
  pairsOfOccurrence.forEach((cols, o) => addRow(cols, cols.map(() => 1), component.headcount[o]!));
  pairsOfCitizen.forEach((cols, c) => addRow(cols, cols.map((i) => component.pairs[i]!.load), component.capacity[c]!));
  for (const group of component.conflictGroups) addRow(group, group.map(() => 1), 1);
  pairsOfCitizen.forEach((cols, c) => {
    steps.forEach((step, k) => addRow([...cols, P + c * steps.length + k], [...cols.map((i) => component.pairs[i]!.load), -1], step.aboveMinutes));
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
    model.options.set({ output_flag: false, time_limit: Math.max(0.05, options.timeLimitSeconds), mip_rel_gap: options.relativeGap, random_seed: 0 });
    if (options.start) {
      const colValue = new Float64Array(numCols);
      options.start.forEach((on, i) => (colValue[i] = on ? 1 : 0));
      for (let c = 0; c < C; c += 1) {
        const load = pairsOfCitizen[c]!.reduce((sum, i) => sum + (options.start![i] ? component.pairs[i]!.load : 0), 0);
        steps.forEach((step, k) => (colValue[P + c * steps.length + k] = Math.max(0, load - step.aboveMinutes)));
      }
      model.setSolution({ colValue });
    }
    const { modelStatus } = model.run();
    const status = h.constants.modelStatus;
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
