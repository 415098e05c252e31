// GDPR: a person's own data as JSON (access and portability), and erasure of a citizen or a
// family by an administrator. Erasure anonymises in place, in one transaction: rows that carry
// counts, hours and history stay (so reports, ledger totals and the audit log stay correct),
// every field that identifies the person is overwritten or removed. The audit log never held
// those fields' values (see the migration `audit_log`).
import { lockFutureWork, releaseWhatNoLongerStands } from "../ledger/release.service";
import { requireViewer } from "../auth/access";
import { ConflictError, ForbiddenError, InputError, NotFoundError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { ServiceContext } from "../service-context";
import { ERASED_MARK } from "./erased.model";
import { citizenPhrases, familyPhrases, namesPattern, redactNames, searchWord } from "./redact.model";

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
          commitments: {
            include: { hours: true, occurrence: { select: { startsAt: true, endsAt: true, task: { select: { title: true, activityKind: true } } } } },
          },
          offers: true,
          calendarFeeds: { select: { id: true, createdAt: true, revokedAt: true } },
        },
      })
    : null;
  const household = await prisma.household.findUnique({
    where: { contactUserId: viewer.userId },
    include: { house: { select: { name: true } }, attendance: true },
  });
  return { exportedAt: context.now().toISOString(), user, citizen, household };
}

function requireAdmin(context: ServiceContext) {
  const viewer = requireViewer(context);
  if (viewer.role !== "ADMIN") throw new ForbiddenError();
  return viewer;
}

type Delegate = {
  findMany(args: object): Promise<Record<string, unknown>[]>;
  update(args: object): Promise<unknown>;
};

/**
 * Free text that staff or citizens write, where a person may be named: every place erasure
 * searches. A new free-text column belongs here (test/erasure.test.ts dumps the database after
 * erasing and finds what is missing).
 */
export const FREE_TEXT: Record<string, readonly string[]> = {
  task: ["title", "description"],
  microProject: ["title", "goal", "coDesignLab"],
  planGoal: ["description"],
  collaborationPact: ["title", "objectives", "rolesAndCommitments", "formsOfSupport", "monitoringAndReporting", "suspensionAndTermination"],
  pactEvent: ["reason"],
  enrolmentEvent: ["reason"],
  hoursEntry: ["note"],
  offer: ["declineReason"],
  availabilityException: ["note"],
  housingOccurrence: ["note"],
  housingActivity: ["name"],
  matchingRun: ["error"],
};

/** Which rows of a table are the erased person's own: there even a single name is redacted. */
type Scope = Partial<Record<keyof typeof FREE_TEXT, object>>;

/**
 * Redacts names in every free-text column: the phrases (a full name) everywhere, the single
 * words (a first name alone, a surname) only in the person's own rows, so that erasing one
 * "Ana" does not rewrite texts about another. Candidate rows are found by a case-insensitive
 * search for each name's longest word, then redacted word by word (redact.model.ts).
 */
async function redactFreeText(tx: Tx, phrases: string[], words: string[], own: Scope) {
  const everywhere = namesPattern(phrases);
  const inOwn = namesPattern([...phrases, ...words]);
  for (const [model, fields] of Object.entries(FREE_TEXT)) {
    const delegate = (tx as unknown as Record<string, Delegate>)[model]!;
    const scope = own[model as keyof Scope];
    for (const field of fields) {
      const search = (names: string[]) =>
        names
          .map(searchWord)
          .filter((w) => w.length >= 2)
          .map((w) => ({ [field]: { contains: w, mode: "insensitive" } }));
      const rows = await delegate.findMany({ where: { OR: search([...phrases, ...words]) }, select: { id: true, [field]: true } });
      const ownIds = scope
        ? new Set((await delegate.findMany({ where: { AND: [scope, { id: { in: rows.map((r) => r.id) } }] }, select: { id: true } })).map((r) => r.id))
        : new Set();
      for (const row of rows) {
        const text = row[field];
        if (typeof text !== "string") continue;
        const redacted = redactNames(text, ownIds.has(row.id) ? inOwn : everywhere);
        if (redacted !== text) await delegate.update({ where: { id: row.id }, data: { [field]: redacted } });
      }
    }
  }
  // A cancellation's reason is copied into the notifications of those it concerned.
  const reasons = await tx.$queryRaw<
    { id: string; reason: string }[]
  >`SELECT "id", "params"->>'reason' AS "reason" FROM "Notification" WHERE "params" ? 'reason'`;
  for (const n of reasons) {
    const redacted = redactNames(n.reason, everywhere);
    if (redacted !== n.reason)
      await tx.$executeRaw`UPDATE "Notification" SET "params" = jsonb_set("params", '{reason}', to_jsonb(${redacted}::text)) WHERE "id" = ${n.id}`;
  }
}

