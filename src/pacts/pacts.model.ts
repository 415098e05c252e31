// Pure rules of collaboration pacts: the lifecycle and what a pact must contain.
import { ConflictError, InputError } from "../errors";

export type PactStatus = "PROPOSED" | "UNDER_REVIEW" | "ACTIVE" | "SUSPENDED" | "CONCLUDED" | "EXPIRED" | "REVOKED";

/**
 * The lifecycle: a proposal is reviewed (or sent back), then signed and active; an active pact
 * may be suspended and reactivated; it ends concluded, expired or revoked. Renewal is a new
 * pact linked to the old one, not a transition.
 */
export const PACT_TRANSITIONS: Record<PactStatus, readonly PactStatus[]> = {
  PROPOSED: ["UNDER_REVIEW", "REVOKED"],
  UNDER_REVIEW: ["ACTIVE", "PROPOSED", "REVOKED"],
  ACTIVE: ["SUSPENDED", "CONCLUDED", "EXPIRED", "REVOKED"],
  SUSPENDED: ["ACTIVE", "CONCLUDED", "EXPIRED", "REVOKED"],
  CONCLUDED: [],
  EXPIRED: [],
  REVOKED: [],
};

/** States in which a pact still binds or may come to bind its citizens. */
export const LIVE_PACT_STATUSES: readonly PactStatus[] = ["PROPOSED", "UNDER_REVIEW", "ACTIVE", "SUSPENDED"];
/** Pacts that may be renewed: those that ran. */
export const RENEWABLE_PACT_STATUSES: readonly PactStatus[] = ["ACTIVE", "SUSPENDED", "CONCLUDED", "EXPIRED"];

export function assertPactTransition(from: PactStatus, to: PactStatus, reason: string | null | undefined, endDate: string, today: string): void {
  if (!PACT_TRANSITIONS[from].includes(to)) throw new ConflictError("ILLEGAL_TRANSITION", { from, to });
  if ((to === "SUSPENDED" || to === "REVOKED") && !reason?.trim()) throw new InputError("INVALID_INPUT", ["reason"]);
  // A pact expires when its end date has passed; before that it can only be concluded or revoked.
  if (to === "EXPIRED" && today <= endDate) throw new ConflictError("ILLEGAL_TRANSITION", { from, to });
  if (to === "ACTIVE" && today > endDate) throw new ConflictError("ILLEGAL_TRANSITION", { from, to });
}

export interface PactContents {
  title: string;
  objectives: string;
  activityKinds: string[];
  municipalityIds: string[];
  startDate: string;
  endDate: string;
  hourBudgetMinutes: number;
  rolesAndCommitments: string;
  insurancePolicy: string;
  insuranceFrom: string;
  insuranceTo: string;
  formsOfSupport: string;
  monitoringAndReporting: string;
  suspensionAndTermination: string;
  citizenIds: string[];
}

const TEXT_FIELDS = [
  "title",
  "objectives",
  "rolesAndCommitments",
  "insurancePolicy",
  "formsOfSupport",
  "monitoringAndReporting",
  "suspensionAndTermination",
] as const;

/** What art. 5 of the model regulation asks a pact to say, checked for presence and sense. */
export function validatePactContents(contents: PactContents): void {
  for (const field of TEXT_FIELDS) {
    const value = contents[field].trim();
    if (value.length < 1 || value.length > 4000) throw new InputError("INVALID_INPUT", [field]);
  }
  if (contents.activityKinds.length === 0) throw new InputError("INVALID_INPUT", ["activityKinds"]);
  if (contents.municipalityIds.length === 0) throw new InputError("INVALID_INPUT", ["municipalityIds"]);
  if (contents.citizenIds.length === 0) throw new InputError("INVALID_INPUT", ["citizenIds"]);
  if (new Set(contents.citizenIds).size !== contents.citizenIds.length) throw new InputError("DUPLICATE_ENTRY", ["citizenIds"], { field: "citizen" });
  if (contents.endDate < contents.startDate) throw new InputError("INVERTED_DATES", ["endDate"]);
  if (contents.insuranceTo < contents.insuranceFrom) throw new InputError("INVERTED_DATES", ["insuranceTo"]);
  if (!Number.isInteger(contents.hourBudgetMinutes) || contents.hourBudgetMinutes < 60 || contents.hourBudgetMinutes > 2000 * 60) {
    throw new InputError("INVALID_RANGE", ["hourBudgetHours"], { min: 1, max: 2000 });
  }
}

/** Whether two date ranges (inclusive ISO dates) share a day. */
export function datesOverlap(a: { startDate: string; endDate: string }, b: { startDate: string; endDate: string }): boolean {
  return a.startDate <= b.endDate && b.startDate <= a.endDate;
}
