import { fromDbDate, localToday } from "../db/dates";
import { builder } from "../graphql/builder";
import { ActivityKindEnum } from "../graphql/enums";
import { writeErrors } from "../graphql/errors";
import * as regulations from "./regulation.service";
import { reread } from "../graphql/payload";

builder.prismaObject("Regulation", {
  description: "A version of the shared-commons regulation: the parameters the rules read.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    version: t.exposeInt("version", { description: "Version number, increasing." }),
    title: t.exposeString("title", { description: "Title." }),
    effectiveFrom: t.field({ type: "Date", description: "First day in force.", resolve: (r) => fromDbDate(r.effectiveFrom) }),
    minimumAge: t.exposeInt("minimumAge", { description: "Minimum age of an active citizen on the day of an activity." }),
    maxWeeklyHours: t.exposeInt("maxWeeklyHours", { description: "Most hours a week any citizen may be committed." }),
    minorsRequireCriminalRecordCheck: t.exposeBoolean("minorsRequireCriminalRecordCheck", {
      description: "Whether activities with minors need a valid criminal-record check.",
    }),
    travelCountsAsHours: t.exposeBoolean("travelCountsAsHours", { description: "Whether travel there and back counts towards hours." }),
    trainingRequirements: t.relation("trainingRequirements", { description: "Courses required per activity kind or for minors." }),
  }),
});

builder.prismaObject("RegulationTraining", {
  description: "A course the regulation requires.",
  fields: (t) => ({
    activityKind: t.expose("activityKind", { type: ActivityKindEnum, nullable: true, description: "For this kind of activity (null: see forMinors)." }),
    forMinors: t.exposeBoolean("forMinors", { description: "Required for any activity with minors." }),
    course: t.prismaField({
      type: "TrainingCourse",
      description: "The course.",
      resolve: (query, r, _a, context) => context.prisma.trainingCourse.findUniqueOrThrow({ ...query, where: { id: r.courseId } }),
    }),
  }),
});

const RegulationTrainingInput = builder.inputType("RegulationTrainingInput", {
  description: "A course required for a kind of activity, or for activities with minors.",
  fields: (t) => ({
    activityKind: t.field({ type: ActivityKindEnum, required: false, description: "The kind of activity." }),
    forMinors: t.boolean({ required: true, description: "Required for any activity with minors." }),
    courseCode: t.string({ required: true, description: "Code of the course." }),
  }),
});

builder.queryFields((t) => ({
  regulation: t.prismaField({
    type: "Regulation",
    nullable: true,
    description: "The regulation in force on a date (default today).",
    args: { on: t.arg({ type: "Date", required: false, description: "The date." }) },
    resolve: async (query, _root, { on }, context) => {
      const found = await regulations.regulationInForce(context.prisma, on ?? localToday(context.now()));
      return found ? context.prisma.regulation.findUnique({ ...query, where: { id: found.id } }) : null;
    },
  }),
}));

builder.mutationFields((t) => ({
  publishRegulation: t.prismaField({
    type: "Regulation",
    description: "Administrators publish a new version of the regulation, in force from a date (today or later).",
    authScopes: { admin: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      title: t.arg.string({ required: true, description: "Title." }),
      effectiveFrom: t.arg({ type: "Date", required: true, description: "First day in force." }),
      minimumAge: t.arg.int({ required: true, description: "Minimum age (14 to 99)." }),
      maxWeeklyHours: t.arg.int({ required: true, description: "Most hours a week (1 to 60)." }),
      minorsRequireCriminalRecordCheck: t.arg.boolean({ required: true, description: "Whether activities with minors need a criminal-record check." }),
      travelCountsAsHours: t.arg.boolean({ required: true, description: "Whether travel counts towards hours." }),
      trainingRequirements: t.arg({ type: [RegulationTrainingInput], required: true, description: "Required courses." }),
    },
    resolve: async (query, _root, args, context) => reread(query, context, "Regulation", await regulations.publishRegulation(context, args)),
  }),
}));