/** A user account that no longer identifies anybody, signs nobody in, and whose tokens have ended. */
async function eraseUser(tx: Tx, userId: string, now: Date) {
  await tx.notification.deleteMany({ where: { userId } });
  await tx.calendarFeed.deleteMany({ where: { userId } });
  const user = await tx.user.update({
    where: { id: userId },
    data: {
      email: `erased-${userId}@invalid`,
      passwordHash: null,
      displayName: ERASED_MARK,
      oidcSubject: null,
      emailVerifiedAt: null,
      erasedAt: now,
      tokenVersion: { increment: 1 },
    },
  });
  return user;
}

/** Sign-in throttle rows are keyed by the email typed: the person's addresses go with them. */
async function forgetAddresses(tx: Tx, emails: string[]) {
  await tx.loginThrottle.deleteMany({ where: { email: { in: emails.map((e) => e.trim().toLowerCase()) } } });
}

/**
 * Erases a citizen (administrators, once the citizen is WITHDRAWN so nothing is running): name,
 * contacts, birth date (the year is kept as 1 January, for age statistics), languages, skills,
 * availability, notes and reasons, calendar links and the account, whose tokens end at once.
 * Their name is redacted from free text (redactFreeText). Commitments, hours, pacts and
 * enrolment history stay, naming nobody; matching runs hold ids only and show the citizen as
 * erased.
 */
export async function eraseCitizen(context: ServiceContext, citizenId: string, reason: string) {
  requireAdmin(context);
  if (reason.trim().length < 3 || reason.length > 500) throw new InputError("INVALID_RANGE", ["reason"], { min: 3, max: 500 });
  const { erased, freed } = await context.prisma.$transaction(async (tx) => {
    // Withdrawal released their work already; anything left (offered since) goes now, in lock order.
    await lockFutureWork(tx, [citizenId], context.now());
    await tx.$queryRaw`SELECT "id" FROM "Citizen" WHERE "id" = ${citizenId} FOR UPDATE`;
    const citizen = await tx.citizen.findUnique({ where: { id: citizenId }, include: { user: { select: { email: true } } } });
    if (!citizen) throw new NotFoundError("Citizen", citizenId);
    if (citizen.erasedAt) throw new ConflictError("ALREADY_ERASED", {});
    if (citizen.status !== "WITHDRAWN") throw new ConflictError("ILLEGAL_TRANSITION", { from: citizen.status, to: "ERASED" });
    const now = context.now();
    const year = citizen.birthDate.getUTCFullYear();
    const pactIds = (await tx.pactCitizen.findMany({ where: { citizenId }, select: { pactId: true } })).map((p) => p.pactId);
    await redactFreeText(tx, citizenPhrases(citizen.firstName, citizen.lastName), [citizen.firstName, citizen.lastName], {
      collaborationPact: { id: { in: pactIds } },
      pactEvent: { pactId: { in: pactIds } },
      enrolmentEvent: { citizenId },
      hoursEntry: { citizenId },
      offer: { citizenId },
      availabilityException: { citizenId },
      task: { occurrences: { some: { commitments: { some: { citizenId } } } } },
    });
    await tx.citizenLanguage.deleteMany({ where: { citizenId } });
    await tx.citizenSkill.deleteMany({ where: { citizenId } });
    await tx.availabilityWindow.deleteMany({ where: { citizenId } });
    await tx.availabilityException.deleteMany({ where: { citizenId } });
    await tx.calendarFeed.deleteMany({ where: { citizenId } });
    await tx.enrolmentEvent.updateMany({ where: { citizenId }, data: { reason: null } });
    await tx.offer.updateMany({ where: { citizenId }, data: { declineReason: null } });
    await tx.hoursEntry.updateMany({ where: { citizenId }, data: { note: null } });
    await tx.insuranceCover.updateMany({ where: { citizenId }, data: { policyNumber: ERASED_MARK, insurer: null } });
    await forgetAddresses(tx, [citizen.email, ...(citizen.user ? [citizen.user.email] : [])]);
    const erased = await tx.citizen.update({
      where: { id: citizenId },
      data: {
        firstName: ERASED_MARK,
        lastName: ERASED_MARK,
        email: `erased-${citizenId}@invalid`,
        phone: null,
        birthDate: new Date(Date.UTC(year, 0, 1)),
        preferredActivityKinds: [],
        userId: null,
        erasedAt: now,
      },
    });
    if (citizen.userId) await eraseUser(tx, citizen.userId, now);
    return { erased, freed: await releaseWhatNoLongerStands(tx, [citizenId], now) };
  });
  if (freed.length > 0) await context.jobs.handOver();
  return erased;
}

