// Families, plans, micro-projects, tasks and occurrences. Staff see all of it for their
// territory; citizens see occurrences only through OccurrenceView, which carries no family data.
import { assertInTerritory, requireStaff, requireViewer } from "../auth/access";
import { fromDbDate } from "../db/dates";
import { NotFoundError } from "../errors";
import type { Municipality, Skill } from "../generated/prisma/client";
import { builder } from "../graphql/builder";
import { ActivityKindEnum, LanguageLevelEnum } from "../graphql/enums";
import { PlanAreaEnum, PlanStatusEnum, ScheduleKindEnum, TaskStatusEnum } from "../graphql/enums-domain";
import { writeErrors } from "../graphql/errors";
import { loaderFor } from "../graphql/loaders";
import { formatLocalTime } from "../time/local-time";
import * as families from "./families.service";
import type { Context } from "../graphql/context";
import { familyHouses, familySubject, personal, staffSubject } from "../graphql/personal";
import { reread } from "../graphql/payload";
import { citizenOccurrence, type CitizenOccurrence } from "../offers/citizen-view.model";
import { familyName } from "../privacy/erased.model";

// Personal fields: a family's data is for the staff of its territory, the tutors of the house it
// lives in and its resident contact; a task's title, place and people for staff (and the tutors
// of the family's house); who is committed to an occurrence for staff (src/auth/personal.ts).
const ofFamily = (f: { id: string }, context: Context) => familySubject(context, f.id);
const ofMember = (m: { familyId: string }, context: Context) => familySubject(context, m.familyId);
const ofTask = async (task: { territoryId: string; familyId: string }, context: Context) =>
  staffSubject(task.territoryId, await familyHouses(context, task.familyId));
const ofOccurrenceStaff = async (o: { taskId: string }, context: Context) => staffSubject(await taskTerritory(context, o.taskId));

function taskTerritory(context: Context, taskId: string): Promise<string | null> {
  return loaderFor<string, string | null>(context, "taskTerritory", async (ids) => {
    const tasks = await context.prisma.task.findMany({ where: { id: { in: [...ids] } }, select: { id: true, territoryId: true } });
    return ids.map((id) => tasks.find((t) => t.id === id)?.territoryId ?? null);
  }).load(taskId);
}

builder.prismaObject("Family", {
  description: "A household supported by the programme (staff only).",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    referenceName: t.string({
      ...personal(ofFamily),
      description: 'How staff refer to the family ("erased family" once erased).',
      resolve: (f, _a, context) => familyName(f, context.lang),
    }),
    erasedAt: t.expose("erasedAt", { ...personal(ofFamily), type: "DateTime", nullable: true, description: "When the family was erased." }),
    municipality: t.relation("municipality", { ...personal(ofFamily), description: "Where the family lives." }),
    address: t.exposeString("address", { ...personal(ofFamily), nullable: true, description: "Address (private)." }),
    languages: t.exposeStringList("languages", { ...personal(ofFamily), description: "Languages spoken at home (ISO 639)." }),
    livesInSharedHousing: t.exposeBoolean("livesInSharedHousing", { ...personal(ofFamily), description: "Whether the family lives in a shared house." }),
    coordinatorId: t.exposeID("coordinatorId", { ...personal(ofFamily), description: "The coordinator in charge." }),
    members: t.relation("members", { ...personal(ofFamily), description: "Members: first name, minor or adult, birth year." }),
    plans: t.relation("plans", { ...personal(ofFamily), description: "Autonomy plans." }),
  }),
});

builder.prismaObject("FamilyMember", {
  description: "A member of a family.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    firstName: t.exposeString("firstName", { ...personal(ofMember), description: "First name." }),
    isMinor: t.exposeBoolean("isMinor", { ...personal(ofMember), description: "Under 18." }),
    birthYear: t.exposeInt("birthYear", { ...personal(ofMember), description: "Year of birth." }),
  }),
});

builder.prismaObject("AutonomyPlan", {
  description: "A family's personal autonomy plan.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    status: t.expose("status", { type: PlanStatusEnum, description: "Status." }),
    goals: t.relation("goals", { description: "Goals by area." }),
    microProjects: t.relation("microProjects", { description: "Micro-projects of the plan." }),
  }),
});

