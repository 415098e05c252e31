// The citizen's side of offers (list, accept, decline) and the coordinator's cancellation of an
// occurrence. Services are the transaction boundary; jobs are scheduled after the commit.
import { requireCitizen, requireStaff } from "../auth/access";
import { ConflictError, InputError, NotFoundError } from "../errors";
import { commitWithinRules } from "../ledger/ledger.service";
import { notify } from "../notifications/notifications.service";
import type { ServiceContext } from "../service-context";
import type { Prisma } from "../generated/prisma/client";
import { stageJobs } from "../jobs/outbox";
import { refillJobs } from "../ledger/release.service";
import { occurrenceParams } from "./citizen-view.model";
import { mustHaveSeatLeft } from "../ledger/ledger.model";
import { turns } from "../ledger/turns";
import { ServiceBusyError } from "../db/availability";
import { occurrenceIsOver, offerIsOpen } from "./offers.model";

// The task's place and skill come along: a citizen's list shows them for every offer.
const offerInclude = {
  occurrence: {
    include: {
      task: { include: { municipality: true, requiredSkill: true } },
    },
  },
} as const;

/** The signed-in citizen's offers: open ones first (by deadline), then the last answered ones. */
export async function myOffers(context: ServiceContext, options: { openOnly: boolean }) {
  const { citizenId } = requireCitizen(context);
  return context.prisma.offer.findMany({
    where: { citizenId, ...(options.openOnly ? { status: "OFFERED" as const } : {}) },
    include: offerInclude,
    orderBy: [{ status: "asc" }, { deadline: "asc" }],
    take: 200,
  });
}

/**
 * The citizen accepts their own open offer: it becomes a commitment under their pact, within
 * every rule (ledger.service commitWithinRules). With `wholeSeries`, every open offer they hold
 * for the same recurring task is accepted too, all or nothing.
 */
export async function acceptOffer(context: ServiceContext, offerId: string, wholeSeries = false) {
  const citizen = requireCitizen(context);
  if (wholeSeries) return acceptInTransaction(context, citizen, offerId, true);
  // One offer: accepts of one seat take turns in this process, and a seat already settled
  // answers from a cheap read, without queueing for its lock (src/ledger/turns.ts).
  const giveUpAt = performance.now() + ACCEPT_PATIENCE_MS;
  for (;;) {
    const occurrenceId = await answerIfSettled(context, citizen.citizenId, offerId);
    const release = await seatTurns.take(occurrenceId);
    if (!release) {
      if (performance.now() > giveUpAt) throw new ServiceBusyError("waiting for a turn at a seat");
      continue;
    }
    try {
      return await acceptInTransaction(context, citizen, offerId, false);
    } finally {
      release();
    }
  }
}

const seatTurns = turns();
/** How long an accept waits for its turn at a hot seat before answering SERVICE_BUSY: less than a person waits. */
const ACCEPT_PATIENCE_MS = 15_000;

/**
 * Reads, without locks, what the accept would meet first under them, and answers now when that
 * answer cannot change by waiting: not the citizen's offer, the offer closed, the citizen already
 * committed there, or every seat taken (mustHaveSeatLeft). Returns the offer's occurrence otherwise.
 * An occurrence that is cancelled or has begun is left for the transaction to answer.
 */
async function answerIfSettled(context: ServiceContext, citizenId: string, offerId: string): Promise<string> {
  const offer = await context.prisma.offer.findUnique({
    where: { id: offerId },
    select: {
      citizenId: true,
      status: true,
      deadline: true,
      occurrenceId: true,
      occurrence: {
        select: {
          status: true,
          startsAt: true,
          task: { select: { headcount: true } },
          commitments: { where: { status: "ACTIVE" }, select: { citizenId: true } },
        },
      },
    },
  });
  if (!offer || offer.citizenId !== citizenId) throw new NotFoundError("Offer", offerId);
  if (!offerIsOpen(offer, context.now())) throw new ConflictError("OFFER_CLOSED");
  const { occurrence } = offer;
  if (occurrenceIsOver(occurrence, context.now())) return offer.occurrenceId;
  if (occurrence.commitments.some((c) => c.citizenId === citizenId)) throw new ConflictError("ALREADY_COMMITTED");
  mustHaveSeatLeft(occurrence.commitments.length, occurrence.task.headcount);
  return offer.occurrenceId;
}

