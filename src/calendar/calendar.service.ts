// iCalendar subscriptions: a secret token in the URL (only its hash is stored), revocable at any
// time, one live feed per owner (a new one revokes the old). A feed shows a citizen's
// commitments, a shared house's published plan, or one household's part of it.
import { livesInHouseOn } from "../housing/planner.model";
import { stayOf } from "../housing/housing.repository";
import { createHash, randomBytes } from "node:crypto";
import { familyName } from "../privacy/erased.model";
import { requireCitizen, requireViewer } from "../auth/access";
import { NotFoundError } from "../errors";
import { activityName } from "../i18n/activities";
import type { Lang } from "../i18n";
import { citizenOccurrence } from "../offers/citizen-view.model";
import type { PrismaClient } from "../generated/prisma/client";
import { houseFor } from "../housing/housing.repository";
import type { ServiceContext } from "../service-context";
import { localDateOf } from "../time/local-time";
import { calendarFeed, type CalendarEntry } from "./ical.model";

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");
/** Past events stay in a feed this long. */
const HISTORY_MS = 90 * 24 * 3_600_000;

/** A citizen's own feed, or one person's link to a house's or a household's plan. */
type Owner = { citizenId: string } | { houseId: string; userId: string } | { householdId: string; userId: string };

/** Makes a new feed for an owner, revoking its earlier ones; returns the link. */
async function newFeed(context: ServiceContext, owner: Owner) {
  const token = randomBytes(32).toString("base64url");
  await context.prisma.$transaction(async (tx) => {
    await tx.calendarFeed.updateMany({ where: { ...owner, revokedAt: null }, data: { revokedAt: context.now() } });
    await tx.calendarFeed.create({ data: { ...owner, tokenHash: hashOf(token), createdAt: context.now() } });
  });
  return { path: `/calendar/${token}.ics`, createdAt: context.now() };
}

/** Makes a new feed URL for the signed-in citizen; any earlier one stops working. */
export async function createCalendarFeed(context: ServiceContext) {
  const { citizenId } = requireCitizen(context);
  return newFeed(context, { citizenId });
}

/** Stops every feed URL of the signed-in citizen; returns how many were live. */
export async function revokeCalendarFeeds(context: ServiceContext) {
  const { citizenId } = requireCitizen(context);
  const { count } = await context.prisma.calendarFeed.updateMany({ where: { citizenId, revokedAt: null }, data: { revokedAt: context.now() } });
  return count;
}

/**
 * A shared house's plan as a feed (its tutors, staff and residents). Each person has their own
 * link: a new one ends only their earlier one, and a link ends when its person loses access.
 */
export async function createHouseCalendarFeed(context: ServiceContext, houseId: string) {
  const viewer = requireViewer(context);
  await houseFor(context.prisma, viewer, houseId, "read");
  return newFeed(context, { houseId, userId: viewer.userId });
}

/** One household's part of its house's plan as a feed (the house's tutors, staff, or the household's own contact). */
export async function createHouseholdCalendarFeed(context: ServiceContext, householdId: string) {
  const viewer = requireViewer(context);
  const household = await context.prisma.household.findUnique({ where: { id: householdId } });
  if (!household) throw new NotFoundError("Household", householdId);
  if (household.contactUserId !== viewer.userId) {
    if (viewer.role === "RESIDENT") throw new NotFoundError("Household", householdId);
    await houseFor(context.prisma, viewer, household.houseId, "plan");
  }
  return newFeed(context, { householdId, userId: viewer.userId });
}

/** The feed behind a token, or null for an unknown or revoked one. */
export async function calendarFor(prisma: PrismaClient, token: string, now: Date): Promise<string | null> {
  const feed = await prisma.calendarFeed.findUnique({ where: { tokenHash: hashOf(token) }, include: { citizen: true } });
  if (!feed || feed.revokedAt) return null;
  if (feed.citizenId) {
    const user = feed.citizen!.userId ? await prisma.user.findUnique({ where: { id: feed.citizen!.userId }, select: { locale: true } }) : null;
    return citizenCalendar(prisma, feed.citizenId, feed.citizen!.firstName, user?.locale === "EN" ? "en" : "it", now);
  }
  // A house's or household's link works while its person may still read the plan.
  if (!feed.userId || !(await stillReads(prisma, feed.userId, feed.houseId, feed.householdId))) return null;
  if (feed.houseId) return houseCalendarFeed(prisma, feed.houseId, null, now);
  if (feed.householdId) {
    const household = await prisma.household.findUniqueOrThrow({ where: { id: feed.householdId } });
    return houseCalendarFeed(prisma, household.houseId, household.id, now);
  }
  return null;
}

