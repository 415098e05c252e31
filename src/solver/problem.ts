// The optimiser's problem and solution formats (documented in docs/solver.md). Pure.
//
// A problem is a weighted bipartite assignment with side constraints: citizens with an hour
// capacity, occurrences with a headcount, eligible pairs with a score and an hour load, groups
// of occurrences a citizen can take at most one of (overlaps, travel included), pinned and
// forbidden pairs, and a convex fairness penalty on each citizen's load.

export interface ProblemCitizen {
  id: string;
  /** Minutes the citizen may still take this week (own limit, regulation, pact budget). */
  capacityMinutes: number;
}

export interface ProblemOccurrence {
  id: string;
  headcount: number;
  /** ISO 8601 instants; informational for the optimiser (conflicts are given explicitly). */
  start?: string;
  end?: string;
}

export interface ProblemPair {
  citizen: string;
  occurrence: string;
  /** Value of the assignment: larger is better. The seat-filling term dominates. */
  score: number;
  /** Minutes the assignment takes from the citizen's capacity. */
  loadMinutes: number;
}

export interface ProblemPairRef {
  citizen: string;
  occurrence: string;
}

export interface MatchingProblem {
  citizens: ProblemCitizen[];
  occurrences: ProblemOccurrence[];
  pairs: ProblemPair[];
  /** For each citizen, sets of occurrences of which at most one may be assigned to them. */
  conflicts?: { citizen: string; occurrences: string[] }[];
  /** Pairs that must be kept (pinned by a coordinator, or accepted commitments). */
  fixed?: ProblemPairRef[];
  /** Pairs that must not be used. */
  forbidden?: ProblemPairRef[];
  /**
   * Convex penalty on each citizen's load: for every step, `weight` per minute above
   * `aboveMinutes`. Steps with growing weights make the penalty convex, spreading hours.
   */
  fairness?: { aboveMinutes: number; weightPerMinute: number }[];
  options?: SolveOptions;
}

export type Backend = "highs" | "highs-lp-fix" | "lp-solver" | "greedy";

export interface SolveOptions {
  /** Wall-clock budget for the whole solve, in seconds (default 10). */
  timeLimitSeconds?: number;
  /** Force a backend for every component (default: chosen by size). */
  backend?: Backend | "auto";
  /** Relative gap at which a component counts as solved (default 1e-6). */
  relativeGap?: number;
  /** Solve the problem whole instead of component by component (for comparisons; default true). */
  decompose?: boolean;
}

export type SolveStatus = "OPTIMAL" | "FEASIBLE" | "INFEASIBLE";

export interface ComponentStats {
  citizens: number;
  occurrences: number;
  pairs: number;
  backend: Backend;
  status: SolveStatus;
  objective: number;
  bound: number;
  timeMs: number;
}

export interface MatchingSolution {
  status: SolveStatus;
  assignments: ProblemPairRef[];
  objective: number;
  /** Proven upper bound on the objective (maximisation). */
  bound: number;
  /** (bound - objective) / max(1, |bound|). */
  gap: number;
  timeMs: number;
  components: ComponentStats[];
}

export class ProblemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProblemError";
  }
}

/** Checks references and numbers; throws ProblemError with what is wrong. */
export function validateProblem(problem: MatchingProblem): void {
  const citizens = new Set<string>();
  for (const c of problem.citizens) {
    if (citizens.has(c.id)) throw new ProblemError(`duplicate citizen ${c.id}`);
    if (!(c.capacityMinutes >= 0)) throw new ProblemError(`citizen ${c.id}: capacityMinutes must be >= 0`);
    citizens.add(c.id);
  }
  const occurrences = new Set<string>();
  for (const o of problem.occurrences) {
    if (occurrences.has(o.id)) throw new ProblemError(`duplicate occurrence ${o.id}`);
    if (!Number.isInteger(o.headcount) || o.headcount < 0) throw new ProblemError(`occurrence ${o.id}: headcount must be a whole number >= 0`);
    occurrences.add(o.id);
  }
  const pairs = new Set<string>();
  for (const p of problem.pairs) {
    if (!citizens.has(p.citizen)) throw new ProblemError(`pair refers to unknown citizen ${p.citizen}`);
    if (!occurrences.has(p.occurrence)) throw new ProblemError(`pair refers to unknown occurrence ${p.occurrence}`);
    if (!Number.isFinite(p.score)) throw new ProblemError(`pair ${p.citizen}/${p.occurrence}: score must be finite`);
    if (!(p.loadMinutes >= 0)) throw new ProblemError(`pair ${p.citizen}/${p.occurrence}: loadMinutes must be >= 0`);
    const key = `${p.citizen}\u0000${p.occurrence}`;
    if (pairs.has(key)) throw new ProblemError(`duplicate pair ${p.citizen}/${p.occurrence}`);
    pairs.add(key);
  }
  for (const ref of [...(problem.fixed ?? []), ...(problem.forbidden ?? [])]) {
    if (!pairs.has(`${ref.citizen}\u0000${ref.occurrence}`)) throw new ProblemError(`fixed or forbidden pair ${ref.citizen}/${ref.occurrence} is not an eligible pair`);
  }
  for (const group of problem.conflicts ?? []) {
    if (!citizens.has(group.citizen)) throw new ProblemError(`conflict refers to unknown citizen ${group.citizen}`);
    for (const o of group.occurrences) if (!occurrences.has(o)) throw new ProblemError(`conflict refers to unknown occurrence ${o}`);
  }
  for (const step of problem.fairness ?? []) {
    if (!(step.aboveMinutes >= 0) || !(step.weightPerMinute >= 0)) throw new ProblemError("fairness steps need aboveMinutes >= 0 and weightPerMinute >= 0");
  }
}
