// One test per rule: a citizen eligible for an occurrence, then one thing broken at a time.
import { describe, expect, it } from "vitest";
import {
  ageOn,
  checkEligibility,
  mustBeOfAgeOn,
  mustStillStand,
  type EligibilityCitizen,
  type RegulatedContext,
  type EligibilityOccurrence,
  type ReasonCode,
} from "./eligibility.model";

const H = 3_600_000;
// Tuesday 2026-11-24, 16:00-17:30 in Rome (15:00Z).
const START = Date.parse("2026-11-24T15:00:00Z");

function citizen(overrides: Partial<EligibilityCitizen> = {}): EligibilityCitizen {
  return {
    id: "c1",
    status: "ENROLLED",
    birthDate: "1990-05-10",
    homeMunicipalityId: "grosseto",
    weeklyHourLimit: 6,
    maxTravelMinutes: 30,
    skills: [{ skillId: "homework", level: 2 }],
    languages: [
      { languageCode: "it", level: "NATIVE" },
      { languageCode: "ar", level: "B2" },
    ],
    availability: { windows: [{ weekday: 2, startMinute: 15 * 60, endMinute: 19 * 60 }], exceptions: [] },
    trainings: [
      { courseId: "basics", completedOn: "2026-01-10", expiresOn: null },
      { courseId: "safeguarding", completedOn: "2026-01-10", expiresOn: "2029-01-10" },
    ],
    criminalRecordChecks: [{ checkedOn: "2026-02-01", expiresOn: "2027-02-01" }],
    insurances: [{ validFrom: "2026-01-01", validTo: "2026-12-31" }],
    ...overrides,
  };
}

function occurrence(overrides: Partial<EligibilityOccurrence> = {}): EligibilityOccurrence {
  return {
    id: "o1",
    localDate: "2026-11-24",
    start: START,
    end: START + 1.5 * H,
    activityKind: "HOMEWORK_HELP",
    municipalityId: "follonica",
    requiredSkillId: "homework",
    minSkillLevel: 2,
    requiredLanguages: ["ar"],
    minLanguageLevel: "B1",
    involvesMinors: true,
    requiredCourseIds: [],
    ...overrides,
  };
}

const pact = {
  id: "p1",
  status: "ACTIVE",
  activityKinds: ["HOMEWORK_HELP"],
  municipalityIds: ["follonica", "grosseto"],
  startDate: "2026-01-01",
  endDate: "2026-12-31",
  budgetMinutes: 100 * 60,
  usedMinutes: 0,
  requiredCourseIds: [] as string[],
};

function context(overrides: Partial<RegulatedContext> = {}): RegulatedContext {
  return {
    regulation: {
      minimumAge: 18,
      maxWeeklyHours: 10,
      trainingByActivityKind: { HOMEWORK_HELP: ["basics"] },
      minorsCourseIds: ["safeguarding"],
      minorsRequireCriminalRecordCheck: true,
      travelCountsAsHours: false,
    },
    pacts: [pact],
    travelMinutes: (from, to) => (from === to ? 0 : from === "grosseto" && to === "follonica" ? 25 : 90),
    weekCommittedMinutes: 0,
    ...overrides,
  };
}

function codes(c = citizen(), o = occurrence(), x = context()): ReasonCode[] | "eligible" {
  const result = checkEligibility(c, o, x);
  return result.eligible ? "eligible" : result.reasons.map((r) => r.code);
}

