// A citizen's availability: weekly wall-clock windows in Europe/Rome plus dated exceptions.
// Pure: answers "available over [start, end)?" and "free intervals in a week".
//
// Daylight saving: weekly windows keep their wall-clock times. On the spring-forward Sunday
// the part of a window inside the missing hour (02:00-03:00) does not exist and is dropped, so
// a 02:30-04:00 window covers 03:00-04:00 that day. On the fall-back Sunday a window over
// 02:00-03:00 covers both occurrences of that hour. A dated exception whose start or end time
// falls inside the missing hour on one of its dates is rejected (NONEXISTENT_LOCAL_TIME).
import { InputError } from "../errors";
import { addDays, instantsOfLocalRange, localDateOf, localTimeExists, mergeIntervals, weekdayOf, ZONE, type Interval } from "./local-time";

export interface WeeklyWindow {
  /** ISO weekday, 1 = Monday ... 7 = Sunday. */
  weekday: number;
  startMinute: number;
  endMinute: number;
}

export interface DatedException {
  kind: "UNAVAILABLE" | "AVAILABLE";
  /** ISO dates, both inclusive. */
  fromDate: string;
  toDate: string;
  /** Local minutes on each date of the range; null/undefined for the whole day. */
  startMinute?: number | null;
  endMinute?: number | null;
}

export interface Availability {
  windows: WeeklyWindow[];
  exceptions: DatedException[];
}

type MinuteRange = [number, number];

const DAY_MINUTES = 24 * 60;
/** Longest exception range accepted, so that a typo (year 2206) cannot create a huge loop. */
export const MAX_EXCEPTION_DAYS = 366;

function subtractRange(ranges: MinuteRange[], [cutStart, cutEnd]: MinuteRange): MinuteRange[] {
  const out: MinuteRange[] = [];
  for (const [s, e] of ranges) {
    if (cutEnd <= s || cutStart >= e) out.push([s, e]);
    else {
      if (s < cutStart) out.push([s, cutStart]);
      if (cutEnd < e) out.push([cutEnd, e]);
    }
  }
  return out;
}

