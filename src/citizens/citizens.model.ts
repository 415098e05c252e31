// Pure rules of the citizen register: input normalisation, enrolment transitions and
// enrolment requirements. No database, no GraphQL.
import { PASSWORD_LENGTH, passwordProblem } from "../auth/password-policy.model";
import { mustBeOfAgeOn } from "../eligibility/eligibility.model";
import { DateTime } from "luxon";
import { ConflictError, InputError } from "../errors";

export type EnrolmentStatus = "APPLICANT" | "ENROLLED" | "SUSPENDED" | "WITHDRAWN";

/**
 * Allowed enrolment transitions. Withdrawn citizens may apply again (back to APPLICANT) and
 * must then meet the requirements again to be enrolled.
 */
export const ENROLMENT_TRANSITIONS: Record<EnrolmentStatus, readonly EnrolmentStatus[]> = {
  APPLICANT: ["ENROLLED", "WITHDRAWN"],
  ENROLLED: ["SUSPENDED", "WITHDRAWN"],
  SUSPENDED: ["ENROLLED", "WITHDRAWN"],
  WITHDRAWN: ["APPLICANT"],
};

/** Transitions that take something away from a citizen need a reason on record. */
export const TRANSITIONS_NEEDING_REASON: readonly EnrolmentStatus[] = ["SUSPENDED", "WITHDRAWN"];

export function assertEnrolmentTransition(from: EnrolmentStatus, to: EnrolmentStatus, reason: string | null | undefined): void {
  if (!ENROLMENT_TRANSITIONS[from].includes(to)) throw new ConflictError("ILLEGAL_TRANSITION", { from, to });
  if (TRANSITIONS_NEEDING_REASON.includes(to) && !reason?.trim()) throw new InputError("INVALID_INPUT", ["reason"]);
}

export interface EnrolmentRecords {
  birthDate: string;
  /** The minimum age of the regulation in force today; null when none is in force. */
  minimumAge: number | null;
  requiredCourses: { code: string }[];
  trainings: { courseCode: string; completedOn: string; expiresOn: string | null }[];
  insurances: { validFrom: string; validTo: string }[];
}

/**
 * What a citizen lacks to be enrolled on `today` (ISO date): the regulation's minimum age
 * ("minimumAge"), each required course completed and not expired ("training:CODE"), and an
 * insurance cover valid today ("insurance").
 */
export function missingEnrolmentRequirements(records: EnrolmentRecords, today: string): string[] {
  const missing: string[] = [];
  if (records.minimumAge !== null && mustBeOfAgeOn(records.birthDate, today, records.minimumAge).length > 0) missing.push("minimumAge");
  for (const course of records.requiredCourses) {
    const valid = records.trainings.some((t) => t.courseCode === course.code && t.completedOn <= today && (t.expiresOn === null || t.expiresOn >= today));
    if (!valid) missing.push(`training:${course.code}`);
  }
  if (!records.insurances.some((i) => i.validFrom <= today && today <= i.validTo)) missing.push("insurance");
  return missing;
}

// --- input normalisation --------------------------------------------------------------------

const EMAIL = /^[^\s@"(),:;<>[\\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function normaliseEmail(email: string, field = ["email"]): string {
  const trimmed = email.trim().toLowerCase();
  if (trimmed.length > 254 || !EMAIL.test(trimmed)) throw new InputError("INVALID_EMAIL", field);
  return trimmed;
}

export function normaliseName(name: string, field: string[]): string {
  const trimmed = name.trim().replace(/\s+/g, " ");
  if (trimmed.length < 1 || trimmed.length > 100) throw new InputError("INVALID_INPUT", field);
  return trimmed;
}

export function normalisePhone(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined || phone.trim() === "") return null;
  const trimmed = phone.trim();
  if (!/^\+?[0-9][0-9 ./-]{5,24}$/.test(trimmed)) throw new InputError("INVALID_INPUT", ["phone"]);
  return trimmed;
}

/** A password that may be set (auth/password-policy): long enough, and not a common or expected one. */
export function checkPassword(password: string, personal: string[] = [], field = ["password"]): void {
  const problem = passwordProblem(password, personal);
  if (problem === "TOO_SHORT" || problem === "TOO_LONG")
    throw new InputError("INVALID_PASSWORD", field, { min: PASSWORD_LENGTH.min, max: PASSWORD_LENGTH.max });
  if (problem === "TOO_COMMON") throw new InputError("PASSWORD_TOO_COMMON", field);
}

const languageNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });

/** An ISO 639 language code, lower case ("ar", "wo", "uk"). */
export function normaliseLanguageCode(code: string, field: string[]): string {
  const lower = code.trim().toLowerCase();
  if (!/^[a-z]{2,3}$/.test(lower) || languageNames.of(lower) === undefined) throw new InputError("INVALID_LANGUAGE", field, { value: code });
  return lower;
}

export function checkIntRange(value: number, min: number, max: number, field: string[]): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new InputError("INVALID_RANGE", field, { min, max });
  return value;
}

/** A birth date in the past and not absurdly far back. */
export function checkBirthDate(isoDate: string, today: string): string {
  const date = DateTime.fromISO(isoDate, { zone: "UTC" });
  if (!date.isValid) throw new InputError("INVALID_DATE", ["birthDate"], { value: isoDate });
  if (isoDate >= today || isoDate < "1900-01-01") throw new InputError("INVALID_RANGE", ["birthDate"]);
  return isoDate;
}

export function checkNoDuplicates(values: string[], field: string): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) throw new InputError("DUPLICATE_ENTRY", [field, String(index)], { field: value });
    seen.add(value);
  });
}
