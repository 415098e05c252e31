// The compiler: from citizens, occurrences and their eligibility context, the optimisation
// problem of one territory's week, with the score of every eligible pair broken down into named
// terms and the reasons of every excluded pair counted per occurrence. Pure.
//
// No protected attribute (nationality, religion, ethnicity, health) is an input: the types below
// carry none, so none can enter a score.
import { overlapsWithTravel } from "../time/trips";
import {
  checkEligibility,
  type EligibilityCitizen,
  type EligibilityContext,
  type EligibilityOccurrence,
  type LanguageLevel,
  type ReasonCode,
} from "../eligibility/eligibility.model";
import type { MatchingProblem, ProblemPairRef } from "../solver/problem";

/** A span of a citizen's week already spoken for, and where. */
export interface HeldTime {
  start: number;
  end: number;
  municipalityId: string | null;
}

export interface MatchingCitizen extends EligibilityCitizen {
  preferredActivityKinds: string[];
  /** Commitments already accepted that week: never moved, and nothing may overlap them. */
  busy?: HeldTime[];
  /** Offers still awaiting the citizen's answer that week, by occurrence: their time is held. */
  offered?: (HeldTime & { occurrenceId: string })[];
  /** Occurrences the citizen was already asked for (an offer, whatever the answer, or a commitment, even withdrawn). */
  asked?: Set<string>;
}

export interface MatchingOccurrence extends EligibilityOccurrence {
  taskId: string;
  headcount: number;
  /** 1 (low) to 5 (urgent). */
  priority: number;
  preferredLanguages: string[];
  continuity: boolean;
}

/** Weights of the named soft terms. The seat term dominates: filling a seat beats any mix of the others. */
export interface ScoreWeights {
  seatFilled: number;
  priority: number;
  skillLevel: number;
  languageFluency: number;
  continuity: number;
  shortTravel: number;
  preference: number;
  stability: number;
}

export const DEFAULT_WEIGHTS: ScoreWeights = {
  seatFilled: 1000,
  priority: 20,
  skillLevel: 15,
  languageFluency: 10,
  continuity: 80,
  shortTravel: 1,
  preference: 25,
  stability: 40,
};

/** Convex fairness penalty: hours beyond 2 h a week cost a little, beyond 4 h more. */
export const DEFAULT_FAIRNESS = [
  { aboveMinutes: 120, weightPerMinute: 0.05 },
  { aboveMinutes: 240, weightPerMinute: 0.15 },
];

export type ScoreTerm = keyof ScoreWeights;

export interface CompileInput {
  citizens: MatchingCitizen[];
  occurrences: MatchingOccurrence[];
  /** The eligibility context of each citizen (pacts with used budget, week committed minutes, regulation, travel). */
  contextOf(citizenId: string, occurrence: MatchingOccurrence): EligibilityContext;
  /** Citizens who covered earlier occurrences of each task (for continuity). */
  previousAssignees: Map<string, Set<string>>;
  /** Pairs of the previous proposal, as "citizen|occurrence" (for stability on a re-run). */
  previousProposal: Set<string>;
  pinned: ProblemPairRef[];
  excluded: ProblemPairRef[];
  weights?: ScoreWeights;
  fairness?: { aboveMinutes: number; weightPerMinute: number }[];
}

export interface CompiledWeek {
  problem: MatchingProblem;
  /** Score of each eligible pair by term, keyed "citizen|occurrence". */
  breakdown: Map<string, Record<ScoreTerm, number>>;
  /** For each occurrence, how many citizens were excluded for each reason. */
  excludedReasons: Map<string, Partial<Record<ReasonCode, number>>>;
  /** Pinned pairs that are not eligible, with their reasons (they are dropped, not forced). */
  ineligiblePins: { citizen: string; occurrence: string; reasons: ReasonCode[] }[];
}

export const pairKey = (citizen: string, occurrence: string) => `${citizen}|${occurrence}`;

const LEVELS: LanguageLevel[] = ["A1", "A2", "B1", "B2", "C1", "C2", "NATIVE"];

