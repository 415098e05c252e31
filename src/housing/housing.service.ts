// Shared housing: houses, their spaces, households and tutors (staff set them up); activities
// and plans (tutors propose, pin, move, re-plan and publish); what happened (tutors record it);
// rota balance over time. Each write is one transaction; the planner runs before it, off the
// event loop when the service has a solver pool (ServiceContext.planner).
import { coordinatesTerritory, requireViewer } from "../auth/access";
import type { Viewer } from "../auth/viewer";
import { checkIntRange, normaliseLanguageCode } from "../citizens/citizens.model";
import { fromDbDate, localToday, toDbDate } from "../db/dates";
import { ConflictError, ForbiddenError, InputError, NotFoundError } from "../errors";
import { createTaskIn } from "../families/families.service";
import type { Prisma } from "../generated/prisma/client";
import type { HousingActivityKind, HousingAttendance, HousingFrequency } from "../generated/prisma/enums";
import { notify } from "../notifications/notifications.service";
import { cancelOccurrenceIn } from "../offers/offers.service";
import type { ServiceContext } from "../service-context";
import { validateExceptions, validateWindows, type Availability, type WeeklyWindow } from "../time/availability";
import { addDays, checkDateRange, formatLocalTime, localDateOf, localMinuteOf, parseIsoDate } from "../time/local-time";
import { localStart } from "../time/recurrence";
import { houseFor, plannerInputFor, rotaBalanceOf, standingWhere, stayOf, type RotaBalanceRow } from "./housing.repository";
export type { RotaBalanceRow };
import { SolverThreadStoppedError } from "../jobs/solver-pool";
import { MEDIATION_RECORD } from "../i18n/housing";
import { livesInHouseDuring, livesInHouseOn, explainMove, MAX_SPACING_HOURS, planHouse, type Plan, type PlannerInput } from "./planner.model";

type Tx = Prisma.TransactionClient;

/** Longest period one plan covers. */
export const MAX_PLAN_DAYS = 92;
/** Longest note kept on an occurrence: the record is minimal on purpose. */
const MAX_NOTE = 280;

function name(value: string, field: string, max = 120): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > max) throw new InputError("INVALID_INPUT", [field]);
  return trimmed;
}

function checkMinuteRange(start: number, end: number, field: string) {
  checkIntRange(start, 0, 1440, [field, "start"]);
  checkIntRange(end, 0, 1440, [field, "end"]);
}

function requireHousingStaff(context: ServiceContext): Viewer {
  const viewer = requireViewer(context);
  if (viewer.role !== "ADMIN" && viewer.role !== "COORDINATOR" && viewer.role !== "TUTOR") throw new ForbiddenError();
  return viewer;
}

/**
 * Plans on the service's solver pool when it has one (off the event loop), here otherwise. A
 * solver thread that stops before answering (out of memory on a very large period, a crash)
 * answers PLANNER_STOPPED, and nothing is written.
 */
async function runPlanner(context: ServiceContext, input: PlannerInput): Promise<Plan> {
  try {
    return await (context.planner ?? planHouse)(input);
  } catch (error) {
    if (error instanceof SolverThreadStoppedError) throw new ConflictError("PLANNER_STOPPED");
    throw error;
  }
}

// --- setting a house up (staff) ------------------------------------------------------------------

export interface HouseInput {
  name: string;
  municipalityId: string;
  address?: string | null;
  quietStartMinute: number;
  quietEndMinute: number;
  spaces: { name: string; capacity: number; opening: WeeklyWindow[] }[];
  tutorIds: string[];
}

