// Reads the shared-housing services share: who may see a house, and a house's rules and history
// as the planner's input.
import { coordinatesTerritory } from "../auth/access";
import { fromDbDate } from "../db/dates";
import { NotFoundError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { Viewer } from "../auth/viewer";
import type { Availability, WeeklyWindow } from "../time/availability";
import { localDateOf } from "../time/local-time";
import { localStart } from "../time/recurrence";
import { dutyShares, livesInHouseDuring, type Activity, type Household, type PlannerInput } from "./planner.model";

type Tx = Prisma.TransactionClient;

/** What a viewer may do with a house: read it (residents), plan it (tutors), or manage it (staff). */
export type HouseAccess = "read" | "plan" | "manage";

/**
 * The house, if the viewer may act on it at that level: administrators everywhere; coordinators
 * in their territory; tutors plan the houses they are assigned to; a resident reads the house
 * their household lives in. Anything else is reported as not found.
 */
export async function houseFor(tx: Tx, viewer: Viewer, houseId: string, access: HouseAccess) {
  const house = await tx.house.findUnique({ where: { id: houseId } });
  const allowed =
    house !== null &&
    (viewer.role === "ADMIN" ||
      coordinatesTerritory(viewer, house.territoryId) ||
      (viewer.role === "TUTOR" && access !== "manage" && (await tx.houseTutor.count({ where: { houseId, userId: viewer.userId } })) > 0) ||
      (viewer.role === "RESIDENT" && access === "read" && (await tx.household.count({ where: { houseId, contactUserId: viewer.userId } })) > 0));
  if (!allowed) throw new NotFoundError("House", houseId);
  return house!;
}

/** Stored as JSON, validated on write (housing.service). */
export const openingOf = (json: unknown) => json as WeeklyWindow[];
export const busyOf = (json: unknown) => json as Availability;

export function activityOf(row: {
  id: string;
  spaceId: string | null;
  durationMinutes: number;
  attendance: "ALL" | "ROTA" | "LISTED";
  householdIds: string[];
  householdsPerTurn: number;
  frequency: "WEEKLY" | "TIMES";
  everyWeeks: number;
  times: number;
  preferredWeekdays: number[];
  preferredStartMinute: number | null;
  preferredEndMinute: number | null;
  minSpacingHours: number;
}): Activity {
  return {
    id: row.id,
    spaceId: row.spaceId,
    durationMinutes: row.durationMinutes,
    attendance: row.attendance === "LISTED" ? row.householdIds : row.attendance,
    householdsPerTurn: row.householdsPerTurn,
    frequency: row.frequency === "WEEKLY" ? { kind: "WEEKLY", everyWeeks: row.everyWeeks } : { kind: "TIMES", times: row.times },
    preferred:
      row.preferredStartMinute !== null && row.preferredEndMinute !== null
        ? {
            weekdays: row.preferredWeekdays.length > 0 ? row.preferredWeekdays : undefined,
            startMinute: row.preferredStartMinute,
            endMinute: row.preferredEndMinute,
          }
        : null,
    minSpacingHours: row.minSpacingHours,
  };
}

/** A household row's stay as local dates (planner.model livesInHouseOn and livesInHouseDuring read it). */
export function stayOf(row: { moveIn: Date; moveOut: Date | null }): { moveIn: string; moveOut: string | null } {
  return { moveIn: fromDbDate(row.moveIn), moveOut: row.moveOut ? fromDbDate(row.moveOut) : null };
}

export function householdOf(row: { id: string; moveIn: Date; moveOut: Date | null; busy: unknown }): Household {
  return { id: row.id, ...stayOf(row), busy: busyOf(row.busy) };
}

/** Occurrences of published plans that still stand (planned or held), in a house. */
export const standingWhere = (houseId: string) => ({ plan: { houseId, status: "PUBLISHED" as const }, status: { in: ["PLANNED" as const, "HELD" as const] } });

/**
 * Everything the planner needs for a house and a period: spaces, the households living there at
 * some point of it, the active activities, the standing published occurrences of the period (for
 * stability), and each rota's history before the period (duties, fair shares, the last turn).
 */
export async function plannerInputFor(tx: Tx, houseId: string, from: string, to: string): Promise<PlannerInput> {
  const house = await tx.house.findUniqueOrThrow({
    where: { id: houseId },
    include: { spaces: true, households: true, activities: { where: { active: true }, orderBy: { createdAt: "asc" } } },
  });
  const periodStart = new Date(localStart(from, 0));
  const periodEnd = new Date(localStart(to, 0));
  const everyone = house.households.map(householdOf);
  const households = everyone.filter((h) => livesInHouseDuring(h, from, to));
  const previous = await tx.housingOccurrence.findMany({
    where: { ...standingWhere(houseId), startsAt: { gte: periodStart, lt: periodEnd } },
    select: { activityId: true, startsAt: true },
  });

  const rotaHistory: NonNullable<PlannerInput["rotaHistory"]> = {};
  const lastDuty: NonNullable<PlannerInput["lastDuty"]> = {};
  const past = await tx.housingOccurrence.findMany({
    where: { ...standingWhere(houseId), startsAt: { lt: periodStart }, activity: { attendance: "ROTA" } },
    select: { activityId: true, startsAt: true, duty: true, activity: { select: { householdsPerTurn: true } } },
    orderBy: { startsAt: "asc" },
  });
  for (const o of past) {
    const history = (rotaHistory[o.activityId] ??= {});
    for (const [id, share] of dutyShares(everyone, localDateOf(o.startsAt.getTime()), o.activity.householdsPerTurn)) {
      const entry = (history[id] ??= { duties: 0, share: 0 });
      entry.share += share;
    }
    for (const id of o.duty) (history[id] ??= { duties: 0, share: 0 }).duties += 1;
    lastDuty[o.activityId] = o.duty;
  }
  return {
    from,
    to,
    quietHours: { startMinute: house.quietStartMinute, endMinute: house.quietEndMinute },
    spaces: house.spaces.map((s) => ({ id: s.id, opening: openingOf(s.opening) })),
    households,
    activities: house.activities.map(activityOf),
    previous: previous.map((p) => ({ activityId: p.activityId, start: p.startsAt.getTime() })),
    rotaHistory,
    lastDuty,
  };
}

export interface RotaBalanceRow {
  month: string;
  activityId: string;
  householdId: string;
  duties: number;
  share: number;
  cumulativeDuties: number;
  cumulativeShare: number;
}

/**
 * Each household's rota turns against its fair share, month by month over [from, to), with the
 * running totals since the house's first published plan. Held and planned turns count, cancelled
 * ones do not; a turn's share is split among the households living there that day.
 */
export async function rotaBalanceOf(tx: Tx, houseId: string, from: string, to: string): Promise<RotaBalanceRow[]> {
  const households = (await tx.household.findMany({ where: { houseId } })).map(householdOf);
  const turns = await tx.housingOccurrence.findMany({
    where: { ...standingWhere(houseId), startsAt: { lt: new Date(localStart(to, 0)) }, activity: { attendance: "ROTA" } },
    select: { activityId: true, startsAt: true, duty: true, activity: { select: { householdsPerTurn: true } } },
    orderBy: { startsAt: "asc" },
  });
  const rows = new Map<string, RotaBalanceRow>();
  const running = new Map<string, { duties: number; share: number }>();
  for (const turn of turns) {
    const date = localDateOf(turn.startsAt.getTime());
    const month = date.slice(0, 7);
    for (const [householdId, share] of dutyShares(households, date, turn.activity.householdsPerTurn)) {
      const key = `${turn.activityId}|${householdId}`;
      const total = running.get(key) ?? { duties: 0, share: 0 };
      total.share += share;
      if (turn.duty.includes(householdId)) total.duties += 1;
      running.set(key, total);
      if (date < from) continue;
      const row = rows.get(`${month}|${key}`) ?? {
        month,
        activityId: turn.activityId,
        householdId,
        duties: 0,
        share: 0,
        cumulativeDuties: 0,
        cumulativeShare: 0,
      };
      row.share += share;
      if (turn.duty.includes(householdId)) row.duties += 1;
      row.cumulativeDuties = total.duties;
      row.cumulativeShare = total.share;
      rows.set(`${month}|${key}`, row);
    }
  }
  return [...rows.values()].sort(
    (a, b) => a.month.localeCompare(b.month) || a.activityId.localeCompare(b.activityId) || a.householdId.localeCompare(b.householdId),
  );
}
