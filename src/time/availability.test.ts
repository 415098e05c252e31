import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { InputError } from "../errors";
import { availableIntervals, freeIntervalsInWeek, isAvailable, validateExceptions, validateWindows, type Availability } from "./availability";
import { instantsOfLocalRange, localTimeExists, parseLocalTime } from "./local-time";

const rome = (iso: string) => DateTime.fromISO(iso, { zone: "Europe/Rome" }).toMillis();
const utc = (iso: string) => DateTime.fromISO(iso, { zone: "UTC" }).toMillis();
const hours = (ms: number) => ms / 3_600_000;
const code = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return (error as InputError).code;
  }
  return "none";
};

// Tuesday 16:00-19:00 and Sunday 01:00-04:00, every week.
const weekly: Availability = {
  windows: [
    { weekday: 2, startMinute: 16 * 60, endMinute: 19 * 60 },
    { weekday: 7, startMinute: 60, endMinute: 4 * 60 },
  ],
  exceptions: [],
};

describe("weekly windows", () => {
  it("covers an occurrence inside a window and not one that overflows it", () => {
    expect(isAvailable(weekly, rome("2026-11-24T16:00"), rome("2026-11-24T19:00"))).toBe(true);
    expect(isAvailable(weekly, rome("2026-11-24T17:00"), rome("2026-11-24T18:30"))).toBe(true);
    expect(isAvailable(weekly, rome("2026-11-24T18:00"), rome("2026-11-24T19:30"))).toBe(false);
    expect(isAvailable(weekly, rome("2026-11-25T16:00"), rome("2026-11-25T17:00"))).toBe(false);
  });

  it("keeps wall-clock times across daylight saving: 16:00 is 15:00 UTC in winter and 14:00 UTC in summer", () => {
    expect(isAvailable(weekly, utc("2026-01-13T15:00"), utc("2026-01-13T18:00"))).toBe(true);
    expect(isAvailable(weekly, utc("2026-07-14T14:00"), utc("2026-07-14T17:00"))).toBe(true);
    expect(isAvailable(weekly, utc("2026-07-14T15:00"), utc("2026-07-14T18:00"))).toBe(false);
  });

  it("drops the missing hour on the spring-forward Sunday (last Sunday of March)", () => {
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST. The 01:00-04:00 window lasts two real hours.
    const [piece, ...rest] = availableIntervals(weekly, rome("2026-03-29T00:00"), rome("2026-03-30T00:00"));
    expect(rest).toHaveLength(0);
    expect(piece).toEqual({ start: utc("2026-03-29T00:00"), end: utc("2026-03-29T02:00") });
    expect(hours(piece!.end - piece!.start)).toBe(2);
    // A window starting inside the gap is shifted to the end of the gap.
    const pieces = instantsOfLocalRange("2026-03-29", 150, 240);
    expect(pieces).toEqual([{ start: utc("2026-03-29T01:00"), end: utc("2026-03-29T02:00") }]);
  });

  it("covers both occurrences of the repeated hour on the fall-back Sunday (last Sunday of October)", () => {
    // 2026-10-25: 03:00 CEST falls back to 02:00 CET. The 01:00-04:00 window lasts four real hours.
    const [piece, ...rest] = availableIntervals(weekly, rome("2026-10-25T00:00"), rome("2026-10-26T00:00"));
    expect(rest).toHaveLength(0);
    expect(piece).toEqual({ start: utc("2026-10-24T23:00"), end: utc("2026-10-25T03:00") });
    expect(hours(piece!.end - piece!.start)).toBe(4);
    // 02:30 CET (after the change) is inside the window as well as 02:30 CEST.
    expect(isAvailable(weekly, utc("2026-10-25T00:30"), utc("2026-10-25T01:30"))).toBe(true);
  });

  it("lists the free intervals of a week, each day's window once", () => {
    const free = freeIntervalsInWeek(weekly, "2026-11-23");
    expect(free).toEqual([
      { start: rome("2026-11-24T16:00"), end: rome("2026-11-24T19:00") },
      { start: rome("2026-11-29T01:00"), end: rome("2026-11-29T04:00") },
    ]);
  });

  it("lists a week spanning the spring-forward change with the right lengths", () => {
    const free = freeIntervalsInWeek(weekly, "2026-03-23");
    expect(free.map((i) => hours(i.end - i.start))).toEqual([3, 2]);
  });

  it("merges a window ending at midnight with the next day's window from midnight", () => {
    const nights: Availability = {
      windows: [
        { weekday: 1, startMinute: 22 * 60, endMinute: 24 * 60 },
        { weekday: 2, startMinute: 0, endMinute: 2 * 60 },
      ],
      exceptions: [],
    };
    expect(isAvailable(nights, rome("2026-11-23T23:00"), rome("2026-11-24T01:00"))).toBe(true);
  });
});

