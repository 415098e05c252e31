// Families, autonomy plans, micro-projects and tasks, managed by the coordinators of a
// territory. Each write is one transaction.
import { assertInTerritory, requireStaff } from "../auth/access";
import { toDbDate } from "../db/dates";
import { ConflictError, InputError } from "../errors";
import type { ActivityKind, LanguageLevel, PlanArea, PlanStatus } from "../generated/prisma/enums";
import type { Prisma } from "../generated/prisma/client";
import type { ServiceContext } from "../service-context";
import { expandSchedule, type Schedule } from "../time/recurrence";
import { parseLocalTime } from "../time/local-time";
import { checkIntRange, checkNoDuplicates, normaliseLanguageCode, normaliseName } from "../citizens/citizens.model";

type Tx = Prisma.TransactionClient;

function text(value: string | null | undefined, field: string, max = 2000, required = true): string | null {
  const trimmed = value?.trim() ?? "";
  if (trimmed === "") {
    if (required) throw new InputError("INVALID_INPUT", [field]);
    return null;
  }
  if (trimmed.length > max) throw new InputError("INVALID_INPUT", [field]);
  return trimmed;
}

function languages(codes: string[], field: string): string[] {
  const normalised = codes.map((c, i) => normaliseLanguageCode(c, [field, String(i)]));
  checkNoDuplicates(normalised, field);
  return normalised;
}

// --- families -------------------------------------------------------------------------------

export interface FamilyInput {
  referenceName: string;
  municipalityId: string;
  address?: string | null;
  languages: string[];
  livesInSharedHousing?: boolean | null;
  coordinatorId?: string | null;
  members: { firstName: string; isMinor: boolean; birthYear: number }[];
}

export async function createFamily(context: ServiceContext, input: FamilyInput) {
  const scope = requireStaff(context);
  const currentYear = context.now().getUTCFullYear();
  const members = input.members.map((m, i) => {
    const birthYear = checkIntRange(m.birthYear, 1900, currentYear, ["members", String(i), "birthYear"]);
    // A minor is under 18: the declared flag must agree with the birth year (either way in the year of the 18th birthday).
    const age = currentYear - birthYear;
    if (age !== 18 && m.isMinor !== age < 18) throw new InputError("INVALID_INPUT", ["members", String(i), "isMinor"]);
    return { firstName: normaliseName(m.firstName, ["members", String(i), "firstName"]), isMinor: m.isMinor, birthYear };
  });
  if (members.length === 0) throw new InputError("INVALID_INPUT", ["members"]);
  return context.prisma.$transaction(async (tx) => {
    const municipality = await tx.municipality.findUnique({ where: { id: input.municipalityId } });
    if (!municipality || (scope.territoryId !== null && municipality.territoryId !== scope.territoryId)) {
      throw new InputError("UNKNOWN_MUNICIPALITY", ["municipalityId"], { value: input.municipalityId });
    }
    const coordinatorId = input.coordinatorId ?? scope.viewer.userId;
    const coordinator = await tx.user.findUnique({ where: { id: coordinatorId } });
    if (coordinator?.role !== "COORDINATOR" || coordinator.territoryId !== municipality.territoryId) {
      if (!(coordinator?.role === "ADMIN" && coordinatorId === scope.viewer.userId)) throw new InputError("INVALID_INPUT", ["coordinatorId"]);
    }
    return tx.family.create({
      data: {
        territoryId: municipality.territoryId,
        referenceName: text(input.referenceName, "referenceName", 100)!,
        municipalityId: municipality.id,
        address: text(input.address, "address", 300, false),
        languages: languages(input.languages, "languages"),
        livesInSharedHousing: input.livesInSharedHousing ?? false,
        coordinatorId,
        members: { create: members },
      },
    });
  });
}

export async function findFamilyForStaff(context: ServiceContext, familyId: string) {
  const scope = requireStaff(context);
  return assertInTerritory(scope, "Family", familyId, await context.prisma.family.findUnique({ where: { id: familyId } }));
}

export async function createAutonomyPlan(
  context: ServiceContext,
  familyId: string,
  goals: { area: PlanArea; description: string }[],
  status: PlanStatus = "ACTIVE",
) {
  const scope = requireStaff(context);
  const normalised = goals.map((g, i) => ({ area: g.area, description: text(g.description, `goals.${i}.description`, 1000)! }));
  return context.prisma.$transaction(async (tx) => {
    assertInTerritory(scope, "Family", familyId, await tx.family.findUnique({ where: { id: familyId } }));
    return tx.autonomyPlan.create({ data: { familyId, status, goals: { create: normalised } } });
  });
}

