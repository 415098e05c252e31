// What a matching run's fields show (seats, names, proposed minutes), kept apart from the compiled
// input: the input of a territory's week weighs megabytes (every eligible pair with its scores,
// every conflict), and reading it to show a proposal of a few hundred assignments made the
// coordinator's plan view parse all of it on every request.
import type { MatchingProblem, MatchingSolution } from "../solver/problem";
import { pairKey } from "./compile.model";

export interface RunSummary {
  /** The week's occurrences to fill: start (ISO instant) and seats. */
  occurrences: { id: string; headcount: number; start?: string }[];
  /** Pinned pairs that were no longer eligible when compiled (not kept). */
  ineligiblePins: { citizen: string; occurrence: string; reasons: string[] }[];
  /** Minutes of each proposed pair, [citizen, occurrence, minutes]; empty until solved. */
  loads: [string, string, number][];
}

/** The summary of a compiled run, and of its proposal once `solution` is there. */
export function summarizeRun(
  problem: Pick<MatchingProblem, "occurrences" | "pairs">,
  compiled: Pick<RunSummary, "ineligiblePins">,
  solution: Pick<MatchingSolution, "assignments"> | null,
): RunSummary {
  const proposed = new Set((solution?.assignments ?? []).map((a) => pairKey(a.citizen, a.occurrence)));
  return {
    occurrences: problem.occurrences.map((o) => ({ id: o.id, headcount: o.headcount, ...(o.start === undefined ? {} : { start: o.start }) })),
    ineligiblePins: compiled.ineligiblePins,
    loads: problem.pairs.filter((p) => proposed.has(pairKey(p.citizen, p.occurrence))).map((p) => [p.citizen, p.occurrence, p.loadMinutes]),
  };
}