builder.prismaObject("PlanGoal", {
  description: "A goal of an autonomy plan.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    area: t.expose("area", { type: PlanAreaEnum, description: "Area." }),
    description: t.exposeString("description", { description: "What the family wants to reach." }),
    achieved: t.exposeBoolean("achieved", { description: "Reached." }),
  }),
});

builder.prismaObject("MicroProject", {
  description: "A piece of an autonomy plan designed in a co-design lab.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    title: t.exposeString("title", { description: "Title." }),
    goal: t.exposeString("goal", { description: "Goal." }),
    startDate: t.field({ type: "Date", description: "Start.", resolve: (m) => fromDbDate(m.startDate) }),
    endDate: t.field({ type: "Date", description: "End.", resolve: (m) => fromDbDate(m.endDate) }),
    coDesignLab: t.exposeString("coDesignLab", { nullable: true, description: "The co-design lab it came from." }),
    tasks: t.relation("tasks", { description: "Tasks." }),
  }),
});

builder.prismaObject("Task", {
  description: "A need a citizen can cover (staff view).",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    title: t.exposeString("title", { ...personal(ofTask), description: "Title." }),
    description: t.exposeString("description", { ...personal(ofTask), nullable: true, description: "Details." }),
    activityKind: t.expose("activityKind", { type: ActivityKindEnum, description: "Kind of activity." }),
    requiredSkill: t.relation("requiredSkill", { ...personal(ofTask), description: "Skill needed." }),
    minSkillLevel: t.exposeInt("minSkillLevel", { ...personal(ofTask), description: "Minimum level of the skill (1-3)." }),
    requiredLanguages: t.exposeStringList("requiredLanguages", { ...personal(ofTask), description: "Languages the citizen must speak." }),
    preferredLanguages: t.exposeStringList("preferredLanguages", { ...personal(ofTask), description: "Languages that help." }),
    minLanguageLevel: t.expose("minLanguageLevel", { ...personal(ofTask), type: LanguageLevelEnum, description: "Minimum level of the required languages." }),
    municipality: t.relation("municipality", { ...personal(ofTask), nullable: true, description: "Where (null when remote)." }),
    remote: t.exposeBoolean("remote", { ...personal(ofTask), description: "Done remotely." }),
    address: t.exposeString("address", { ...personal(ofTask), nullable: true, description: "Exact place (private)." }),
    durationMinutes: t.exposeInt("durationMinutes", { description: "Duration of each occurrence." }),
    headcount: t.exposeInt("headcount", { ...personal(ofTask), description: "Citizens needed per occurrence." }),
    priority: t.exposeInt("priority", { ...personal(ofTask), description: "1 low to 5 urgent." }),
    involvesMinors: t.exposeBoolean("involvesMinors", { ...personal(ofTask), description: "Regular contact with minors." }),
    continuity: t.exposeBoolean("continuity", { ...personal(ofTask), description: "Whether the same citizen each time matters." }),
    status: t.expose("status", { type: TaskStatusEnum, description: "Status." }),
    scheduleKind: t.expose("scheduleKind", { type: ScheduleKindEnum, description: "One-off or weekly." }),
    startTime: t.field({ type: "LocalTime", description: "Local start time.", resolve: (task) => formatLocalTime(task.startMinute) }),
    familyId: t.exposeID("familyId", { ...personal(ofTask), description: "The family the task is for." }),
    occurrences: t.relation("occurrences", { ...personal(ofTask), description: "Dated occurrences, in order.", query: { orderBy: { startsAt: "asc" } } }),
  }),
});

builder.prismaObject("TaskOccurrence", {
  description: "A dated occurrence of a task (staff view).",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    startsAt: t.expose("startsAt", { type: "DateTime", description: "Start." }),
    endsAt: t.expose("endsAt", { type: "DateTime", description: "End." }),
    localDate: t.field({ type: "Date", description: "Local date.", resolve: (o) => fromDbDate(o.localDate) }),
    status: t.expose("status", { type: TaskStatusEnum, description: "Status." }),
    task: t.relation("task", { description: "The task." }),
    commitments: t.relation("commitments", { ...personal(ofOccurrenceStaff), description: "Commitments of citizens to this occurrence." }),
  }),
});