function mergeRanges(ranges: MinuteRange[]): MinuteRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: MinuteRange[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Local minute ranges available on a date: weekly windows and extra availability, minus unavailability. */
export function localRangesOn(availability: Availability, isoDate: string): MinuteRange[] {
  const weekday = weekdayOf(isoDate);
  let ranges: MinuteRange[] = availability.windows.filter((w) => w.weekday === weekday).map((w) => [w.startMinute, w.endMinute]);
  const applying = availability.exceptions.filter((x) => x.fromDate <= isoDate && isoDate <= x.toDate);
  for (const extra of applying.filter((x) => x.kind === "AVAILABLE")) {
    ranges.push([extra.startMinute ?? 0, extra.endMinute ?? DAY_MINUTES]);
  }
  ranges = mergeRanges(ranges);
  for (const off of applying.filter((x) => x.kind === "UNAVAILABLE")) {
    ranges = subtractRange(ranges, [off.startMinute ?? 0, off.endMinute ?? DAY_MINUTES]);
  }
  return ranges;
}

/** The instants in [from, to) at which the citizen is available, merged. */
export function availableIntervals(availability: Availability, from: number, to: number, zone = ZONE): Interval[] {
  if (to <= from) return [];
  const pieces: Interval[] = [];
  const lastDate = localDateOf(to - 1, zone);
  for (let date = localDateOf(from, zone); date <= lastDate; date = addDays(date, 1)) {
    for (const [s, e] of localRangesOn(availability, date)) {
      for (const piece of instantsOfLocalRange(date, s, e, zone)) {
        const start = Math.max(piece.start, from);
        const end = Math.min(piece.end, to);
        if (start < end) pieces.push({ start, end });
      }
    }
  }
  return mergeIntervals(pieces);
}

/** Whether the citizen is available over the whole of [start, end). */
export function isAvailable(availability: Availability, start: number, end: number, zone = ZONE): boolean {
  if (end <= start) return false;
  // The free intervals of the days around `start` are computed once per availability and reused:
  // the matching asks this for every citizen against every occurrence of the week, and the
  // calendar arithmetic dominated compiling a territory's week. [start, end) is free exactly when
  // one merged free interval around it contains it.
  const day = Math.floor(start / DAY_MS);
  const from = (day - 1) * DAY_MS;
  const to = (day + 2) * DAY_MS;
  if (end > to) {
    const intervals = availableIntervals(availability, start, end, zone);
    return intervals.length === 1 && intervals[0]!.start === start && intervals[0]!.end === end;
  }
  let zones = freeDays.get(availability);
  if (!zones) freeDays.set(availability, (zones = new Map()));
  let days = zones.get(zone);
  if (!days) zones.set(zone, (days = new Map()));
  let intervals = days.get(day);
  if (!intervals) days.set(day, (intervals = availableIntervals(availability, from, to, zone)));
  return intervals.some((i) => i.start <= start && end <= i.end);
}

const DAY_MS = 86_400_000;
/** Free intervals per availability (treated as immutable, as every caller builds it), zone and UTC day. */
const freeDays = new WeakMap<Availability, Map<string, Map<number, Interval[]>>>();

/** Free intervals over the seven local days starting at `weekStart` (an ISO date). */
export function freeIntervalsInWeek(availability: Availability, weekStart: string, zone = ZONE): Interval[] {
  const from = instantsOfLocalRange(weekStart, 0, DAY_MINUTES, zone)[0]!.start;
  const lastDay = instantsOfLocalRange(addDays(weekStart, 6), 0, DAY_MINUTES, zone);
  return availableIntervals(availability, from, lastDay[lastDay.length - 1]!.end, zone);
}

// --- validation -----------------------------------------------------------------------------

/** Rejects inverted, out-of-range and overlapping weekly windows. */
export function validateWindows(windows: WeeklyWindow[], path = "windows"): void {
  windows.forEach((w, i) => {
    if (!Number.isInteger(w.weekday) || w.weekday < 1 || w.weekday > 7) throw new InputError("INVALID_INPUT", [path, String(i), "weekday"]);
    if (w.startMinute < 0 || w.endMinute > DAY_MINUTES) throw new InputError("INVALID_TIME", [path, String(i)]);
    if (w.endMinute <= w.startMinute) throw new InputError("INVERTED_WINDOW", [path, String(i)]);
  });
  const byDay = [...windows.entries()].sort(([, a], [, b]) => a.weekday - b.weekday || a.startMinute - b.startMinute);
  for (let k = 1; k < byDay.length; k += 1) {
    const [, previous] = byDay[k - 1]!;
    const [index, current] = byDay[k]!;
    if (previous.weekday === current.weekday && current.startMinute < previous.endMinute) {
      throw new InputError("OVERLAPPING_WINDOWS", [path, String(index)]);
    }
  }
}

/** Rejects inverted dates, half-given times, extra availability without times, and times that do not exist. */
export function validateExceptions(exceptions: DatedException[], zone = ZONE, path = "exceptions"): void {
  exceptions.forEach((x, i) => {
    const field = [path, String(i)];
    if (x.toDate < x.fromDate) throw new InputError("INVERTED_DATES", field);
    const days = (Date.parse(x.toDate) - Date.parse(x.fromDate)) / 86_400_000;
    if (days >= MAX_EXCEPTION_DAYS) throw new InputError("INVALID_RANGE", field, { max: MAX_EXCEPTION_DAYS });
    const hasStart = x.startMinute !== null && x.startMinute !== undefined;
    const hasEnd = x.endMinute !== null && x.endMinute !== undefined;
    if (hasStart !== hasEnd) throw new InputError("TIMES_REQUIRED", field);
    if (x.kind === "AVAILABLE" && !hasStart) throw new InputError("TIMES_REQUIRED", field);
    if (hasStart && hasEnd) {
      if (x.startMinute! < 0 || x.endMinute! > DAY_MINUTES) throw new InputError("INVALID_TIME", field);
      if (x.endMinute! <= x.startMinute!) throw new InputError("INVERTED_WINDOW", field);
      for (let date = x.fromDate; date <= x.toDate; date = addDays(date, 1)) {
        if (!localTimeExists(date, x.startMinute!, zone) || !localTimeExists(date, x.endMinute!, zone)) {
          throw new InputError("NONEXISTENT_LOCAL_TIME", field, { date });
        }
      }
    }
  });
}
