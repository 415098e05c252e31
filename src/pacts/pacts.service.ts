// Collaboration pacts: proposal, review, signature, suspension, end, renewal. Every transition
// is recorded with who, when and why.
import { assertInTerritory, coordinatesTerritory, requireStaff, requireViewer } from "../auth/access";
import { fromDbDate, localToday, toDbDate } from "../db/dates";
import { ConflictError, InputError, NotFoundError } from "../errors";
import type { ActivityKind } from "../generated/prisma/enums";
import type { Prisma } from "../generated/prisma/client";
import { holdCitizens, lockFutureWork, releaseWhatNoLongerStands } from "../ledger/release.service";
import type { ServiceContext } from "../service-context";
import {
  assertPactTransition,
  datesOverlap,
  LIVE_PACT_STATUSES,
  RENEWABLE_PACT_STATUSES,
  validatePactContents,
  type PactContents,
  type PactStatus,
} from "./pacts.model";

type Tx = Prisma.TransactionClient;

export interface PactInput extends Omit<PactContents, "hourBudgetMinutes"> {
  hourBudgetHours: number;
  activityKinds: ActivityKind[];
  requiredCourseCodes?: string[] | null;
}

/** Refuses a pact whose dates overlap another live pact of one of its citizens: one pact at a time per citizen. */
async function assertNoOverlap(tx: Tx, citizenIds: string[], dates: { startDate: string; endDate: string }, exceptPactId?: string) {
  const others = await tx.collaborationPact.findMany({
    where: {
      id: exceptPactId ? { not: exceptPactId } : undefined,
      status: { in: [...LIVE_PACT_STATUSES] },
      citizens: { some: { citizenId: { in: citizenIds } } },
    },
    select: { id: true, startDate: true, endDate: true },
  });
  const clash = others.find((p) => datesOverlap(dates, { startDate: fromDbDate(p.startDate), endDate: fromDbDate(p.endDate) }));
  if (clash) throw new ConflictError("PACT_OVERLAP", { pactId: clash.id }, [clash.id]);
}

async function resolveScope(
  tx: Tx,
  territoryId: string | null,
  input: { municipalityIds: string[]; citizenIds: string[]; requiredCourseCodes?: string[] | null },
) {
  const municipalities = await tx.municipality.findMany({ where: { id: { in: input.municipalityIds } } });
  const territories = new Set(municipalities.map((m) => m.territoryId));
  input.municipalityIds.forEach((id, i) => {
    if (!municipalities.some((m) => m.id === id)) throw new InputError("UNKNOWN_MUNICIPALITY", ["municipalityIds", String(i)], { value: id });
  });
  if (territories.size !== 1 || (territoryId !== null && !territories.has(territoryId)))
    throw new InputError("UNKNOWN_MUNICIPALITY", ["municipalityIds"], { value: input.municipalityIds.join(",") });
  const pactTerritory = [...territories][0]!;
  const citizens = await tx.citizen.findMany({ where: { id: { in: input.citizenIds } }, include: { homeMunicipality: { select: { territoryId: true } } } });
  input.citizenIds.forEach((id, i) => {
    const citizen = citizens.find((c) => c.id === id);
    if (!citizen || citizen.homeMunicipality.territoryId !== pactTerritory) throw new NotFoundError("Citizen", id);
    if (citizen.status === "WITHDRAWN") throw new InputError("INVALID_INPUT", ["citizenIds", String(i)]);
  });
  const codes = input.requiredCourseCodes ?? [];
  const courses = await tx.trainingCourse.findMany({ where: { code: { in: codes } } });
  codes.forEach((code, i) => {
    if (!courses.some((c) => c.code === code)) throw new InputError("UNKNOWN_TRAINING_COURSE", ["requiredCourseCodes", String(i)], { value: code });
  });
  return { territoryId: pactTerritory, courseIds: courses.map((c) => c.id) };
}

export async function proposePact(context: ServiceContext, input: PactInput) {
  const scope = requireStaff(context);
  const hourBudgetMinutes = Math.round(input.hourBudgetHours * 60);
  validatePactContents({ ...input, hourBudgetMinutes });
  return context.prisma.$transaction(async (tx) => {
    const resolved = await resolveScope(tx, scope.territoryId, input);
    await assertNoOverlap(tx, input.citizenIds, input);
    return tx.collaborationPact.create({
      data: {
        territoryId: resolved.territoryId,
        title: input.title.trim(),
        objectives: input.objectives.trim(),
        activityKinds: [...new Set(input.activityKinds)],
        municipalityIds: [...new Set(input.municipalityIds)],
        startDate: toDbDate(input.startDate),
        endDate: toDbDate(input.endDate),
        hourBudgetMinutes,
        rolesAndCommitments: input.rolesAndCommitments.trim(),
        insurancePolicy: input.insurancePolicy.trim(),
        insuranceFrom: toDbDate(input.insuranceFrom),
        insuranceTo: toDbDate(input.insuranceTo),
        requiredCourseIds: resolved.courseIds,
        formsOfSupport: input.formsOfSupport.trim(),
        monitoringAndReporting: input.monitoringAndReporting.trim(),
        suspensionAndTermination: input.suspensionAndTermination.trim(),
        createdById: scope.viewer.userId,
        citizens: { create: input.citizenIds.map((citizenId) => ({ citizenId })) },
        events: { create: { fromStatus: null, toStatus: "PROPOSED", byUserId: scope.viewer.userId, at: context.now() } },
      },
    });
  });
}

