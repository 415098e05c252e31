// GraphQL for citizens' calendar feeds.
import { builder } from "../graphql/builder";
import { writeErrors } from "../graphql/errors";
import * as calendar from "./calendar.service";

const CalendarFeedRef = builder.objectRef<{ path: string; createdAt: Date }>("CalendarFeedLink").implement({
  description: "A private iCalendar feed of your commitments, for calendar apps to subscribe to. Keep the link secret.",
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
  revokeCalendarFeeds: t.int({
    description: "Stops every calendar feed link of the signed-in citizen; returns how many were live.",
    errors: { types: writeErrors, dataField: { description: "How many links were live." } },
    authScopes: { citizen: true },
    resolve: (_r, _a, context) => calendar.revokeCalendarFeeds(context),
  }),
}));