export async function createHouse(context: ServiceContext, input: HouseInput) {
  const viewer = requireViewer(context);
  if (viewer.role !== "ADMIN" && viewer.role !== "COORDINATOR") throw new ForbiddenError();
  const houseName = name(input.name, "name");
  checkMinuteRange(input.quietStartMinute, input.quietEndMinute, "quietHours");
  if (input.spaces.length === 0) throw new InputError("INVALID_INPUT", ["spaces"]);
  const spaces = input.spaces.map((s, i) => {
    validateWindows(s.opening, `spaces.${i}.opening`);
    return { name: name(s.name, `spaces.${i}.name`, 60), capacity: checkIntRange(s.capacity, 1, 200, ["spaces", String(i), "capacity"]), opening: s.opening };
  });
  if (new Set(spaces.map((s) => s.name.toLowerCase())).size !== spaces.length) throw new InputError("DUPLICATE_ENTRY", ["spaces"]);
  return context.prisma.$transaction(async (tx) => {
    const municipality = await tx.municipality.findUnique({ where: { id: input.municipalityId } });
    if (!municipality || (viewer.role === "COORDINATOR" && !coordinatesTerritory(viewer, municipality.territoryId))) {
      throw new InputError("UNKNOWN_MUNICIPALITY", ["municipalityId"], { value: input.municipalityId });
    }
    const tutors = await tx.user.findMany({ where: { id: { in: input.tutorIds }, role: "TUTOR", territoryId: municipality.territoryId } });
    input.tutorIds.forEach((id, i) => {
      if (!tutors.some((t) => t.id === id)) throw new InputError("UNKNOWN_USER", ["tutorIds", String(i)], { value: id });
    });
    return tx.house.create({
      data: {
        territoryId: municipality.territoryId,
        name: houseName,
        municipalityId: municipality.id,
        address: input.address?.trim() || null,
        quietStartMinute: input.quietStartMinute,
        quietEndMinute: input.quietEndMinute,
        spaces: { create: spaces.map((s) => ({ ...s, opening: s.opening as unknown as Prisma.InputJsonValue })) },
        tutors: { create: [...new Set(input.tutorIds)].map((userId) => ({ userId })) },
      },
    });
  });
}

export interface HouseholdInput {
  familyId: string;
  moveIn: string;
  moveOut?: string | null;
  busy: Availability;
  contactUserId?: string | null;
}

function checkHouseholdDates(moveIn: string, moveOut: string | null | undefined) {
  parseIsoDate(moveIn, ["moveIn"]);
  if (moveOut) {
    parseIsoDate(moveOut, ["moveOut"]);
    if (moveOut <= moveIn) throw new InputError("INVERTED_DATES", ["moveOut"]);
  }
}

function checkBusy(busy: Availability) {
  validateWindows(busy.windows, "busy.windows");
  validateExceptions(busy.exceptions, undefined, "busy.exceptions");
}

/** A family moves into a house (staff, or the house's tutors). One house at a time per family. */
export async function addHousehold(context: ServiceContext, houseId: string, input: HouseholdInput) {
  const viewer = requireHousingStaff(context);
  checkHouseholdDates(input.moveIn, input.moveOut);
  checkBusy(input.busy);
  return context.prisma.$transaction(async (tx) => {
    const house = await houseFor(tx, viewer, houseId, "plan");
    const family = await tx.family.findUnique({ where: { id: input.familyId } });
    if (!family || family.territoryId !== house.territoryId) throw new InputError("UNKNOWN_FAMILY", ["familyId"], { value: input.familyId });
    await tx.$queryRaw`SELECT "id" FROM "Family" WHERE "id" = ${family.id} FOR UPDATE`;
    const overlapping = await tx.household.count({
      where: {
        familyId: family.id,
        moveIn: input.moveOut ? { lt: toDbDate(input.moveOut) } : undefined,
        OR: [{ moveOut: null }, { moveOut: { gt: toDbDate(input.moveIn) } }],
      },
    });
    if (overlapping > 0) throw new ConflictError("ALREADY_IN_A_HOUSE");
    if (input.contactUserId) {
      const contact = await tx.user.findUnique({ where: { id: input.contactUserId }, include: { household: true } });
      if (contact?.role !== "RESIDENT" || contact.household) throw new InputError("UNKNOWN_USER", ["contactUserId"], { value: input.contactUserId });
    }
    const household = await tx.household.create({
      data: {
        houseId,
        familyId: family.id,
        moveIn: toDbDate(input.moveIn),
        moveOut: input.moveOut ? toDbDate(input.moveOut) : null,
        busy: input.busy as unknown as Prisma.InputJsonValue,
        contactUserId: input.contactUserId ?? null,
      },
    });
    await tx.family.update({ where: { id: family.id }, data: { livesInSharedHousing: true } });
    return household;
  });
}

