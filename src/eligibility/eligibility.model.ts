// Eligibility of a citizen for a task occurrence: either eligible (under which pact, with what
// hour load) or every reason why not. Pure; the matcher and the API both use it.
//
// Each rule is one named function that opens with the rule in a line, says why it exists, and
// returns the reasons it finds (none when the rule holds).
import { isAvailable, type Availability } from "../time/availability";

export type LanguageLevel = "A1" | "A2" | "B1" | "B2" | "C1" | "C2" | "NATIVE";
export const LANGUAGE_LEVELS: readonly LanguageLevel[] = ["A1", "A2", "B1", "B2", "C1", "C2", "NATIVE"];

export interface EligibilityCitizen {
  id: string;
  status: "APPLICANT" | "ENROLLED" | "SUSPENDED" | "WITHDRAWN";
  birthDate: string;
  homeMunicipalityId: string;
  weeklyHourLimit: number;
  maxTravelMinutes: number;
  skills: { skillId: string; level: number }[];
  languages: { languageCode: string; level: LanguageLevel }[];
  availability: Availability;
  trainings: { courseId: string; completedOn: string; expiresOn: string | null }[];
  criminalRecordChecks: { checkedOn: string; expiresOn: string }[];
  insurances: { validFrom: string; validTo: string }[];
}

export interface EligibilityOccurrence {
  id: string;
  /** Local date of the start (Europe/Rome). */
  localDate: string;
  start: number;
  end: number;
  activityKind: string;
  /** Null for remote tasks. */
  municipalityId: string | null;
  requiredSkillId: string;
  minSkillLevel: number;
  /** The citizen must speak each of these at least at minLanguageLevel. */
  requiredLanguages: string[];
  minLanguageLevel: LanguageLevel;
  involvesMinors: boolean;
  requiredCourseIds: string[];
}

export interface EligibilityPact {
  id: string;
  status: string;
  activityKinds: string[];
  municipalityIds: string[];
  startDate: string;
  endDate: string;
  budgetMinutes: number;
  /** Minutes already done or committed under the pact (from the ledger). */
  usedMinutes: number;
  requiredCourseIds: string[];
}

export interface EligibilityRegulation {
  minimumAge: number;
  maxWeeklyHours: number;
  /** Courses required per activity kind. */
  trainingByActivityKind: Record<string, string[]>;
  /** Courses required for any activity with minors (safeguarding). */
  minorsCourseIds: string[];
  minorsRequireCriminalRecordCheck: boolean;
  /** Whether the travel there and back counts towards hours. */
  travelCountsAsHours: boolean;
}

export interface EligibilityContext {
  /** The regulation in force on the occurrence's date; null when none is. */
  regulation: EligibilityRegulation | null;
  /** The citizen's pacts (any status). */
  pacts: EligibilityPact[];
  /** Travel minutes between municipalities, undefined when unknown. */
  travelMinutes(fromId: string, toId: string): number | undefined;
  /** Minutes the citizen has already committed in the ISO week of the occurrence. */
  weekCommittedMinutes: number;
}

export type ReasonCode =
  | "NO_REGULATION_IN_FORCE"
  | "NOT_ENROLLED"
  | "UNDER_MINIMUM_AGE"
  | "MISSING_SKILL"
  | "SKILL_LEVEL_TOO_LOW"
  | "MISSING_LANGUAGE"
  | "NO_ACTIVE_PACT"
  | "PACT_ACTIVITY_NOT_COVERED"
  | "PACT_MUNICIPALITY_NOT_COVERED"
  | "PACT_DATE_NOT_COVERED"
  | "PACT_BUDGET_EXHAUSTED"
  | "WEEKLY_LIMIT_EXCEEDED"
  | "REGULATION_WEEKLY_LIMIT_EXCEEDED"
  | "TRAINING_MISSING"
  | "TRAINING_EXPIRED"
  | "CRIMINAL_RECORD_CHECK_MISSING"
  | "CRIMINAL_RECORD_CHECK_EXPIRED"
  | "INSURANCE_NOT_VALID"
  | "NOT_AVAILABLE"
  | "TOO_FAR"
  | "BUSY_WITH_COMMITMENT"
  | "BUSY_WITH_OFFER"
  | "ALREADY_ASKED";

export interface Reason {
  code: ReasonCode;
  params: Record<string, string | number>;
}

export type Eligibility = { eligible: true; pactId: string; loadMinutes: number; travelMinutes: number } | { eligible: false; reasons: Reason[] };

/** A context with a regulation in force: what every rule but mustActUnderRegulation reads. */
export type RegulatedContext = EligibilityContext & { regulation: EligibilityRegulation };

