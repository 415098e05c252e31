import { requireStaff } from "../auth/access";
import { fromDbDate } from "../db/dates";
import { NotFoundError } from "../errors";
import { builder } from "../graphql/builder";
import { ActivityKindEnum } from "../graphql/enums";
import { PactStatusEnum } from "../graphql/enums-domain";
import { writeErrors } from "../graphql/errors";
import { HoursSummaryRef } from "../ledger/ledger.graphql";
import { hoursByPact } from "../ledger/ledger.service";
import type { CommitmentHours } from "../ledger/ledger.model";
import { loaderFor } from "../graphql/loaders";
import * as pacts from "./pacts.service";
import type { Context } from "../graphql/context";
import { citizenSubject, personal } from "../graphql/personal";
import { reread } from "../graphql/payload";

builder.prismaObject("CollaborationPact", {
  description: "A collaboration pact between the administration and one or more citizens (model regulation, art. 5).",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    title: t.exposeString("title", { description: "Title." }),
    objectives: t.exposeString("objectives", { description: "Objectives and activities." }),
    activityKinds: t.field({ type: [ActivityKindEnum], description: "Kinds of activity covered.", resolve: (p) => p.activityKinds }),
    municipalities: t.prismaField({
      type: ["Municipality"],
      description: "Municipalities covered.",
      resolve: (query, p, _a, context) =>
        context.prisma.municipality.findMany({ ...query, where: { id: { in: p.municipalityIds } }, orderBy: { name: "asc" } }),
    }),
    startDate: t.field({ type: "Date", description: "First day.", resolve: (p) => fromDbDate(p.startDate) }),
    endDate: t.field({ type: "Date", description: "Last day.", resolve: (p) => fromDbDate(p.endDate) }),
    hourBudgetMinutes: t.exposeInt("hourBudgetMinutes", { description: "Hour budget, in minutes." }),
    rolesAndCommitments: t.exposeString("rolesAndCommitments", { description: "Roles and commitments of the parties." }),
    insurancePolicy: t.exposeString("insurancePolicy", { description: "Insurance policy." }),
    insuranceFrom: t.field({ type: "Date", description: "Insurance from.", resolve: (p) => fromDbDate(p.insuranceFrom) }),
    insuranceTo: t.field({ type: "Date", description: "Insurance to.", resolve: (p) => fromDbDate(p.insuranceTo) }),
    requiredCourses: t.prismaField({
      type: ["TrainingCourse"],
      description: "Training the pact requires.",
      resolve: (query, p, _a, context) => context.prisma.trainingCourse.findMany({ ...query, where: { id: { in: p.requiredCourseIds } } }),
    }),
    formsOfSupport: t.exposeString("formsOfSupport", { description: "Forms of support the administration gives." }),
    monitoringAndReporting: t.exposeString("monitoringAndReporting", { description: "Monitoring and reporting." }),
    suspensionAndTermination: t.exposeString("suspensionAndTermination", { description: "Causes of suspension and termination." }),
    status: t.expose("status", { type: PactStatusEnum, description: "Status." }),
    signedById: t.exposeID("signedById", { nullable: true, description: "Who signed it for the administration." }),
    signedAt: t.expose("signedAt", { type: "DateTime", nullable: true, description: "When it was signed." }),
    previousPact: t.relation("previousPact", { nullable: true, description: "The pact this one renews." }),
    renewedBy: t.relation("renewedBy", { nullable: true, description: "The pact that renews this one." }),
    citizens: t.prismaField({
      type: ["Citizen"],
      description: "The citizens bound by the pact.",
      select: { citizens: { select: { citizenId: true } } },
      resolve: (query, p, _a, context) => context.prisma.citizen.findMany({ ...query, where: { id: { in: p.citizens.map((c) => c.citizenId) } } }),
    }),
    history: t.relation("events", { description: "Every change of status, oldest first: who, when, why.", query: { orderBy: { at: "asc" } } }),
    hours: t.field({
      type: HoursSummaryRef,
      description: "Hours planned, pending, done and left in the budget, from the ledger.",
      resolve: async (p, _a, context) => {
        const total = await loaderFor<string, CommitmentHours>(context, "pactHours", (ids) => hoursByPact(context, ids)).load(p.id);
        return { ...total, budgetMinutes: p.hourBudgetMinutes };
      },
    }),
  }),
});

/** Who changed a pact and why is for the pact's citizens and their territory's staff. */
const ofPactEvent = async (event: { pactId: string }, context: Context) =>
  citizenSubject(
    context,
    await loaderFor<string, string[]>(context, "pactCitizens", async (ids) => {
      const rows = await context.prisma.pactCitizen.findMany({ where: { pactId: { in: [...ids] } }, select: { pactId: true, citizenId: true } });
      return ids.map((id) => rows.filter((r) => r.pactId === id).map((r) => r.citizenId));
    }).load(event.pactId),
  );

builder.prismaObject("PactEvent", {
  description: "One change of a pact's status.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    fromStatus: t.expose("fromStatus", { type: PactStatusEnum, nullable: true, description: "Before (null at proposal)." }),
    toStatus: t.expose("toStatus", { type: PactStatusEnum, description: "After." }),
    byUserId: t.exposeID("byUserId", { ...personal(ofPactEvent), description: "Who." }),
    reason: t.exposeString("reason", { ...personal(ofPactEvent), nullable: true, description: "Why." }),
    at: t.expose("at", { type: "DateTime", description: "When." }),
  }),
});