/** A citizen's projection of an occurrence (src/offers/citizen-view.model.ts), with its town and skill when loaded. */
export type OccurrenceViewShape = CitizenOccurrence<Municipality, Skill>;

export const OccurrenceView = builder.objectRef<OccurrenceViewShape>("OccurrenceView").implement({
  description: "What a citizen sees of an occurrence: kind, place, time and needs. Never the family.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier of the occurrence." }),
    startsAt: t.field({ type: "DateTime", description: "Start.", resolve: (o) => o.startsAt }),
    endsAt: t.field({ type: "DateTime", description: "End.", resolve: (o) => o.endsAt }),
    status: t.field({ type: TaskStatusEnum, description: "Status.", resolve: (o) => o.status as never }),
    activityKind: t.field({ type: ActivityKindEnum, description: "Kind of activity.", resolve: (o) => o.activityKind as never }),
    remote: t.boolean({ description: "Done remotely.", resolve: (o) => o.remote }),
    municipality: t.prismaField({
      type: "Municipality",
      nullable: true,
      description: "The municipality (never the address).",
      resolve: (query, o, _a, context) => {
        if (o.municipality !== undefined) return o.municipality;
        return o.municipalityId ? context.prisma.municipality.findUnique({ ...query, where: { id: o.municipalityId } }) : null;
      },
    }),
    requiredSkill: t.prismaField({
      type: "Skill",
      description: "Skill needed.",
      resolve: (query, o, _a, context) => o.requiredSkill ?? context.prisma.skill.findUniqueOrThrow({ ...query, where: { id: o.requiredSkillId } }),
    }),
    minSkillLevel: t.int({ description: "Minimum skill level.", resolve: (o) => o.minSkillLevel }),
    requiredLanguages: t.stringList({ description: "Languages needed.", resolve: (o) => o.requiredLanguages }),
    preferredLanguages: t.stringList({ description: "Languages that help.", resolve: (o) => o.preferredLanguages }),
    involvesMinors: t.boolean({ description: "Contact with minors.", resolve: (o) => o.involvesMinors }),
    headcount: t.int({ description: "Citizens needed.", resolve: (o) => o.headcount }),
  }),
});

// --- inputs ---------------------------------------------------------------------------------

const FamilyMemberInput = builder.inputType("FamilyMemberInput", {
  description: "A member of a family.",
  fields: (t) => ({
    firstName: t.string({ required: true, description: "First name." }),
    isMinor: t.boolean({ required: true, description: "Under 18." }),
    birthYear: t.int({ required: true, description: "Year of birth." }),
  }),
});

const PlanGoalInput = builder.inputType("PlanGoalInput", {
  description: "A goal of an autonomy plan.",
  fields: (t) => ({
    area: t.field({ type: PlanAreaEnum, required: true, description: "Area." }),
    description: t.string({ required: true, description: "What the family wants to reach." }),
  }),
});

const ScheduleInput = builder.inputType("ScheduleInput", {
  description: "When a task happens, in Europe/Rome wall-clock time. WEEKLY needs weekdays and exactly one of untilDate or count.",
  fields: (t) => ({
    kind: t.field({ type: ScheduleKindEnum, required: true, description: "One-off or weekly." }),
    startDate: t.field({ type: "Date", required: true, description: "The date (one-off) or the first possible date (weekly)." }),
    startTime: t.field({
      type: "LocalTime",
      required: true,
      description: "Local start time; inside the spring-forward gap it moves forward by the gap (RFC 5545).",
    }),
    durationMinutes: t.int({ required: true, description: "Duration, 15 to 720 minutes." }),
    weekdays: t.intList({ required: false, description: "ISO weekdays (1 Monday ... 7 Sunday)." }),
    intervalWeeks: t.int({ required: false, description: "Every N weeks (default 1)." }),
    untilDate: t.field({ type: "Date", required: false, description: "Last possible date." }),
    count: t.int({ required: false, description: "Number of dates generated (cancelled ones included, as in RFC 5545)." }),
    cancelledDates: t.field({ type: ["Date"], required: false, description: "Dates on which it does not happen." }),
  }),
});