/** Rule: nobody acts for the programme without a regulation in force on the date (the other rules read it). */
export function mustActUnderRegulation(context: EligibilityContext): context is RegulatedContext {
  return context.regulation !== null;
}

const reason = (code: ReasonCode, params: Record<string, string | number> = {}): Reason => ({ code, params });
const levelRank = (level: LanguageLevel) => LANGUAGE_LEVELS.indexOf(level);

/** One-way travel from the citizen's home to the task (0 for remote tasks or the same town). */
export function travelMinutesFor(citizen: EligibilityCitizen, occurrence: EligibilityOccurrence, context: RegulatedContext): number | undefined {
  if (occurrence.municipalityId === null) return 0;
  return context.travelMinutes(citizen.homeMunicipalityId, occurrence.municipalityId);
}

/** The hours the occurrence costs this citizen: its duration, plus the trip both ways where the regulation counts it. */
export function loadMinutesFor(citizen: EligibilityCitizen, occurrence: EligibilityOccurrence, context: RegulatedContext): number {
  const duration = Math.round((occurrence.end - occurrence.start) / 60_000);
  const travel = context.regulation.travelCountsAsHours ? 2 * (travelMinutesFor(citizen, occurrence, context) ?? 0) : 0;
  return duration + travel;
}

// --- the rules ------------------------------------------------------------------------------

/** Only enrolled citizens act: applicants lack training or insurance, suspended and withdrawn ones are out by decision. */
export function mustBeEnrolled(citizen: EligibilityCitizen): Reason[] {
  return citizen.status === "ENROLLED" ? [] : [reason("NOT_ENROLLED", { status: citizen.status })];
}

/** Whole years from a birth date to a date (ISO dates). */
export function ageOn(birthDate: string, date: string): number {
  // The birthday has not come yet that year when the date's "MM-DD" sorts before it.
  return Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (date.slice(5) < birthDate.slice(5) ? 1 : 0);
}

/** The regulation's minimum age, reached on a date: to register, to be enrolled, and to act. */
export function mustBeOfAgeOn(birthDate: string, date: string, minimumAge: number): Reason[] {
  const age = ageOn(birthDate, date);
  return age >= minimumAge ? [] : [reason("UNDER_MINIMUM_AGE", { age, minimumAge })];
}

/** The minimum age holds on the date of the activity (mustBeOfAgeOn). */
export function mustBeOfAge(citizen: EligibilityCitizen, occurrence: EligibilityOccurrence, context: RegulatedContext): Reason[] {
  return mustBeOfAgeOn(citizen.birthDate, occurrence.localDate, context.regulation.minimumAge);
}

/** The task needs its skill at a minimum level: families deserve someone who can do it. */
export function mustHaveSkill(citizen: EligibilityCitizen, occurrence: EligibilityOccurrence): Reason[] {
  const skill = citizen.skills.find((s) => s.skillId === occurrence.requiredSkillId);
  if (!skill) return [reason("MISSING_SKILL", { skillId: occurrence.requiredSkillId })];
  return skill.level >= occurrence.minSkillLevel ? [] : [reason("SKILL_LEVEL_TOO_LOW", { level: skill.level, minLevel: occurrence.minSkillLevel })];
}

/** Required languages are what the family can be reached in: each at the minimum level. */
export function mustSpeakRequiredLanguages(citizen: EligibilityCitizen, occurrence: EligibilityOccurrence): Reason[] {
  return occurrence.requiredLanguages
    .filter((code) => !citizen.languages.some((l) => l.languageCode === code && levelRank(l.level) >= levelRank(occurrence.minLanguageLevel)))
    .map((code) => reason("MISSING_LANGUAGE", { language: code, minLevel: occurrence.minLanguageLevel }));
}

/**
 * A citizen acts only under an active pact whose scope covers the kind of activity, the
 * municipality and the date, whose required training they hold, and whose hour budget still
 * holds the load. Returns the pact to
 * use, or the reasons of the pact that came closest.
 */
