// Commitments (planned hours) and the hours ledger: citizens log hours after an occurrence,
// coordinators confirm or correct them. Lines are only ever appended.
import { overlapsWithTravel } from "../time/trips";
import { coordinatesTerritory, requireStaff, requireViewer } from "../auth/access";
import { fromDbDate } from "../db/dates";
import { ConflictError, ForbiddenError, InputError, NotFoundError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { checkEligibility } from "../eligibility/eligibility.model";
import { loadEligibilityInputs } from "../eligibility/eligibility.service";
import { refreshStatuses } from "../families/families.service";
import type { ServiceContext } from "../service-context";
import { checkIntRange } from "../citizens/citizens.model";
import { stageJobs } from "../jobs/outbox";
import { commitmentJobs } from "../offers/offers.jobs";
import { refillJobs } from "./release.service";
import { commitmentHours, ledgerLine, mustHaveSeatLeft, sumHours, type CommitmentHours } from "./ledger.model";
import { occurrenceIsOver } from "../offers/offers.model";

type Tx = Prisma.TransactionClient;

async function lockRow(tx: Tx, table: "Citizen" | "TaskOccurrence" | "Commitment", id: string) {
  // Table names come from the fixed union above, never from input.
  await tx.$queryRawUnsafe(`SELECT "id" FROM "${table}" WHERE "id" = $1 FOR UPDATE`, id);
}

/**
 * Whether the citizen already has an active commitment that overlaps the occurrence, the trip
 * between the two places counted both ways (overlapsWithTravel, the matcher's own rule). The
 * trips to and from this place are read first: only commitments within the longest of them can
 * clash, and those are read next.
 */
async function overlapsExistingCommitment(tx: Tx, citizenId: string, occurrence: { id: string; startsAt: Date; endsAt: Date; municipalityId: string | null }) {
  const here = occurrence.municipalityId;
  const trips = here ? await tx.travelTime.findMany({ where: { OR: [{ fromId: here }, { toId: here }] } }) : [];
  const reach = Math.max(0, ...trips.map((t) => t.minutes)) * 60_000;
  const nearby = await tx.commitment.findMany({
    where: {
      citizenId,
      status: "ACTIVE",
      occurrenceId: { not: occurrence.id },
      occurrence: { startsAt: { lt: new Date(occurrence.endsAt.getTime() + reach) }, endsAt: { gt: new Date(occurrence.startsAt.getTime() - reach) } },
    },
    include: { occurrence: { include: { task: { select: { municipalityId: true } } } } },
  });
  if (nearby.length === 0) return false;
  const minutes = new Map(trips.map((t) => [`${t.fromId}|${t.toId}`, t.minutes]));
  const travelMinutes = (from: string, to: string) => minutes.get(`${from}|${to}`);
  const placed = { start: occurrence.startsAt.getTime(), end: occurrence.endsAt.getTime(), municipalityId: here };
  return nearby.some((other) =>
    overlapsWithTravel(
      placed,
      { start: other.occurrence.startsAt.getTime(), end: other.occurrence.endsAt.getTime(), municipalityId: other.occurrence.task.municipalityId },
      travelMinutes,
    ),
  );
}

/**
 * Commits a citizen to an occurrence within every rule the matcher keeps: the occurrence still
 * ahead and not cancelled, eligibility (skills, languages, pact scope and hour budget, weekly
 * limits), the headcount, and no overlap with their other commitments (travel included). The
 * occurrence's row and then the citizen's are locked first, always in that order, so concurrent
 * commitments to the same seat or by the same citizen are taken one at a time: under any number
 * of simultaneous accepts an occurrence never gets more commitments than its headcount and a
 * citizen never two overlapping ones or more hours than allowed.
 */
export async function commitWithinRules(
  tx: Tx,
  input: { occurrenceId: string; citizenId: string; createdById: string; now: Date; territoryId: string | null },
) {
  const { occurrenceId, citizenId } = input;
  await lockRow(tx, "TaskOccurrence", occurrenceId);
  await lockRow(tx, "Citizen", citizenId);
  const occurrence = await tx.taskOccurrence.findUnique({ where: { id: occurrenceId }, include: { task: true } });
  if (!occurrence || (input.territoryId !== null && occurrence.task.territoryId !== input.territoryId)) throw new NotFoundError("TaskOccurrence", occurrenceId);
  if (occurrenceIsOver(occurrence, input.now)) {
    throw new ConflictError("ILLEGAL_TRANSITION", { from: occurrence.status, to: "ASSIGNED" });
  }
  const inputs = await loadEligibilityInputs(tx, citizenId, occurrenceId);
  if (input.territoryId !== null && inputs.citizenTerritoryId !== input.territoryId) throw new NotFoundError("Citizen", citizenId);
  if (await tx.commitment.findFirst({ where: { citizenId, occurrenceId, status: "ACTIVE" } })) throw new ConflictError("ALREADY_COMMITTED");
  const taken = await tx.commitment.count({ where: { occurrenceId, status: "ACTIVE" } });
  mustHaveSeatLeft(taken, occurrence.task.headcount);
  const eligibility = checkEligibility(inputs.citizen, inputs.occurrence, inputs.context);
  if (!eligibility.eligible) {
    const codes = eligibility.reasons.map((r) => r.code);
    throw new ConflictError("NOT_ELIGIBLE", { reasons: codes.join(", ") }, codes);
  }
  if (
    await overlapsExistingCommitment(tx, citizenId, {
      id: occurrence.id,
      startsAt: occurrence.startsAt,
      endsAt: occurrence.endsAt,
      municipalityId: occurrence.task.remote ? null : occurrence.task.municipalityId,
    })
  ) {
    throw new ConflictError("OVERLAPPING_COMMITMENT");
  }
  const commitment = await tx.commitment.create({
    data: {
      citizenId,
      occurrenceId,
      pactId: eligibility.pactId,
      plannedMinutes: eligibility.loadMinutes,
      createdById: input.createdById,
      createdAt: input.now,
    },
  });
  await refreshStatuses(tx, occurrenceId);
  await stageJobs(tx, commitmentJobs([{ id: commitment.id, startsAt: occurrence.startsAt }], input.now), input.now);
  return { commitment, occurrence };
}

/** Staff commit a citizen to an occurrence by hand, within every rule (commitWithinRules). */
export async function assignCitizen(context: ServiceContext, occurrenceId: string, citizenId: string) {
  const scope = requireStaff(context);
  const { commitment } = await context.prisma.$transaction((tx) =>
    commitWithinRules(tx, { occurrenceId, citizenId, createdById: scope.viewer.userId, now: context.now(), territoryId: scope.territoryId }),
  );
  await context.jobs.handOver();
  return commitment;
}

async function commitmentForViewer(tx: Tx, context: ServiceContext, commitmentId: string) {
  const viewer = requireViewer(context);
  await lockRow(tx, "Commitment", commitmentId);
  const commitment = await tx.commitment.findUnique({ where: { id: commitmentId }, include: { occurrence: { include: { task: true } } } });
  const visible =
    commitment &&
    (viewer.role === "ADMIN" ||
      coordinatesTerritory(viewer, commitment.occurrence.task.territoryId) ||
      (viewer.role === "CITIZEN" && viewer.citizenId === commitment.citizenId));
  if (!visible) throw new NotFoundError("Commitment", commitmentId);
  return { viewer, commitment };
}

/** The citizen (or staff) withdraws from a commitment before the occurrence starts; the seat opens again. */
export async function withdrawCommitment(context: ServiceContext, commitmentId: string) {
  return context.prisma
    .$transaction(async (tx) => {
      const { commitment } = await commitmentForViewer(tx, context, commitmentId);
      if (commitment.status !== "ACTIVE" || commitment.occurrence.startsAt <= context.now())
        throw new ConflictError("ILLEGAL_TRANSITION", { from: commitment.status, to: "WITHDRAWN" });
      const updated = await tx.commitment.update({ where: { id: commitmentId }, data: { status: "WITHDRAWN", sequence: { increment: 1 } } });
      await refreshStatuses(tx, commitment.occurrenceId);
      // The freed seat goes to the next best eligible citizen, without a coordinator.
      await stageJobs(tx, refillJobs([commitment.occurrenceId], context.now()), context.now());
      return updated;
    })
    .then(async (updated) => {
      await context.jobs.handOver();
      return updated;
    });
}

function checkMinutes(minutes: number, field = "minutes") {
  return checkIntRange(minutes, 0, 12 * 60, [field]);
}

/** The citizen logs the hours they did, after the occurrence has ended. */
export async function logHours(context: ServiceContext, commitmentId: string, minutes: number, note?: string | null) {
  checkMinutes(minutes);
  if (minutes === 0) throw new InputError("INVALID_RANGE", ["minutes"], { min: 1, max: 720 });
  return context.prisma.$transaction(async (tx) => {
    const { viewer, commitment } = await commitmentForViewer(tx, context, commitmentId);
    if (viewer.role !== "CITIZEN") throw new ForbiddenError();
    if (commitment.status !== "ACTIVE") throw new ConflictError("ILLEGAL_TRANSITION", { from: commitment.status, to: "LOGGED" });
    if (commitment.occurrence.endsAt > context.now()) throw new ConflictError("OCCURRENCE_NOT_ENDED");
    return tx.hoursEntry.create({
      data: { ...lineFor(commitment), kind: "LOGGED", minutes, note: note?.trim() || null, byUserId: viewer.userId, at: context.now() },
    });
  });
}

function lineFor(commitment: { id: string; citizenId: string; pactId: string; occurrenceId: string; occurrence: { task: { familyId: string } } }) {
  return {
    commitmentId: commitment.id,
    citizenId: commitment.citizenId,
    pactId: commitment.pactId,
    occurrenceId: commitment.occurrenceId,
    familyId: commitment.occurrence.task.familyId,
  };
}

/** A coordinator confirms the citizen's latest logged hours as they are. */
export async function confirmHours(context: ServiceContext, commitmentId: string) {
  requireStaff(context);
  return context.prisma.$transaction(async (tx) => {
    const { viewer, commitment } = await commitmentForViewer(tx, context, commitmentId);
    const lines = await tx.hoursEntry.findMany({ where: { commitmentId }, orderBy: { seq: "asc" } });
    const lastLog = lines.filter((l) => l.kind === "LOGGED").pop();
    const lastDecision = lines.filter((l) => l.kind !== "LOGGED").pop();
    if (!lastLog || (lastDecision && lastDecision.seq > lastLog.seq)) throw new ConflictError("NOTHING_TO_CONFIRM");
    const line = await tx.hoursEntry.create({
      data: { ...lineFor(commitment), kind: "CONFIRMED", minutes: lastLog.minutes, refersToId: lastLog.id, byUserId: viewer.userId, at: context.now() },
    });
    await markDone(tx, commitment.occurrenceId);
    return line;
  });
}

/** A coordinator records the hours actually done when they differ from what was logged; a note says why. */
export async function correctHours(context: ServiceContext, commitmentId: string, minutes: number, note: string) {
  requireStaff(context);
  checkMinutes(minutes);
  if (!note?.trim()) throw new InputError("INVALID_INPUT", ["note"]);
  return context.prisma.$transaction(async (tx) => {
    const { viewer, commitment } = await commitmentForViewer(tx, context, commitmentId);
    if (commitment.occurrence.endsAt > context.now()) throw new ConflictError("OCCURRENCE_NOT_ENDED");
    const lastLog = await tx.hoursEntry.findFirst({ where: { commitmentId, kind: "LOGGED" }, orderBy: { seq: "desc" } });
    const line = await tx.hoursEntry.create({
      data: {
        ...lineFor(commitment),
        kind: "CORRECTED",
        minutes,
        note: note.trim(),
        refersToId: lastLog?.id ?? null,
        byUserId: viewer.userId,
        at: context.now(),
      },
    });
    await markDone(tx, commitment.occurrenceId);
    return line;
  });
}

/** An occurrence whose hours have been decided on happened: it is DONE. */
async function markDone(tx: Tx, occurrenceId: string) {
  await tx.taskOccurrence.update({ where: { id: occurrenceId }, data: { status: "DONE" } });
  await refreshStatuses(tx, occurrenceId);
}

// --- the ledger -----------------------------------------------------------------------------

export interface LedgerFilter {
  pactId?: string | null;
  citizenId?: string | null;
  familyId?: string | null;
  /** "YYYY-MM", by the local date of the occurrence. */
  month?: string | null;
}

export interface LedgerRow extends CommitmentHours {
  pactId: string;
  citizenId: string;
  familyId: string;
  month: string;
}

/** The commitments whose hours a viewer may see: a citizen their own, a coordinator their territory's, an administrator all. */
function ledgerScope(viewer: { role: string; citizenId?: string | null; territoryId?: string | null }): Prisma.CommitmentWhereInput {
  if (viewer.role === "CITIZEN") return { citizenId: viewer.citizenId ?? "none" };
  if (viewer.role === "COORDINATOR") return { occurrence: { task: { territoryId: viewer.territoryId ?? "none" } } };
  if (viewer.role === "ADMIN") return {};
  throw new ForbiddenError();
}

/** Each pact's hours as `hoursLedger(pactId)` totals them, for many pacts with one query (a list of pacts). */
export async function hoursByPact(context: ServiceContext, pactIds: readonly string[]): Promise<CommitmentHours[]> {
  const where = ledgerScope(requireViewer(context));
  const commitments = await context.prisma.commitment.findMany({ where: { AND: [where, { pactId: { in: [...pactIds] } }] }, include: { hours: true } });
  return pactIds.map((id) => sumHours(commitments.filter((c) => c.pactId === id).map((c) => commitmentHours(c, c.hours.map(ledgerLine)))));
}

/** Hours planned, pending and done, by pact, citizen, family and month. Staff see their territory; a citizen their own. */
export async function hoursLedger(context: ServiceContext, filter: LedgerFilter): Promise<{ rows: LedgerRow[]; total: CommitmentHours }> {
  const viewer = requireViewer(context);
  if (filter.month && !/^\d{4}-(0[1-9]|1[0-2])$/.test(filter.month)) throw new InputError("INVALID_DATE", ["month"], { value: filter.month });
  const where = ledgerScope(viewer);
  if (filter.pactId) where.pactId = filter.pactId;
  if (filter.citizenId) where.citizenId = viewer.role === "CITIZEN" && filter.citizenId !== viewer.citizenId ? "none" : filter.citizenId;
  const commitments = await context.prisma.commitment.findMany({
    where: filter.familyId ? { AND: [where, { occurrence: { task: { familyId: filter.familyId } } }] } : where,
    include: { hours: true, occurrence: { select: { localDate: true, task: { select: { familyId: true } } } } },
  });
  const groups = new Map<string, { key: Omit<LedgerRow, keyof CommitmentHours>; items: CommitmentHours[] }>();
  for (const c of commitments) {
    const month = fromDbDate(c.occurrence.localDate).slice(0, 7);
    if (filter.month && month !== filter.month) continue;
    const key = { pactId: c.pactId, citizenId: c.citizenId, familyId: c.occurrence.task.familyId, month };
    const id = `${key.pactId}|${key.citizenId}|${key.familyId}|${key.month}`;
    const group = groups.get(id) ?? { key, items: [] };
    group.items.push(commitmentHours(c, c.hours.map(ledgerLine)));
    groups.set(id, group);
  }
  const rows = [...groups.values()]
    .map((g) => ({ ...g.key, ...sumHours(g.items) }))
    .sort(
      (a, b) =>
        a.month.localeCompare(b.month) || a.pactId.localeCompare(b.pactId) || a.citizenId.localeCompare(b.citizenId) || a.familyId.localeCompare(b.familyId),
    );
  return { rows, total: sumHours(rows) };
}