/** Changes a household's move-out date or busy times (shifts change, a course starts). */
export async function updateHousehold(context: ServiceContext, householdId: string, input: { moveOut?: string | null; busy?: Availability | null }) {
  const viewer = requireHousingStaff(context);
  if (input.busy) checkBusy(input.busy);
  return context.prisma.$transaction(async (tx) => {
    const household = await tx.household.findUnique({ where: { id: householdId } });
    if (!household) throw new NotFoundError("Household", householdId);
    await houseFor(tx, viewer, household.houseId, "plan");
    if (input.moveOut !== undefined) checkHouseholdDates(fromDbDate(household.moveIn), input.moveOut);
    return tx.household.update({
      where: { id: householdId },
      data: {
        ...(input.moveOut !== undefined ? { moveOut: input.moveOut ? toDbDate(input.moveOut) : null } : {}),
        ...(input.busy ? { busy: input.busy as unknown as Prisma.InputJsonValue } : {}),
      },
    });
  });
}

// --- activities (tutors) -------------------------------------------------------------------------

export interface ActivityInput {
  kind: HousingActivityKind;
  name: string;
  spaceId?: string | null;
  durationMinutes: number;
  attendance: HousingAttendance;
  householdIds?: string[] | null;
  householdsPerTurn?: number | null;
  frequency: HousingFrequency;
  everyWeeks?: number | null;
  times?: number | null;
  preferredWeekdays?: number[] | null;
  preferredStartMinute?: number | null;
  preferredEndMinute?: number | null;
  minSpacingHours?: number | null;
  mediationLanguage?: string | null;
}

/**
 * A tutor adds an activity to plan. A mediation session lists the households it is for (the
 * first one's family owns the task the weekly matching fills) and the mediator's language.
 */
export async function createHousingActivity(context: ServiceContext, houseId: string, input: ActivityInput) {
  const viewer = requireHousingStaff(context);
  const activityName = name(input.name, "name");
  checkIntRange(input.durationMinutes, 15, 12 * 60, ["durationMinutes"]);
  const householdIds = [...new Set(input.householdIds ?? [])];
  if (input.attendance === "LISTED" && householdIds.length === 0 && input.kind !== "FREE") throw new InputError("INVALID_INPUT", ["householdIds"]);
  if (input.attendance !== "LISTED" && householdIds.length > 0) throw new InputError("INVALID_INPUT", ["householdIds"]);
  const perTurn = input.attendance === "ROTA" ? checkIntRange(input.householdsPerTurn ?? 1, 1, 10, ["householdsPerTurn"]) : 1;
  const everyWeeks = input.frequency === "WEEKLY" ? checkIntRange(input.everyWeeks ?? 1, 1, 12, ["everyWeeks"]) : 1;
  const times = input.frequency === "TIMES" ? checkIntRange(input.times ?? 0, 1, 62, ["times"]) : 0;
  const weekdays = [...new Set(input.preferredWeekdays ?? [])];
  weekdays.forEach((d, i) => {
    checkIntRange(d, 1, 7, ["preferredWeekdays", String(i)]);
  });
  const hasWindow = input.preferredStartMinute != null || input.preferredEndMinute != null;
  if (hasWindow) {
    if (input.preferredStartMinute == null || input.preferredEndMinute == null) throw new InputError("TIMES_REQUIRED", ["preferredWindow"]);
    checkMinuteRange(input.preferredStartMinute, input.preferredEndMinute, "preferredWindow");
    if (input.preferredEndMinute <= input.preferredStartMinute) throw new InputError("INVERTED_WINDOW", ["preferredWindow"]);
  }
  const spacing = checkIntRange(input.minSpacingHours ?? 0, 0, MAX_SPACING_HOURS, ["minSpacingHours"]);
  const isMediation = input.kind === "MEDIATION";
  if (isMediation !== Boolean(input.mediationLanguage)) throw new InputError("INVALID_INPUT", ["mediationLanguage"]);
  if (isMediation && input.attendance !== "LISTED") throw new InputError("INVALID_INPUT", ["attendance"]);
  const language = input.mediationLanguage ? normaliseLanguageCode(input.mediationLanguage, ["mediationLanguage"]) : null;
  return context.prisma.$transaction(async (tx) => {
    await houseFor(tx, viewer, houseId, "plan");
    if (input.spaceId && (await tx.commonSpace.count({ where: { id: input.spaceId, houseId } })) === 0)
      throw new InputError("UNKNOWN_SPACE", ["spaceId"], { value: input.spaceId });
    const households = await tx.household.findMany({
      where: { houseId, id: { in: householdIds } },
      include: { family: { include: { plans: { where: { status: { in: ["ACTIVE", "DRAFT"] } }, include: { microProjects: true } } } } },
    });
    householdIds.forEach((id, i) => {
      if (!households.some((h) => h.id === id)) throw new InputError("UNKNOWN_HOUSEHOLD", ["householdIds", String(i)], { value: id });
    });
    return tx.housingActivity.create({
      data: {
        houseId,
        kind: input.kind,
        name: activityName,
        spaceId: input.spaceId ?? null,
        durationMinutes: input.durationMinutes,
        attendance: input.attendance,
        householdIds,
        householdsPerTurn: perTurn,
        frequency: input.frequency,
        everyWeeks,
        times,
        preferredWeekdays: weekdays,
        preferredStartMinute: hasWindow ? input.preferredStartMinute! : null,
        preferredEndMinute: hasWindow ? input.preferredEndMinute! : null,
        minSpacingHours: spacing,
        mediationLanguage: language,
      },
    });
  });
}