export function mustHaveCoveringPact(
  citizen: EligibilityCitizen,
  occurrence: EligibilityOccurrence,
  context: RegulatedContext,
  loadMinutes: number,
): { pactId: string; reasons: [] } | { pactId: null; reasons: Reason[] } {
  const active = context.pacts.filter((p) => p.status === "ACTIVE");
  if (active.length === 0) return { pactId: null, reasons: [reason("NO_ACTIVE_PACT")] };
  let closest: Reason[] | null = null;
  // `active` is a fresh array: sorted in place, and only when there is a choice.
  if (active.length > 1) active.sort((a, b) => a.endDate.localeCompare(b.endDate) || a.id.localeCompare(b.id));
  for (const pact of active) {
    const failures: Reason[] = [];
    if (!pact.activityKinds.includes(occurrence.activityKind))
      failures.push(reason("PACT_ACTIVITY_NOT_COVERED", { pactId: pact.id, activityKind: occurrence.activityKind }));
    if (occurrence.municipalityId !== null && !pact.municipalityIds.includes(occurrence.municipalityId)) {
      failures.push(reason("PACT_MUNICIPALITY_NOT_COVERED", { pactId: pact.id, municipalityId: occurrence.municipalityId }));
    }
    if (occurrence.localDate < pact.startDate || occurrence.localDate > pact.endDate)
      failures.push(reason("PACT_DATE_NOT_COVERED", { pactId: pact.id, date: occurrence.localDate }));
    for (const courseId of pact.requiredCourseIds) {
      if (
        !citizen.trainings.some(
          (t) => t.courseId === courseId && t.completedOn <= occurrence.localDate && (t.expiresOn === null || t.expiresOn >= occurrence.localDate),
        )
      ) {
        failures.push(reason("TRAINING_MISSING", { pactId: pact.id, courseId }));
      }
    }
    if (pact.budgetMinutes - pact.usedMinutes < loadMinutes) {
      failures.push(reason("PACT_BUDGET_EXHAUSTED", { pactId: pact.id, remainingMinutes: Math.max(0, pact.budgetMinutes - pact.usedMinutes), loadMinutes }));
    }
    if (failures.length === 0) return { pactId: pact.id, reasons: [] };
    if (!closest || failures.length < closest.length) closest = failures;
  }
  return { pactId: null, reasons: closest! };
}

/** The citizen's own weekly limit binds: volunteers give what they said, not more. */
export function mustRespectOwnWeeklyLimit(citizen: EligibilityCitizen, context: RegulatedContext, loadMinutes: number): Reason[] {
  const limit = citizen.weeklyHourLimit * 60;
  return context.weekCommittedMinutes + loadMinutes <= limit
    ? []
    : [reason("WEEKLY_LIMIT_EXCEEDED", { limitMinutes: limit, committedMinutes: context.weekCommittedMinutes, loadMinutes })];
}

/** The regulation's weekly maximum binds too, whatever the citizen offers: it protects them from burning out. */
export function mustRespectRegulationWeeklyLimit(context: RegulatedContext, loadMinutes: number): Reason[] {
  const limit = context.regulation.maxWeeklyHours * 60;
  return context.weekCommittedMinutes + loadMinutes <= limit
    ? []
    : [reason("REGULATION_WEEKLY_LIMIT_EXCEEDED", { limitMinutes: limit, committedMinutes: context.weekCommittedMinutes, loadMinutes })];
}

/** Training required by the regulation for the kind, by the task, by the pacts, and for minors, valid on the date. */
export function mustHaveValidTraining(citizen: EligibilityCitizen, occurrence: EligibilityOccurrence, context: RegulatedContext): Reason[] {
  const byKind = context.regulation.trainingByActivityKind[occurrence.activityKind];
  if (!byKind?.length && occurrence.requiredCourseIds.length === 0 && !(occurrence.involvesMinors && context.regulation.minorsCourseIds.length > 0)) return [];
  const required = new Set([
    ...(context.regulation.trainingByActivityKind[occurrence.activityKind] ?? []),
    ...occurrence.requiredCourseIds,
    ...(occurrence.involvesMinors ? context.regulation.minorsCourseIds : []),
  ]);
  const reasons: Reason[] = [];
  for (const courseId of [...required].sort()) {
    const records = citizen.trainings.filter((t) => t.courseId === courseId && t.completedOn <= occurrence.localDate);
    if (records.length === 0) reasons.push(reason("TRAINING_MISSING", { courseId }));
    else if (!records.some((t) => t.expiresOn === null || t.expiresOn >= occurrence.localDate)) reasons.push(reason("TRAINING_EXPIRED", { courseId }));
  }
  return reasons;
}

/** Regular contact with minors needs a valid criminal-record check (Italian law), when the regulation says so. */
export function mustHaveCriminalRecordCheckForMinors(citizen: EligibilityCitizen, occurrence: EligibilityOccurrence, context: RegulatedContext): Reason[] {
  if (!occurrence.involvesMinors || !context.regulation.minorsRequireCriminalRecordCheck) return [];
  const checks = citizen.criminalRecordChecks.filter((c) => c.checkedOn <= occurrence.localDate);
  if (checks.length === 0) return [reason("CRIMINAL_RECORD_CHECK_MISSING")];
  return checks.some((c) => c.expiresOn >= occurrence.localDate) ? [] : [reason("CRIMINAL_RECORD_CHECK_EXPIRED")];
}

