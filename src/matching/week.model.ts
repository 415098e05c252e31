// A territory's week as the compiler reads it. The repository loads it as data only (WeekData:
// it can cross to a solver thread); weekInput makes it the compiler's input, and compileRunWeek
// is a run's whole compile step, done on a solver thread so a worker's event loop stays free to
// renew its locks and write its heartbeat. Pure.
import { createHash } from "node:crypto";
import type { EligibilityContext, EligibilityPact, EligibilityRegulation } from "../eligibility/eligibility.model";
import type { ProblemPairRef } from "../solver/problem";
import { compileWeek, withoutStability, type CompileInput, type CompiledWeek, type MatchingCitizen, type MatchingOccurrence } from "./compile.model";

export interface WeekData {
  citizens: MatchingCitizen[];
  /** Occurrences with seats left (their headcount is the seats left). */
  occurrences: MatchingOccurrence[];
  /** Citizens who covered earlier occurrences of each task (for continuity). */
  previousAssignees: Map<string, Set<string>>;
  /** Travel minutes between municipalities: from, then to. */
  travel: Map<string, Map<string, number>>;
  /** Minutes each citizen is already committed to in the week. */
  committedMinutes: Map<string, number>;
  pactsOf: Map<string, EligibilityPact[]>;
  /** The regulation in force on the week's Monday (null: none). */
  regulation: EligibilityRegulation | null;
}

export interface LoadedWeek {
  input: Omit<CompileInput, "previousProposal" | "pinned" | "excluded">;
  found: boolean;
}

/** The compiler's input from a week's data: each citizen's eligibility context, made once. */
export function weekInput(data: WeekData): LoadedWeek {
  const travelMinutes = (fromId: string, toId: string) => (fromId === toId ? 0 : data.travel.get(fromId)?.get(toId));
  const contexts = new Map<string, EligibilityContext>();
  const contextOf = (citizenId: string): EligibilityContext => {
    const known = contexts.get(citizenId);
    if (known) return known;
    const made: EligibilityContext = {
      // Without a regulation in force nobody is eligible, and the reason says so (mustActUnderRegulation).
      regulation: data.regulation,
      pacts: data.pactsOf.get(citizenId) ?? [],
      travelMinutes,
      weekCommittedMinutes: data.committedMinutes.get(citizenId) ?? 0,
    };
    contexts.set(citizenId, made);
    return made;
  };
  return {
    input: { citizens: data.citizens, occurrences: data.occurrences, contextOf, previousAssignees: data.previousAssignees },
    found: data.regulation !== null,
  };
}

/** What a run adds to its week: the coordinator's decisions and the previous proposal's pairs. */
export interface RunDecisions {
  pinned: ProblemPairRef[];
  excluded: ProblemPairRef[];
  /** Pairs of the previous proposal, as "citizen|occurrence" (stability on a re-run). */
  previousProposal: Set<string>;
}

/**
 * A run's compile step: the week compiled with the run's decisions, and its input version, a
 * hash of the problem before stability against the previous proposal is weighted in (runs with
 * the same version give the same proposal). Null when no regulation governs the week.
 */
export function compileRunWeek(data: WeekData, decisions: RunDecisions): { compiled: CompiledWeek; inputVersion: string } | null {
  const week = weekInput(data);
  if (!week.found) return null;
  const compiled = compileWeek({ ...week.input, ...decisions });
  // Without a previous proposal there is no stability term to leave out.
  const unweighted = decisions.previousProposal.size > 0 ? withoutStability(compiled) : compiled.problem;
  const inputVersion = createHash("sha256").update(JSON.stringify(unweighted)).digest("hex").slice(0, 32);
  return { compiled, inputVersion };
}

/** Where a run's week is compiled: here (compileRunWeek) or on a solver thread (jobs/solver-pool). */
export type CompileRun = (data: WeekData, decisions: RunDecisions) => Promise<ReturnType<typeof compileRunWeek>>;
