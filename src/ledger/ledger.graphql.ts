import { eligibilityFor } from "../eligibility/eligibility.service";
import { builder } from "../graphql/builder";
import { CommitmentStatusEnum, HoursEntryKindEnum } from "../graphql/enums-domain";
import { writeErrors } from "../graphql/errors";
import { OccurrenceView } from "../families/families.graphql";
import type { CommitmentHours } from "./ledger.model";
import * as ledger from "./ledger.service";
import type { Context } from "../graphql/context";
import { citizenSubject, personal } from "../graphql/personal";
import { reread } from "../graphql/payload";
import { citizenOccurrence } from "../offers/citizen-view.model";
import { familyName } from "../privacy/erased.model";

/** A commitment's and a ledger line's details are the citizen's: theirs and their territory's staff. */
const ofCitizenRecord = (row: { citizenId: string }, context: Context) => citizenSubject(context, row.citizenId);

export const HoursSummaryRef = builder.objectRef<CommitmentHours & { budgetMinutes?: number }>("HoursSummary").implement({
  description: "Hours from the ledger, in minutes.",
  fields: (t) => ({
    plannedMinutes: t.int({ description: "Planned by active commitments.", resolve: (h) => h.plannedMinutes }),
    pendingMinutes: t.int({ description: "Logged by citizens, waiting for a coordinator.", resolve: (h) => h.pendingMinutes }),
    doneMinutes: t.int({ description: "Confirmed or corrected by a coordinator.", resolve: (h) => h.doneMinutes }),
    usedMinutes: t.int({ description: "Taken from the budget: done where decided, planned otherwise.", resolve: (h) => h.usedMinutes }),
    remainingBudgetMinutes: t.int({
      nullable: true,
      description: "Budget minus used (pacts only).",
      resolve: (h) => (h.budgetMinutes === undefined ? null : h.budgetMinutes - h.usedMinutes),
    }),
  }),
});

const LedgerRowRef = builder.objectRef<ledger.LedgerRow>("HoursLedgerRow").implement({
  description: "Hours of one citizen under one pact for one family in one month.",
  fields: (t) => ({
    pactId: t.exposeID("pactId", { description: "The pact." }),
    citizenId: t.exposeID("citizenId", { description: "The citizen." }),
    familyId: t.exposeID("familyId", { description: "The family the hours were for." }),
    month: t.exposeString("month", { description: "YYYY-MM, by the local date of the occurrences." }),
    hours: t.field({ type: HoursSummaryRef, description: "The hours.", resolve: (row) => row }),
  }),
});

const LedgerRef = builder.objectRef<{ rows: ledger.LedgerRow[]; total: CommitmentHours }>("HoursLedger").implement({
  description: "The hours ledger (rendicontazione): rows and their total.",
  fields: (t) => ({
    rows: t.field({ type: [LedgerRowRef], description: "By pact, citizen, family and month.", resolve: (l) => l.rows }),
    total: t.field({ type: HoursSummaryRef, description: "Sum of the rows.", resolve: (l) => l.total }),
  }),
});