describe("eligibility", () => {
  it("accepts the baseline, naming the pact and the hour load", () => {
    expect(checkEligibility(citizen(), occurrence(), context())).toEqual({ eligible: true, pactId: "p1", loadMinutes: 90, travelMinutes: 25 });
  });

  it("counts travel both ways towards hours where the regulation says so", () => {
    const result = checkEligibility(citizen(), occurrence(), context({ regulation: { ...context().regulation, travelCountsAsHours: true } }));
    expect(result).toMatchObject({ eligible: true, loadMinutes: 90 + 50 });
  });

  it("NOT_ENROLLED: applicants, suspended and withdrawn citizens", () => {
    for (const status of ["APPLICANT", "SUSPENDED", "WITHDRAWN"] as const) expect(codes(citizen({ status }))).toEqual(["NOT_ENROLLED"]);
  });

  it("UNDER_MINIMUM_AGE: counted on the date of the activity", () => {
    expect(codes(citizen({ birthDate: "2008-11-25" }))).toEqual(["UNDER_MINIMUM_AGE"]);
    expect(codes(citizen({ birthDate: "2008-11-24" }))).toBe("eligible");
  });

  it("MISSING_SKILL and SKILL_LEVEL_TOO_LOW", () => {
    expect(codes(citizen({ skills: [] }))).toEqual(["MISSING_SKILL"]);
    expect(codes(citizen({ skills: [{ skillId: "homework", level: 1 }] }))).toEqual(["SKILL_LEVEL_TOO_LOW"]);
  });

  it("MISSING_LANGUAGE: each required language at the minimum level", () => {
    expect(codes(citizen({ languages: [{ languageCode: "it", level: "NATIVE" }] }))).toEqual(["MISSING_LANGUAGE"]);
    expect(codes(citizen({ languages: [{ languageCode: "ar", level: "A2" }] }))).toEqual(["MISSING_LANGUAGE"]);
    expect(codes(citizen(), occurrence({ requiredLanguages: ["ar", "fr"] }))).toEqual(["MISSING_LANGUAGE"]);
  });

  it("NO_ACTIVE_PACT: no pact, or only pacts that are not active", () => {
    expect(codes(citizen(), occurrence(), context({ pacts: [] }))).toEqual(["NO_ACTIVE_PACT"]);
    expect(codes(citizen(), occurrence(), context({ pacts: [{ ...pact, status: "SUSPENDED" }] }))).toEqual(["NO_ACTIVE_PACT"]);
  });

  it("PACT_ACTIVITY_NOT_COVERED, PACT_MUNICIPALITY_NOT_COVERED, PACT_DATE_NOT_COVERED", () => {
    expect(codes(citizen(), occurrence(), context({ pacts: [{ ...pact, activityKinds: ["TRANSPORT"] }] }))).toEqual(["PACT_ACTIVITY_NOT_COVERED"]);
    expect(codes(citizen(), occurrence(), context({ pacts: [{ ...pact, municipalityIds: ["grosseto"] }] }))).toEqual(["PACT_MUNICIPALITY_NOT_COVERED"]);
    expect(codes(citizen(), occurrence(), context({ pacts: [{ ...pact, endDate: "2026-11-23" }] }))).toEqual(["PACT_DATE_NOT_COVERED"]);
    // A remote task needs no municipality in scope.
    expect(codes(citizen(), occurrence({ municipalityId: null }), context({ pacts: [{ ...pact, municipalityIds: [] }] }))).toBe("eligible");
  });

  it("uses another pact when the first does not cover, and reports the closest one otherwise", () => {
    const other = { ...pact, id: "p2", activityKinds: ["TRANSPORT"], endDate: "2026-06-30" };
    expect(checkEligibility(citizen(), occurrence(), context({ pacts: [other, pact] }))).toMatchObject({ eligible: true, pactId: "p1" });
    expect(codes(citizen(), occurrence(), context({ pacts: [other, { ...pact, municipalityIds: [] }] }))).toEqual(["PACT_MUNICIPALITY_NOT_COVERED"]);
  });

  it("PACT_BUDGET_EXHAUSTED: the remaining budget must hold the load", () => {
    expect(codes(citizen(), occurrence(), context({ pacts: [{ ...pact, usedMinutes: 100 * 60 - 89 }] }))).toEqual(["PACT_BUDGET_EXHAUSTED"]);
    expect(codes(citizen(), occurrence(), context({ pacts: [{ ...pact, usedMinutes: 100 * 60 - 90 }] }))).toBe("eligible");
  });

  it("WEEKLY_LIMIT_EXCEEDED: the citizen's own limit", () => {
    expect(codes(citizen(), occurrence(), context({ weekCommittedMinutes: 6 * 60 - 89 }))).toEqual(["WEEKLY_LIMIT_EXCEEDED"]);
    expect(codes(citizen(), occurrence(), context({ weekCommittedMinutes: 6 * 60 - 90 }))).toBe("eligible");
  });

  it("REGULATION_WEEKLY_LIMIT_EXCEEDED: the regulation's maximum, whatever the citizen offers", () => {
    expect(codes(citizen({ weeklyHourLimit: 40 }), occurrence(), context({ weekCommittedMinutes: 10 * 60 - 60 }))).toEqual([
      "REGULATION_WEEKLY_LIMIT_EXCEEDED",
    ]);
  });

  it("TRAINING_MISSING and TRAINING_EXPIRED: regulation, task, minors and pact courses, valid on the date", () => {
    expect(codes(citizen({ trainings: [{ courseId: "safeguarding", completedOn: "2026-01-10", expiresOn: null }] }))).toEqual(["TRAINING_MISSING"]);
    expect(
      codes(
        citizen({
          trainings: [
            { courseId: "basics", completedOn: "2026-01-10", expiresOn: null },
            { courseId: "safeguarding", completedOn: "2023-01-10", expiresOn: "2026-01-10" },
          ],
        }),
      ),
    ).toEqual(["TRAINING_EXPIRED"]);
    expect(codes(citizen(), occurrence({ requiredCourseIds: ["first-aid"] }))).toEqual(["TRAINING_MISSING"]);
    // Completed after the date does not count yet.
    expect(
      codes(
        citizen(),
        occurrence({
          requiredCourseIds: ["basics"],
          localDate: "2026-01-05",
          start: Date.parse("2026-01-05T15:00:00Z"),
          end: Date.parse("2026-01-05T16:30:00Z"),
        }),
      ),
    ).toContain("TRAINING_MISSING");
    expect(codes(citizen(), occurrence(), context({ pacts: [{ ...pact, requiredCourseIds: ["first-aid"] }] }))).toEqual(["TRAINING_MISSING"]);
  });

  it("CRIMINAL_RECORD_CHECK_MISSING and _EXPIRED: only for activities with minors, when the regulation asks", () => {
    expect(codes(citizen({ criminalRecordChecks: [] }))).toEqual(["CRIMINAL_RECORD_CHECK_MISSING"]);
    expect(codes(citizen({ criminalRecordChecks: [{ checkedOn: "2025-01-01", expiresOn: "2026-01-01" }] }))).toEqual(["CRIMINAL_RECORD_CHECK_EXPIRED"]);
    expect(codes(citizen({ criminalRecordChecks: [] }), occurrence({ involvesMinors: false }))).toBe("eligible");
    const lenient = context({ regulation: { ...context().regulation, minorsRequireCriminalRecordCheck: false } });
    expect(codes(citizen({ criminalRecordChecks: [] }), occurrence(), lenient)).toBe("eligible");
  });

  it("INSURANCE_NOT_VALID: a cover on the date of the activity", () => {
    expect(codes(citizen({ insurances: [{ validFrom: "2026-01-01", validTo: "2026-11-23" }] }))).toEqual(["INSURANCE_NOT_VALID"]);
  });

  it("NOT_AVAILABLE: over the whole occurrence", () => {
    expect(codes(citizen(), occurrence({ end: START + 4.5 * H }))).toEqual(["NOT_AVAILABLE"]);
  });

  it("TOO_FAR: beyond the citizen's travel limit, or no known route", () => {
    expect(codes(citizen({ maxTravelMinutes: 20 }))).toEqual(["TOO_FAR"]);
    expect(codes(citizen({ homeMunicipalityId: "nowhere" }), occurrence(), context({ travelMinutes: () => undefined }))).toEqual(["TOO_FAR"]);
  });

  it("lists every reason at once", () => {
    const result = checkEligibility(citizen({ status: "APPLICANT", skills: [], insurances: [], maxTravelMinutes: 0 }), occurrence(), context({ pacts: [] }));
    expect(result.eligible ? [] : result.reasons.map((r) => r.code)).toEqual([
      "NOT_ENROLLED",
      "MISSING_SKILL",
      "NO_ACTIVE_PACT",
      "INSURANCE_NOT_VALID",
      "TOO_FAR",
    ]);
  });
});

