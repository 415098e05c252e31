// Wall-clock helpers on luxon for the programme's zone. Pure.
import { DateTime } from "luxon";
import { InputError } from "../errors";

export const ZONE = "Europe/Rome";
const MINUTE = 60_000;

/** "HH:mm" (00:00 to 24:00) to minutes after midnight. */
export function parseLocalTime(text: string, field: string[] = []): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!match) throw new InputError("INVALID_TIME", field, { value: text });
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (minutes > 24 * 60) throw new InputError("INVALID_TIME", field, { value: text });
  return minutes;
}

export function formatLocalTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** Validates an ISO calendar date (YYYY-MM-DD) and returns it. */
export function parseIsoDate(text: string, field: string[] = []): string {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text, { zone: "UTC" }) : null;
  if (!parsed?.isValid) throw new InputError("INVALID_DATE", field, { value: text });
  return text;
}

/**
 * Validates a period [from, to) of ISO dates: both valid, `to` after `from`, and at most
 * `maxDays` long when given (PERIOD_TOO_LONG).
 */
export function checkDateRange(from: string, to: string, maxDays?: number): void {
  parseIsoDate(from, ["from"]);
  parseIsoDate(to, ["to"]);
  if (to <= from) throw new InputError("INVERTED_DATES", ["to"]);
  if (maxDays !== undefined && addDays(from, maxDays) < to) throw new InputError("PERIOD_TOO_LONG", ["to"], { maxDays });
}

/** ISO weekday (1 = Monday) of a calendar date. */
export function weekdayOf(isoDate: string): number {
  // Calendar arithmetic on a date alone needs no zone: plain UTC dates, without luxon (the
  // matching calls these per citizen and day).
  return ((new Date(utcMidnight(isoDate)).getUTCDay() + 6) % 7) + 1;
}