builder.prismaObject("Commitment", {
  description: "A citizen's commitment to cover an occurrence under a pact.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    citizenId: t.exposeID("citizenId", { description: "The citizen." }),
    pactId: t.exposeID("pactId", { description: "The pact it counts under." }),
    plannedMinutes: t.exposeInt("plannedMinutes", {
      ...personal(ofCitizenRecord),
      description: "Planned minutes (travel included where the regulation counts it).",
    }),
    status: t.expose("status", { ...personal(ofCitizenRecord), type: CommitmentStatusEnum, description: "Status." }),
    occurrence: t.field({
      type: OccurrenceView,
      description: "The occurrence: kind, place, time, needs.",
      select: { occurrence: { include: { task: true } } },
      resolve: (c) => citizenOccurrence(c.occurrence),
    }),
    family: t.field({
      ...personal(ofCitizenRecord),
      type: builder.objectRef<{ referenceName: string; languages: string[]; address: string | null }>("CommittedFamily").implement({
        description: "What a committed citizen needs to know of the family: name, languages, and where to go.",
        fields: (f) => ({
          referenceName: f.exposeString("referenceName", { description: "How to ask for the family." }),
          languages: f.exposeStringList("languages", { description: "Languages spoken at home." }),
          address: f.exposeString("address", { nullable: true, description: "Where the activity takes place, when at a private address." }),
        }),
      }),
      nullable: true,
      description: "The family, only while the commitment is active: never before, and only what the task requires.",
      select: { status: true, occurrence: { select: { task: { select: { address: true, familyId: true } } } } },
      resolve: async (c, _a, context) => {
        if (c.status !== "ACTIVE") return null;
        const family = await context.prisma.family.findUniqueOrThrow({ where: { id: c.occurrence.task.familyId } });
        return { referenceName: familyName(family, context.lang), languages: family.languages, address: c.occurrence.task.address };
      },
    }),
    hours: t.relation("hours", { ...personal(ofCitizenRecord), description: "Ledger lines, oldest first.", query: { orderBy: { seq: "asc" } } }),
  }),
});

builder.prismaObject("HoursEntry", {
  description: "A line of the hours ledger. Lines are never changed: corrections are new lines.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    kind: t.expose("kind", { type: HoursEntryKindEnum, description: "Logged, confirmed or corrected." }),
    minutes: t.exposeInt("minutes", { description: "Minutes." }),
    note: t.exposeString("note", { ...personal(ofCitizenRecord), nullable: true, description: "Note (required for corrections)." }),
    refersToId: t.exposeID("refersToId", { nullable: true, description: "The logged line a decision is about." }),
    byUserId: t.exposeID("byUserId", { ...personal(ofCitizenRecord), description: "Who wrote it." }),
    at: t.expose("at", { type: "DateTime", description: "When." }),
  }),
});

const ReasonRef = builder.objectRef<{ code: string; message: string; params: Record<string, string | number> }>("IneligibilityReason").implement({
  description: "One reason a citizen is not eligible.",
  fields: (t) => ({
    code: t.exposeString("code", { description: "Stable code, e.g. MISSING_SKILL, NO_ACTIVE_PACT, TOO_FAR." }),
    message: t.exposeString("message", { description: "The reason in the caller's language." }),
    details: t.stringList({ description: "Parameters as key=value.", resolve: (r) => Object.entries(r.params).map(([k, v]) => `${k}=${v}`) }),
  }),
});

const EligibilityRef = builder.objectRef<Awaited<ReturnType<typeof eligibilityFor>>>("Eligibility").implement({
  description: "Whether a citizen may cover an occurrence, and every reason why not.",
  fields: (t) => ({
    eligible: t.boolean({ description: "Eligible.", resolve: (e) => e.result.eligible }),
    pactId: t.id({ nullable: true, description: "The pact the hours would count under.", resolve: (e) => (e.result.eligible ? e.result.pactId : null) }),
    loadMinutes: t.int({
      nullable: true,
      description: "Minutes the occurrence would cost the citizen.",
      resolve: (e) => (e.result.eligible ? e.result.loadMinutes : null),
    }),
    reasons: t.field({ type: [ReasonRef], description: "Every reason why not (empty when eligible).", resolve: (e) => e.reasons }),
  }),
});

