// Loads one territory's week for the compiler in a fixed number of queries, whatever its size.
import type { EligibilityContext } from "../eligibility/eligibility.model";
import { pactUsedMinutes } from "../eligibility/eligibility.service";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { eligibilityRegulation, regulationInForce } from "../regulation/regulation.service";
import { eligibilityCitizenInclude, toEligibilityCitizen, toEligibilityOccurrence, toEligibilityPact } from "../eligibility/eligibility.mapping";
import { addDays, instantsOfLocalRange } from "../time/local-time";
import type { CompileInput, MatchingCitizen, MatchingOccurrence } from "./compile.model";

type Db = PrismaClient | Prisma.TransactionClient;

export function weekBounds(weekStart: string): { from: Date; to: Date } {
  return { from: new Date(instantsOfLocalRange(weekStart, 0, 1440)[0]!.start), to: new Date(instantsOfLocalRange(addDays(weekStart, 7), 0, 1440)[0]!.start) };
}

export interface LoadedWeek {
  input: Omit<CompileInput, "previousProposal" | "pinned" | "excluded">;
  /** Display names, for explanations. */
  names: Map<string, string>;
  found: boolean;
}

export async function loadWeek(db: Db, territoryId: string, weekStart: string): Promise<LoadedWeek> {
  const { from, to } = weekBounds(weekStart);
  const regulation = await regulationInForce(db, weekStart);
  const [occurrenceRows, citizenRows, travelRows] = await Promise.all([
    db.taskOccurrence.findMany({
      where: { startsAt: { gte: from, lt: to }, status: { in: ["OPEN", "PARTIALLY_FILLED"] }, task: { territoryId, status: { notIn: ["CANCELLED", "DONE"] } } },
      include: { task: true, commitments: { where: { status: "ACTIVE" }, select: { id: true } } },
      orderBy: { startsAt: "asc" },
    }),
    db.citizen.findMany({
      where: { homeMunicipality: { territoryId }, status: { not: "WITHDRAWN" } },
      include: eligibilityCitizenInclude,
    }),
    db.travelTime.findMany({ where: { from: { territoryId } } }),
  ]);
  const citizenIds = citizenRows.map((c) => c.id);
  const [weekCommitments, used, earlier] = await Promise.all([
    db.commitment.findMany({
      where: { citizenId: { in: citizenIds }, status: "ACTIVE", occurrence: { startsAt: { gte: from, lt: to } } },
      include: { occurrence: { include: { task: { select: { municipalityId: true, remote: true } } } } },
    }),
    pactUsedMinutes(db, [...new Set(citizenRows.flatMap((c) => c.pacts.map((p) => p.pactId)))]),
    db.commitment.findMany({
      where: { status: "ACTIVE", occurrence: { startsAt: { lt: from }, task: { id: { in: [...new Set(occurrenceRows.filter((o) => o.task.continuity).map((o) => o.taskId))] } } } },
      select: { citizenId: true, occurrence: { select: { taskId: true } } },
    }),
  ]);

  // Nested maps: the compiler asks for a trip several times per pair, so no key is built per call.
  const travel = new Map<string, Map<string, number>>();
  for (const t of travelRows) travel.set(t.fromId, (travel.get(t.fromId) ?? new Map()).set(t.toId, t.minutes));
  const travelMinutes = (fromId: string, toId: string) => (fromId === toId ? 0 : travel.get(fromId)?.get(toId));
  const committedMinutes = new Map<string, number>();
  const busy = new Map<string, NonNullable<MatchingCitizen["busy"]>>();
  for (const c of weekCommitments) {
    committedMinutes.set(c.citizenId, (committedMinutes.get(c.citizenId) ?? 0) + c.plannedMinutes);
    busy.set(c.citizenId, [...(busy.get(c.citizenId) ?? []), { start: c.occurrence.startsAt.getTime(), end: c.occurrence.endsAt.getTime(), municipalityId: c.occurrence.task.remote ? null : c.occurrence.task.municipalityId }]);
  }
  const previousAssignees = new Map<string, Set<string>>();
  for (const c of earlier) previousAssignees.set(c.occurrence.taskId, new Set([...(previousAssignees.get(c.occurrence.taskId) ?? []), c.citizenId]));

  const names = new Map<string, string>();
  const citizens: MatchingCitizen[] = citizenRows.map((c) => {
    names.set(c.id, `${c.firstName} ${c.lastName}`);
    return {
      ...toEligibilityCitizen(c),
      preferredActivityKinds: c.preferredActivityKinds,
      busy: busy.get(c.id) ?? [],
    };
  });
  const pactsOf = new Map(
    citizenRows.map((c) => [
      c.id,
      c.pacts.map(({ pact: p }) => toEligibilityPact(p, used.get(p.id) ?? 0)),
    ]),
  );
  const occurrences: MatchingOccurrence[] = occurrenceRows
    .map((o) => {
      names.set(o.id, o.task.title);
      return {
        ...toEligibilityOccurrence(o),
        taskId: o.taskId,
        // Seats already taken by accepted commitments are not offered again.
        headcount: Math.max(0, o.task.headcount - o.commitments.length),
        priority: o.task.priority,
        preferredLanguages: o.task.preferredLanguages,
        continuity: o.task.continuity,
      };
    })
    .filter((o) => o.headcount > 0);

  const regulationParams = regulation ? eligibilityRegulation(regulation) : null;
  const contexts = new Map<string, EligibilityContext>();
  const contextOf = (citizenId: string): EligibilityContext => {
    const known = contexts.get(citizenId);
    if (known) return known;
    const made = makeContext(citizenId);
    contexts.set(citizenId, made);
    return made;
  };
  const makeContext = (citizenId: string): EligibilityContext => ({
    // Without a regulation in force nobody is eligible: an impossible minimum age says so.
    regulation: regulationParams ?? { minimumAge: 1000, maxWeeklyHours: 0, trainingByActivityKind: {}, minorsCourseIds: [], minorsRequireCriminalRecordCheck: true, travelCountsAsHours: false },
    pacts: pactsOf.get(citizenId) ?? [],
    travelMinutes,
    weekCommittedMinutes: committedMinutes.get(citizenId) ?? 0,
  });
  return { input: { citizens, occurrences, contextOf, previousAssignees }, names, found: regulation !== null };
}
