// GraphQL for offers (the citizen's answers), occurrence cancellation, and the inbox.
import { requireViewer } from "../auth/access";
import { OccurrenceView } from "../families/families.graphql";
import { builder } from "../graphql/builder";
import type { Context } from "../graphql/context";
import { writeErrors } from "../graphql/errors";
import { gapMessage } from "../i18n/explanations";
import * as notifications from "../notifications/notifications.service";
import * as offers from "./offers.service";
import { citizenSubject, personal } from "../graphql/personal";
import { reread, rereadMany } from "../graphql/payload";
import { citizenOccurrence } from "./citizen-view.model";
import { loaderFor } from "../graphql/loaders";

const OfferStatusEnum = builder.enumType("OfferStatus", {
  description: "Where an offer is.",
  values: {
    OFFERED: { description: "Waiting for the citizen's answer." },
    ACCEPTED: { description: "Accepted: a commitment." },
    DECLINED: { description: "Declined." },
    EXPIRED: { description: "Not answered in time." },
    WITHDRAWN: { description: "Withdrawn (the occurrence was cancelled)." },
  } as const,
});

const OfferSourceEnum = builder.enumType("OfferSource", {
  description: "Why an offer was made.",
  values: {
    RUN: { description: "A coordinator published a matching run." },
    REPLACEMENT: { description: "A seat was freed and this citizen was the next best one." },
  } as const,
});

/** An offer's answer is the citizen's: theirs and their territory's staff. */
const ofOffer = (offer: { citizenId: string }, context: Context) => citizenSubject(context, offer.citizenId);

builder.prismaObject("Offer", {
  description: "An occurrence offered to a citizen, to accept or decline before a deadline.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    citizenId: t.exposeID("citizenId", { description: "The citizen." }),
    occurrenceId: t.exposeID("occurrenceId", { description: "The occurrence." }),
    status: t.expose("status", { ...personal(ofOffer), type: OfferStatusEnum, description: "Status." }),
    source: t.expose("source", { type: OfferSourceEnum, description: "Why it was made." }),
    deadline: t.expose("deadline", { ...personal(ofOffer), type: "DateTime", description: "Answer before." }),
    respondedAt: t.expose("respondedAt", {
      ...personal(ofOffer),
      type: "DateTime",
      nullable: true,
      description: "When it was answered (or expired, or was withdrawn).",
    }),
    declineReason: t.exposeString("declineReason", { ...personal(ofOffer), nullable: true, description: "The citizen's reason for declining." }),
    commitment: t.relation("commitment", { ...personal(ofOffer), nullable: true, description: "The commitment made by accepting." }),
    occurrence: t.field({
      type: OccurrenceView,
      description: "What is offered: kind, place, time and needs (never the family).",
      select: { occurrence: { include: { task: true } } },
      resolve: (o) => citizenOccurrence(o.occurrence),
    }),
    partOfSeries: t.boolean({
      description: "Whether the task recurs with continuity: the citizen may accept all its offered dates at once.",
      select: { occurrence: { include: { task: true } } },
      resolve: (o) => o.occurrence.task.continuity,
    }),
  }),
});

const NotificationKindEnum = builder.enumType("NotificationKind", {
  description: "What a notification is about.",
  values: {
    OFFER_RECEIVED: { description: "A new offer to answer." },
    OFFER_EXPIRING: { description: "An offer is about to expire." },
    OFFER_EXPIRED: { description: "An offer expired unanswered." },
    COMMITMENT_REMINDER: { description: "A commitment starts within a day." },
    COMMITMENT_CANCELLED: { description: "An occurrence was cancelled." },
    SEAT_UNFILLED: { description: "A seat nobody eligible can fill (coordinators)." },
    PACT_EXPIRING: { description: "A collaboration pact ends within 30 days." },
    DRAFT_RUN_READY: { description: "A draft matching run is ready for review." },
    HOUSE_PLAN_PUBLISHED: { description: "A shared house's plan for a period was published (tutors and residents)." },
    WORK_RELEASED: {
      description: "A commitment or an open offer was released because the citizen's standing changed (enrolment, pact, training, check, insurance).",
    },
  } as const,
});

builder.prismaObject("Notification", {
  description: "A message in the user's inbox, in their language.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    kind: t.expose("kind", { type: NotificationKindEnum, description: "What it is about." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When." }),
    readAt: t.expose("readAt", { type: "DateTime", nullable: true, description: "When it was read." }),
    title: t.string({ description: "Title, in the reader's language.", resolve: async (n, _a, context) => (await renderFor(n, context)).title }),
    body: t.string({ description: "Text, in the reader's language.", resolve: async (n, _a, context) => (await renderFor(n, context)).body }),
  }),
});

/**
 * Renders a notification; an unfilled seat gets its reasons as a sentence in the reader's language.
 * Names are read when shown, never stored in the notification: a pact's title comes from the pact
 * (as erasure left it), so an erased family's name is not kept in anyone's inbox.
 */