builder.queryFields((t) => ({
  eligibility: t.field({
    type: EligibilityRef,
    description: "Whether a citizen of your territory may cover an occurrence, with every reason why not (staff).",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: { citizenId: t.arg.id({ required: true, description: "The citizen." }), occurrenceId: t.arg.id({ required: true, description: "The occurrence." }) },
    resolve: (_r, { citizenId, occurrenceId }, context) => eligibilityFor(context, String(citizenId), String(occurrenceId), context.lang),
  }),
  myCommitments: t.prismaField({
    type: ["Commitment"],
    description: "The signed-in citizen's commitments, by start.",
    authScopes: { citizen: true },
    resolve: (query, _r, _a, context) =>
      context.prisma.commitment.findMany({ ...query, where: { citizenId: context.viewer?.citizenId ?? "none" }, orderBy: { occurrence: { startsAt: "asc" } } }),
  }),
  hoursLedger: t.field({
    type: LedgerRef,
    description: "The hours ledger with filters: staff see their territory, a citizen their own hours.",
    errors: { types: writeErrors, directResult: true },
    args: {
      pactId: t.arg.id({ required: false, description: "Only this pact." }),
      citizenId: t.arg.id({ required: false, description: "Only this citizen." }),
      familyId: t.arg.id({ required: false, description: "Only this family." }),
      month: t.arg.string({ required: false, description: "Only this month, YYYY-MM." }),
    },
    resolve: (_r, args, context) =>
      ledger.hoursLedger(context, {
        pactId: args.pactId && String(args.pactId),
        citizenId: args.citizenId && String(args.citizenId),
        familyId: args.familyId && String(args.familyId),
        month: args.month,
      }),
  }),
}));

builder.mutationFields((t) => ({
  assignCitizen: t.prismaField({
    type: "Commitment",
    description: "Staff commit a citizen to an occurrence by hand, within every rule (eligibility, headcount, no overlap with travel).",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: { occurrenceId: t.arg.id({ required: true, description: "The occurrence." }), citizenId: t.arg.id({ required: true, description: "The citizen." }) },
    resolve: async (query, _root, { occurrenceId, citizenId }, context) =>
      reread(query, context, "Commitment", await ledger.assignCitizen(context, String(occurrenceId), String(citizenId))),
  }),
  withdrawCommitment: t.prismaField({
    type: "Commitment",
    description: "The citizen (or staff) withdraws from a commitment before the occurrence starts.",
    errors: { types: writeErrors, directResult: true },
    args: { commitmentId: t.arg.id({ required: true, description: "The commitment." }) },
    resolve: async (query, _root, { commitmentId }, context) =>
      reread(query, context, "Commitment", await ledger.withdrawCommitment(context, String(commitmentId))),
  }),
  logHours: t.prismaField({
    type: "HoursEntry",
    description: "The citizen logs the hours done for a commitment, after the occurrence has ended.",
    authScopes: { citizen: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      commitmentId: t.arg.id({ required: true, description: "The commitment." }),
      minutes: t.arg.int({ required: true, description: "Minutes done (1 to 720)." }),
      note: t.arg.string({ required: false, description: "Note." }),
    },
    resolve: async (query, _root, { commitmentId, minutes, note }, context) =>
      reread(query, context, "HoursEntry", await ledger.logHours(context, String(commitmentId), minutes, note)),
  }),
  confirmHours: t.prismaField({
    type: "HoursEntry",
    description: "A coordinator confirms the latest hours the citizen logged.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: { commitmentId: t.arg.id({ required: true, description: "The commitment." }) },
    resolve: async (query, _root, { commitmentId }, context) => reread(query, context, "HoursEntry", await ledger.confirmHours(context, String(commitmentId))),
  }),
  correctHours: t.prismaField({
    type: "HoursEntry",
    description: "A coordinator records the hours actually done, with a note; the logged line stays.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      commitmentId: t.arg.id({ required: true, description: "The commitment." }),
      minutes: t.arg.int({ required: true, description: "Minutes actually done (0 to 720)." }),
      note: t.arg.string({ required: true, description: "Why they differ." }),
    },
    resolve: async (query, _root, { commitmentId, minutes, note }, context) =>
      reread(query, context, "HoursEntry", await ledger.correctHours(context, String(commitmentId), minutes, note)),
  }),
}));
