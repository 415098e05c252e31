// Calendar dates are stored in DATE columns, which Prisma maps to Date objects at UTC midnight.
import { DateTime } from "luxon";
import { ZONE } from "../time/local-time";

export function toDbDate(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00.000Z`);
}

export function fromDbDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Today's date in Europe/Rome. */
export function localToday(now: Date): string {
  return DateTime.fromJSDate(now, { zone: ZONE }).toISODate()!;
}