async function renderFor(n: { kind: Parameters<typeof notifications.rendered>[0]["kind"]; params: unknown }, context: Context) {
  const params = { ...((n.params ?? {}) as Record<string, string | number>) };
  if (typeof params.pactId === "string") {
    const pact = await loaderFor<string, { id: string; title: string } | null>(context, "notificationPact", async (ids) => {
      const rows = await context.prisma.collaborationPact.findMany({ where: { id: { in: [...ids] } }, select: { id: true, title: true } });
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }).load(params.pactId);
    params.pact = pact?.title ?? "";
  } else delete params.pact;
  if (n.kind === "SEAT_UNFILLED") {
    const reasonCounts = JSON.parse(String(params.reasonCounts ?? "{}")) as Record<string, number>;
    // Notifications written before the compiler counted ALREADY_ASKED among the reasons carry it apart.
    const asked = Number(params.alreadyAsked ?? 0);
    const why =
      Object.keys(reasonCounts).length > 0
        ? gapMessage({ occurrence: "", unfilledSeats: 0, kind: "NO_ELIGIBLE_CITIZEN", reasonCounts, eligible: [] }, context.lang)
        : "";
    const askedText = asked > 0 ? (context.lang === "it" ? ` Già interpellati: ${asked}.` : ` Already asked: ${asked}.`) : "";
    params.why = `${why}${askedText}`.trim();
  }
  return notifications.rendered({ kind: n.kind, params }, context.lang);
}

builder.queryFields((t) => ({
  myOffers: t.prismaField({
    type: ["Offer"],
    description: "The signed-in citizen's offers: open ones first, by deadline.",
    authScopes: { citizen: true },
    args: { openOnly: t.arg.boolean({ required: false, description: "Only offers still waiting for an answer (default true)." }) },
    resolve: (_q, _r, { openOnly }, context) => offers.myOffers(context, { openOnly: openOnly ?? true }),
  }),
  myNotifications: t.prismaField({
    type: ["Notification"],
    description: "The signed-in user's inbox, newest first.",
    args: {
      unreadOnly: t.arg.boolean({ required: false, description: "Only unread ones (default false)." }),
      first: t.arg.int({ required: false, description: "How many (default 50, at most 100)." }),
    },
    resolve: (_q, _r, { unreadOnly, first }, context) => notifications.myNotifications(context, { unreadOnly: unreadOnly ?? false, first: first ?? 50 }),
  }),
}));

builder.mutationFields((t) => ({
  acceptOffer: t.prismaField({
    type: ["Offer"],
    description:
      "The citizen accepts their own open offer; it becomes a commitment. With wholeSeries, every open offer of the same recurring task is accepted too, all or nothing.",
    authScopes: { citizen: true },
    errors: { types: writeErrors, dataField: { description: "The accepted offers, each with its commitment." } },
    args: {
      offerId: t.arg.id({ required: true, description: "The offer." }),
      wholeSeries: t.arg.boolean({ required: false, description: "Accept all the task's offered dates (default false)." }),
    },
    resolve: async (query, _root, { offerId, wholeSeries }, context) =>
      rereadMany(query, context, "Offer", await offers.acceptOffer(context, String(offerId), wholeSeries ?? false)),
  }),
  declineOffer: t.prismaField({
    type: "Offer",
    description: "The citizen declines their own open offer; the seat is offered to the next best citizen.",
    authScopes: { citizen: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      offerId: t.arg.id({ required: true, description: "The offer." }),
      reason: t.arg.string({ required: false, description: "Why (optional, up to 500 characters)." }),
    },
    resolve: async (query, _root, { offerId, reason }, context) => reread(query, context, "Offer", await offers.declineOffer(context, String(offerId), reason)),
  }),
  cancelOccurrence: t.prismaField({
    type: "TaskOccurrence",
    description: "Staff cancel one occurrence: commitments released, open offers withdrawn, citizens told.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      occurrenceId: t.arg.id({ required: true, description: "The occurrence." }),
      reason: t.arg.string({ required: true, description: "Why (3 to 500 characters), told to the citizens." }),
    },
    resolve: async (query, _root, { occurrenceId, reason }, context) =>
      reread(query, context, "TaskOccurrence", await offers.cancelOccurrence(context, String(occurrenceId), reason)),
  }),
  markNotificationsRead: t.int({
    description: "Marks some of your notifications read; returns how many changed.",
    errors: { types: writeErrors, dataField: { description: "How many notifications changed." } },
    args: { ids: t.arg.idList({ required: true, description: "The notifications." }) },
    resolve: (_r, { ids }, context) => notifications.markNotificationsRead(context, ids.map(String)),
  }),
}));

builder.subscriptionFields((t) => ({
  notificationAdded: t.prismaField({
    type: "Notification",
    description: "Each new notification of the signed-in user, as it arrives.",
    subscribe: (_root, _args, context) => followInbox(context),
    resolve: (_q, notification) => notification,
  }),
}));

/** The viewer's new notifications, from the process's one watch of every open inbox (src/notifications/inbox-watch.ts). */
function followInbox(context: Context) {
  const viewer = requireViewer(context);
  return context.inbox.follow(viewer.userId, context.signal);
}
