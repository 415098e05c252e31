import { describe, expect, it } from "vitest";
import { ConflictError, InputError } from "../errors";
import {
  assertEnrolmentTransition,
  ENROLMENT_TRANSITIONS,
  missingEnrolmentRequirements,
  normaliseEmail,
  normaliseLanguageCode,
  type EnrolmentStatus,
} from "./citizens.model";

const ALL: EnrolmentStatus[] = ["APPLICANT", "ENROLLED", "SUSPENDED", "WITHDRAWN"];

describe("enrolment transitions", () => {
  it("allows exactly the listed moves and refuses the others as ILLEGAL_TRANSITION", () => {
    for (const from of ALL) {
      for (const to of ALL) {
        const allowed = ENROLMENT_TRANSITIONS[from].includes(to);
        const attempt = () => assertEnrolmentTransition(from, to, "a reason");
        if (allowed) expect(attempt).not.toThrow();
        else expect(attempt).toThrow(ConflictError);
      }
    }
    expect(() => assertEnrolmentTransition("ENROLLED", "ENROLLED", "x")).toThrow(ConflictError);
  });

  it("needs a reason to suspend or withdraw", () => {
    expect(() => assertEnrolmentTransition("ENROLLED", "SUSPENDED", " ")).toThrow(InputError);
    expect(() => assertEnrolmentTransition("APPLICANT", "WITHDRAWN", null)).toThrow(InputError);
    expect(() => assertEnrolmentTransition("APPLICANT", "ENROLLED", null)).not.toThrow();
  });
});

describe("enrolment requirements", () => {
  const requiredCourses = [{ code: "REGULATION_BASICS" }];
  it("lists missing training and insurance", () => {
    expect(missingEnrolmentRequirements({ birthDate: "1990-01-01", minimumAge: 18, requiredCourses, trainings: [], insurances: [] }, "2026-11-22")).toEqual([
      "training:REGULATION_BASICS",
      "insurance",
    ]);
  });

  it("needs the regulation's minimum age today, when a regulation is in force", () => {
    const valid = { requiredCourses: [], trainings: [], insurances: [{ validFrom: "2026-01-01", validTo: "2026-12-31" }] };
    expect(missingEnrolmentRequirements({ ...valid, birthDate: "2012-05-01", minimumAge: 18 }, "2026-11-22")).toEqual(["minimumAge"]);
    expect(missingEnrolmentRequirements({ ...valid, birthDate: "2008-11-22", minimumAge: 18 }, "2026-11-22")).toEqual([]);
    expect(missingEnrolmentRequirements({ ...valid, birthDate: "2012-05-01", minimumAge: null }, "2026-11-22")).toEqual([]);
  });

  it("does not count expired or future records", () => {
    const records = {
      birthDate: "1990-01-01",
      minimumAge: 18,
      requiredCourses,
      trainings: [{ courseCode: "REGULATION_BASICS", completedOn: "2020-01-01", expiresOn: "2025-01-01" }],
      insurances: [{ validFrom: "2026-12-01", validTo: "2027-12-01" }],
    };
    expect(missingEnrolmentRequirements(records, "2026-11-22")).toEqual(["training:REGULATION_BASICS", "insurance"]);
  });

  it("is satisfied by valid records, the last day of cover included", () => {
    const records = {
      birthDate: "1990-01-01",
      minimumAge: 18,
      requiredCourses,
      trainings: [{ courseCode: "REGULATION_BASICS", completedOn: "2026-01-01", expiresOn: null }],
      insurances: [{ validFrom: "2026-01-01", validTo: "2026-11-22" }],
    };
    expect(missingEnrolmentRequirements(records, "2026-11-22")).toEqual([]);
  });
});

describe("normalisation", () => {
  it("lower-cases emails and refuses malformed ones", () => {
    expect(normaliseEmail("  Maria.Rossi@Example.ORG ")).toBe("maria.rossi@example.org");
    for (const bad of ["maria", "maria@", "@example.org", "maria@example", "ma ria@example.org", `${"a".repeat(250)}@example.org`]) {
      expect(() => normaliseEmail(bad), bad).toThrow(InputError);
    }
  });

  it("accepts ISO 639 codes the programme meets and refuses made-up ones", () => {
    for (const code of ["it", "ar", "uk", "ur", "wo", "EN", "fr"]) expect(normaliseLanguageCode(code, [])).toBe(code.toLowerCase());
    for (const bad of ["xx", "english", "1a", ""]) expect(() => normaliseLanguageCode(bad, [])).toThrow(InputError);
  });
});
