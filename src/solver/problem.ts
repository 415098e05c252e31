// The optimiser's problem and solution formats (documented in docs/solver.md), and the parser
// every problem goes through before it is solved. Pure.
//
// A problem is a weighted bipartite assignment with side constraints: citizens with an hour
// capacity, occurrences with a headcount, eligible pairs with a score and an hour load, groups
// of occurrences a citizen can take at most one of (overlaps, travel included), pinned and
// forbidden pairs, and a convex fairness penalty on each citizen's load.
import { z } from "zod";

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

export interface FairnessStep {
  aboveMinutes: number;
  weightPerMinute: number;
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
   * `aboveMinutes`. The weights add up above each threshold, so the penalty is convex.
   */
  fairness?: FairnessStep[];
  options?: SolveOptions;
}

export type Backend = "highs" | "highs-lp-fix" | "lp-solver" | "greedy";

export interface SolveOptions {
  /**
   * Wall-clock safety stop for the whole solve, in seconds (default 10). The answer does not
   * depend on it unless it fires, and the solution says when it did (`stoppedBy: TIME_LIMIT`).
   */
  timeLimitSeconds?: number;
  /** Deterministic budget in work units (docs/solver.md); the default grows with the problem. */
  workLimit?: number;
  /** Force a backend for every component (default: chosen by size). */
  backend?: Backend | "auto";
  /** Stop a component once (bound - objective) / |bound| is at most this (default 0: prove optimality). */
  relativeGap?: number;
  /** Solve the problem whole instead of component by component (for comparisons; default true). */
  decompose?: boolean;
}

export type SolveStatus = "OPTIMAL" | "FEASIBLE";

/**
 * What ended the search: OPTIMAL (bound and objective meet within the tolerance), GAP (the
 * requested relative gap was reached), WORK_LIMIT (the deterministic budget ran out),
 * TIME_LIMIT (the wall-clock safety stop fired: the only reason an answer can differ between
 * runs), HEURISTIC (a backend that does not search for a proof was asked for).
 */
export type StopReason = "OPTIMAL" | "GAP" | "WORK_LIMIT" | "TIME_LIMIT" | "HEURISTIC";

/**
 * How a component was solved: a backend, or an exact method of its own for a component of one
 * occurrence (greedy), one citizen (the citizen search) or a few pairs (the small search).
 */
export type ComponentMethod = Backend | "citizen-search" | "small-search";

export interface ComponentStats {
  citizens: number;
  occurrences: number;
  pairs: number;
  backend: ComponentMethod;
  status: SolveStatus;
  stoppedBy: StopReason;
  objective: number;
  bound: number;
  /** Work units spent on this component. */
  work: number;
}

export interface MatchingSolution {
  status: SolveStatus;
  stoppedBy: StopReason;
  assignments: ProblemPairRef[];
  objective: number;
  /** Proven upper bound on the objective (maximisation). */
  bound: number;
  /** (bound - objective) / max(1, |bound|). */
  gap: number;
  /** OPTIMAL means bound - objective < tolerance (docs/solver.md: the objective's resolution). */
  tolerance: number;
  /** Work units spent, a deterministic measure of effort. */
  work: number;
  components: ComponentStats[];
}

/** One thing wrong with a problem: where, what, and for a broken pin the pairs involved. */
export interface ProblemIssue {
  code: "INVALID" | "UNKNOWN_ID" | "DUPLICATE" | "FIXED_AND_FORBIDDEN" | "FIXED_OVER_HEADCOUNT" | "FIXED_OVER_CAPACITY" | "FIXED_CONFLICT";
  path: string;
  message: string;
  pairs?: ProblemPairRef[];
}