async function acceptInTransaction(context: ServiceContext, { viewer, citizenId }: ReturnType<typeof requireCitizen>, offerId: string, wholeSeries: boolean) {
  const now = context.now();
  const result = await context.prisma.$transaction(
    async (tx) => {
      const offer = await tx.offer.findUnique({ where: { id: offerId }, include: { occurrence: { select: { taskId: true } } } });
      if (!offer || offer.citizenId !== citizenId) throw new NotFoundError("Offer", offerId);
      const series = wholeSeries
        ? await tx.offer.findMany({
            where: { citizenId, status: "OFFERED", occurrence: { taskId: offer.occurrence.taskId } },
            select: { id: true, occurrenceId: true },
          })
        : [{ id: offer.id, occurrenceId: offer.occurrenceId }];
      if (!series.some((o) => o.id === offer.id)) series.push({ id: offer.id, occurrenceId: offer.occurrenceId });
      // Occurrences are locked in one order (by id) by every multi-occurrence transaction.
      series.sort((a, b) => a.occurrenceId.localeCompare(b.occurrenceId));
      const accepted = [];
      for (const item of series) {
        // Lock order everywhere: occurrence, then offer, then citizen.
        await tx.$queryRaw`SELECT "id" FROM "TaskOccurrence" WHERE "id" = ${item.occurrenceId} FOR UPDATE`;
        await tx.$queryRaw`SELECT "id" FROM "Offer" WHERE "id" = ${item.id} FOR UPDATE`;
        const current = await tx.offer.findUniqueOrThrow({ where: { id: item.id } });
        if (!offerIsOpen(current, now)) throw new ConflictError("OFFER_CLOSED");
        const { commitment } = await commitWithinRules(tx, { occurrenceId: item.occurrenceId, citizenId, createdById: viewer.userId, now, territoryId: null });
        accepted.push(
          await tx.offer.update({ where: { id: item.id }, data: { status: "ACCEPTED", respondedAt: now, commitmentId: commitment.id }, include: offerInclude }),
        );
      }
      return accepted;
      // Other processes' accepts of the same seats queue on the same rows: they may wait their turn.
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  await context.jobs.handOver();
  return result;
}

/** The citizen declines their own open offer (reason optional); the seat goes to the next best citizen. */
export async function declineOffer(context: ServiceContext, offerId: string, reason?: string | null) {
  const { citizenId } = requireCitizen(context);
  const text = reason?.trim() || null;
  if (text && text.length > 500) throw new InputError("INVALID_RANGE", ["reason"], { min: 0, max: 500 });
  const offer = await context.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Offer" WHERE "id" = ${offerId} FOR UPDATE`;
    const current = await tx.offer.findUnique({ where: { id: offerId } });
    if (!current || current.citizenId !== citizenId) throw new NotFoundError("Offer", offerId);
    if (!offerIsOpen(current, context.now())) throw new ConflictError("OFFER_CLOSED");
    await stageJobs(tx, refillJobs([current.occurrenceId], context.now()), context.now());
    return tx.offer.update({ where: { id: offerId }, data: { status: "DECLINED", respondedAt: context.now(), declineReason: text }, include: offerInclude });
  });
  await context.jobs.handOver();
  return offer;
}

/**
 * Staff cancel one occurrence: its active commitments are cancelled (the hours are released),
 * open offers withdrawn, and the citizens told why.
 */
export async function cancelOccurrence(context: ServiceContext, occurrenceId: string, reason: string) {
  const scope = requireStaff(context);
  const text = reason.trim();
  if (text.length < 3 || text.length > 500) throw new InputError("INVALID_RANGE", ["reason"], { min: 3, max: 500 });
  return context.prisma.$transaction((tx) => cancelOccurrenceIn(tx, scope, occurrenceId, text, context.now()));
}

/**
 * Cancels a future occurrence inside the caller's transaction: its commitments are cancelled,
 * its open offers withdrawn, and the citizens told why. (A shared-housing mediation session that
 * moves or is called off cancels its task's occurrence this way.)
 */
export async function cancelOccurrenceIn(tx: Prisma.TransactionClient, scope: { territoryId: string | null }, occurrenceId: string, text: string, now: Date) {
  await tx.$queryRaw`SELECT "id" FROM "TaskOccurrence" WHERE "id" = ${occurrenceId} FOR UPDATE`;
  const occurrence = await tx.taskOccurrence.findUnique({
    where: { id: occurrenceId },
    include: { task: { select: { activityKind: true, remote: true, territoryId: true, municipality: { select: { name: true } } } } },
  });
  if (!occurrence || (scope.territoryId !== null && occurrence.task.territoryId !== scope.territoryId)) throw new NotFoundError("TaskOccurrence", occurrenceId);
  if (occurrenceIsOver(occurrence, now)) {
    throw new ConflictError("ILLEGAL_TRANSITION", { from: occurrence.status, to: "CANCELLED" });
  }
  const affected = await tx.commitment.findMany({ where: { occurrenceId, status: "ACTIVE" }, select: { id: true, citizen: { select: { userId: true } } } });
  const offered = await tx.offer.findMany({ where: { occurrenceId, status: "OFFERED" }, select: { id: true, citizen: { select: { userId: true } } } });
  await tx.commitment.updateMany({ where: { id: { in: affected.map((c) => c.id) } }, data: { status: "CANCELLED", sequence: { increment: 1 } } });
  await tx.offer.updateMany({ where: { id: { in: offered.map((o) => o.id) } }, data: { status: "WITHDRAWN", respondedAt: now } });
  const users = [...affected, ...offered].flatMap((x) => (x.citizen.userId ? [x.citizen.userId] : []));
  await notify(
    tx,
    [...new Set(users)].map((userId) => ({
      userId,
      kind: "COMMITMENT_CANCELLED" as const,
      params: { ...occurrenceParams(occurrence), reason: text },
      key: `occurrence-cancelled:${occurrenceId}:${userId}`,
    })),
  );
  return tx.taskOccurrence.update({ where: { id: occurrenceId }, data: { status: "CANCELLED" } });
}