export function addDays(isoDate: string, days: number): string {
  return new Date(utcMidnight(isoDate) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Epoch milliseconds of a valid ISO date's midnight in UTC (the caller has validated the date). */
function utcMidnight(isoDate: string): number {
  const ms = Date.parse(isoDate);
  if (Number.isNaN(ms) || isoDate.length !== 10) throw new RangeError(`not an ISO date: ${isoDate}`);
  return ms;
}

/** Monday of the ISO week a date falls in. */
export function mondayOf(isoDate: string): string {
  return addDays(isoDate, 1 - weekdayOf(isoDate));
}

/** Rule: a week runs from its Monday's local midnight to the next Monday's (167, 168 or 169 hours across a clock change). */
export function localWeekBounds(localDate: string, zone = ZONE): { start: Date; end: Date } {
  const monday = mondayOf(localDate);
  const start = instantsOfLocalRange(monday, 0, 24 * 60, zone)[0]!.start;
  const end = instantsOfLocalRange(addDays(monday, 7), 0, 24 * 60, zone)[0]!.start;
  return { start: new Date(start), end: new Date(end) };
}

/** Offsets per zone and quarter hour of UTC, bounded (zone offsets only change on quarter hours). */
const offsetCache = new Map<string, number>();
const QUARTER_HOUR = 15 * MINUTE;

/** The zone's offset from UTC in minutes at an instant. */
export function zoneOffsetMinutes(instant: number, zone = ZONE): number {
  const key = `${zone}|${Math.floor(instant / QUARTER_HOUR)}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    if (offsetCache.size >= 50_000) offsetCache.clear();
    offsetCache.set(key, (offset = DateTime.fromMillis(instant, { zone }).offset));
  }
  return offset;
}

/**
 * An instant as ISO 8601 in the zone's local time with its offset, as luxon's toISO() writes it
 * ("2026-12-07T10:00:00.000+01:00"): every DateTime the API answers goes through this.
 */
export function formatInstant(instant: number, zone = ZONE): string {
  const offset = zoneOffsetMinutes(instant, zone);
  const local = new Date(instant + offset * MINUTE).toISOString().slice(0, -1);
  const magnitude = Math.abs(offset);
  if (zone === "UTC") return `${local}Z`;
  return `${local}${offset < 0 ? "-" : "+"}${String(Math.floor(magnitude / 60)).padStart(2, "0")}:${String(magnitude % 60).padStart(2, "0")}`;
}

/** The local calendar date of an instant. */
export function localDateOf(instant: number, zone = ZONE): string {
  return DateTime.fromMillis(instant, { zone }).toISODate()!;
}

/** The local wall-clock minute of the day (0-1439) of an instant. */
export function localMinuteOf(instant: number, zone = ZONE): number {
  const local = DateTime.fromMillis(instant, { zone });
  return local.hour * 60 + local.minute;
}

/**
 * Milliseconds from `now` to the next `hour`:00 local time, on any day or on the given ISO
 * weekday (1 = Monday): wall-clock time, so the hour stays the same across daylight saving.
 */
export function untilNextLocalHour(now: Date, hour: number, weekday?: number, zone = ZONE): number {
  const local = DateTime.fromJSDate(now, { zone });
  let next = local.set({ hour, minute: 0, second: 0, millisecond: 0 });
  while (next <= local || (weekday !== undefined && next.weekday !== weekday))
    next = next.plus({ days: 1 }).set({ hour, minute: 0, second: 0, millisecond: 0 });
  return next.toMillis() - now.getTime();
}

/** Whether a wall-clock time exists on a date (it does not inside the spring-forward gap). */
export function localTimeExists(isoDate: string, minutes: number, zone = ZONE): boolean {
  if (minutes >= 24 * 60) return true;
  const [year, month, day] = isoDate.split("-").map(Number) as [number, number, number];
  const hour = Math.floor(minutes / 60);
  const minute = minutes % 60;
  const dt = DateTime.fromObject({ year, month, day, hour, minute }, { zone });
  return dt.hour === hour && dt.minute === minute && dt.day === day;
}

export interface Interval {
  /** Epoch milliseconds, inclusive. */
  start: number;
  /** Epoch milliseconds, exclusive. */
  end: number;
}

type OffsetSegment = Readonly<{ start: number; end: number; offsetMinutes: number }>;
/** Computed segments per zone and date, bounded: they never change, and luxon is slow to ask. */
const segmentCache = new Map<string, readonly OffsetSegment[]>();
const SEGMENT_CACHE_SIZE = 20_000;

/** Pieces of a local day with one UTC offset each: one piece, or two on a DST change day. */
function offsetSegments(isoDate: string, zone: string): readonly OffsetSegment[] {
  const key = `${zone}|${isoDate}`;
  let segments = segmentCache.get(key);
  if (!segments) {
    if (segmentCache.size >= SEGMENT_CACHE_SIZE) segmentCache.clear();
    segmentCache.set(key, (segments = Object.freeze(computeOffsetSegments(isoDate, zone))));
  }
  return segments;
}

function computeOffsetSegments(isoDate: string, zone: string): OffsetSegment[] {
  const dayStart = DateTime.fromISO(isoDate, { zone }).startOf("day");
  const dayEnd = dayStart.plus({ days: 1 }).startOf("day");
  const startMs = dayStart.toMillis();
  const endMs = dayEnd.toMillis();
  const first = dayStart.offset;
  const last = DateTime.fromMillis(endMs - 1, { zone }).offset;
  if (first === last) return [{ start: startMs, end: endMs, offsetMinutes: first }];
  // Find the first instant (to the minute) at the new offset.
  let lo = startMs;
  let hi = endMs - 1;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (DateTime.fromMillis(mid, { zone }).offset === first) lo = mid;
    else hi = mid;
  }
  const change = Math.ceil(hi / MINUTE) * MINUTE;
  return [
    { start: startMs, end: change, offsetMinutes: first },
    { start: change, end: endMs, offsetMinutes: last },
  ];
}

/**
 * The instants whose wall-clock time on `isoDate` lies in [startMinute, endMinute).
 * On the spring-forward day the missing hour maps to nothing (a 02:30-04:00 range covers
 * 03:00-04:00); on the fall-back day the repeated hour maps to both of its instants.
 */
export function instantsOfLocalRange(isoDate: string, startMinute: number, endMinute: number, zone = ZONE): Interval[] {
  const wallMidnight = utcMidnight(isoDate);
  const pieces: Interval[] = [];
  for (const segment of offsetSegments(isoDate, zone)) {
    const start = Math.max(segment.start, wallMidnight + (startMinute - segment.offsetMinutes) * MINUTE);
    const end = Math.min(segment.end, wallMidnight + (endMinute - segment.offsetMinutes) * MINUTE);
    if (start < end) pieces.push({ start, end });
  }
  return mergeIntervals(pieces);
}

/** Sorts and merges touching or overlapping intervals. */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}