const PactInput = builder.inputType("PactInput", {
  description: "The contents of a collaboration pact (model regulation, art. 5).",
  fields: (t) => ({
    title: t.string({ required: true, description: "Title." }),
    objectives: t.string({ required: true, description: "Objectives and activities." }),
    activityKinds: t.field({ type: [ActivityKindEnum], required: true, description: "Kinds of activity covered." }),
    municipalityIds: t.idList({ required: true, description: "Municipalities covered (one territory)." }),
    startDate: t.field({ type: "Date", required: true, description: "First day." }),
    endDate: t.field({ type: "Date", required: true, description: "Last day." }),
    hourBudgetHours: t.float({ required: true, description: "Hour budget (1 to 2000 hours)." }),
    rolesAndCommitments: t.string({ required: true, description: "Roles and commitments." }),
    insurancePolicy: t.string({ required: true, description: "Insurance policy." }),
    insuranceFrom: t.field({ type: "Date", required: true, description: "Insurance from." }),
    insuranceTo: t.field({ type: "Date", required: true, description: "Insurance to." }),
    requiredCourseCodes: t.stringList({ required: false, description: "Training the pact requires." }),
    formsOfSupport: t.string({ required: true, description: "Forms of support." }),
    monitoringAndReporting: t.string({ required: true, description: "Monitoring and reporting." }),
    suspensionAndTermination: t.string({ required: true, description: "Causes of suspension and termination." }),
    citizenIds: t.idList({ required: true, description: "Citizens bound by the pact." }),
  }),
});

builder.queryFields((t) => ({
  pacts: t.prismaField({
    type: ["CollaborationPact"],
    description: "Pacts of your territory, optionally by status or citizen (staff).",
    authScopes: { staff: true },
    args: {
      status: t.arg({ type: PactStatusEnum, required: false, description: "Only this status." }),
      citizenId: t.arg.id({ required: false, description: "Only pacts of this citizen." }),
    },
    resolve: (query, _root, { status, citizenId }, context) => {
      const { territoryId } = requireStaff(context);
      return context.prisma.collaborationPact.findMany({
        ...query,
        where: {
          territoryId: territoryId ?? undefined,
          status: status ?? undefined,
          citizens: citizenId ? { some: { citizenId: String(citizenId) } } : undefined,
        },
        orderBy: [{ startDate: "asc" }, { id: "asc" }],
      });
    },
  }),
  pact: t.prismaField({
    type: "CollaborationPact",
    description: "One pact: staff of its territory, or one of its citizens.",
    errors: { types: [NotFoundError], directResult: true },
    args: { id: t.arg.id({ required: true, description: "Identifier." }) },
    resolve: async (query, _root, { id }, context) =>
      context.prisma.collaborationPact.findUniqueOrThrow({ ...query, where: { id: await pacts.assertPactVisible(context, String(id)) } }),
  }),
  myPacts: t.prismaField({
    type: ["CollaborationPact"],
    description: "The signed-in citizen's pacts.",
    authScopes: { citizen: true },
    resolve: (query, _root, _args, context) =>
      context.prisma.collaborationPact.findMany({
        ...query,
        where: { citizens: { some: { citizenId: context.viewer?.citizenId ?? "none" } } },
        orderBy: { startDate: "asc" },
      }),
  }),
}));

builder.mutationFields((t) => ({
  proposePact: t.prismaField({
    type: "CollaborationPact",
    description: "Staff propose a pact. A citizen may have one live pact at a time: overlapping dates are refused.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: { input: t.arg({ type: PactInput, required: true, description: "The pact." }) },
    resolve: async (query, _root, { input }, context) =>
      reread(
        query,
        context,
        "CollaborationPact",
        await pacts.proposePact(context, { ...input, municipalityIds: input.municipalityIds.map(String), citizenIds: input.citizenIds.map(String) }),
      ),
  }),
  changePactStatus: t.prismaField({
    type: "CollaborationPact",
    description:
      "Staff move a pact: PROPOSED -> UNDER_REVIEW -> ACTIVE (signed) -> SUSPENDED -> ACTIVE | CONCLUDED | EXPIRED | REVOKED. Suspending and revoking need a reason.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      pactId: t.arg.id({ required: true, description: "The pact." }),
      to: t.arg({ type: PactStatusEnum, required: true, description: "New status." }),
      reason: t.arg.string({ required: false, description: "Why." }),
    },
    resolve: async (query, _root, { pactId, to, reason }, context) =>
      reread(query, context, "CollaborationPact", await pacts.changePactStatus(context, String(pactId), to, reason)),
  }),
  renewPact: t.prismaField({
    type: "CollaborationPact",
    description: "Staff renew a pact: a new proposed pact with the same contents and new dates, linked to the old one.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      pactId: t.arg.id({ required: true, description: "The pact to renew." }),
      startDate: t.arg({ type: "Date", required: true, description: "First day of the renewal." }),
      endDate: t.arg({ type: "Date", required: true, description: "Last day of the renewal." }),
      hourBudgetHours: t.arg.float({ required: false, description: "New hour budget (default: the old one)." }),
    },
    resolve: async (query, _root, { pactId, ...input }, context) =>
      reread(query, context, "CollaborationPact", await pacts.renewPact(context, String(pactId), input)),
  }),
}));