const TaskInput = builder.inputType("TaskInput", {
  description: "A task of a micro-project.",
  fields: (t) => ({
    microProjectId: t.id({ required: true, description: "The micro-project." }),
    title: t.string({ required: true, description: "Title (staff only)." }),
    description: t.string({ required: false, description: "Details (staff only)." }),
    activityKind: t.field({ type: ActivityKindEnum, required: true, description: "Kind of activity." }),
    requiredSkillCode: t.string({ required: true, description: "Skill needed." }),
    minSkillLevel: t.int({ required: true, description: "Minimum level, 1 to 3." }),
    requiredLanguages: t.stringList({ required: false, description: "Languages the citizen must speak." }),
    preferredLanguages: t.stringList({ required: false, description: "Languages that help." }),
    minLanguageLevel: t.field({ type: LanguageLevelEnum, required: false, description: "Minimum level of the required languages (default A2)." }),
    municipalityId: t.id({ required: false, description: "Where; leave out for remote tasks." }),
    remote: t.boolean({ required: false, description: "Done remotely." }),
    address: t.string({ required: false, description: "Exact place (private)." }),
    headcount: t.int({ required: true, description: "Citizens needed per occurrence (1 to 20)." }),
    priority: t.int({ required: true, description: "1 low to 5 urgent." }),
    involvesMinors: t.boolean({ required: true, description: "Regular contact with minors." }),
    requiredCourseCodes: t.stringList({ required: false, description: "Training the task requires." }),
    continuity: t.boolean({ required: false, description: "Whether the same citizen each time matters." }),
    schedule: t.field({ type: ScheduleInput, required: true, description: "When." }),
  }),
});

// --- queries and mutations ------------------------------------------------------------------

builder.queryFields((t) => ({
  families: t.prismaConnection(
    {
      type: "Family",
      cursor: "id",
      description: "Families of your territory (staff).",
      authScopes: { staff: true },
      maxSize: 100,
      resolve: (query, _root, _args, context) => {
        const { territoryId } = requireStaff(context);
        return context.prisma.family.findMany({ ...query, where: territoryId ? { territoryId } : {} });
      },
    },
    { name: "FamilyConnection", description: "A page of families." },
    { name: "FamilyEdge", description: "A family in a page." },
  ),
  family: t.prismaField({
    type: "Family",
    description: "One family of your territory (staff).",
    authScopes: { staff: true },
    errors: { types: [NotFoundError], directResult: true },
    args: { id: t.arg.id({ required: true, description: "Identifier." }) },
    resolve: async (query, _root, { id }, context) => {
      await families.findFamilyForStaff(context, String(id));
      return context.prisma.family.findUniqueOrThrow({ ...query, where: { id: String(id) } });
    },
  }),
  task: t.prismaField({
    type: "Task",
    description: "One task of your territory (staff).",
    authScopes: { staff: true },
    errors: { types: [NotFoundError], directResult: true },
    args: { id: t.arg.id({ required: true, description: "Identifier." }) },
    resolve: async (query, _root, { id }, context) => {
      const scope = requireStaff(context);
      assertInTerritory(scope, "Task", String(id), await context.prisma.task.findUnique({ where: { id: String(id) } }));
      return context.prisma.task.findUniqueOrThrow({ ...query, where: { id: String(id) } });
    },
  }),
  occurrences: t.prismaField({
    type: ["TaskOccurrence"],
    description: "Occurrences of your territory's tasks starting in [from, to), at most 1000 (staff).",
    authScopes: { staff: true },
    args: {
      from: t.arg({ type: "DateTime", required: true, description: "From." }),
      to: t.arg({ type: "DateTime", required: true, description: "To." }),
    },
    resolve: (query, _root, { from, to }, context) => {
      const { territoryId } = requireStaff(context);
      return context.prisma.taskOccurrence.findMany({
        ...query,
        where: { startsAt: { gte: from, lt: to }, task: territoryId ? { territoryId } : {} },
        orderBy: { startsAt: "asc" },
        take: 1000,
      });
    },
  }),
  occurrenceView: t.field({
    type: OccurrenceView,
    description: "What a citizen may see of an occurrence of their territory: kind, place, time, needs; never the family.",
    errors: { types: [NotFoundError], directResult: true },
    args: { id: t.arg.id({ required: true, description: "Identifier of the occurrence." }) },
    resolve: async (_root, { id }, context) => {
      const viewer = requireViewer(context);
      const occurrence = await context.prisma.taskOccurrence.findUnique({ where: { id: String(id) }, include: { task: true } });
      let territoryId = viewer.territoryId;
      if (viewer.role === "CITIZEN" && viewer.citizenId) {
        territoryId =
          (await context.prisma.citizen.findUnique({ where: { id: viewer.citizenId }, select: { homeMunicipality: { select: { territoryId: true } } } }))
            ?.homeMunicipality.territoryId ?? null;
      }
      if (!occurrence || (viewer.role !== "ADMIN" && occurrence.task.territoryId !== territoryId)) throw new NotFoundError("TaskOccurrence", String(id));
      return citizenOccurrence(occurrence);
    },
  }),
}));