describe("dated exceptions", () => {
  it("makes a citizen unavailable over a range of days, whatever the weekly windows", () => {
    const holiday: Availability = { ...weekly, exceptions: [{ kind: "UNAVAILABLE", fromDate: "2026-08-03", toDate: "2026-08-17" }] };
    expect(isAvailable(holiday, rome("2026-08-04T16:00"), rome("2026-08-04T17:00"))).toBe(false);
    expect(isAvailable(holiday, rome("2026-08-18T16:00"), rome("2026-08-18T17:00"))).toBe(true);
    expect(isAvailable(holiday, rome("2026-07-28T16:00"), rome("2026-07-28T17:00"))).toBe(true);
  });

  it("adds extra availability on a date", () => {
    const extra: Availability = {
      ...weekly,
      exceptions: [{ kind: "AVAILABLE", fromDate: "2026-11-25", toDate: "2026-11-25", startMinute: 9 * 60, endMinute: 12 * 60 }],
    };
    expect(isAvailable(extra, rome("2026-11-25T09:00"), rome("2026-11-25T12:00"))).toBe(true);
    expect(isAvailable(extra, rome("2026-12-02T09:00"), rome("2026-12-02T12:00"))).toBe(false);
  });

  it("lets unavailability win over extra availability on the same date", () => {
    const both: Availability = {
      windows: [],
      exceptions: [
        { kind: "AVAILABLE", fromDate: "2026-11-25", toDate: "2026-11-25", startMinute: 9 * 60, endMinute: 12 * 60 },
        { kind: "UNAVAILABLE", fromDate: "2026-11-25", toDate: "2026-11-25", startMinute: 10 * 60, endMinute: 11 * 60 },
      ],
    };
    expect(availableIntervals(both, rome("2026-11-25T00:00"), rome("2026-11-26T00:00"))).toEqual([
      { start: rome("2026-11-25T09:00"), end: rome("2026-11-25T10:00") },
      { start: rome("2026-11-25T11:00"), end: rome("2026-11-25T12:00") },
    ]);
  });
});

describe("validation", () => {
  it("rejects inverted and overlapping windows", () => {
    expect(code(() => validateWindows([{ weekday: 2, startMinute: 600, endMinute: 540 }]))).toBe("INVERTED_WINDOW");
    expect(code(() => validateWindows([{ weekday: 2, startMinute: 600, endMinute: 600 }]))).toBe("INVERTED_WINDOW");
    expect(
      code(() =>
        validateWindows([
          { weekday: 2, startMinute: 600, endMinute: 720 },
          { weekday: 2, startMinute: 700, endMinute: 800 },
        ]),
      ),
    ).toBe("OVERLAPPING_WINDOWS");
    expect(
      code(() =>
        validateWindows([
          { weekday: 2, startMinute: 600, endMinute: 720 },
          { weekday: 3, startMinute: 700, endMinute: 800 },
          { weekday: 2, startMinute: 720, endMinute: 800 },
        ]),
      ),
    ).toBe("none");
    expect(code(() => validateWindows([{ weekday: 8, startMinute: 600, endMinute: 720 }]))).toBe("INVALID_INPUT");
  });

  it("rejects inverted dates, extra availability without times, and times in the spring-forward gap", () => {
    expect(code(() => validateExceptions([{ kind: "UNAVAILABLE", fromDate: "2026-08-17", toDate: "2026-08-03" }]))).toBe("INVERTED_DATES");
    expect(code(() => validateExceptions([{ kind: "AVAILABLE", fromDate: "2026-08-17", toDate: "2026-08-17" }]))).toBe("TIMES_REQUIRED");
    expect(code(() => validateExceptions([{ kind: "AVAILABLE", fromDate: "2026-03-29", toDate: "2026-03-29", startMinute: 150, endMinute: 300 }]))).toBe(
      "NONEXISTENT_LOCAL_TIME",
    );
    // The same times on the fall-back Sunday exist (twice) and are accepted.
    expect(code(() => validateExceptions([{ kind: "AVAILABLE", fromDate: "2026-10-25", toDate: "2026-10-25", startMinute: 150, endMinute: 300 }]))).toBe(
      "none",
    );
    expect(code(() => validateExceptions([{ kind: "UNAVAILABLE", fromDate: "2026-01-01", toDate: "2027-06-01" }]))).toBe("INVALID_RANGE");
  });

  it("parses local times and knows which ones do not exist", () => {
    expect(parseLocalTime("16:30")).toBe(990);
    expect(parseLocalTime("24:00")).toBe(1440);
    expect(code(() => parseLocalTime("24:30"))).toBe("INVALID_TIME");
    expect(code(() => parseLocalTime("7:5"))).toBe("INVALID_TIME");
    expect(localTimeExists("2026-03-29", 150)).toBe(false);
    expect(localTimeExists("2026-03-29", 180)).toBe(true);
    expect(localTimeExists("2026-10-25", 150)).toBe(true);
  });
});