/** Whether the link's person may still read the house's (or the household's) plan, as when the link was made. */
async function stillReads(prisma: PrismaClient, userId: string, houseId: string | null, householdId: string | null): Promise<boolean> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, role: true, territoryId: true, locale: true, erasedAt: true } });
  if (!user || user.erasedAt) return false;
  const viewer = { userId: user.id, role: user.role, territoryId: user.territoryId, citizenId: null, locale: user.locale };
  const reaches = (id: string, access: "read" | "plan") =>
    houseFor(prisma, viewer, id, access).then(
      () => true,
      () => false,
    );
  if (!householdId) return houseId !== null && reaches(houseId, "read");
  const household = await prisma.household.findUnique({ where: { id: householdId } });
  if (!household) return false;
  if (household.contactUserId === userId) return true;
  return user.role !== "RESIDENT" && reaches(household.houseId, "plan");
}

/**
 * A citizen's commitments. Each event says what the citizen's projection of the occurrence says
 * (the kind of activity, src/offers/citizen-view.model.ts), never the task's title or
 * description, which staff write and may name the family; the address only while committed.
 */
async function citizenCalendar(prisma: PrismaClient, citizenId: string, firstName: string, lang: Lang, now: Date) {
  const commitments = await prisma.commitment.findMany({
    where: { citizenId, occurrence: { startsAt: { gte: new Date(now.getTime() - HISTORY_MS) } } },
    include: { occurrence: { include: { task: { include: { municipality: true } } } } },
    orderBy: { occurrence: { startsAt: "asc" } },
  });
  const entries: CalendarEntry[] = commitments.map((c) => {
    const task = c.occurrence.task;
    const active = c.status === "ACTIVE";
    // The address is for committed citizens only; a cancelled event keeps just the town.
    const place = task.remote ? "Online" : [active ? task.address : null, task.municipality?.name].filter(Boolean).join(", ");
    return {
      id: c.id,
      status: c.status,
      sequence: c.sequence,
      updatedAt: c.updatedAt,
      startsAt: c.occurrence.startsAt,
      endsAt: c.occurrence.endsAt,
      title: activityName(citizenOccurrence({ ...c.occurrence, task }).activityKind, lang),
      place,
    };
  });
  return calendarFeed(`Legami - ${firstName}`, entries);
}

/**
 * A house's published occurrences (or those concerning one household: house-wide ones while it
 * lives there, its rota turns, the activities it is listed for, open ones). Replaced and
 * cancelled occurrences stay in the feed as cancelled events, so subscribers drop them.
 */
async function houseCalendarFeed(prisma: PrismaClient, houseId: string, householdId: string | null, now: Date) {
  const house = await prisma.house.findUniqueOrThrow({ where: { id: houseId }, include: { municipality: true, households: { include: { family: true } } } });
  const occurrences = await prisma.housingOccurrence.findMany({
    where: { plan: { houseId, status: "PUBLISHED" }, startsAt: { gte: new Date(now.getTime() - HISTORY_MS) } },
    include: { activity: { include: { space: true } } },
    orderBy: { startsAt: "asc" },
  });
  const household = house.households.find((h) => h.id === householdId);
  const names = new Map(house.households.map((h) => [h.id, familyName(h.family, "it")]));
  const concerns = (o: (typeof occurrences)[number]) => {
    if (!household) return true;
    const date = localDateOf(o.startsAt.getTime());
    if (!livesInHouseOn(stayOf(household), date)) return false;
    if (o.activity.attendance === "ROTA") return o.duty.includes(household.id);
    if (o.activity.attendance === "LISTED") return o.activity.householdIds.length === 0 || o.activity.householdIds.includes(household.id);
    return true;
  };
  const entries: CalendarEntry[] = occurrences.filter(concerns).map((o) => ({
    id: o.id,
    uidPrefix: "housing",
    status: o.status === "CANCELLED" || o.status === "SUPERSEDED" ? "CANCELLED" : "ACTIVE",
    sequence: o.sequence,
    updatedAt: o.updatedAt,
    startsAt: o.startsAt,
    endsAt: o.endsAt,
    title: o.duty.length > 0 ? `${o.activity.name}: ${o.duty.map((id) => names.get(id) ?? "?").join(", ")}` : o.activity.name,
    place: [o.activity.space?.name, house.name, house.address, house.municipality.name].filter(Boolean).join(", "),
  }));
  const title = household ? `${house.name} - ${names.get(household.id)}` : house.name;
  return calendarFeed(title, entries);
}