builder.mutationFields((t) => ({
  createFamily: t.prismaField({
    type: "Family",
    description: "Staff register a family of their territory.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      referenceName: t.arg.string({ required: true, description: "How staff refer to the family." }),
      municipalityId: t.arg.id({ required: true, description: "Where the family lives." }),
      address: t.arg.string({ required: false, description: "Address (private)." }),
      languages: t.arg.stringList({ required: true, description: "Languages spoken at home." }),
      livesInSharedHousing: t.arg.boolean({ required: false, description: "Lives in a shared house." }),
      coordinatorId: t.arg.id({ required: false, description: "Coordinator in charge (default: you)." }),
      members: t.arg({ type: [FamilyMemberInput], required: true, description: "Members." }),
    },
    resolve: async (query, _root, args, context) =>
      reread(
        query,
        context,
        "Family",
        await families.createFamily(context, {
          ...args,
          municipalityId: String(args.municipalityId),
          coordinatorId: args.coordinatorId == null ? null : String(args.coordinatorId),
        }),
      ),
  }),
  createAutonomyPlan: t.prismaField({
    type: "AutonomyPlan",
    description: "Staff write a family's autonomy plan.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      familyId: t.arg.id({ required: true, description: "The family." }),
      goals: t.arg({ type: [PlanGoalInput], required: true, description: "Goals by area." }),
      status: t.arg({ type: PlanStatusEnum, required: false, description: "Status (default ACTIVE)." }),
    },
    resolve: async (query, _root, { familyId, goals, status }, context) =>
      reread(query, context, "AutonomyPlan", await families.createAutonomyPlan(context, String(familyId), goals, status ?? "ACTIVE")),
  }),
  createMicroProject: t.prismaField({
    type: "MicroProject",
    description: "Staff add a micro-project to a plan.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      planId: t.arg.id({ required: true, description: "The plan." }),
      title: t.arg.string({ required: true, description: "Title." }),
      goal: t.arg.string({ required: true, description: "Goal." }),
      startDate: t.arg({ type: "Date", required: true, description: "Start." }),
      endDate: t.arg({ type: "Date", required: true, description: "End." }),
      coDesignLab: t.arg.string({ required: false, description: "The co-design lab it came from." }),
    },
    resolve: async (query, _root, args, context) =>
      reread(query, context, "MicroProject", await families.createMicroProject(context, { ...args, planId: String(args.planId) })),
  }),
  createTask: t.prismaField({
    type: "Task",
    description: "Staff add a task to a micro-project; its schedule is expanded into occurrences.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: { input: t.arg({ type: TaskInput, required: true, description: "The task." }) },
    resolve: async (query, _root, { input }, context) =>
      reread(
        query,
        context,
        "Task",
        await families.createTask(context, {
          ...input,
          microProjectId: String(input.microProjectId),
          municipalityId: input.municipalityId == null ? null : String(input.municipalityId),
        }),
      ),
  }),
  cancelTask: t.prismaField({
    type: "Task",
    description: "Staff cancel a task: its future occurrences and their commitments are cancelled.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: { taskId: t.arg.id({ required: true, description: "The task." }) },
    resolve: async (query, _root, { taskId }, context) => reread(query, context, "Task", await families.cancelTask(context, String(taskId))),
  }),
}));