export async function setHousingActivityActive(context: ServiceContext, activityId: string, active: boolean) {
  const viewer = requireHousingStaff(context);
  return context.prisma.$transaction(async (tx) => {
    const activity = await tx.housingActivity.findUnique({ where: { id: activityId } });
    if (!activity) throw new NotFoundError("HousingActivity", activityId);
    await houseFor(tx, viewer, activity.houseId, "plan");
    return tx.housingActivity.update({ where: { id: activityId }, data: { active } });
  });
}

// --- plans (tutors) ------------------------------------------------------------------------------

function checkPeriod(context: ServiceContext, from: string, to: string) {
  checkDateRange(from, to);
  if (from < localToday(context.now())) throw new InputError("PERIOD_IN_PAST", ["from"]);
  checkDateRange(from, to, MAX_PLAN_DAYS);
}

/** What the plan row keeps of the planner's answer besides the occurrences. */
function reportOf(plan: Plan) {
  return {
    unplaced: plan.unplaced,
    pinViolations: plan.pinViolations,
    repeatedDuties: plan.repeatedDuties,
    rotaBalance: plan.rotaBalance,
  } as unknown as Prisma.InputJsonValue;
}

async function writeOccurrences(tx: Tx, planId: string, plan: Plan) {
  await tx.housingOccurrence.createMany({
    data: plan.occurrences.map((o) => ({
      planId,
      activityId: o.activityId,
      startsAt: new Date(o.start),
      endsAt: new Date(o.end),
      duty: o.duty,
      pinned: o.pinned,
    })),
  });
}

/**
 * Proposes a plan of a house for [from, to) as a draft: every activity's occurrences, rotas
 * shared fairly with the house's history, stable against the published plan of the period.
 * An earlier draft of the house is discarded (one draft at a time).
 */
export async function planHousePeriod(context: ServiceContext, houseId: string, from: string, to: string) {
  const viewer = requireHousingStaff(context);
  checkPeriod(context, from, to);
  await houseFor(context.prisma, viewer, houseId, "plan");
  const input = await plannerInputFor(context.prisma, houseId, from, to);
  const plan = await runPlanner(context, input);
  return context.prisma.$transaction(async (tx) => {
    await tx.housePlan.updateMany({ where: { houseId, status: "DRAFT" }, data: { status: "DISCARDED" } });
    const row = await tx.housePlan.create({
      data: {
        houseId,
        periodFrom: toDbDate(from),
        periodTo: toDbDate(to),
        report: reportOf(plan),
        optimal: plan.optimal,
        createdById: viewer.userId,
        createdAt: context.now(),
      },
    });
    await writeOccurrences(tx, row.id, plan);
    return row;
  });
}

async function draftFor(tx: Tx, viewer: Viewer, planId: string) {
  const plan = await tx.housePlan.findUnique({ where: { id: planId } });
  if (!plan) throw new NotFoundError("HousePlan", planId);
  await houseFor(tx, viewer, plan.houseId, "plan");
  if (plan.status !== "DRAFT") throw new ConflictError("PLAN_NOT_DRAFT", { status: plan.status });
  return plan;
}