describe("mustStillStand: what undoes work already agreed", () => {
  const standing = (c = citizen(), o = occurrence(), x = context(), pactId: string | null = "p1") => mustStillStand(c, o, x, pactId).map((r) => r.code);

  it("holds for a citizen in good standing, whatever their hours, availability or distance", () => {
    expect(standing()).toEqual([]);
    expect(
      standing(
        citizen({ weeklyHourLimit: 0, maxTravelMinutes: 0, availability: { windows: [], exceptions: [] }, skills: [] }),
        occurrence(),
        context({ weekCommittedMinutes: 99 * 60 }),
      ),
    ).toEqual([]);
    // The work is counted in the pact's budget already: a budget used up does not undo it.
    expect(standing(citizen(), occurrence(), context({ pacts: [{ ...pact, usedMinutes: pact.budgetMinutes }] }))).toEqual([]);
  });

  it("ends with the enrolment: suspended or withdrawn", () => {
    expect(standing(citizen({ status: "SUSPENDED" }))).toEqual(["NOT_ENROLLED"]);
    expect(standing(citizen({ status: "WITHDRAWN" }))).toEqual(["NOT_ENROLLED"]);
  });

  it("ends with the pact: a commitment's own pact, an offer's any active covering pact", () => {
    expect(standing(citizen(), occurrence(), context({ pacts: [{ ...pact, status: "REVOKED" }] }))).toEqual(["NO_ACTIVE_PACT"]);
    const other = { ...pact, id: "p2" };
    expect(standing(citizen(), occurrence(), context({ pacts: [{ ...pact, status: "SUSPENDED" }, other] }), "p1")).toEqual(["NO_ACTIVE_PACT"]);
    expect(standing(citizen(), occurrence(), context({ pacts: [{ ...pact, status: "SUSPENDED" }, other] }), null)).toEqual([]);
    expect(standing(citizen(), occurrence(), context({ pacts: [{ ...pact, endDate: "2026-11-20" }] }))).toEqual(["PACT_DATE_NOT_COVERED"]);
  });

  it("ends with a lapsed training, check or insurance, or under the minimum age", () => {
    expect(standing(citizen({ trainings: [{ courseId: "basics", completedOn: "2026-01-10", expiresOn: null }] }))).toEqual(["TRAINING_MISSING"]);
    expect(standing(citizen({ criminalRecordChecks: [{ checkedOn: "2025-01-01", expiresOn: "2026-01-01" }] }))).toEqual(["CRIMINAL_RECORD_CHECK_EXPIRED"]);
    expect(standing(citizen({ insurances: [] }))).toEqual(["INSURANCE_NOT_VALID"]);
    expect(standing(citizen({ birthDate: "2010-01-01" }))).toEqual(["UNDER_MINIMUM_AGE"]);
  });
});

describe("mustBeOfAgeOn: the regulation's minimum age on a date", () => {
  it("counts whole years, the birthday included", () => {
    expect(ageOn("2008-12-01", "2026-11-30")).toBe(17);
    expect(ageOn("2008-12-01", "2026-12-01")).toBe(18);
    expect(ageOn("2008-02-29", "2026-02-28")).toBe(17);
    expect(mustBeOfAgeOn("2008-12-02", "2026-12-01", 18).map((r) => r.code)).toEqual(["UNDER_MINIMUM_AGE"]);
    expect(mustBeOfAgeOn("2008-12-01", "2026-12-01", 18)).toEqual([]);
    expect(mustBeOfAgeOn("2016-01-01", "2026-12-01", 18)[0]!.params).toEqual({ age: 10, minimumAge: 18 });
  });
});

describe("mustActUnderRegulation", () => {
  it("without a regulation in force nobody is eligible, and that is the one reason given", () => {
    const result = checkEligibility(citizen(), occurrence(), { ...context(), regulation: null });
    expect(result).toEqual({ eligible: false, reasons: [{ code: "NO_REGULATION_IN_FORCE", params: {} }] });
    expect(checkEligibility(citizen(), occurrence(), context()).eligible).toBe(true);
  });
});