/** The named terms of one eligible pair's score. */
export function scoreTerms(
  citizen: MatchingCitizen,
  occurrence: MatchingOccurrence,
  travelMinutes: number,
  input: Pick<CompileInput, "previousAssignees" | "previousProposal">,
  weights: ScoreWeights,
): Record<ScoreTerm, number> {
  const skill = citizen.skills.find((s) => s.skillId === occurrence.requiredSkillId)?.level ?? 0;
  const fluentPreferred = occurrence.preferredLanguages.filter((code) =>
    citizen.languages.some((l) => l.languageCode === code && LEVELS.indexOf(l.level) >= LEVELS.indexOf("B1")),
  ).length;
  return {
    seatFilled: weights.seatFilled,
    priority: weights.priority * occurrence.priority,
    skillLevel: weights.skillLevel * Math.max(0, skill - occurrence.minSkillLevel),
    languageFluency: weights.languageFluency * fluentPreferred,
    continuity: occurrence.continuity && input.previousAssignees.get(occurrence.taskId)?.has(citizen.id) ? weights.continuity : 0,
    shortTravel: weights.shortTravel * Math.max(0, 60 - travelMinutes),
    preference: citizen.preferredActivityKinds.includes(occurrence.activityKind) ? weights.preference : 0,
    stability: input.previousProposal.has(pairKey(citizen.id, occurrence.id)) ? weights.stability : 0,
  };
}

/** Maximal groups of pairwise-overlapping occurrences (a greedy sweep; every overlapping pair lands in a group). */
export function conflictGroups(occurrences: MatchingOccurrence[], travelMinutes: (from: string, to: string) => number | undefined): string[][] {
  const sorted = [...occurrences].sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  const groups: MatchingOccurrence[][] = [];
  for (let i = 0; i < sorted.length; i += 1) {
    for (let j = i + 1; j < sorted.length; j += 1) {
      const a = sorted[i]!;
      const b = sorted[j]!;
      if (!overlapsWithTravel(a, b, travelMinutes)) continue;
      // Put the pair in every existing group it fully overlaps, or start a new one.
      const joined = groups.filter((g) => g.includes(a) && g.every((m) => m === a || overlapsWithTravel(m, b, travelMinutes)));
      if (joined.length > 0) for (const g of joined) if (!g.includes(b)) g.push(b);
      if (!groups.some((g) => g.includes(a) && g.includes(b))) groups.push([a, b]);
    }
  }
  return groups.map((g) => g.map((o) => o.id));
}

// --- what the week already holds (beyond eligibility, which knows nothing of other offers) ------

/**
 * Seats of an occurrence still to offer: those not taken by an active commitment nor held by an
 * offer awaiting an answer (what the compiler fills, and what a publication may still offer).
 */
export function seatsLeft(headcount: number, commitments: { status: string }[], offers: { status: string }[]): number {
  return Math.max(0, headcount - commitments.filter((c) => c.status === "ACTIVE").length - offers.filter((o) => o.status === "OFFERED").length);
}

function overlapsHeld(occurrence: MatchingOccurrence, held: HeldTime, travelMinutes: (from: string, to: string) => number | undefined): boolean {
  return overlapsWithTravel(occurrence, { start: held.start, end: held.end, municipalityId: held.municipalityId }, travelMinutes);
}

/** Accepted commitments stay where they are: an occurrence overlapping one (travel included) is out. */
export function busyWithCommitment(
  citizen: MatchingCitizen,
  occurrence: MatchingOccurrence,
  travelMinutes: (from: string, to: string) => number | undefined,
): boolean {
  if (!citizen.busy?.length) return false;
  return citizen.busy.some((b) => overlapsHeld(occurrence, b, travelMinutes));
}

/**
 * An offer awaiting an answer holds the citizen's time until they answer: proposing something
 * overlapping it (travel included) would ask them for two things at once, and accepting one would
 * make the other fail. A re-run of a published week, and the search refilling a freed seat, meet
 * such offers.
 */
export function busyWithOffer(
  citizen: MatchingCitizen,
  occurrence: MatchingOccurrence,
  travelMinutes: (from: string, to: string) => number | undefined,
): boolean {
  if (!citizen.offered?.length) return false;
  return citizen.offered.some((o) => o.occurrenceId !== occurrence.id && overlapsHeld(occurrence, o, travelMinutes));
}

/**
 * A citizen is asked for an occurrence once: one who declined it, let the offer lapse or
 * withdrew is not asked again by a later run or search, and one who holds an offer or a
 * commitment for it already has it.
 */
export function alreadyAsked(citizen: MatchingCitizen, occurrence: MatchingOccurrence): boolean {
  return citizen.asked?.has(occurrence.id) ?? false;
}