/** Plans a draft again: pinned occurrences stay where they are, the rest is re-solved for stability. */
export async function replanHousePlan(context: ServiceContext, planId: string) {
  const viewer = requireHousingStaff(context);
  const draft = await draftFor(context.prisma, viewer, planId);
  const from = fromDbDate(draft.periodFrom);
  const to = fromDbDate(draft.periodTo);
  const pinned = await context.prisma.housingOccurrence.findMany({ where: { planId, pinned: true }, select: { activityId: true, startsAt: true } });
  const input: PlannerInput = {
    ...(await plannerInputFor(context.prisma, draft.houseId, from, to)),
    pinned: pinned.map((p) => ({ activityId: p.activityId, start: p.startsAt.getTime() })),
  };
  const plan = await runPlanner(context, input);
  return context.prisma.$transaction(async (tx) => {
    // Only a draft still a draft is replaced (another tutor may have published it meanwhile).
    const { count } = await tx.housePlan.updateMany({ where: { id: planId, status: "DRAFT" }, data: { report: reportOf(plan), optimal: plan.optimal } });
    if (count === 0) throw new ConflictError("PLAN_NOT_DRAFT", { status: (await tx.housePlan.findUniqueOrThrow({ where: { id: planId } })).status });
    await tx.housingOccurrence.deleteMany({ where: { planId } });
    await writeOccurrences(tx, planId, plan);
    return tx.housePlan.findUniqueOrThrow({ where: { id: planId } });
  });
}

/** Pins (or unpins) an occurrence of a draft where it is: a re-plan keeps it there. */
export async function pinHousingOccurrence(context: ServiceContext, occurrenceId: string, pinned: boolean) {
  const viewer = requireHousingStaff(context);
  return context.prisma.$transaction(async (tx) => {
    const occurrence = await tx.housingOccurrence.findUnique({ where: { id: occurrenceId } });
    if (!occurrence) throw new NotFoundError("HousingOccurrence", occurrenceId);
    await draftFor(tx, viewer, occurrence.planId);
    return tx.housingOccurrence.update({ where: { id: occurrenceId }, data: { pinned } });
  });
}

/**
 * Moves an occurrence to a new start, checked against the same rules as the planner and against
 * the plan's other occurrences; a refused move says every rule it breaks and changes nothing.
 * In a draft the moved occurrence is pinned; in a published plan it is updated in place (the
 * calendars show the change) and a mediation session's task moves with it.
 */
