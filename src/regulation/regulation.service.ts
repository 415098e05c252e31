// Versions of the regulation. A new version is published, never edited, so the rules that
// applied on a past date stay known.
import { requireStaff } from "../auth/access";
import { localToday, toDbDate } from "../db/dates";
import { ForbiddenError, InputError } from "../errors";
import type { ActivityKind } from "../generated/prisma/enums";
import type { Prisma } from "../generated/prisma/client";
import type { EligibilityRegulation } from "../eligibility/eligibility.model";
import type { ServiceContext } from "../service-context";
import { checkIntRange } from "../citizens/citizens.model";

export interface RegulationInput {
  title: string;
  effectiveFrom: string;
  minimumAge: number;
  maxWeeklyHours: number;
  minorsRequireCriminalRecordCheck: boolean;
  travelCountsAsHours: boolean;
  trainingRequirements: { activityKind?: ActivityKind | null; forMinors: boolean; courseCode: string }[];
}

type Db = Prisma.TransactionClient | ServiceContext["prisma"];

/** The version in force on a date: the latest effective on or before it. */
export async function regulationInForce(db: Db, isoDate: string) {
  return db.regulation.findFirst({
    where: { effectiveFrom: { lte: toDbDate(isoDate) } },
    orderBy: [{ effectiveFrom: "desc" }, { version: "desc" }],
    include: { trainingRequirements: true },
  });
}

/** The parameters eligibility reads. */
export function eligibilityRegulation(regulation: NonNullable<Awaited<ReturnType<typeof regulationInForce>>>): EligibilityRegulation {
  const byKind: Record<string, string[]> = {};
  for (const r of regulation.trainingRequirements) {
    if (r.activityKind) (byKind[r.activityKind] ??= []).push(r.courseId);
  }
  return {
    minimumAge: regulation.minimumAge,
    maxWeeklyHours: regulation.maxWeeklyHours,
    trainingByActivityKind: byKind,
    minorsCourseIds: regulation.trainingRequirements.filter((r) => r.forMinors).map((r) => r.courseId),
    minorsRequireCriminalRecordCheck: regulation.minorsRequireCriminalRecordCheck,
    travelCountsAsHours: regulation.travelCountsAsHours,
  };
}

export async function publishRegulation(context: ServiceContext, input: RegulationInput) {
  const { viewer } = requireStaff(context);
  if (viewer.role !== "ADMIN") throw new ForbiddenError();
  const title = input.title.trim();
  if (title.length < 1 || title.length > 300) throw new InputError("INVALID_INPUT", ["title"]);
  checkIntRange(input.minimumAge, 14, 99, ["minimumAge"]);
  checkIntRange(input.maxWeeklyHours, 1, 60, ["maxWeeklyHours"]);
  if (input.effectiveFrom < localToday(context.now())) throw new InputError("INVALID_RANGE", ["effectiveFrom"]);
  input.trainingRequirements.forEach((r, i) => {
    if (!r.activityKind && !r.forMinors) throw new InputError("INVALID_INPUT", ["trainingRequirements", String(i)]);
  });
  return context.prisma.$transaction(async (tx) => {
    const courses = await tx.trainingCourse.findMany({ where: { code: { in: input.trainingRequirements.map((r) => r.courseCode) } } });
    const requirements = input.trainingRequirements.map((r, i) => {
      const course = courses.find((c) => c.code === r.courseCode);
      if (!course) throw new InputError("UNKNOWN_TRAINING_COURSE", ["trainingRequirements", String(i), "courseCode"], { value: r.courseCode });
      return { activityKind: r.activityKind ?? null, forMinors: r.forMinors, courseId: course.id };
    });
    const latest = await tx.regulation.findFirst({ orderBy: { version: "desc" }, select: { version: true } });
    return tx.regulation.create({
      data: {
        version: (latest?.version ?? 0) + 1,
        title,
        effectiveFrom: toDbDate(input.effectiveFrom),
        minimumAge: input.minimumAge,
        maxWeeklyHours: input.maxWeeklyHours,
        minorsRequireCriminalRecordCheck: input.minorsRequireCriminalRecordCheck,
        travelCountsAsHours: input.travelCountsAsHours,
        createdById: viewer.userId,
        trainingRequirements: { create: requirements },
      },
    });
  });
}
