// Who is offered a freed seat: the refill's ranking, pure, from the week the matcher compiled
// for that one occurrence (offers.jobs fillSeats reads the state, this decides).
import type { MatchingProblem } from "../solver/problem";

/**
 * Rule: the seat's candidates are the citizens the compiler made an eligible pair with, never
 * asked for this occurrence before, whose hours left cover it; best score first, ties by id.
 */
export function rankReplacements(problem: Pick<MatchingProblem, "citizens" | "pairs">, occurrenceId: string, asked: ReadonlySet<string>): string[] {
  const capacity = new Map(problem.citizens.map((c) => [c.id, c.capacityMinutes]));
  return problem.pairs
    .filter((p) => p.occurrence === occurrenceId && !asked.has(p.citizen) && p.loadMinutes <= (capacity.get(p.citizen) ?? 0))
    .sort((a, b) => b.score - a.score || a.citizen.localeCompare(b.citizen))
    .map((p) => p.citizen);
}