export class ProblemError extends Error {
  constructor(readonly issues: ProblemIssue[]) {
    const shown = issues.slice(0, 10).map((issue) => `${issue.path ? `${issue.path}: ` : ""}${issue.message}`);
    if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more`);
    super(shown.join("; "));
    this.name = "ProblemError";
  }
}

// Magnitudes are capped so that every sum the optimiser forms stays exact in floating point
// (scores times pairs well inside 2^53) and a typo such as 1e300 is refused, not solved.
const MAX_SCORE = 1e9;
const MAX_MINUTES = 1e7;
const MAX_HEADCOUNT = 1e6;
const MAX_WEIGHT = 1e6;
const MAX_PAIRS = 5_000_000;

const id = z.string().min(1).max(200);
const pairRef = z.strictObject({ citizen: id, occurrence: id });
const minutes = z.number().min(0).max(MAX_MINUTES);

const optionsSchema = z.strictObject({
  timeLimitSeconds: z.number().gt(0).max(86_400).optional(),
  workLimit: z.number().int().gt(0).max(1e12).optional(),
  backend: z.enum(["auto", "highs", "highs-lp-fix", "lp-solver", "greedy"]).optional(),
  relativeGap: z.number().min(0).max(1).optional(),
  decompose: z.boolean().optional(),
});

const problemSchema = z.strictObject({
  citizens: z.array(z.strictObject({ id, capacityMinutes: minutes })),
  occurrences: z.array(
    z.strictObject({ id, headcount: z.number().int().min(0).max(MAX_HEADCOUNT), start: z.string().max(64).optional(), end: z.string().max(64).optional() }),
  ),
  pairs: z.array(z.strictObject({ citizen: id, occurrence: id, score: z.number().min(-MAX_SCORE).max(MAX_SCORE), loadMinutes: minutes })).max(MAX_PAIRS),
  conflicts: z.array(z.strictObject({ citizen: id, occurrences: z.array(id) })).optional(),
  fixed: z.array(pairRef).optional(),
  forbidden: z.array(pairRef).optional(),
  fairness: z
    .array(z.strictObject({ aboveMinutes: minutes, weightPerMinute: z.number().min(0).max(MAX_WEIGHT) }))
    .max(100)
    .optional(),
  options: optionsSchema.optional(),
});

export const parseOptions = (options: unknown): SolveOptions => {
  const parsed = optionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw new ProblemError(parsed.error.issues.map((issue) => schemaIssue(issue, options, "options")));
  return parsed.data;
};

const pathOf = (path: PropertyKey[]) =>
  path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
    .join("")
    .replace(/^\./, "");

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

const describeValue = (value: unknown) => {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "number")
    return Number.isNaN(value) ? "something that is not a number" : Number.isFinite(value) ? String(value) : "a number too large to be finite";
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : typeof value;
};

function schemaIssue(issue: z.core.$ZodIssue, input: unknown, prefix = ""): ProblemIssue {
  const path = [prefix, pathOf(issue.path)].filter(Boolean).join(prefix && typeof issue.path[0] !== "number" ? "." : "");
  let message = issue.message;
  if (issue.code === "unrecognized_keys") message = `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
  else if (issue.code === "invalid_type")
    message = `expected ${({ number: "a finite number", int: "a whole number", string: "a text", array: "a list", object: "an object", boolean: "true or false" } as Record<string, string>)[issue.expected] ?? issue.expected}, got ${describeValue(valueAt(input, issue.path))}`;
  else if (issue.code === "too_big" || issue.code === "too_small")
    message = `${issue.message.replace(/^Too (big|small): expected \w+ to (be |have )?/, issue.origin === "array" ? "must have " : "must be ")} (got ${issue.origin === "array" ? `${(valueAt(input, issue.path) as unknown[]).length} items` : describeValue(valueAt(input, issue.path))})`;
  else if (issue.code === "invalid_value")
    message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")} (got ${describeValue(valueAt(input, issue.path))})`;
  return { code: "INVALID", path, message };
}

const pairKey = (citizen: string, occurrence: string) => `${citizen}\u0000${occurrence}`;

/**
 * Parses anything (a JSON value) into a problem, or throws ProblemError listing every problem
 * found: the shape and ranges (finite numbers, whole counts, known fields), unique ids, pairs
 * and groups naming known ids, fixed and forbidden disjoint, and pinned pairs that cannot all
 * be kept (more than an occurrence's headcount, more than a citizen's capacity, two in one
 * conflict group), naming the constraint and the pairs.
 */
export function parseProblem(input: unknown): MatchingProblem {
  const parsed = problemSchema.safeParse(input);
  if (!parsed.success) throw new ProblemError(parsed.error.issues.slice(0, 50).map((issue) => schemaIssue(issue, input)));
  // The schema has no defaults or transforms: the input is the problem, and zod's copy of it
  // (tens of megabytes for a large week) is left to the garbage collector.
  const problem = input as MatchingProblem;
  const issues: ProblemIssue[] = [];
  const add = (issue: ProblemIssue) => {
    if (issues.length < 1000) issues.push(issue);
  };

  const capacity = new Map<string, number>();
  problem.citizens.forEach((c, i) => {
    if (capacity.has(c.id)) add({ code: "DUPLICATE", path: `citizens[${i}].id`, message: `citizen ${c.id} is listed twice` });
    capacity.set(c.id, c.capacityMinutes);
  });
  const headcount = new Map<string, number>();
  problem.occurrences.forEach((o, i) => {
    if (headcount.has(o.id)) add({ code: "DUPLICATE", path: `occurrences[${i}].id`, message: `occurrence ${o.id} is listed twice` });
    headcount.set(o.id, o.headcount);
  });
  const loads = new Map<string, number>();
  problem.pairs.forEach((p, i) => {
    if (!capacity.has(p.citizen)) add({ code: "UNKNOWN_ID", path: `pairs[${i}].citizen`, message: `unknown citizen ${p.citizen}` });
    if (!headcount.has(p.occurrence)) add({ code: "UNKNOWN_ID", path: `pairs[${i}].occurrence`, message: `unknown occurrence ${p.occurrence}` });
    const key = pairKey(p.citizen, p.occurrence);
    if (loads.has(key)) add({ code: "DUPLICATE", path: `pairs[${i}]`, message: `pair ${p.citizen}/${p.occurrence} is listed twice` });
    loads.set(key, p.loadMinutes);
  });
  (problem.conflicts ?? []).forEach((group, g) => {
    if (!capacity.has(group.citizen)) add({ code: "UNKNOWN_ID", path: `conflicts[${g}].citizen`, message: `unknown citizen ${group.citizen}` });
    group.occurrences.forEach((o, k) => {
      if (!headcount.has(o)) add({ code: "UNKNOWN_ID", path: `conflicts[${g}].occurrences[${k}]`, message: `unknown occurrence ${o}` });
    });
  });
  const forbidden = new Set<string>();
  for (const [list, name] of [
    [problem.forbidden ?? [], "forbidden"],
    [problem.fixed ?? [], "fixed"],
  ] as const) {
    list.forEach((ref, i) => {
      if (!loads.has(pairKey(ref.citizen, ref.occurrence)))
        add({ code: "UNKNOWN_ID", path: `${name}[${i}]`, message: `${ref.citizen}/${ref.occurrence} is not an eligible pair` });
      if (name === "forbidden") forbidden.add(pairKey(ref.citizen, ref.occurrence));
      else if (forbidden.has(pairKey(ref.citizen, ref.occurrence)))
        add({ code: "FIXED_AND_FORBIDDEN", path: `${name}[${i}]`, message: `${ref.citizen}/${ref.occurrence} is both fixed and forbidden`, pairs: [ref] });
    });
  }
  if (issues.length > 0) throw new ProblemError(issues);
  const fixed = dedupePairs(problem.fixed ?? []);
  issues.push(...brokenPins(problem, fixed, loads));
  if (issues.length > 0) throw new ProblemError(issues);
  return problem;
}

function dedupePairs(refs: ProblemPairRef[]): ProblemPairRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => !seen.has(pairKey(r.citizen, r.occurrence)) && seen.add(pairKey(r.citizen, r.occurrence)));
}

