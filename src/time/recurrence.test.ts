import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { InputError } from "../errors";
import { expandSchedule, localStart, type Schedule } from "./recurrence";

const rome = (ms: number) => DateTime.fromMillis(ms, { zone: "Europe/Rome" }).toISO();
const code = (fn: () => unknown) => {
  try {
    fn();
    return "none";
  } catch (error) {
    return (error as InputError).code;
  }
};

const weekly = (overrides: Partial<Extract<Schedule, { kind: "WEEKLY" }>> = {}): Schedule => ({
  kind: "WEEKLY",
  startDate: "2026-03-16",
  weekdays: [2, 4],
  startMinute: 16 * 60,
  durationMinutes: 90,
  intervalWeeks: 1,
  untilDate: "2026-04-05",
  ...overrides,
});

describe("schedules", () => {
  it("keeps 16:00 wall-clock across the spring-forward change", () => {
    const occurrences = expandSchedule(weekly());
    expect(occurrences.map((o) => rome(o.start))).toEqual([
      "2026-03-17T16:00:00.000+01:00",
      "2026-03-19T16:00:00.000+01:00",
      "2026-03-24T16:00:00.000+01:00",
      "2026-03-26T16:00:00.000+01:00",
      "2026-03-31T16:00:00.000+02:00",
      "2026-04-02T16:00:00.000+02:00",
    ]);
    expect(occurrences.every((o) => o.end - o.start === 90 * 60_000)).toBe(true);
  });

  it("keeps wall-clock across the fall-back change", () => {
    const occurrences = expandSchedule(weekly({ startDate: "2026-10-19", untilDate: "2026-10-29", weekdays: [1], startMinute: 9 * 60 }));
    expect(occurrences.map((o) => rome(o.start))).toEqual(["2026-10-19T09:00:00.000+02:00", "2026-10-26T09:00:00.000+01:00"]);
  });

  it("reads a start inside the spring-forward gap with the offset before it, and the repeated hour as its first occurrence", () => {
    expect(rome(localStart("2026-03-29", 150))).toBe("2026-03-29T03:30:00.000+02:00");
    expect(new Date(localStart("2026-10-25", 150)).toISOString()).toBe("2026-10-25T00:30:00.000Z");
  });

  it("repeats every N weeks counted from the first week, for N times, without cancelled dates", () => {
    const occurrences = expandSchedule(weekly({ weekdays: [3], intervalWeeks: 2, untilDate: null, count: 4, cancelledDates: ["2026-04-01"] }));
    expect(occurrences.map((o) => o.localDate)).toEqual(["2026-03-18", "2026-04-15", "2026-04-29"]);
  });

  it("expands a one-off task to one occurrence", () => {
    expect(expandSchedule({ kind: "ONE_OFF", date: "2026-12-03", startMinute: 10 * 60, durationMinutes: 60 }).map((o) => rome(o.start))).toEqual([
      "2026-12-03T10:00:00.000+01:00",
    ]);
  });

  it("refuses schedules that yield nothing or make no sense", () => {
    expect(code(() => expandSchedule(weekly({ weekdays: [7], untilDate: "2026-03-21" })))).toBe("RECURRENCE_EMPTY");
    expect(code(() => expandSchedule(weekly({ count: 1, untilDate: null, weekdays: [2], cancelledDates: ["2026-03-17"] })))).toBe("RECURRENCE_EMPTY");
    expect(code(() => expandSchedule(weekly({ untilDate: "2026-03-01" })))).toBe("INVERTED_DATES");
    expect(code(() => expandSchedule(weekly({ count: 3 })))).toBe("INVALID_INPUT");
    expect(code(() => expandSchedule(weekly({ untilDate: null })))).toBe("INVALID_INPUT");
    expect(code(() => expandSchedule(weekly({ intervalWeeks: 0 })))).toBe("INVALID_RANGE");
    expect(code(() => expandSchedule(weekly({ durationMinutes: 0 })))).toBe("INVALID_RANGE");
    expect(code(() => expandSchedule(weekly({ weekdays: [] })))).toBe("INVALID_INPUT");
    expect(code(() => expandSchedule(weekly({ untilDate: "2036-01-01", weekdays: [1, 2, 3, 4, 5] })))).toBe("INVALID_RANGE");
  });
});
