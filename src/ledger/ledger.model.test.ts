import { describe, expect, it } from "vitest";
import { commitmentHours, mustHaveSeatLeft, sumHours, type LedgerLine } from "./ledger.model";

const c = { id: "c1", status: "ACTIVE" as const, plannedMinutes: 90 };
const line = (id: string, kind: LedgerLine["kind"], minutes: number, seq: number): LedgerLine => ({ id, kind, commitmentId: "c1", minutes, seq });

describe("hours ledger", () => {
  it("counts planned minutes until a decision, then the decided minutes", () => {
    expect(commitmentHours(c, [])).toEqual({ plannedMinutes: 90, pendingMinutes: 0, doneMinutes: 0, usedMinutes: 90 });
    expect(commitmentHours(c, [line("l1", "LOGGED", 100, 1)])).toEqual({ plannedMinutes: 90, pendingMinutes: 100, doneMinutes: 0, usedMinutes: 90 });
    expect(commitmentHours(c, [line("l1", "LOGGED", 100, 1), line("d1", "CONFIRMED", 100, 2)])).toEqual({
      plannedMinutes: 90,
      pendingMinutes: 0,
      doneMinutes: 100,
      usedMinutes: 100,
    });
  });

  it("keeps every line: a correction supersedes, a new log after a decision is pending again", () => {
    const lines = [line("l1", "LOGGED", 100, 1), line("d1", "CONFIRMED", 100, 2), line("d2", "CORRECTED", 75, 3)];
    expect(commitmentHours(c, lines).doneMinutes).toBe(75);
    expect(commitmentHours(c, [...lines, line("l2", "LOGGED", 80, 4)])).toMatchObject({ doneMinutes: 75, pendingMinutes: 80 });
  });

  it("drops planned minutes of withdrawn commitments but keeps hours already decided", () => {
    expect(commitmentHours({ ...c, status: "WITHDRAWN" }, [])).toEqual({ plannedMinutes: 0, pendingMinutes: 0, doneMinutes: 0, usedMinutes: 0 });
    expect(sumHours([commitmentHours(c, []), commitmentHours({ ...c, id: "c2" }, [])])).toMatchObject({ plannedMinutes: 180, usedMinutes: 180 });
  });
});

describe("mustHaveSeatLeft", () => {
  it("lets a commitment take a free seat and refuses one over the headcount", () => {
    expect(() => mustHaveSeatLeft(0, 1)).not.toThrow();
    expect(() => mustHaveSeatLeft(2, 3)).not.toThrow();
    expect(() => mustHaveSeatLeft(1, 1)).toThrow(expect.objectContaining({ code: "HEADCOUNT_REACHED" }));
    expect(() => mustHaveSeatLeft(4, 3)).toThrow(expect.objectContaining({ code: "HEADCOUNT_REACHED" }));
  });
});
