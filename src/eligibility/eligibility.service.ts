// Loads what eligibility needs from the database and explains the answer in words.
import { requireStaff, requireViewer } from "../auth/access";
import { fromDbDate } from "../db/dates";
import { ConflictError, NotFoundError } from "../errors";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import type { Lang } from "../i18n";
import { reasonMessage } from "../i18n/reasons";
import { commitmentHours, ledgerLine } from "../ledger/ledger.model";
import { eligibilityRegulation, regulationInForce } from "../regulation/regulation.service";
import type { ServiceContext } from "../service-context";
import { localWeekBounds } from "../time/local-time";
import { eligibilityCitizenInclude, toEligibilityCitizen, toEligibilityOccurrence, toEligibilityPact } from "./eligibility.mapping";
import { checkEligibility, type Eligibility, type EligibilityContext, type Reason } from "./eligibility.model";

type Db = PrismaClient | Prisma.TransactionClient;

/** Minutes each pact has used: done where decided, planned otherwise (see the ledger). */
export async function pactUsedMinutes(db: Db, pactIds: string[]): Promise<Map<string, number>> {
  const commitments = await db.commitment.findMany({ where: { pactId: { in: pactIds } }, include: { hours: true } });
  const used = new Map<string, number>(pactIds.map((id) => [id, 0]));
  for (const c of commitments) {
    const hours = commitmentHours(c, c.hours.map(ledgerLine));
    used.set(c.pactId, (used.get(c.pactId) ?? 0) + hours.usedMinutes);
  }
  return used;
}

export async function loadEligibilityInputs(db: Db, citizenId: string, occurrenceId: string) {
  const occurrenceRow = await db.taskOccurrence.findUnique({ where: { id: occurrenceId }, include: { task: true } });
  if (!occurrenceRow) throw new NotFoundError("TaskOccurrence", occurrenceId);
  const citizenRow = await db.citizen.findUnique({
    where: { id: citizenId },
    include: { ...eligibilityCitizenInclude, homeMunicipality: { select: { territoryId: true } } },
  });
  if (!citizenRow) throw new NotFoundError("Citizen", citizenId);
  const localDate = fromDbDate(occurrenceRow.localDate);
  const regulation = await regulationInForce(db, localDate);
  if (!regulation) throw new ConflictError("NO_REGULATION", { date: localDate });

  const citizen = toEligibilityCitizen(citizenRow);
  const task = occurrenceRow.task;
  const occurrence = toEligibilityOccurrence(occurrenceRow);
  const pacts = citizenRow.pacts.map((p) => p.pact);
  const used = await pactUsedMinutes(
    db,
    pacts.map((p) => p.id),
  );
  const week = localWeekBounds(localDate);
  const weekCommitments = await db.commitment.findMany({
    where: { citizenId, status: "ACTIVE", occurrenceId: { not: occurrenceId }, occurrence: { startsAt: { gte: week.start, lt: week.end } } },
    select: { plannedMinutes: true },
  });
  const travel = task.municipalityId
    ? await db.travelTime.findUnique({ where: { fromId_toId: { fromId: citizenRow.homeMunicipalityId, toId: task.municipalityId } } })
    : null;
  const context: EligibilityContext = {
    regulation: eligibilityRegulation(regulation),
    pacts: pacts.map((p) => toEligibilityPact(p, used.get(p.id) ?? 0)),
    travelMinutes: (from, to) => (from === to ? 0 : travel && travel.fromId === from && travel.toId === to ? travel.minutes : undefined),
    weekCommittedMinutes: weekCommitments.reduce((sum, c) => sum + c.plannedMinutes, 0),
  };
  return { citizen, occurrence, context, territoryId: task.territoryId, citizenTerritoryId: citizenRow.homeMunicipality.territoryId };
}

export interface ExplainedReason extends Reason {
  message: string;
}

/** Puts names (skills, courses, municipalities) in the reasons and words in the caller's language. */
export async function explainReasons(db: Db, reasons: Reason[], lang: Lang): Promise<ExplainedReason[]> {
  const ids = (key: string) => reasons.map((r) => r.params[key]).filter((v): v is string => typeof v === "string");
  const [skills, courses, municipalities] = await Promise.all([
    db.skill.findMany({ where: { id: { in: ids("skillId") } } }),
    db.trainingCourse.findMany({ where: { id: { in: ids("courseId") } } }),
    db.municipality.findMany({ where: { id: { in: ids("municipalityId") } } }),
  ]);
  return reasons.map((r) => {
    const named: Record<string, string | number> = { ...r.params };
    const skill = skills.find((s) => s.id === r.params.skillId);
    if (skill) named.skill = lang === "it" ? skill.nameIt : skill.nameEn;
    const course = courses.find((c) => c.id === r.params.courseId);
    if (course) named.course = lang === "it" ? course.nameIt : course.nameEn;
    const municipality = municipalities.find((m) => m.id === r.params.municipalityId);
    if (municipality) named.municipality = municipality.name;
    return { ...r, message: reasonMessage(r.code, named, lang) };
  });
}

/** Staff ask whether a citizen of their territory may cover an occurrence, and why not. */
export async function eligibilityFor(
  context: ServiceContext,
  citizenId: string,
  occurrenceId: string,
  lang: Lang,
): Promise<{ result: Eligibility; reasons: ExplainedReason[] }> {
  const scope = requireStaff(context);
  requireViewer(context);
  const inputs = await loadEligibilityInputs(context.prisma, citizenId, occurrenceId);
  if (scope.territoryId !== null && inputs.territoryId !== scope.territoryId) throw new NotFoundError("TaskOccurrence", occurrenceId);
  if (scope.territoryId !== null && inputs.citizenTerritoryId !== scope.territoryId) throw new NotFoundError("Citizen", citizenId);
  const result = checkEligibility(inputs.citizen, inputs.occurrence, inputs.context);
  return { result, reasons: result.eligible ? [] : await explainReasons(context.prisma, result.reasons, lang) };
}