export async function moveHousingOccurrence(context: ServiceContext, occurrenceId: string, start: Date) {
  const viewer = requireHousingStaff(context);
  return context.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "HousingOccurrence" WHERE "id" = ${occurrenceId} FOR UPDATE`;
    const occurrence = await tx.housingOccurrence.findUnique({ where: { id: occurrenceId }, include: { plan: true, activity: true } });
    if (!occurrence) throw new NotFoundError("HousingOccurrence", occurrenceId);
    const house = await houseFor(tx, viewer, occurrence.plan.houseId, "plan");
    const published = occurrence.plan.status === "PUBLISHED";
    if (occurrence.plan.status === "DISCARDED") throw new ConflictError("PLAN_NOT_DRAFT", { status: "DISCARDED" });
    if (published && (occurrence.status !== "PLANNED" || occurrence.startsAt <= context.now() || start <= context.now()))
      throw new ConflictError("NOT_PLANNED", { status: occurrence.status });
    const input = await plannerInputFor(tx, house.id, fromDbDate(occurrence.plan.periodFrom), fromDbDate(occurrence.plan.periodTo));
    // A published plan's occurrence is checked against everything standing in the house around
    // the new start, as far as any spacing or a day's length reaches; a draft's against the draft.
    const reach = (MAX_SPACING_HOURS + 24) * 3_600_000;
    const around = { gte: new Date(start.getTime() - reach), lt: new Date(start.getTime() + reach) };
    const others = await tx.housingOccurrence.findMany({ where: published ? { ...standingWhere(house.id), startsAt: around } : { planId: occurrence.planId } });
    const reasons = explainMove(
      input,
      others.map((o) => ({ id: o.id, activityId: o.activityId, start: o.startsAt.getTime(), end: o.endsAt.getTime(), duty: o.duty })),
      { id: occurrence.id, activityId: occurrence.activityId, duty: occurrence.duty },
      start.getTime(),
    );
    if (reasons.length > 0) throw new ConflictError("MOVE_NOT_ALLOWED", { reasons: reasons.join(",") }, reasons);
    const endsAt = new Date(start.getTime() + occurrence.activity.durationMinutes * 60_000);
    let taskId = occurrence.taskId;
    if (published && taskId) {
      await cancelMediationTask(tx, house.territoryId, taskId, context.now());
      taskId = await createMediationTask(
        tx,
        { territoryId: house.territoryId, municipalityId: house.municipalityId, address: house.address, houseName: house.name },
        occurrence.activity,
        start.getTime(),
        viewer.userId,
      );
    }
    return tx.housingOccurrence.update({
      where: { id: occurrenceId },
      data: { startsAt: start, endsAt, pinned: true, taskId, sequence: { increment: published ? 1 : 0 } },
    });
  });
}

/**
 * Publishes a draft: it replaces what earlier published plans had planned in its period (held
 * and cancelled occurrences stay as history), mediation sessions get their tasks for the weekly
 * matching (kept when a session did not move), and the house's tutors and residents are told.
 */
export async function publishHousePlan(context: ServiceContext, planId: string) {
  const viewer = requireHousingStaff(context);
  const now = context.now();
  return context.prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT "id" FROM "HousePlan" WHERE "id" = ${planId} FOR UPDATE`;
      const plan = await draftFor(tx, viewer, planId);
      const house = await tx.house.findUniqueOrThrow({ where: { id: plan.houseId }, include: { tutors: true, households: true } });
      // Houses publish one at a time, so two plans never both replace the same occurrences.
      await tx.$queryRaw`SELECT "id" FROM "House" WHERE "id" = ${house.id} FOR UPDATE`;
      const from = fromDbDate(plan.periodFrom);
      const to = fromDbDate(plan.periodTo);
      const replaced = await tx.housingOccurrence.findMany({
        where: {
          plan: { houseId: house.id, status: "PUBLISHED" },
          status: "PLANNED",
          startsAt: { gte: new Date(localStart(from, 0)), lt: new Date(localStart(to, 0)) },
        },
      });
      await tx.housingOccurrence.updateMany({ where: { id: { in: replaced.map((o) => o.id) } }, data: { status: "SUPERSEDED", sequence: { increment: 1 } } });

      const occurrences = await tx.housingOccurrence.findMany({ where: { planId }, include: { activity: true }, orderBy: { startsAt: "asc" } });
      const kept = new Set<string>();
      for (const o of occurrences.filter((x) => x.activity.kind === "MEDIATION")) {
        const same = replaced.find((r) => r.taskId && !kept.has(r.taskId) && r.activityId === o.activityId && r.startsAt.getTime() === o.startsAt.getTime());
        const taskId =
          same?.taskId ??
          (await createMediationTask(
            tx,
            { territoryId: house.territoryId, municipalityId: house.municipalityId, address: house.address, houseName: house.name },
            o.activity,
            o.startsAt.getTime(),
            viewer.userId,
          ));
        kept.add(taskId);
        await tx.housingOccurrence.update({ where: { id: o.id }, data: { taskId } });
      }
      for (const r of replaced) if (r.taskId && !kept.has(r.taskId) && r.startsAt > now) await cancelMediationTask(tx, house.territoryId, r.taskId, now);

      const published = await tx.housePlan.update({ where: { id: planId }, data: { status: "PUBLISHED", publishedAt: now, publishedById: viewer.userId } });
      const period = { house: house.name, from, to: addDays(to, -1), count: occurrences.length };
      const turns = (householdId: string) => occurrences.filter((o) => o.duty.includes(householdId)).length;
      const living = house.households.filter((h) => livesInHouseDuring(stayOf(h), from, to));
      await notify(tx, [
        ...house.tutors.map((t) => ({
          userId: t.userId,
          kind: "HOUSE_PLAN_PUBLISHED" as const,
          params: { ...period, duties: occurrences.reduce((s, o) => s + o.duty.length, 0) },
          key: `house-plan:${planId}:${t.userId}`,
        })),
        ...living.flatMap((h) =>
          h.contactUserId
            ? [
                {
                  userId: h.contactUserId,
                  kind: "HOUSE_PLAN_PUBLISHED" as const,
                  params: { ...period, duties: turns(h.id) },
                  key: `house-plan:${planId}:${h.contactUserId}`,
                },
              ]
            : [],
        ),
      ]);
      return published;
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}

