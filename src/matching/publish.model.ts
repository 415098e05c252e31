// Which of a proposal's assignments become offers when it is published. The week may have moved
// since the run read it: a seat taken by the search refilling a freed seat, a citizen asked
// meanwhile, an occurrence cancelled or started. Publishing never offers a seat more often than
// it is free, and never asks a citizen twice for one occurrence. Pure.
import type { ProblemPairRef } from "../solver/problem";
import { pairKey } from "./compile.model";

export interface ProposedPair extends ProblemPairRef {
  score: number;
}

export interface PublishPlan {
  offers: ProblemPairRef[];
  /** Proposed pairs whose citizen was asked for the occurrence since (an offer or a commitment, whatever became of it). */
  alreadyAsked: number;
  /** Proposed pairs left without a seat: taken since, or the occurrence cancelled or started. */
  noSeatLeft: number;
  /** Proposed pairs that no longer hold now (the citizen left, or a hard constraint fails): their seats are free. */
  noLongerEligible: ProblemPairRef[];
}

/**
 * @param freeSeats seats each occurrence can still offer now (headcount less active commitments
 *   and open offers; 0 for one cancelled or started); an occurrence not in the map has none.
 * @param asked "citizen|occurrence" keys of every offer and commitment made so far.
 * @param holds whether a pair still holds now, checked again against the current state.
 */
export function planPublication(
  proposal: ProposedPair[],
  freeSeats: Map<string, number>,
  asked: Set<string>,
  holds: (pair: ProblemPairRef) => boolean,
): PublishPlan {
  const left = new Map(freeSeats);
  const plan: PublishPlan = { offers: [], alreadyAsked: 0, noSeatLeft: 0, noLongerEligible: [] };
  // Where seats ran short, the best-scored pairs keep theirs.
  const ordered = [...proposal].sort((a, b) => b.score - a.score || a.occurrence.localeCompare(b.occurrence) || a.citizen.localeCompare(b.citizen));
  for (const pair of ordered) {
    if (asked.has(pairKey(pair.citizen, pair.occurrence))) {
      plan.alreadyAsked += 1;
      continue;
    }
    const free = left.get(pair.occurrence) ?? 0;
    if (free <= 0) {
      plan.noSeatLeft += 1;
      continue;
    }
    // A pair that no longer holds leaves its seat to the next.
    if (!holds(pair)) {
      plan.noLongerEligible.push({ citizen: pair.citizen, occurrence: pair.occurrence });
      continue;
    }
    left.set(pair.occurrence, free - 1);
    plan.offers.push({ citizen: pair.citizen, occurrence: pair.occurrence });
  }
  return plan;
}
