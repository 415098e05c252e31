// Stored rows to the pure eligibility types: one mapping, used by the single-pair check and by the
// week loader of the matching.
import { fromDbDate } from "../db/dates";
import type { Prisma } from "../generated/prisma/client";
import { availabilityFromRows } from "../citizens/citizens.repository";
import type { EligibilityCitizen, EligibilityOccurrence, EligibilityPact } from "./eligibility.model";

/** What a citizen row must include to be mapped. */
export const eligibilityCitizenInclude = {
  skills: true,
  languages: true,
  availabilityWindows: true,
  availabilityExceptions: true,
  trainingRecords: true,
  criminalRecordChecks: true,
  insuranceCovers: true,
  pacts: { include: { pact: true } },
} as const satisfies Prisma.CitizenInclude;

type CitizenRow = Prisma.CitizenGetPayload<{ include: typeof eligibilityCitizenInclude }>;
type PactRow = CitizenRow["pacts"][number]["pact"];
type OccurrenceRow = Prisma.TaskOccurrenceGetPayload<{ include: { task: true } }>;

export function toEligibilityCitizen(row: CitizenRow): EligibilityCitizen {
  return {
    id: row.id,
    status: row.status,
    birthDate: fromDbDate(row.birthDate),
    homeMunicipalityId: row.homeMunicipalityId,
    weeklyHourLimit: row.weeklyHourLimit,
    maxTravelMinutes: row.maxTravelMinutes,
    skills: row.skills.map((s) => ({ skillId: s.skillId, level: s.level })),
    languages: row.languages.map((l) => ({ languageCode: l.languageCode, level: l.level })),
    availability: availabilityFromRows(row),
    trainings: row.trainingRecords.map((t) => ({
      courseId: t.courseId,
      completedOn: fromDbDate(t.completedOn),
      expiresOn: t.expiresOn ? fromDbDate(t.expiresOn) : null,
    })),
    criminalRecordChecks: row.criminalRecordChecks.map((c) => ({ checkedOn: fromDbDate(c.checkedOn), expiresOn: fromDbDate(c.expiresOn) })),
    insurances: row.insuranceCovers.map((i) => ({ validFrom: fromDbDate(i.validFrom), validTo: fromDbDate(i.validTo) })),
  };
}

/** A pact with the minutes already used under it (from the ledger). */
export function toEligibilityPact(pact: PactRow, usedMinutes: number): EligibilityPact {
  return {
    id: pact.id,
    status: pact.status,
    activityKinds: pact.activityKinds,
    municipalityIds: pact.municipalityIds,
    startDate: fromDbDate(pact.startDate),
    endDate: fromDbDate(pact.endDate),
    budgetMinutes: pact.hourBudgetMinutes,
    usedMinutes,
    requiredCourseIds: pact.requiredCourseIds,
  };
}

export function toEligibilityOccurrence(row: OccurrenceRow): EligibilityOccurrence {
  const task = row.task;
  return {
    id: row.id,
    localDate: fromDbDate(row.localDate),
    start: row.startsAt.getTime(),
    end: row.endsAt.getTime(),
    activityKind: task.activityKind,
    municipalityId: task.remote ? null : task.municipalityId,
    requiredSkillId: task.requiredSkillId,
    minSkillLevel: task.minSkillLevel,
    requiredLanguages: task.requiredLanguages,
    minLanguageLevel: task.minLanguageLevel,
    involvesMinors: task.involvesMinors,
    requiredCourseIds: task.requiredCourseIds,
  };
}
