// Why a matching run failed, as the coordinator is told: a stable code and its details (ids, not
// names: names are read when the failure is shown). Pure.
import { ConflictError } from "../errors";
import { ProblemError, type ProblemIssue, type ProblemPairRef } from "../solver/problem";
import type { RunStopCode } from "./run-watch.model";

/** A run failed by what it computed, or stopped by the watchdog (run-watch.model RunStopCode). */
export type RunFailureCode = "PINS_CANNOT_ALL_BE_KEPT" | "NO_REGULATION" | "INVALID_WEEK" | "INTERNAL" | RunStopCode;

/** A group of pins that cannot all be kept, and the rule they break together. */
export interface BrokenPins {
  rule: "SEATS" | "HOURS" | "OVERLAP";
  pairs: ProblemPairRef[];
}

export interface RunFailure {
  code: RunFailureCode;
  /** minutes: the limit a stopped run reached (NOT_STARTED, TIMED_OUT). */
  details: { pins?: BrokenPins[]; date?: string; minutes?: number };
}

const RULE_OF: Partial<Record<ProblemIssue["code"], BrokenPins["rule"]>> = {
  FIXED_OVER_HEADCOUNT: "SEATS",
  FIXED_OVER_CAPACITY: "HOURS",
  FIXED_CONFLICT: "OVERLAP",
};

/** The failure a run's error stands for; anything not foreseen is INTERNAL (its text stays in the logs). */
export function runFailureOf(error: unknown): RunFailure {
  if (error instanceof ProblemError) {
    const pins = error.issues.flatMap((issue) => (RULE_OF[issue.code] && issue.pairs ? [{ rule: RULE_OF[issue.code]!, pairs: issue.pairs }] : []));
    if (pins.length === error.issues.length) return { code: "PINS_CANNOT_ALL_BE_KEPT", details: { pins } };
    return { code: "INVALID_WEEK", details: {} };
  }
  if (error instanceof ConflictError && error.code === "NO_REGULATION") return { code: "NO_REGULATION", details: { date: String(error.params.date ?? "") } };
  return { code: "INTERNAL", details: {} };
}