export async function createMicroProject(
  context: ServiceContext,
  input: { planId: string; title: string; goal: string; startDate: string; endDate: string; coDesignLab?: string | null },
) {
  const scope = requireStaff(context);
  if (input.endDate < input.startDate) throw new InputError("INVERTED_DATES", ["endDate"]);
  return context.prisma.$transaction(async (tx) => {
    const plan = await tx.autonomyPlan.findUnique({ where: { id: input.planId }, include: { family: { select: { territoryId: true } } } });
    assertInTerritory(scope, "AutonomyPlan", input.planId, plan ? { territoryId: plan.family.territoryId } : null);
    return tx.microProject.create({
      data: {
        planId: input.planId,
        title: text(input.title, "title", 200)!,
        goal: text(input.goal, "goal", 2000)!,
        startDate: toDbDate(input.startDate),
        endDate: toDbDate(input.endDate),
        coDesignLab: text(input.coDesignLab, "coDesignLab", 200, false),
      },
    });
  });
}

// --- tasks ----------------------------------------------------------------------------------

export interface ScheduleInput {
  kind: "ONE_OFF" | "WEEKLY";
  /** The date of a one-off task, or the first possible date of a recurring one. */
  startDate: string;
  startTime: string;
  durationMinutes: number;
  weekdays?: number[] | null;
  intervalWeeks?: number | null;
  untilDate?: string | null;
  count?: number | null;
  cancelledDates?: string[] | null;
}

export interface TaskInput {
  microProjectId: string;
  title: string;
  description?: string | null;
  activityKind: ActivityKind;
  requiredSkillCode: string;
  minSkillLevel: number;
  requiredLanguages?: string[] | null;
  preferredLanguages?: string[] | null;
  minLanguageLevel?: LanguageLevel | null;
  municipalityId?: string | null;
  remote?: boolean | null;
  address?: string | null;
  headcount: number;
  priority: number;
  involvesMinors: boolean;
  requiredCourseCodes?: string[] | null;
  continuity?: boolean | null;
  schedule: ScheduleInput;
}

export function toSchedule(input: ScheduleInput): Schedule {
  const startMinute = parseLocalTime(input.startTime, ["schedule", "startTime"]);
  if (input.kind === "ONE_OFF") return { kind: "ONE_OFF", date: input.startDate, startMinute, durationMinutes: input.durationMinutes };
  return {
    kind: "WEEKLY",
    startDate: input.startDate,
    weekdays: input.weekdays ?? [],
    startMinute,
    durationMinutes: input.durationMinutes,
    intervalWeeks: input.intervalWeeks ?? 1,
    untilDate: input.untilDate ?? null,
    count: input.count ?? null,
    cancelledDates: input.cancelledDates ?? [],
  };
}

export async function createTask(context: ServiceContext, input: TaskInput) {
  const scope = requireStaff(context);
  return context.prisma.$transaction((tx) => createTaskIn(tx, { territoryId: scope.territoryId, userId: scope.viewer.userId }, input));
}

/**
 * Creates a task and its occurrences inside the caller's transaction (the shared-housing plan
 * creates its mediation sessions' tasks this way). `scope.territoryId` null: any territory.
 */