/** No valid insurance cover on the date, no assignment: the administration insures active citizens. */
export function mustBeInsured(citizen: EligibilityCitizen, occurrence: EligibilityOccurrence): Reason[] {
  return citizen.insurances.some((i) => i.validFrom <= occurrence.localDate && occurrence.localDate <= i.validTo)
    ? []
    : [reason("INSURANCE_NOT_VALID", { date: occurrence.localDate })];
}

/** The citizen must be available over the whole occurrence. */
export function mustBeAvailable(citizen: EligibilityCitizen, occurrence: EligibilityOccurrence): Reason[] {
  return isAvailable(citizen.availability, occurrence.start, occurrence.end) ? [] : [reason("NOT_AVAILABLE")];
}

/** The trip from home must be within the longest the citizen accepts (unknown routes count as too far). */
export function mustBeWithinTravelLimit(citizen: EligibilityCitizen, occurrence: EligibilityOccurrence, context: RegulatedContext): Reason[] {
  const minutes = travelMinutesFor(citizen, occurrence, context);
  if (minutes === undefined) return [reason("TOO_FAR", { travelMinutes: -1, maxTravelMinutes: citizen.maxTravelMinutes })];
  return minutes <= citizen.maxTravelMinutes ? [] : [reason("TOO_FAR", { travelMinutes: minutes, maxTravelMinutes: citizen.maxTravelMinutes })];
}

/**
 * Work already agreed (a commitment under its pact, or an open offer under any pact) stands while
 * the citizen's standing holds on its date: enrolled, of age, an active pact covering it, the
 * training, check and insurance it needs. Hours, availability and distance were checked when it
 * was agreed and do not undo it; the pact's budget neither (the work is counted in it).
 */
export function mustStillStand(citizen: EligibilityCitizen, occurrence: EligibilityOccurrence, context: RegulatedContext, pactId: string | null): Reason[] {
  const pacts = context.pacts.filter((p) => pactId === null || p.id === pactId).map((p) => ({ ...p, usedMinutes: 0 }));
  const reasons: Reason[] = [];
  appendAll(reasons, mustBeEnrolled(citizen));
  appendAll(reasons, mustBeOfAge(citizen, occurrence, context));
  appendAll(reasons, mustHaveCoveringPact(citizen, occurrence, { ...context, pacts }, 0).reasons);
  appendAll(reasons, mustHaveValidTraining(citizen, occurrence, context));
  appendAll(reasons, mustHaveCriminalRecordCheckForMinors(citizen, occurrence, context));
  appendAll(reasons, mustBeInsured(citizen, occurrence));
  return reasons;
}

function appendAll(into: Reason[], found: Reason[]): void {
  for (const r of found) into.push(r);
}

/** Every rule, in the order reasons are listed. */
export function checkEligibility(citizen: EligibilityCitizen, occurrence: EligibilityOccurrence, context: EligibilityContext): Eligibility {
  if (!mustActUnderRegulation(context)) return { eligible: false, reasons: [reason("NO_REGULATION_IN_FORCE")] };
  const loadMinutes = loadMinutesFor(citizen, occurrence, context);
  const pact = mustHaveCoveringPact(citizen, occurrence, context, loadMinutes);
  // The matching asks this for every citizen and occurrence of a territory's week (hundreds of
  // thousands of pairs): the reasons are gathered into one array rather than spread together.
  const reasons: Reason[] = [];
  appendAll(reasons, mustBeEnrolled(citizen));
  appendAll(reasons, mustBeOfAge(citizen, occurrence, context));
  appendAll(reasons, mustHaveSkill(citizen, occurrence));
  appendAll(reasons, mustSpeakRequiredLanguages(citizen, occurrence));
  appendAll(reasons, pact.reasons);
  appendAll(reasons, mustRespectOwnWeeklyLimit(citizen, context, loadMinutes));
  appendAll(reasons, mustRespectRegulationWeeklyLimit(context, loadMinutes));
  appendAll(reasons, mustHaveValidTraining(citizen, occurrence, context));
  appendAll(reasons, mustHaveCriminalRecordCheckForMinors(citizen, occurrence, context));
  appendAll(reasons, mustBeInsured(citizen, occurrence));
  appendAll(reasons, mustBeAvailable(citizen, occurrence));
  const travelMinutes = travelMinutesFor(citizen, occurrence, context);
  appendAll(reasons, mustBeWithinTravelLimit(citizen, occurrence, context));
  if (reasons.length > 0 || pact.pactId === null) return { eligible: false, reasons };
  return { eligible: true, pactId: pact.pactId, loadMinutes, travelMinutes: travelMinutes ?? 0 };
}
