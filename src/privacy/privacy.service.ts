// GDPR: a person's own data as JSON (access and portability), and erasure of a citizen or a
// family by an administrator. Erasure anonymises in place, in one transaction: rows that carry
// counts, hours and history stay (so reports, ledger totals and the audit log stay correct),
// every field that identifies the person is overwritten or removed. The audit log never held
// those fields' values (see the migration `audit_log`).
import { requireViewer } from "../auth/access";
import { ConflictError, ForbiddenError, InputError, NotFoundError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { ServiceContext } from "../service-context";

type Tx = Prisma.TransactionClient;

/** Everything stored about the signed-in user, as plain data. */
export async function exportMyData(context: ServiceContext) {
  const viewer = requireViewer(context);
  const prisma = context.prisma;
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: viewer.userId },
    select: { id: true, email: true, role: true, locale: true, displayName: true, createdAt: true, notifications: { orderBy: { createdAt: "asc" } } },
  });
  const citizen = viewer.citizenId
    ? await prisma.citizen.findUnique({
        where: { id: viewer.citizenId },
        include: {
          languages: true,
          skills: { include: { skill: { select: { code: true } } } },
          availabilityWindows: true,
          availabilityExceptions: true,
          trainingRecords: { include: { course: { select: { code: true } } } },
          criminalRecordChecks: true,
          insuranceCovers: true,
          enrolmentEvents: true,
          pacts: { include: { pact: true } },
          commitments: { include: { hours: true, occurrence: { select: { startsAt: true, endsAt: true, task: { select: { title: true, activityKind: true } } } } } },
          offers: true,
          calendarFeeds: { select: { id: true, createdAt: true, revokedAt: true } },
        },
      })
    : null;
  const household = await prisma.household.findUnique({ where: { contactUserId: viewer.userId }, include: { house: { select: { name: true } }, attendance: true } });
  return { exportedAt: context.now().toISOString(), user, citizen, household };
}

function requireAdmin(context: ServiceContext) {
  const viewer = requireViewer(context);
  if (viewer.role !== "ADMIN") throw new ForbiddenError();
  return viewer;
}

const ERASED = "[cancellato]";

/** A user account that no longer identifies anybody and can no longer sign in. */
async function eraseUser(tx: Tx, userId: string) {
  await tx.notification.deleteMany({ where: { userId } });
  await tx.user.update({ where: { id: userId }, data: { email: `erased-${userId}@invalid`, passwordHash: null, displayName: ERASED, oidcSubject: null } });
}

/**
 * Erases a citizen (administrators, once the citizen is WITHDRAWN so nothing is running): name,
 * contacts, birth date (the year is kept as 1 January, for age statistics), languages, skills,
 * availability, notes and reasons, calendar links and the account. Commitments, hours, pacts
 * and enrolment history stay, without anything that names the person.
 */
export async function eraseCitizen(context: ServiceContext, citizenId: string, reason: string) {
  requireAdmin(context);
  if (reason.trim().length < 3 || reason.length > 500) throw new InputError("INVALID_RANGE", ["reason"], { min: 3, max: 500 });
  return context.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Citizen" WHERE "id" = ${citizenId} FOR UPDATE`;
    const citizen = await tx.citizen.findUnique({ where: { id: citizenId } });
    if (!citizen) throw new NotFoundError("Citizen", citizenId);
    if (citizen.status !== "WITHDRAWN") throw new ConflictError("ILLEGAL_TRANSITION", { from: citizen.status, to: "ERASED" });
    const year = citizen.birthDate.getUTCFullYear();
    await tx.citizenLanguage.deleteMany({ where: { citizenId } });
    await tx.citizenSkill.deleteMany({ where: { citizenId } });
    await tx.availabilityWindow.deleteMany({ where: { citizenId } });
    await tx.availabilityException.deleteMany({ where: { citizenId } });
    await tx.calendarFeed.deleteMany({ where: { citizenId } });
    await tx.enrolmentEvent.updateMany({ where: { citizenId }, data: { reason: null } });
    await tx.offer.updateMany({ where: { citizenId }, data: { declineReason: null } });
    await tx.hoursEntry.updateMany({ where: { citizenId }, data: { note: null } });
    await tx.insuranceCover.updateMany({ where: { citizenId }, data: { policyNumber: ERASED } });
    const pacts = await tx.pactCitizen.findMany({ where: { citizenId }, select: { pactId: true } });
    await tx.collaborationPact.updateMany({ where: { id: { in: pacts.map((p) => p.pactId) } }, data: { title: `Patto di collaborazione - ${ERASED}` } });
    const erased = await tx.citizen.update({
      where: { id: citizenId },
      data: { firstName: ERASED, lastName: ERASED, email: `erased-${citizenId}@invalid`, phone: null, birthDate: new Date(Date.UTC(year, 0, 1)), preferredActivityKinds: [], userId: null },
    });
    if (citizen.userId) await eraseUser(tx, citizen.userId);
    return erased;
  });
}