export async function createTaskIn(tx: Tx, scope: { territoryId: string | null; userId: string }, input: TaskInput) {
  checkIntRange(input.headcount, 1, 20, ["headcount"]);
  checkIntRange(input.priority, 1, 5, ["priority"]);
  checkIntRange(input.minSkillLevel, 1, 3, ["minSkillLevel"]);
  const required = languages(input.requiredLanguages ?? [], "requiredLanguages");
  const preferred = languages(input.preferredLanguages ?? [], "preferredLanguages").filter((l) => !required.includes(l));
  const remote = input.remote ?? false;
  if (remote === Boolean(input.municipalityId)) throw new InputError("INVALID_INPUT", [remote ? "municipalityId" : "remote"]);
  const schedule = toSchedule(input.schedule);
  const occurrences = expandSchedule(schedule);
  const project = await tx.microProject.findUnique({ where: { id: input.microProjectId }, include: { plan: { include: { family: true } } } });
  const family = project?.plan.family ?? null;
  assertInTerritory(scope, "MicroProject", input.microProjectId, family);
  const skill = await tx.skill.findUnique({ where: { code: input.requiredSkillCode } });
  if (!skill?.active) throw new InputError("UNKNOWN_SKILL", ["requiredSkillCode"], { value: input.requiredSkillCode });
  if (input.municipalityId) {
    const municipality = await tx.municipality.findUnique({ where: { id: input.municipalityId } });
    if (!municipality || municipality.territoryId !== family!.territoryId)
      throw new InputError("UNKNOWN_MUNICIPALITY", ["municipalityId"], { value: input.municipalityId });
  }
  const courseCodes = input.requiredCourseCodes ?? [];
  const courses = await tx.trainingCourse.findMany({ where: { code: { in: courseCodes } } });
  courseCodes.forEach((code, i) => {
    if (!courses.some((c) => c.code === code)) throw new InputError("UNKNOWN_TRAINING_COURSE", ["requiredCourseCodes", String(i)], { value: code });
  });
  const task = await tx.task.create({
    data: {
      microProjectId: project!.id,
      territoryId: family!.territoryId,
      familyId: family!.id,
      title: text(input.title, "title", 200)!,
      description: text(input.description, "description", 2000, false),
      activityKind: input.activityKind,
      requiredSkillId: skill.id,
      minSkillLevel: input.minSkillLevel,
      requiredLanguages: required,
      preferredLanguages: preferred,
      minLanguageLevel: input.minLanguageLevel ?? "A2",
      municipalityId: input.municipalityId ?? null,
      remote,
      address: text(input.address, "address", 300, false),
      durationMinutes: input.schedule.durationMinutes,
      headcount: input.headcount,
      priority: input.priority,
      involvesMinors: input.involvesMinors,
      requiredCourseIds: courses.map((c) => c.id),
      continuity: input.continuity ?? false,
      scheduleKind: schedule.kind,
      startDate: toDbDate(input.schedule.startDate),
      startMinute: schedule.startMinute,
      weekdays: schedule.kind === "WEEKLY" ? schedule.weekdays : [],
      intervalWeeks: schedule.kind === "WEEKLY" ? schedule.intervalWeeks : 1,
      untilDate: schedule.kind === "WEEKLY" && schedule.untilDate ? toDbDate(schedule.untilDate) : null,
      count: schedule.kind === "WEEKLY" ? (schedule.count ?? null) : null,
      cancelledDates: (schedule.kind === "WEEKLY" ? (schedule.cancelledDates ?? []) : []).map(toDbDate),
      createdById: scope.userId,
    },
  });
  await tx.taskOccurrence.createMany({
    data: occurrences.map((o) => ({ taskId: task.id, startsAt: new Date(o.start), endsAt: new Date(o.end), localDate: toDbDate(o.localDate) })),
  });
  return task;
}

/** Cancels a task: its open occurrences and their active commitments are cancelled too. */
export async function cancelTask(context: ServiceContext, taskId: string) {
  const scope = requireStaff(context);
  return context.prisma.$transaction(async (tx) => {
    const task = assertInTerritory(scope, "Task", taskId, await tx.task.findUnique({ where: { id: taskId } }));
    if (task.status === "CANCELLED" || task.status === "DONE") throw new ConflictError("ILLEGAL_TRANSITION", { from: task.status, to: "CANCELLED" });
    const future = await tx.taskOccurrence.findMany({
      where: { taskId, status: { notIn: ["DONE", "CANCELLED"] }, startsAt: { gt: context.now() } },
      select: { id: true },
    });
    const ids = future.map((o) => o.id);
    await tx.commitment.updateMany({ where: { occurrenceId: { in: ids }, status: "ACTIVE" }, data: { status: "CANCELLED" } });
    await tx.taskOccurrence.updateMany({ where: { id: { in: ids } }, data: { status: "CANCELLED" } });
    return tx.task.update({ where: { id: taskId }, data: { status: "CANCELLED" } });
  });
}

/**
 * Recomputes the statuses an occurrence and its task derive from their commitments:
 * an occurrence is OPEN, PARTIALLY_FILLED or FILLED by its active commitments against the
 * headcount (CANCELLED and DONE stay); the task follows its occurrences.
 */
export async function refreshStatuses(tx: Tx, occurrenceId: string): Promise<void> {
  const occurrence = await tx.taskOccurrence.findUniqueOrThrow({ where: { id: occurrenceId }, include: { task: true } });
  if (occurrence.status !== "CANCELLED" && occurrence.status !== "DONE") {
    const active = await tx.commitment.count({ where: { occurrenceId, status: "ACTIVE" } });
    const status = active === 0 ? "OPEN" : active >= occurrence.task.headcount ? "FILLED" : "PARTIALLY_FILLED";
    if (status !== occurrence.status) await tx.taskOccurrence.update({ where: { id: occurrenceId }, data: { status } });
  }
  if (occurrence.task.status === "CANCELLED" || occurrence.task.status === "DONE") return;
  const statuses = (await tx.taskOccurrence.findMany({ where: { taskId: occurrence.taskId, status: { not: "CANCELLED" } }, select: { status: true } })).map(
    (o) => o.status,
  );
  const taskStatus =
    statuses.length > 0 && statuses.every((s) => s === "DONE")
      ? "DONE"
      : statuses.length > 0 && statuses.every((s) => s === "FILLED" || s === "DONE")
        ? "FILLED"
        : statuses.some((s) => s !== "OPEN")
          ? "PARTIALLY_FILLED"
          : "OPEN";
  if (taskStatus !== occurrence.task.status) await tx.task.update({ where: { id: occurrence.taskId }, data: { status: taskStatus } });
}
