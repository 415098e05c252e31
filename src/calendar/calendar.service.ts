// Citizens' iCalendar subscriptions: a secret token in the URL (only its hash is stored), one
// live feed per citizen (a new one revokes the old), revocable at any time.
import { createHash, randomBytes } from "node:crypto";
import { requireCitizen } from "../auth/access";
import type { PrismaClient } from "../generated/prisma/client";
import type { ServiceContext } from "../service-context";
import { calendarFeed, type CalendarEntry } from "./ical.model";

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");
/** Past commitments stay in the feed this long. */
const HISTORY_MS = 90 * 24 * 3_600_000;

/** Makes a new feed URL for the signed-in citizen; any earlier one stops working. */
export async function createCalendarFeed(context: ServiceContext) {
  const { citizenId } = requireCitizen(context);
  const token = randomBytes(32).toString("base64url");
  await context.prisma.$transaction(async (tx) => {
    await tx.calendarFeed.updateMany({ where: { citizenId, revokedAt: null }, data: { revokedAt: context.now() } });
    await tx.calendarFeed.create({ data: { citizenId, tokenHash: hashOf(token), createdAt: context.now() } });
  });
  return { path: `/calendar/${token}.ics`, createdAt: context.now() };
}

/** Stops every feed URL of the signed-in citizen; returns how many were live. */
export async function revokeCalendarFeeds(context: ServiceContext) {
  const { citizenId } = requireCitizen(context);
  const { count } = await context.prisma.calendarFeed.updateMany({ where: { citizenId, revokedAt: null }, data: { revokedAt: context.now() } });
  return count;
}

/** The feed behind a token, or null for an unknown or revoked one. */
export async function calendarFor(prisma: PrismaClient, token: string, now: Date): Promise<string | null> {
  const feed = await prisma.calendarFeed.findUnique({ where: { tokenHash: hashOf(token) }, include: { citizen: true } });
  if (!feed || feed.revokedAt) return null;
  const commitments = await prisma.commitment.findMany({
    where: { citizenId: feed.citizenId, occurrence: { startsAt: { gte: new Date(now.getTime() - HISTORY_MS) } } },
    include: { occurrence: { include: { task: { include: { municipality: true } } } } },
    orderBy: { occurrence: { startsAt: "asc" } },
  });
  const entries: CalendarEntry[] = commitments.map((c) => {
    const task = c.occurrence.task;
    const active = c.status === "ACTIVE";
    // The address is for committed citizens only; a cancelled event keeps just the town.
    const place = task.remote ? "Online" : [active ? task.address : null, task.municipality?.name].filter(Boolean).join(", ");
    return { id: c.id, status: c.status, sequence: c.sequence, updatedAt: c.updatedAt, startsAt: c.occurrence.startsAt, endsAt: c.occurrence.endsAt, title: task.title, place, description: task.description ?? undefined };
  });
  return calendarFeed(`Legami - ${feed.citizen.firstName}`, entries);
}
