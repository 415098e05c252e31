import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { addDays, formatInstant, instantsOfLocalRange, localWeekBounds, mondayOf, weekdayOf } from "./local-time";

describe("calendar arithmetic on dates", () => {
  it("adds days across month, year, leap-day and daylight-saving boundaries", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-03-01", -1)).toBe("2027-02-28");
    // The Sunday clocks go forward in Rome is still one calendar day.
    expect(addDays("2026-03-28", 2)).toBe("2026-03-30");
    expect(addDays("2026-10-24", 7)).toBe("2026-10-31");
  });

  it("gives ISO weekdays and Mondays", () => {
    expect(weekdayOf("2026-11-30")).toBe(1);
    expect(weekdayOf("2026-12-06")).toBe(7);
    expect(mondayOf("2026-12-06")).toBe("2026-11-30");
    expect(mondayOf("2027-01-01")).toBe("2026-12-28");
  });

  it("bounds a local week from Monday's midnight to the next, 167 or 169 hours across a clock change", () => {
    const hours = (w: { start: Date; end: Date }) => (w.end.getTime() - w.start.getTime()) / 3_600_000;
    const plain = localWeekBounds("2026-12-03");
    expect(plain.start.toISOString()).toBe("2026-11-29T23:00:00.000Z");
    expect(hours(plain)).toBe(168);
    expect(hours(localWeekBounds("2027-03-28"))).toBe(167);
    expect(hours(localWeekBounds("2027-10-31"))).toBe(169);
    expect(localWeekBounds("2026-11-30")).toEqual(localWeekBounds("2026-12-06"));
  });

  it("refuses what is not an ISO date rather than computing with it", () => {
    expect(() => addDays("30/11/2026", 1)).toThrow(RangeError);
    expect(() => weekdayOf("2026-11-30T10:00")).toThrow(RangeError);
  });

  it("maps a local range on daylight-saving days the same when asked again (cached offsets)", () => {
    const first = instantsOfLocalRange("2026-03-29", 60, 240);
    const again = instantsOfLocalRange("2026-03-29", 60, 240);
    expect(again).toEqual(first);
    // 01:00-04:00 local on spring-forward day lasts two real hours.
    expect(first.reduce((sum, i) => sum + i.end - i.start, 0)).toBe(2 * 3_600_000);
    const fallBack = instantsOfLocalRange("2026-10-25", 60, 240);
    expect(fallBack.reduce((sum, i) => sum + i.end - i.start, 0)).toBe(4 * 3_600_000);
  });
});

describe("formatting instants in local time", () => {
  it("writes what luxon writes, every 7 minutes across both daylight-saving changes of 2026 and in other zones", () => {
    const zones = ["Europe/Rome", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe", "Europe/London", "UTC"];
    for (const zone of zones) {
      for (const [from, to] of [
        ["2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z"],
        ["2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z"],
        ["2026-04-04T00:00:00Z", "2026-04-06T00:00:00Z"],
      ] as const) {
        for (let t = Date.parse(from); t < Date.parse(to); t += 7 * 60_000 + 1_234) {
          expect(formatInstant(t, zone), `${zone} ${new Date(t).toISOString()}`).toBe(DateTime.fromMillis(t, { zone }).toISO());
        }
      }
    }
  });
});
