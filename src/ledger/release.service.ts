// Leaving frees seats. When a citizen's standing changes (withdrawal, suspension, a pact that
// ends, a record that no longer holds, a regulation that asks more) their future commitments and
// open offers are checked again with one rule (eligibility.model mustStillStand); what no longer
// stands is released, the citizen told why, and each freed seat searched again, as after a
// decline. Callers run it inside their transaction and schedule the searches after the commit.
import { fromDbDate } from "../db/dates";
import { eligibilityCitizenInclude, toEligibilityCitizen, toEligibilityOccurrence, toEligibilityPact } from "../eligibility/eligibility.mapping";
import { mustStillStand, type EligibilityRegulation, type RegulatedContext } from "../eligibility/eligibility.model";
import { refreshStatuses } from "../families/families.service";
import type { Prisma } from "../generated/prisma/client";
import { stageJobs, type StagedJob } from "../jobs/outbox";
import { notify } from "../notifications/notifications.service";
import { occurrenceParams } from "../offers/citizen-view.model";
import { eligibilityRegulation, regulationInForce } from "../regulation/regulation.service";

type Tx = Prisma.TransactionClient;

const futureWork = (citizenIds: string[], now: Date) => ({ citizenId: { in: citizenIds }, occurrence: { startsAt: { gt: now } } });

/**
 * Locks the occurrences of the citizens' future work, by id: taken before the citizens' own rows,
 * this keeps the lock order of every other transaction (occurrence, then offer, then citizen).
 */
export async function lockFutureWork(tx: Tx, citizenIds: string[], now: Date): Promise<void> {
  if (citizenIds.length === 0) return;
  const where = futureWork(citizenIds, now);
  const ids = [
    ...(await tx.commitment.findMany({ where: { ...where, status: "ACTIVE" }, select: { occurrenceId: true } })),
    ...(await tx.offer.findMany({ where: { ...where, status: "OFFERED" }, select: { occurrenceId: true } })),
  ].map((x) => x.occurrenceId);
  const unique = [...new Set(ids)].sort();
  if (unique.length > 0) await tx.$queryRaw`SELECT "id" FROM "TaskOccurrence" WHERE "id" = ANY(${unique}) ORDER BY "id" FOR UPDATE`;
}

/**
 * Releases the citizens' future commitments and open offers that no longer stand (mustStillStand):
 * commitments are withdrawn (their hours come back to the pact), offers withdrawn, occurrence
 * statuses updated and the citizens notified, and each freed seat's search staged (refillJobs).
 * Returns the occurrences whose seats were freed: the caller hands the staged jobs over after its commit.
 */
export async function releaseWhatNoLongerStands(tx: Tx, citizenIds: string[], now: Date): Promise<string[]> {
  if (citizenIds.length === 0) return [];
  const where = futureWork(citizenIds, now);
  const commitments = await tx.commitment.findMany({
    where: { ...where, status: "ACTIVE" },
    select: { id: true, citizenId: true, occurrenceId: true, pactId: true },
  });
  const offers = await tx.offer.findMany({ where: { ...where, status: "OFFERED" }, select: { id: true, citizenId: true, occurrenceId: true } });
  if (commitments.length === 0 && offers.length === 0) return [];

  const standing = await standingOf(tx, [...commitments, ...offers]);
  const failing = standing.failing;
  const occurrences = standing.occurrences;
  const citizens = standing.citizens;

  const released = [
    ...commitments.flatMap((c) => {
      const cause = failing(c.citizenId, c.occurrenceId, c.pactId);
      return cause ? [{ kind: "commitment" as const, ...c, cause }] : [];
    }),
    ...offers.flatMap((o) => {
      const cause = failing(o.citizenId, o.occurrenceId, null);
      return cause ? [{ kind: "offer" as const, ...o, cause }] : [];
    }),
  ];
  if (released.length === 0) return [];
  const commitmentIds = released.filter((r) => r.kind === "commitment").map((r) => r.id);
  const offerIds = released.filter((r) => r.kind === "offer").map((r) => r.id);
  if (commitmentIds.length > 0)
    await tx.commitment.updateMany({ where: { id: { in: commitmentIds }, status: "ACTIVE" }, data: { status: "WITHDRAWN", sequence: { increment: 1 } } });
  if (offerIds.length > 0) await tx.offer.updateMany({ where: { id: { in: offerIds }, status: "OFFERED" }, data: { status: "WITHDRAWN", respondedAt: now } });
  const freed = [...new Set(released.map((r) => r.occurrenceId))].sort();
  for (const occurrenceId of freed) await refreshStatuses(tx, occurrenceId);
  await notify(
    tx,
    released.flatMap((r) => {
      const userId = citizens.get(r.citizenId)?.row.userId;
      return userId
        ? [
            {
              userId,
              kind: "WORK_RELEASED" as const,
              params: { ...occurrenceParams(occurrences.get(r.occurrenceId)!), cause: r.cause },
              key: `released:${r.kind}:${r.id}`,
            },
          ]
        : [];
    }),
  );
  await stageJobs(tx, refillJobs(freed, now), now);
  return freed;
}