export function compileWeek(input: CompileInput): CompiledWeek {
  const weights = input.weights ?? DEFAULT_WEIGHTS;
  const excluded = new Set(input.excluded.map((r) => pairKey(r.citizen, r.occurrence)));
  const pinned = new Set(input.pinned.map((r) => pairKey(r.citizen, r.occurrence)));
  const problem: MatchingProblem = {
    citizens: [],
    occurrences: [],
    pairs: [],
    conflicts: [],
    fixed: [],
    forbidden: [],
    fairness: input.fairness ?? DEFAULT_FAIRNESS,
  };
  const breakdown = new Map<string, Record<ScoreTerm, number>>();
  const excludedReasons = new Map<string, Partial<Record<ReasonCode, number>>>();
  const ineligiblePins: CompiledWeek["ineligiblePins"] = [];

  const occurrences = [...input.occurrences].sort((a, b) => a.id.localeCompare(b.id));
  for (const o of occurrences) {
    problem.occurrences.push({ id: o.id, headcount: o.headcount, start: new Date(o.start).toISOString(), end: new Date(o.end).toISOString() });
    excludedReasons.set(o.id, {});
  }
  for (const citizen of [...input.citizens].sort((a, b) => a.id.localeCompare(b.id))) {
    const eligibleHere: MatchingOccurrence[] = [];
    let capacity = Number.POSITIVE_INFINITY;
    for (const occurrence of occurrences) {
      const context = input.contextOf(citizen.id, occurrence);
      const checked = checkEligibility(citizen, occurrence, context);
      // (Built only when something holds: this runs for every citizen and occurrence of the week.)
      let held: ReasonCode[] | null = null;
      if (busyWithCommitment(citizen, occurrence, context.travelMinutes)) (held ??= []).push("BUSY_WITH_COMMITMENT");
      if (busyWithOffer(citizen, occurrence, context.travelMinutes)) (held ??= []).push("BUSY_WITH_OFFER");
      if (alreadyAsked(citizen, occurrence)) (held ??= []).push("ALREADY_ASKED");
      const result: typeof checked = held
        ? { eligible: false, reasons: [...(checked.eligible ? [] : checked.reasons), ...held.map((code) => ({ code, params: {} }))] }
        : checked;
      if (!result.eligible) {
        const counts = excludedReasons.get(occurrence.id)!;
        // Each reason counted once per citizen (a rule may give several reasons of one code).
        result.reasons.forEach(({ code }, i) => {
          if (result.reasons.findIndex((r) => r.code === code) === i) counts[code] = (counts[code] ?? 0) + 1;
        });
        if (pinned.size > 0 && pinned.has(pairKey(citizen.id, occurrence.id)))
          ineligiblePins.push({ citizen: citizen.id, occurrence: occurrence.id, reasons: result.reasons.map((r) => r.code) });
        continue;
      }
      const key = pairKey(citizen.id, occurrence.id);
      // Weekly hours left: the tighter of the citizen's own and the regulation's limit, and the pact's
      // budget (an eligible pair means a regulation in force: mustActUnderRegulation).
      const pact = context.pacts.find((p) => p.id === result.pactId)!;
      capacity = Math.min(
        capacity,
        citizen.weeklyHourLimit * 60 - context.weekCommittedMinutes,
        context.regulation!.maxWeeklyHours * 60 - context.weekCommittedMinutes,
        pact.budgetMinutes - pact.usedMinutes,
      );
      const terms = scoreTerms(citizen, occurrence, result.travelMinutes, input, weights);
      breakdown.set(key, terms);
      problem.pairs.push({
        citizen: citizen.id,
        occurrence: occurrence.id,
        score: Object.values(terms).reduce((a, b) => a + b, 0),
        loadMinutes: result.loadMinutes,
      });
      if (pinned.has(key)) problem.fixed!.push({ citizen: citizen.id, occurrence: occurrence.id });
      if (excluded.has(key)) problem.forbidden!.push({ citizen: citizen.id, occurrence: occurrence.id });
      eligibleHere.push(occurrence);
    }
    if (eligibleHere.length === 0) continue;
    problem.citizens.push({ id: citizen.id, capacityMinutes: Math.max(0, capacity) });
    const travel = (from: string, to: string) => input.contextOf(citizen.id, eligibleHere[0]!).travelMinutes(from, to);
    for (const group of conflictGroups(eligibleHere, travel)) problem.conflicts!.push({ citizen: citizen.id, occurrences: group });
  }
  return { problem, breakdown, excludedReasons, ineligiblePins };
}

/**
 * The problem as compiled without the stability term: what the input version hashes, so that a
 * re-run over unchanged data and decisions is recognised whatever the previous proposal was.
 * Each score is the sum of its other terms in the order the compiler adds them, which is exactly
 * the score a compilation without a previous proposal gives (its stability term is 0, added last).
 */
export function withoutStability(compiled: CompiledWeek): CompiledWeek["problem"] {
  return {
    ...compiled.problem,
    pairs: compiled.problem.pairs.map((p) => {
      const terms = compiled.breakdown.get(pairKey(p.citizen, p.occurrence))!;
      let score = 0;
      for (const [term, points] of Object.entries(terms)) score += term === "stability" ? 0 : points;
      return { ...p, score };
    }),
  };
}
