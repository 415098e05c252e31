// GraphQL for calendar feeds: a citizen's commitments, a shared house's plan, a household's part.
import { builder } from "../graphql/builder";
import { writeErrors } from "../graphql/errors";
import * as calendar from "./calendar.service";

const CalendarFeedRef = builder.objectRef<{ path: string; createdAt: Date }>("CalendarFeedLink").implement({
  description: "A private iCalendar feed (your commitments, or a shared house's plan), for calendar apps to subscribe to. Keep the link secret.",
  fields: (t) => ({
    path: t.exposeString("path", { description: "Path of the feed on this server (/calendar/<token>.ics): add the server's address in front." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was made." }),
  }),
});

builder.mutationFields((t) => ({
  createCalendarFeed: t.field({
    type: CalendarFeedRef,
    description: "Makes a new calendar feed link for the signed-in citizen; any earlier link stops working.",
    authScopes: { citizen: true },
    errors: { types: writeErrors, directResult: true },
    resolve: (_r, _a, context) => calendar.createCalendarFeed(context),
  }),
  createHouseCalendarFeed: t.field({
    type: CalendarFeedRef,
    description:
      "Makes a new calendar feed link of a shared house's published plan (its tutors, staff, residents); any earlier link of the house stops working.",
    errors: { types: writeErrors, directResult: true },
    args: { houseId: t.arg.id({ required: true, description: "The house." }) },
    resolve: (_r, { houseId }, context) => calendar.createHouseCalendarFeed(context, String(houseId)),
  }),
  createHouseholdCalendarFeed: t.field({
    type: CalendarFeedRef,
    description:
      "Makes a new calendar feed link of one household's part of its house's plan (the house's tutors, staff, or the household's contact); any earlier link of the household stops working.",
    errors: { types: writeErrors, directResult: true },
    args: { householdId: t.arg.id({ required: true, description: "The household." }) },
    resolve: (_r, { householdId }, context) => calendar.createHouseholdCalendarFeed(context, String(householdId)),
  }),
  revokeCalendarFeeds: t.int({
    description: "Stops every calendar feed link of the signed-in citizen; returns how many were live.",
    errors: { types: writeErrors, dataField: { description: "How many links were live." } },
    authScopes: { citizen: true },
    resolve: (_r, _a, context) => calendar.revokeCalendarFeeds(context),
  }),
}));