/**
 * Erases a family (administrators): its name and address, its members' first names, its plan's
 * goals, the private addresses of its tasks, its households' busy times and resident accounts
 * (their tokens end at once). Its names are redacted from free text (redactFreeText): its
 * reference name and members' full names everywhere, a member's first name alone in its own
 * tasks, projects and house activities. Tasks, occurrences, commitments, hours and housing history stay.
 */
export async function eraseFamily(context: ServiceContext, familyId: string, reason: string) {
  requireAdmin(context);
  if (reason.trim().length < 3 || reason.length > 500) throw new InputError("INVALID_RANGE", ["reason"], { min: 3, max: 500 });
  return context.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Family" WHERE "id" = ${familyId} FOR UPDATE`;
    const family = await tx.family.findUnique({
      where: { id: familyId },
      include: { households: { include: { contactUser: { select: { email: true } } } }, members: true },
    });
    if (!family) throw new NotFoundError("Family", familyId);
    if (family.erasedAt) throw new ConflictError("ALREADY_ERASED", {});
    const now = context.now();
    const members = family.members.map((m) => m.firstName);
    const houseIds = family.households.map((h) => h.houseId);
    await redactFreeText(tx, familyPhrases(family.referenceName, members), members, {
      task: { familyId },
      microProject: { plan: { familyId } },
      planGoal: { plan: { familyId } },
      housingOccurrence: { plan: { houseId: { in: houseIds } } },
      housingActivity: { houseId: { in: houseIds } },
    });
    await tx.familyMember.updateMany({ where: { familyId }, data: { firstName: ERASED_MARK } });
    await tx.task.updateMany({ where: { familyId }, data: { address: null } });
    await tx.planGoal.updateMany({ where: { plan: { familyId } }, data: { description: ERASED_MARK } });
    for (const household of family.households) {
      await tx.household.update({ where: { id: household.id }, data: { busy: { windows: [], exceptions: [] }, contactUserId: null } });
      await tx.calendarFeed.deleteMany({ where: { householdId: household.id } });
      if (household.contactUserId) {
        await forgetAddresses(tx, [household.contactUser!.email]);
        await eraseUser(tx, household.contactUserId, now);
      }
    }
    return tx.family.update({ where: { id: familyId }, data: { referenceName: ERASED_MARK, address: null, erasedAt: now } });
  });
}
