// Every hard rule of the shared-housing planner, checked on a plan without the planner's code:
// used on the pure planner's plans and on plans read back through GraphQL.
import { expect } from "vitest";
import type { Household, PlannerInput } from "../../src/housing/planner.model";
import { availableIntervals } from "../../src/time/availability";

export interface CheckedOccurrence {
  activityId: string;
  start: number;
  end: number;
  spaceId: string | null;
  duty: string[];
}

/** An instant's local date, minute and ISO weekday in Europe/Rome (Intl, not luxon). */
export const local = (instant: number) => {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Rome",
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return {
    date: `${get("year")}-${get("month")}-${get("day")}`,
    minute: Number(get("hour")) * 60 + Number(get("minute")),
    weekday: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(get("weekday")) + 1,
  };
};

/** Every hard rule, checked on the plan without the planner's code. */
export function checkHardRules(input: PlannerInput, plan: { occurrences: CheckedOccurrence[] }) {
  const present = (h: Household, date: string) => (!h.moveIn || h.moveIn <= date) && (!h.moveOut || date < h.moveOut);
  const busy = (h: Household, start: number, end: number) => availableIntervals(h.busy, start, end).some((i) => i.start < end && i.end > start);
  const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
  const attendees = (o: CheckedOccurrence) => {
    const activity = input.activities.find((a) => a.id === o.activityId)!;
    if (activity.attendance === "ROTA") return o.duty;
    if (activity.attendance === "ALL") return input.households.filter((h) => present(h, local(o.start).date)).map((h) => h.id);
    return activity.attendance;
  };
  for (const o of plan.occurrences) {
    const activity = input.activities.find((a) => a.id === o.activityId)!;
    const { date, minute, weekday } = local(o.start);
    const endMinute = minute + activity.durationMinutes;
    expect(date >= input.from && date < input.to).toBe(true);
    expect(o.end - o.start).toBe(activity.durationMinutes * 60_000);
    if (activity.spaceId) {
      const space = input.spaces.find((s) => s.id === activity.spaceId)!;
      expect(
        space.opening.some((w) => w.weekday === weekday && w.startMinute <= minute && endMinute <= w.endMinute),
        `${o.activityId} at ${date} ${minute} in opening hours`,
      ).toBe(true);
    }
    const { startMinute: qs, endMinute: qe } = input.quietHours;
    const quietFree = qs > qe ? minute >= qe && endMinute <= qs : endMinute <= qs || minute >= qe;
    expect(quietFree, `${o.activityId} outside quiet hours`).toBe(true);
    for (const id of attendees(o)) {
      const h = input.households.find((x) => x.id === id)!;
      expect(present(h, date) && !busy(h, o.start, o.end), `${id} free for ${o.activityId} on ${date}`).toBe(true);
    }
    if (activity.attendance === "ROTA") expect(o.duty).toHaveLength(activity.householdsPerTurn ?? 1);
  }
  for (const a of plan.occurrences) {
    for (const b of plan.occurrences) {
      if (a === b || !overlap(a, b)) continue;
      if (a.spaceId) expect(a.spaceId, "a space holds one activity at a time").not.toBe(b.spaceId);
      const shared = attendees(a).filter((h) => attendees(b).includes(h));
      expect(shared, `${a.activityId} and ${b.activityId} share households at the same time`).toEqual([]);
    }
  }
  for (const activity of input.activities) {
    const starts = plan.occurrences
      .filter((o) => o.activityId === activity.id)
      .map((o) => o.start)
      .sort((x, y) => x - y);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual((activity.minSpacingHours ?? 0) * 3_600_000);
  }
}
