// Task schedules expanded into dated occurrences in Europe/Rome. Pure.
//
// Recurring tasks keep their wall-clock start across daylight saving (16:00 stays 16:00).
// Following RFC 5545: a start time that does not exist on a date (inside the spring-forward gap)
// is read with the offset before the gap, so 02:30 becomes 03:30; a start time that occurs twice
// (the fall-back hour) is the first of the two. COUNT counts the generated dates before the
// cancelled dates are removed, as EXDATE does.
import { DateTime } from "luxon";
import { InputError } from "../errors";
import { addDays, mondayOf, weekdayOf, ZONE } from "./local-time";

export type Schedule =
  | { kind: "ONE_OFF"; date: string; startMinute: number; durationMinutes: number }
  | {
      kind: "WEEKLY";
      startDate: string;
      /** ISO weekdays, 1 = Monday. */
      weekdays: number[];
      startMinute: number;
      durationMinutes: number;
      /** Every N weeks, counted from the week of startDate. */
      intervalWeeks: number;
      /** Last possible date (inclusive), or */
      untilDate?: string | null;
      /** number of generated dates. Exactly one of the two. */
      count?: number | null;
      cancelledDates?: string[];
    };

export interface Occurrence {
  /** Local calendar date of the start. */
  localDate: string;
  start: number;
  end: number;
}

/** The longest a recurrence may run, so a typo cannot create thousands of occurrences. */
export const MAX_OCCURRENCES = 520;
export const MAX_DURATION_MINUTES = 12 * 60;

/** The instant of a wall-clock time on a date, per RFC 5545 (gap: offset before; overlap: the first). */
export function localStart(isoDate: string, minute: number, zone = ZONE): number {
  const [year, month, day] = isoDate.split("-").map(Number) as [number, number, number];
  const hour = Math.floor(minute / 60);
  const dt = DateTime.fromObject({ year, month, day, hour, minute: minute % 60 }, { zone });
  // Luxon resolves gaps forward by the gap's length, as RFC 5545 asks; for the repeated hour it
  // may pick either offset, so take the earlier instant explicitly.
  const earlier = dt.minus({ hours: 1 });
  if (earlier.hour === dt.hour && earlier.minute === dt.minute && earlier.day === dt.day) return earlier.toMillis();
  return dt.toMillis();
}

function occurrenceAt(isoDate: string, startMinute: number, durationMinutes: number, zone: string): Occurrence {
  const start = localStart(isoDate, startMinute, zone);
  return { localDate: isoDate, start, end: start + durationMinutes * 60_000 };
}

/** Mondays are the start of ISO weeks; the number of whole weeks between the weeks of two dates. */
function weeksBetween(fromDate: string, toDate: string): number {
  return Math.round((Date.parse(mondayOf(toDate)) - Date.parse(mondayOf(fromDate))) / (7 * 86_400_000));
}

export function validateSchedule(schedule: Schedule): void {
  if (!Number.isInteger(schedule.startMinute) || schedule.startMinute < 0 || schedule.startMinute >= 24 * 60)
    throw new InputError("INVALID_TIME", ["schedule", "startTime"]);
  if (!Number.isInteger(schedule.durationMinutes) || schedule.durationMinutes < 15 || schedule.durationMinutes > MAX_DURATION_MINUTES) {
    throw new InputError("INVALID_RANGE", ["schedule", "durationMinutes"], { min: 15, max: MAX_DURATION_MINUTES });
  }
  if (schedule.kind === "ONE_OFF") return;
  if (schedule.weekdays.length === 0 || schedule.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
    throw new InputError("INVALID_INPUT", ["schedule", "weekdays"]);
  if (new Set(schedule.weekdays).size !== schedule.weekdays.length) throw new InputError("DUPLICATE_ENTRY", ["schedule", "weekdays"], { field: "weekday" });
  if (!Number.isInteger(schedule.intervalWeeks) || schedule.intervalWeeks < 1 || schedule.intervalWeeks > 52)
    throw new InputError("INVALID_RANGE", ["schedule", "intervalWeeks"], { min: 1, max: 52 });
  const hasUntil = Boolean(schedule.untilDate);
  const hasCount = schedule.count !== null && schedule.count !== undefined;
  if (hasUntil === hasCount) throw new InputError("INVALID_INPUT", ["schedule", hasUntil ? "count" : "untilDate"]);
  if (hasUntil && schedule.untilDate! < schedule.startDate) throw new InputError("INVERTED_DATES", ["schedule", "untilDate"]);
  if (hasCount && (!Number.isInteger(schedule.count) || schedule.count! < 1 || schedule.count! > MAX_OCCURRENCES)) {
    throw new InputError("INVALID_RANGE", ["schedule", "count"], { min: 1, max: MAX_OCCURRENCES });
  }
}

/** Expands a schedule into its occurrences, in order. Refuses a schedule that yields none. */
export function expandSchedule(schedule: Schedule, zone = ZONE): Occurrence[] {
  validateSchedule(schedule);
  if (schedule.kind === "ONE_OFF") return [occurrenceAt(schedule.date, schedule.startMinute, schedule.durationMinutes, zone)];

  const weekdays = new Set(schedule.weekdays);
  const cancelled = new Set(schedule.cancelledDates ?? []);
  const dates: string[] = [];
  let generated = 0;
  for (let date = schedule.startDate, steps = 0; steps < 7 * 52 * 10; date = addDays(date, 1), steps += 1) {
    if (schedule.untilDate && date > schedule.untilDate) break;
    if (schedule.count && generated >= schedule.count) break;
    if (!weekdays.has(weekdayOf(date)) || weeksBetween(schedule.startDate, date) % schedule.intervalWeeks !== 0) continue;
    generated += 1;
    if (generated > MAX_OCCURRENCES) throw new InputError("INVALID_RANGE", ["schedule", "untilDate"], { max: MAX_OCCURRENCES });
    if (!cancelled.has(date)) dates.push(date);
  }
  if (dates.length === 0) throw new InputError("RECURRENCE_EMPTY", ["schedule"]);
  return dates.map((date) => occurrenceAt(date, schedule.startMinute, schedule.durationMinutes, zone));
}
