import { describe, expect, it } from "vitest";
import { ConflictError, InputError } from "../errors";
import { assertPactTransition, datesOverlap, PACT_TRANSITIONS, type PactStatus } from "./pacts.model";

const ALL = Object.keys(PACT_TRANSITIONS) as PactStatus[];

describe("pact lifecycle", () => {
  it("allows exactly the listed transitions", () => {
    for (const from of ALL) {
      for (const to of ALL) {
        const attempt = () => assertPactTransition(from, to, "because", "2026-12-31", to === "EXPIRED" ? "2027-01-01" : "2026-06-01");
        if (PACT_TRANSITIONS[from].includes(to)) expect(attempt, `${from}->${to}`).not.toThrow();
        else expect(attempt, `${from}->${to}`).toThrow(ConflictError);
      }
    }
  });

  it("needs a reason to suspend or revoke, and expires only after the end date", () => {
    expect(() => assertPactTransition("ACTIVE", "SUSPENDED", "", "2026-12-31", "2026-06-01")).toThrow(InputError);
    expect(() => assertPactTransition("ACTIVE", "REVOKED", null, "2026-12-31", "2026-06-01")).toThrow(InputError);
    expect(() => assertPactTransition("ACTIVE", "EXPIRED", null, "2026-12-31", "2026-12-31")).toThrow(ConflictError);
    expect(() => assertPactTransition("UNDER_REVIEW", "ACTIVE", null, "2026-12-31", "2027-01-02")).toThrow(ConflictError);
  });

  it("detects overlapping date ranges, the boundary day included", () => {
    expect(datesOverlap({ startDate: "2026-01-01", endDate: "2026-06-30" }, { startDate: "2026-06-30", endDate: "2026-12-31" })).toBe(true);
    expect(datesOverlap({ startDate: "2026-01-01", endDate: "2026-06-30" }, { startDate: "2026-07-01", endDate: "2026-12-31" })).toBe(false);
  });
});