/** Pinned pairs that break a hard constraint on their own: which constraint, which pairs. */
function brokenPins(problem: MatchingProblem, fixed: ProblemPairRef[], loads: Map<string, number>): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  const byOccurrence = new Map<string, ProblemPairRef[]>();
  const byCitizen = new Map<string, ProblemPairRef[]>();
  for (const ref of fixed) {
    byOccurrence.set(ref.occurrence, [...(byOccurrence.get(ref.occurrence) ?? []), ref]);
    byCitizen.set(ref.citizen, [...(byCitizen.get(ref.citizen) ?? []), ref]);
  }
  const headcount = new Map(problem.occurrences.map((o) => [o.id, o.headcount]));
  for (const [occurrence, refs] of byOccurrence) {
    const seats = headcount.get(occurrence)!;
    if (refs.length > seats)
      issues.push({
        code: "FIXED_OVER_HEADCOUNT",
        path: "fixed",
        message: `${refs.length} pairs are fixed on occurrence ${occurrence}, which has ${seats} seat${seats === 1 ? "" : "s"}`,
        pairs: refs,
      });
  }
  const capacity = new Map(problem.citizens.map((c) => [c.id, c.capacityMinutes]));
  for (const [citizen, refs] of byCitizen) {
    const load = refs.reduce((sum, r) => sum + loads.get(pairKey(r.citizen, r.occurrence))!, 0);
    if (!fitsCapacity(load, capacity.get(citizen)!))
      issues.push({
        code: "FIXED_OVER_CAPACITY",
        path: "fixed",
        message: `the pairs fixed for citizen ${citizen} take ${load} minutes, more than their ${capacity.get(citizen)}`,
        pairs: refs,
      });
  }
  (problem.conflicts ?? []).forEach((group, g) => {
    const members = new Set(group.occurrences);
    const refs = (byCitizen.get(group.citizen) ?? []).filter((r) => members.has(r.occurrence));
    if (refs.length > 1)
      issues.push({
        code: "FIXED_CONFLICT",
        path: `conflicts[${g}]`,
        message: `citizen ${group.citizen} is fixed on ${refs.length} occurrences of one conflict group (${refs.map((r) => r.occurrence).join(", ")})`,
        pairs: refs,
      });
  });
  return issues;
}

/**
 * A citizen's load fits their capacity: the one comparison every part of the optimiser makes
 * (search, repair, checks), with an absolute slack of 1e-6 minutes for sums of decimal loads.
 */
export const CAPACITY_SLACK = 1e-6;
export function fitsCapacity(load: number, capacity: number): boolean {
  return load <= capacity + CAPACITY_SLACK;
}