/** A mediation session's one-off task, under a micro-project of the first listed household's family. */
async function createMediationTask(
  tx: Tx,
  house: { territoryId: string; municipalityId: string; address: string | null; houseName: string },
  activity: { name: string; householdIds: string[]; durationMinutes: number; mediationLanguage: string | null },
  start: number,
  userId: string,
): Promise<string> {
  const household = await tx.household.findUniqueOrThrow({ where: { id: activity.householdIds[0]! }, include: { family: true } });
  const date = localDateOf(start);
  let plan = await tx.autonomyPlan.findFirst({ where: { familyId: household.familyId, status: { in: ["ACTIVE", "DRAFT"] } }, orderBy: { createdAt: "desc" } });
  plan ??= await tx.autonomyPlan.create({ data: { familyId: household.familyId, status: "ACTIVE" } });
  const title = MEDIATION_RECORD.projectTitle.it.replace("{house}", house.houseName);
  let project = await tx.microProject.findFirst({ where: { planId: plan.id, title } });
  project ??= await tx.microProject.create({
    data: {
      planId: plan.id,
      title,
      goal: MEDIATION_RECORD.projectGoal.it,
      startDate: toDbDate(date),
      endDate: toDbDate(addDays(date, 365)),
    },
  });
  if (fromDbDate(project.endDate) < date)
    project = await tx.microProject.update({ where: { id: project.id }, data: { endDate: toDbDate(addDays(date, 365)) } });
  const task = await createTaskIn(
    tx,
    { territoryId: house.territoryId, userId },
    {
      microProjectId: project.id,
      title: `${activity.name} (${household.family.referenceName})`,
      activityKind: "CULTURAL_MEDIATION",
      requiredSkillCode: "CULTURAL_MEDIATION",
      minSkillLevel: 1,
      requiredLanguages: activity.mediationLanguage ? [activity.mediationLanguage] : [],
      minLanguageLevel: "B2",
      municipalityId: house.municipalityId,
      address: house.address,
      headcount: 1,
      priority: 4,
      involvesMinors: false,
      schedule: { kind: "ONE_OFF", startDate: date, startTime: formatLocalTime(localMinuteOf(start)), durationMinutes: activity.durationMinutes },
    },
  );
  return task.id;
}

/** The session moved or was called off: its task's future occurrences are cancelled (citizens told). */
async function cancelMediationTask(tx: Tx, territoryId: string, taskId: string, now: Date) {
  const open = await tx.taskOccurrence.findMany({ where: { taskId, status: { notIn: ["CANCELLED", "DONE"] }, startsAt: { gt: now } }, select: { id: true } });
  for (const o of open) await cancelOccurrenceIn(tx, { territoryId }, o.id, `${MEDIATION_RECORD.cancelled.it} / ${MEDIATION_RECORD.cancelled.en}`, now);
  await tx.task.updateMany({ where: { id: taskId, status: { notIn: ["DONE", "CANCELLED"] } }, data: { status: "CANCELLED" } });
}

// --- what happened (tutors) ----------------------------------------------------------------------

/**
 * Records what happened to a published occurrence: held (once it has started) with who took
 * part, or cancelled (a mediation session's task is cancelled too). The note is short on purpose.
 */