/**
 * Holds the citizens' rows (shared, by id) for the rest of a transaction that offers them work:
 * taken after the occurrences' locks, it waits for a withdrawal, suspension or pact change in
 * flight, so their standing is read as it is committed.
 */
export async function holdCitizens(tx: Tx, citizenIds: string[]): Promise<void> {
  const ids = [...new Set(citizenIds)].sort();
  if (ids.length > 0) await tx.$queryRaw`SELECT "id" FROM "Citizen" WHERE "id" = ANY(${ids}) ORDER BY "id" FOR SHARE`;
}

/**
 * Loads what mustStillStand needs for these citizens and occurrences, as they are now; `failing`
 * answers the first reason a citizen's work on an occurrence no longer stands (null while it
 * does, and when no regulation is in force on the date, as nothing can be decided then).
 */
export async function standingOf(tx: Tx, work: { citizenId: string; occurrenceId: string }[]) {
  const occurrenceRows = await tx.taskOccurrence.findMany({
    where: { id: { in: [...new Set(work.map((x) => x.occurrenceId))] } },
    include: { task: { include: { municipality: { select: { name: true } } } } },
  });
  const occurrences = new Map(occurrenceRows.map((o) => [o.id, o]));
  const citizenRows = await tx.citizen.findMany({ where: { id: { in: [...new Set(work.map((x) => x.citizenId))] } }, include: eligibilityCitizenInclude });
  const citizens = new Map(citizenRows.map((c) => [c.id, { row: c, citizen: toEligibilityCitizen(c) }]));
  const regulations = new Map<string, EligibilityRegulation | null>();
  for (const date of new Set(occurrenceRows.map((o) => fromDbDate(o.localDate)))) {
    const regulation = await regulationInForce(tx, date);
    regulations.set(date, regulation ? eligibilityRegulation(regulation) : null);
  }
  const failing = (citizenId: string, occurrenceId: string, pactId: string | null): string | null => {
    const occurrence = occurrences.get(occurrenceId);
    const entry = citizens.get(citizenId);
    // A citizen or an occurrence gone (deleted since) holds nothing.
    if (!occurrence || !entry) return "NOT_ENROLLED";
    if (entry.row.erasedAt) return "NOT_ENROLLED";
    const regulation = regulations.get(fromDbDate(occurrence.localDate));
    if (!regulation) return null;
    const context: RegulatedContext = {
      regulation,
      pacts: entry.row.pacts.map((p) => toEligibilityPact(p.pact, 0)),
      travelMinutes: () => 0,
      weekCommittedMinutes: 0,
    };
    return mustStillStand(entry.citizen, toEligibilityOccurrence(occurrence), context, pactId)[0]?.code ?? null;
  };
  return { failing, occurrences, citizens };
}

/** Each freed seat is searched again (offers.jobs fillSeats), staged with the change that freed it. */
export function refillJobs(occurrenceIds: readonly string[], now: Date): StagedJob[] {
  return [...new Set(occurrenceIds)].map((occurrenceId) => ({ event: { kind: "fill-seats", occurrenceId }, dueAt: now }));
}