/**
 * Erases a family (administrators): its name and address, its members' first names, the private
 * addresses and names in its tasks, the notes on its house's activities, and its resident
 * account. Tasks, occurrences, commitments, hours and housing history stay.
 */
export async function eraseFamily(context: ServiceContext, familyId: string, reason: string) {
  requireAdmin(context);
  if (reason.trim().length < 3 || reason.length > 500) throw new InputError("INVALID_RANGE", ["reason"], { min: 3, max: 500 });
  return context.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Family" WHERE "id" = ${familyId} FOR UPDATE`;
    const family = await tx.family.findUnique({ where: { id: familyId }, include: { households: true } });
    if (!family) throw new NotFoundError("Family", familyId);
    const name = family.referenceName;
    const anonymous = `${ERASED} ${familyId.slice(0, 8)}`;
    await tx.familyMember.updateMany({ where: { familyId }, data: { firstName: ERASED } });
    // Task titles name the family; its tasks' addresses are its home.
    await tx.$executeRaw`UPDATE "Task" SET "title" = replace("title", ${name}, ${anonymous}), "address" = NULL, "description" = NULL WHERE "familyId" = ${familyId}`;
    await tx.$executeRaw`UPDATE "Notification" SET "params" = jsonb_set("params", '{task}', to_jsonb(replace("params"->>'task', ${name}, ${anonymous}))) WHERE "params"->>'task' LIKE ${`%${name}%`}`;
    await tx.planGoal.updateMany({ where: { plan: { familyId } }, data: { description: ERASED } });
    await tx.$executeRaw`UPDATE "MicroProject" SET "title" = replace("title", ${name}, ${anonymous}), "goal" = replace("goal", ${name}, ${anonymous}) WHERE "planId" IN (SELECT "id" FROM "AutonomyPlan" WHERE "familyId" = ${familyId})`;
    // Matching runs keep their input and output, which quote task titles.
    await tx.$executeRaw`UPDATE "MatchingRun" SET "problem" = replace("problem"::text, ${name}, ${anonymous})::jsonb, "compiled" = replace("compiled"::text, ${name}, ${anonymous})::jsonb,
      "solution" = replace("solution"::text, ${name}, ${anonymous})::jsonb, "explanation" = replace("explanation"::text, ${name}, ${anonymous})::jsonb,
      "summary" = replace("summary"::text, ${name}, ${anonymous})::jsonb
      WHERE "compiled"::text LIKE ${`%${name}%`} OR "problem"::text LIKE ${`%${name}%`} OR "solution"::text LIKE ${`%${name}%`} OR "explanation"::text LIKE ${`%${name}%`} OR "summary"::text LIKE ${`%${name}%`}`;
    for (const household of family.households) {
      await tx.housingOccurrence.updateMany({ where: { plan: { houseId: household.houseId }, note: { not: null } }, data: { note: null } });
      await tx.household.update({ where: { id: household.id }, data: { busy: { windows: [], exceptions: [] }, contactUserId: null } });
      if (household.contactUserId) await eraseUser(tx, household.contactUserId);
    }
    return tx.family.update({ where: { id: familyId }, data: { referenceName: anonymous, address: null } });
  });
}