async function lockPact(tx: Tx, pactId: string) {
  await tx.$queryRaw`SELECT "id" FROM "CollaborationPact" WHERE "id" = ${pactId} FOR UPDATE`;
  return tx.collaborationPact.findUnique({ where: { id: pactId }, include: { citizens: { include: { citizen: { select: { id: true, status: true } } } } } });
}

/** Moves a pact along its lifecycle. Signing (to ACTIVE) records who and when, and needs every citizen enrolled. */
export async function changePactStatus(context: ServiceContext, pactId: string, to: PactStatus, reason?: string | null) {
  const scope = requireStaff(context);
  const now = context.now();
  const { updated, freed } = await context.prisma.$transaction(async (tx) => {
    const pact = assertInTerritory(scope, "CollaborationPact", pactId, await lockPact(tx, pactId));
    assertPactTransition(pact.status, to, reason, fromDbDate(pact.endDate), localToday(context.now()));
    const data: Prisma.CollaborationPactUpdateInput = { status: to };
    if (to === "ACTIVE") {
      const notEnrolled = pact.citizens.filter((c) => c.citizen.status !== "ENROLLED").map((c) => c.citizenId);
      if (notEnrolled.length > 0) throw new ConflictError("CITIZENS_NOT_ENROLLED", { citizens: notEnrolled.join(", ") }, notEnrolled);
      if (pact.signedAt === null) Object.assign(data, { signedById: scope.viewer.userId, signedAt: context.now() });
    }
    // Then the occurrences of its citizens' future work and the citizens, in the order of every accept.
    const citizenIds = pact.citizens.map((c) => c.citizenId).sort();
    await lockFutureWork(tx, citizenIds, now);
    await holdCitizens(tx, citizenIds);
    await tx.pactEvent.create({
      data: { pactId, fromStatus: pact.status, toStatus: to, byUserId: scope.viewer.userId, reason: reason?.trim() || null, at: now },
    });
    const updated = await tx.collaborationPact.update({ where: { id: pactId }, data });
    // A pact suspended, revoked, concluded or expired releases the future work under it (hours
    // already done stay in the ledger); its seats are searched again.
    return { updated, freed: await releaseWhatNoLongerStands(tx, citizenIds, now) };
  });
  if (freed.length > 0) await context.jobs.handOver();
  return updated;
}

/** Renewal is a new proposed pact with the same contents and new dates, linked to the old one. */
export async function renewPact(context: ServiceContext, pactId: string, input: { startDate: string; endDate: string; hourBudgetHours?: number | null }) {
  const scope = requireStaff(context);
  return context.prisma.$transaction(async (tx) => {
    const old = assertInTerritory(scope, "CollaborationPact", pactId, await lockPact(tx, pactId));
    if (!RENEWABLE_PACT_STATUSES.includes(old.status)) throw new ConflictError("ILLEGAL_TRANSITION", { from: old.status, to: "RENEWED" });
    if (await tx.collaborationPact.findUnique({ where: { previousPactId: pactId } })) throw new ConflictError("ALREADY_RENEWED", { pactId });
    if (input.endDate < input.startDate) throw new InputError("INVERTED_DATES", ["endDate"]);
    if (input.startDate <= fromDbDate(old.startDate)) throw new InputError("INVALID_RANGE", ["startDate"]);
    const hourBudgetMinutes = input.hourBudgetHours != null ? Math.round(input.hourBudgetHours * 60) : old.hourBudgetMinutes;
    const citizenIds = old.citizens.map((c) => c.citizenId);
    validatePactContents({
      ...old,
      startDate: input.startDate,
      endDate: input.endDate,
      insuranceFrom: fromDbDate(old.insuranceFrom),
      insuranceTo: fromDbDate(old.insuranceTo),
      hourBudgetMinutes,
      citizenIds,
    });
    await assertNoOverlap(tx, citizenIds, input);
    const { id: _id, status: _status, signedById: _s, signedAt: _a, createdAt: _c, updatedAt: _u, citizens: _cit, previousPactId: _p, ...contents } = old;
    return tx.collaborationPact.create({
      data: {
        ...contents,
        startDate: toDbDate(input.startDate),
        endDate: toDbDate(input.endDate),
        hourBudgetMinutes,
        previousPactId: pactId,
        createdById: scope.viewer.userId,
        citizens: { create: citizenIds.map((citizenId) => ({ citizenId })) },
        events: { create: { fromStatus: null, toStatus: "PROPOSED", byUserId: scope.viewer.userId, reason: `renewal of ${pactId}`, at: context.now() } },
      },
    });
  });
}

/** A pact the viewer may read: staff of its territory, or one of its citizens. */
export async function assertPactVisible(context: ServiceContext, pactId: string): Promise<string> {
  const viewer = requireViewer(context);
  const pact = await context.prisma.collaborationPact.findUnique({ where: { id: pactId }, include: { citizens: { select: { citizenId: true } } } });
  const visible =
    pact &&
    (viewer.role === "ADMIN" ||
      coordinatesTerritory(viewer, pact.territoryId) ||
      (viewer.role === "CITIZEN" && pact.citizens.some((c) => c.citizenId === viewer.citizenId)));
  if (!visible) throw new NotFoundError("CollaborationPact", pactId);
  return pact.id;
}
