// Explanations of a proposal: for each assignment, its score by named term; for each unfilled
// seat, why: nobody eligible (with the count of citizens per reason), or the eligible citizens
// are all used elsewhere (and where). Pure; words in Italian and English.
import type { ReasonCode } from "../eligibility/eligibility.model";
import type { MatchingSolution } from "../solver/problem";
import { pairKey, type CompiledWeek, type ScoreTerm } from "./compile.model";

export interface AssignmentExplanation {
  citizen: string;
  occurrence: string;
  score: number;
  terms: Record<ScoreTerm, number>;
}

export type BusyReason = "OVERLAPS_ASSIGNMENT" | "NO_HOURS_LEFT" | "EXCLUDED_BY_COORDINATOR" | "BETTER_USED_ELSEWHERE";

export interface GapExplanation {
  occurrence: string;
  unfilledSeats: number;
  kind: "NO_ELIGIBLE_CITIZEN" | "ELIGIBLE_CITIZENS_USED_ELSEWHERE";
  /** With NO_ELIGIBLE_CITIZEN: how many citizens were excluded for each reason. */
  reasonCounts: Partial<Record<ReasonCode, number>>;
  /** With ELIGIBLE_CITIZENS_USED_ELSEWHERE: each eligible citizen, why not here, and where they go. */
  eligible: { citizen: string; reason: BusyReason; assignedTo: string[] }[];
}

export function explainWeek(compiled: CompiledWeek, solution: MatchingSolution): { assignments: AssignmentExplanation[]; gaps: GapExplanation[] } {
  const { problem } = compiled;
  const assigned = new Set(solution.assignments.map((a) => pairKey(a.citizen, a.occurrence)));
  const byCitizen = new Map<string, string[]>();
  for (const a of solution.assignments) byCitizen.set(a.citizen, [...(byCitizen.get(a.citizen) ?? []), a.occurrence]);
  const loadOf = new Map(problem.pairs.map((p) => [pairKey(p.citizen, p.occurrence), p.loadMinutes]));
  const capacityOf = new Map(problem.citizens.map((c) => [c.id, c.capacityMinutes]));
  const forbidden = new Set((problem.forbidden ?? []).map((r) => pairKey(r.citizen, r.occurrence)));

  const assignments = solution.assignments.map((a) => {
    const terms = compiled.breakdown.get(pairKey(a.citizen, a.occurrence))!;
    return { ...a, terms, score: Object.values(terms).reduce((x, y) => x + y, 0) };
  });

  const gaps: GapExplanation[] = [];
  for (const occurrence of problem.occurrences) {
    const filled = solution.assignments.filter((a) => a.occurrence === occurrence.id).length;
    const unfilledSeats = occurrence.headcount - filled;
    if (unfilledSeats <= 0) continue;
    const candidates = problem.pairs.filter((p) => p.occurrence === occurrence.id && !assigned.has(pairKey(p.citizen, p.occurrence)));
    if (candidates.length === 0 && filled === 0) {
      gaps.push({
        occurrence: occurrence.id,
        unfilledSeats,
        kind: "NO_ELIGIBLE_CITIZEN",
        reasonCounts: compiled.excludedReasons.get(occurrence.id) ?? {},
        eligible: [],
      });
      continue;
    }
    const eligible = candidates.map((p) => {
      const elsewhere = byCitizen.get(p.citizen) ?? [];
      const conflicting = elsewhere.filter((other) =>
        (problem.conflicts ?? []).some((g) => g.citizen === p.citizen && g.occurrences.includes(other) && g.occurrences.includes(occurrence.id)),
      );
      const used = elsewhere.reduce((sum, other) => sum + (loadOf.get(pairKey(p.citizen, other)) ?? 0), 0);
      let reason: BusyReason = "BETTER_USED_ELSEWHERE";
      if (forbidden.has(pairKey(p.citizen, occurrence.id))) reason = "EXCLUDED_BY_COORDINATOR";
      else if (conflicting.length > 0) reason = "OVERLAPS_ASSIGNMENT";
      else if (used + p.loadMinutes > (capacityOf.get(p.citizen) ?? 0)) reason = "NO_HOURS_LEFT";
      return { citizen: p.citizen, reason, assignedTo: conflicting.length > 0 ? conflicting : elsewhere };
    });
    gaps.push({
      occurrence: occurrence.id,
      unfilledSeats,
      kind: eligible.length === 0 ? "NO_ELIGIBLE_CITIZEN" : "ELIGIBLE_CITIZENS_USED_ELSEWHERE",
      reasonCounts: compiled.excludedReasons.get(occurrence.id) ?? {},
      eligible,
    });
  }
  return { assignments, gaps };
}
