import { describe, expect, it } from "vitest";
import { occurrenceIsOver, offerIsOpen, responseDeadline } from "./offers.model";

const now = new Date("2027-01-04T10:00:00Z");
const later = new Date("2027-01-04T11:00:00Z");

describe("occurrenceIsOver", () => {
  it("is over once cancelled, done or begun, and not before", () => {
    expect(occurrenceIsOver({ status: "OPEN", startsAt: later }, now)).toBe(false);
    expect(occurrenceIsOver({ status: "FILLED", startsAt: later }, now)).toBe(false);
    expect(occurrenceIsOver({ status: "CANCELLED", startsAt: later }, now)).toBe(true);
    expect(occurrenceIsOver({ status: "DONE", startsAt: later }, now)).toBe(true);
    expect(occurrenceIsOver({ status: "OPEN", startsAt: now }, now)).toBe(true);
  });
});

describe("offerIsOpen", () => {
  it("is open while offered and before its deadline", () => {
    expect(offerIsOpen({ status: "OFFERED", deadline: later }, now)).toBe(true);
    expect(offerIsOpen({ status: "OFFERED", deadline: now }, now)).toBe(false);
    expect(offerIsOpen({ status: "ACCEPTED", deadline: later }, now)).toBe(false);
    expect(offerIsOpen({ status: "WITHDRAWN", deadline: later }, now)).toBe(false);
  });
});

describe("responseDeadline", () => {
  it("gives the response time, cut short by the occurrence's start", () => {
    const now = new Date("2026-12-01T09:00:00Z");
    expect(responseDeadline(now, new Date("2026-12-10T09:00:00Z"), 48 * 3_600_000).toISOString()).toBe("2026-12-03T09:00:00.000Z");
    expect(responseDeadline(now, new Date("2026-12-02T08:00:00Z"), 48 * 3_600_000).toISOString()).toBe("2026-12-02T08:00:00.000Z");
  });
});