export async function recordHousingOccurrence(
  context: ServiceContext,
  occurrenceId: string,
  input: { status: "HELD" | "CANCELLED"; presentHouseholdIds?: string[] | null; note?: string | null },
) {
  const viewer = requireHousingStaff(context);
  const note = input.note?.trim() || null;
  if (note && note.length > MAX_NOTE) throw new InputError("INVALID_RANGE", ["note"], { max: MAX_NOTE });
  const present = [...new Set(input.presentHouseholdIds ?? [])];
  if (input.status === "CANCELLED" && present.length > 0) throw new InputError("INVALID_INPUT", ["presentHouseholdIds"]);
  const now = context.now();
  return context.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "HousingOccurrence" WHERE "id" = ${occurrenceId} FOR UPDATE`;
    const occurrence = await tx.housingOccurrence.findUnique({ where: { id: occurrenceId }, include: { plan: true } });
    if (!occurrence) throw new NotFoundError("HousingOccurrence", occurrenceId);
    const house = await houseFor(tx, viewer, occurrence.plan.houseId, "plan");
    if (occurrence.plan.status !== "PUBLISHED" || occurrence.status === "SUPERSEDED")
      throw new ConflictError("NOT_PLANNED", { status: occurrence.plan.status === "PUBLISHED" ? occurrence.status : occurrence.plan.status });
    if (input.status === "HELD" && occurrence.startsAt > now) throw new ConflictError("OCCURRENCE_NOT_STARTED");
    const households = await tx.household.findMany({ where: { houseId: house.id, id: { in: present } }, select: { id: true } });
    present.forEach((id, i) => {
      if (!households.some((h) => h.id === id)) throw new InputError("UNKNOWN_HOUSEHOLD", ["presentHouseholdIds", String(i)], { value: id });
    });
    if (input.status === "CANCELLED" && occurrence.taskId) await cancelMediationTask(tx, house.territoryId, occurrence.taskId, now);
    await tx.housingAttendanceRecord.deleteMany({ where: { occurrenceId } });
    if (input.status === "HELD") {
      const everyone = await tx.household.findMany({ where: { houseId: house.id } });
      const date = localDateOf(occurrence.startsAt.getTime());
      const living = everyone.filter((h) => livesInHouseOn(stayOf(h), date));
      await tx.housingAttendanceRecord.createMany({ data: living.map((h) => ({ occurrenceId, householdId: h.id, present: present.includes(h.id) })) });
    }
    return tx.housingOccurrence.update({
      where: { id: occurrenceId },
      data: { status: input.status, note, recordedAt: now, recordedById: viewer.userId, sequence: { increment: occurrence.status === input.status ? 0 : 1 } },
    });
  });
}

// --- reading -------------------------------------------------------------------------------------

export async function housesFor(context: ServiceContext) {
  const viewer = requireViewer(context);
  const where: Prisma.HouseWhereInput =
    viewer.role === "ADMIN"
      ? {}
      : viewer.role === "COORDINATOR"
        ? { territoryId: viewer.territoryId ?? "-" }
        : viewer.role === "TUTOR"
          ? { tutors: { some: { userId: viewer.userId } } }
          : viewer.role === "RESIDENT"
            ? { households: { some: { contactUserId: viewer.userId } } }
            : { id: "-" };
  return context.prisma.house.findMany({ where, orderBy: { name: "asc" } });
}

export async function houseById(context: ServiceContext, houseId: string) {
  return houseFor(context.prisma, requireViewer(context), houseId, "read");
}

export async function housePlanById(context: ServiceContext, planId: string) {
  const viewer = requireViewer(context);
  const plan = await context.prisma.housePlan.findUnique({ where: { id: planId } });
  if (!plan) throw new NotFoundError("HousePlan", planId);
  // Residents see published plans only.
  await houseFor(context.prisma, viewer, plan.houseId, viewer.role === "RESIDENT" && plan.status !== "PUBLISHED" ? "plan" : "read");
  return plan;
}

/** The house's calendar over [from, to): every occurrence of its published plans that still stands or was recorded. */
export async function houseCalendar(context: ServiceContext, houseId: string, from: string, to: string) {
  const viewer = requireViewer(context);
  checkDateRange(from, to, 366);
  await houseFor(context.prisma, viewer, houseId, "read");
  return context.prisma.housingOccurrence.findMany({
    where: {
      plan: { houseId, status: "PUBLISHED" },
      status: { not: "SUPERSEDED" },
      startsAt: { gte: new Date(localStart(from, 0)), lt: new Date(localStart(to, 0)) },
    },
    orderBy: { startsAt: "asc" },
  });
}

/**
 * Each household's rota turns against its fair share, month by month over [from, to), with the
 * running totals since the house's first published plan. Held and planned turns count, cancelled
 * ones do not; a turn's share is split among the households living there that day.
 */
export async function houseRotaBalance(context: ServiceContext, houseId: string, from: string, to: string): Promise<RotaBalanceRow[]> {
  const viewer = requireHousingStaff(context);
  checkDateRange(from, to);
  await houseFor(context.prisma, viewer, houseId, "plan");
  return rotaBalanceOf(context.prisma, houseId, from, to);
}

/** The signed-in resident's household (with its house). */
export async function myHousehold(context: ServiceContext) {
  const viewer = requireViewer(context);
  if (viewer.role !== "RESIDENT") throw new ForbiddenError();
  return context.prisma.household.findUnique({ where: { contactUserId: viewer.userId } });
}
