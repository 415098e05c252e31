// Loads one territory's week for the compiler in a fixed number of queries, whatever its size.
import { pactUsedMinutes } from "../eligibility/eligibility.service";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { eligibilityRegulation, regulationInForce } from "../regulation/regulation.service";
import { eligibilityCitizenInclude, toEligibilityCitizen, toEligibilityOccurrence, toEligibilityPact } from "../eligibility/eligibility.mapping";
import { localWeekBounds } from "../time/local-time";
import { seatsLeft, type MatchingCitizen, type MatchingOccurrence } from "./compile.model";
import { weekInput, type LoadedWeek, type WeekData } from "./week.model";

type Db = PrismaClient | Prisma.TransactionClient;

/** A territory's week for the compiler, ready to use (week.model weekInput). */
export async function loadWeek(db: Db, territoryId: string, weekStart: string, only?: WeekOnly): Promise<LoadedWeek> {
  return weekInput(await loadWeekData(db, territoryId, weekStart, only));
}

/**
 * Only some occurrences of the week (a refill ranks one occurrence's candidates), and optionally
 * only the citizens who could take them: each citizen read still comes with all their time held
 * that week, so every rule holds for them.
 */
export interface WeekOnly {
  occurrenceIds: readonly string[];
  /** Leaves out citizens a task's first rules refuse anyway (candidatesFor); the compiler still applies every rule. */
  citizens?: Prisma.CitizenWhereInput;
}

/**
 * A narrowing of the citizens read for one task's refill, not a rule: only the enrolled who have
 * its skill at its level, whom mustBeEnrolled and mustHaveSkill (eligibility.model) would keep.
 */
export function candidatesFor(task: { requiredSkillId: string; minSkillLevel: number }): Prisma.CitizenWhereInput {
  return { status: "ENROLLED", skills: { some: { skillId: task.requiredSkillId, level: { gte: task.minSkillLevel } } } };
}

/** A territory's week as data only (it crosses to a solver thread to be compiled there). */
export async function loadWeekData(db: Db, territoryId: string, weekStart: string, only?: WeekOnly): Promise<WeekData> {
  const { start: from, end: to } = localWeekBounds(weekStart);
  const regulation = await regulationInForce(db, weekStart);
  const [occurrenceRows, citizenRows, travelRows] = await Promise.all([
    db.taskOccurrence.findMany({
      where: {
        ...(only ? { id: { in: [...only.occurrenceIds] } } : {}),
        startsAt: { gte: from, lt: to },
        status: { in: ["OPEN", "PARTIALLY_FILLED"] },
        task: { territoryId, status: { notIn: ["CANCELLED", "DONE"] } },
      },
      // Everyone ever asked for an occurrence, and how it stands: active commitments and open
      // offers hold its seats, and nobody is asked for it twice.
      include: { task: true, commitments: { select: { citizenId: true, status: true } }, offers: { select: { citizenId: true, status: true } } },
      orderBy: { startsAt: "asc" },
    }),
    db.citizen.findMany({
      where: { homeMunicipality: { territoryId }, status: { not: "WITHDRAWN" }, ...only?.citizens },
      include: eligibilityCitizenInclude,
      // Seven one-to-many relations: one query each is faster than JSON joins (on the load
      // benchmark's region: 85 against 150 ms for a refill's 230 citizens, 226 against 356 ms
      // for a territory's 1,000), and costs the database less.
      relationLoadStrategy: "query",
    }),
    db.travelTime.findMany({ where: { from: { territoryId } } }),
  ]);
  const citizenIds = citizenRows.map((c) => c.id);
  const weekSpan = { citizenId: { in: citizenIds }, occurrence: { startsAt: { gte: from, lt: to } } };
  const placed = { select: { startsAt: true, endsAt: true, task: { select: { municipalityId: true, remote: true } } } } as const;
  const [weekCommitments, weekOffers, used, earlier] = await Promise.all([
    db.commitment.findMany({ where: { ...weekSpan, status: "ACTIVE" }, select: { citizenId: true, plannedMinutes: true, occurrence: placed } }),
    // Anywhere, not only in this territory: a citizen's time is theirs wherever it is held.
    db.offer.findMany({ where: { ...weekSpan, status: "OFFERED" }, select: { citizenId: true, occurrenceId: true, occurrence: placed } }),
    pactUsedMinutes(db, [...new Set(citizenRows.flatMap((c) => c.pacts.map((p) => p.pactId)))]),
    db.commitment.findMany({
      where: {
        status: "ACTIVE",
        occurrence: { startsAt: { lt: from }, task: { id: { in: [...new Set(occurrenceRows.filter((o) => o.task.continuity).map((o) => o.taskId))] } } },
      },
      select: { citizenId: true, occurrence: { select: { taskId: true } } },
    }),
  ]);

  // Nested maps: the compiler asks for a trip several times per pair, so no key is built per call.
  const travel = new Map<string, Map<string, number>>();
  for (const t of travelRows) travel.set(t.fromId, (travel.get(t.fromId) ?? new Map()).set(t.toId, t.minutes));
  const heldTime = (o: { startsAt: Date; endsAt: Date; task: { municipalityId: string | null; remote: boolean } }) => ({
    start: o.startsAt.getTime(),
    end: o.endsAt.getTime(),
    municipalityId: o.task.remote ? null : o.task.municipalityId,
  });
  const committedMinutes = new Map<string, number>();
  const busy = new Map<string, NonNullable<MatchingCitizen["busy"]>>();
  for (const c of weekCommitments) {
    committedMinutes.set(c.citizenId, (committedMinutes.get(c.citizenId) ?? 0) + c.plannedMinutes);
    busy.set(c.citizenId, [...(busy.get(c.citizenId) ?? []), heldTime(c.occurrence)]);
  }
  const offered = new Map<string, NonNullable<MatchingCitizen["offered"]>>();
  for (const o of weekOffers) offered.set(o.citizenId, [...(offered.get(o.citizenId) ?? []), { occurrenceId: o.occurrenceId, ...heldTime(o.occurrence) }]);
  const asked = new Map<string, Set<string>>();
  for (const o of occurrenceRows)
    for (const { citizenId } of [...o.commitments, ...o.offers]) asked.set(citizenId, (asked.get(citizenId) ?? new Set()).add(o.id));
  const previousAssignees = new Map<string, Set<string>>();
  for (const c of earlier) previousAssignees.set(c.occurrence.taskId, new Set([...(previousAssignees.get(c.occurrence.taskId) ?? []), c.citizenId]));

  const citizens: MatchingCitizen[] = citizenRows.map((c) => {
    return {
      ...toEligibilityCitizen(c),
      preferredActivityKinds: c.preferredActivityKinds,
      busy: busy.get(c.id) ?? [],
      offered: offered.get(c.id) ?? [],
      asked: asked.get(c.id) ?? new Set(),
    };
  });
  const pactsOf = new Map(citizenRows.map((c) => [c.id, c.pacts.map(({ pact: p }) => toEligibilityPact(p, used.get(p.id) ?? 0))]));
  const occurrences: MatchingOccurrence[] = occurrenceRows
    .map((o) => {
      return {
        ...toEligibilityOccurrence(o),
        taskId: o.taskId,
        headcount: seatsLeft(o.task.headcount, o.commitments, o.offers),
        priority: o.task.priority,
        preferredLanguages: o.task.preferredLanguages,
        continuity: o.task.continuity,
      };
    })
    .filter((o) => o.headcount > 0);

  return { citizens, occurrences, previousAssignees, travel, committedMinutes, pactsOf, regulation: regulation ? eligibilityRegulation(regulation) : null };
}
