// A general 0-1 program on HiGHS, for models that are not the matching's assignment shape (the
// shared-housing planner's time-indexed model). Sparse rows, maximised objective, time limit,
// deterministic; every answer is checked against the rows before it is returned. Pure apart
// from the solver library.
import { solveRawMip } from "./highs-backend";

export interface BinaryRow {
  /** Indices of the variables in the row. */
  vars: number[];
  /** Coefficients, one per variable (default 1 each). */
  coefs?: number[];
  lower?: number;
  upper?: number;
}

export interface BinaryProgram {
  /** One coefficient per variable; the objective is maximised. */
  objective: number[];
  rows: BinaryRow[];
  /** Variables forced to a value (pinned choices). */
  fixed?: Map<number, 0 | 1>;
  timeLimitSeconds?: number;
  relativeGap?: number;
}

export interface BinaryResult {
  /** Null when no solution satisfying every row was found. */
  values: boolean[] | null;
  objective: number;
  bound: number;
  optimal: boolean;
}

/** Rows the values break (indices); empty when every row holds. */
export function brokenRows(program: BinaryProgram, values: boolean[]): number[] {
  const broken: number[] = [];
  program.rows.forEach((row, r) => {
    const sum = row.vars.reduce((s, v, k) => s + (values[v] ? (row.coefs?.[k] ?? 1) : 0), 0);
    if ((row.lower !== undefined && sum < row.lower - 1e-9) || (row.upper !== undefined && sum > row.upper + 1e-9)) broken.push(r);
  });
  for (const [v, value] of program.fixed ?? []) if (Boolean(values[v]) !== (value === 1)) broken.push(-1 - v);
  return broken;
}

export async function solveBinaryProgram(program: BinaryProgram): Promise<BinaryResult> {
  const n = program.objective.length;
  if (n === 0) return { values: [], objective: 0, bound: 0, optimal: true };
  const result = await solveRawMip({
    objective: program.objective,
    lower: Array.from({ length: n }, (_, v) => (program.fixed?.get(v) === 1 ? 1 : 0)),
    upper: Array.from({ length: n }, (_, v) => (program.fixed?.get(v) === 0 ? 0 : 1)),
    rows: program.rows,
    timeLimitSeconds: program.timeLimitSeconds ?? 10,
    relativeGap: program.relativeGap ?? 1e-6,
  });
  const values = result.values ? Array.from(result.values, (x) => x > 0.5) : null;
  // Whatever the solver says, a solution that breaks a row is no solution.
  if (!values || brokenRows(program, values).length > 0) return { values: null, objective: 0, bound: result.bound, optimal: false };
  const objective = values.reduce((s, on, v) => s + (on ? program.objective[v]! : 0), 0);
  return { values, objective, bound: Math.max(objective, result.bound), optimal: result.optimal };
}
