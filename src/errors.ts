// Typed errors a client should handle. They carry a stable code and parameters; the words
// are chosen at the edge in the caller's language (src/i18n). Pure: no GraphQL, no Prisma.

/** Codes of bad input: the request is refused and nothing changes. */
export type InputErrorCode =
  | "INVALID_INPUT"
  | "INVALID_EMAIL"
  | "INVALID_PASSWORD"
  | "PASSWORD_TOO_COMMON"
  | "UNDER_MINIMUM_AGE"
  | "INVALID_TIME"
  | "INVALID_DATE"
  | "INVALID_LANGUAGE"
  | "INVALID_RANGE"
  | "INVERTED_WINDOW"
  | "OVERLAPPING_WINDOWS"
  | "INVERTED_DATES"
  | "NONEXISTENT_LOCAL_TIME"
  | "TIMES_REQUIRED"
  | "RECURRENCE_EMPTY"
  | "DUPLICATE_ENTRY"
  | "UNKNOWN_SKILL"
  | "UNKNOWN_MUNICIPALITY"
  | "UNKNOWN_TRAINING_COURSE"
  | "UNKNOWN_TERRITORY"
  | "UNKNOWN_FAMILY"
  | "UNKNOWN_HOUSEHOLD"
  | "UNKNOWN_SPACE"
  | "UNKNOWN_USER"
  | "PERIOD_IN_PAST"
  | "PERIOD_TOO_LONG"
  | "TOO_MANY_ITEMS"
  | "INVALID_TEXT"
  | "TOO_LONG";

export type ConflictCode =
  | "EMAIL_TAKEN"
  | "ILLEGAL_TRANSITION"
  | "ENROLMENT_REQUIREMENTS_MISSING"
  | "SKILL_CODE_TAKEN"
  | "PACT_OVERLAP"
  | "ALREADY_RENEWED"
  | "ALREADY_ERASED"
  | "CITIZENS_NOT_ENROLLED"
  | "NOT_ELIGIBLE"
  | "HEADCOUNT_REACHED"
  | "OVERLAPPING_COMMITMENT"
  | "ALREADY_COMMITTED"
  | "OCCURRENCE_NOT_ENDED"
  | "NOTHING_TO_CONFIRM"
  | "NO_REGULATION"
  | "STALE_RUN"
  | "OFFER_CLOSED"
  | "MOVE_NOT_ALLOWED"
  | "PLAN_NOT_DRAFT"
  | "OCCURRENCE_NOT_STARTED"
  | "ALREADY_IN_A_HOUSE"
  | "NOT_PLANNED"
  | "PLANNER_STOPPED";

export type ErrorCode = InputErrorCode | ConflictCode | "NOT_FOUND" | "FORBIDDEN" | "INVALID_CREDENTIALS" | "TOO_MANY_ATTEMPTS";

export type ErrorParams = Record<string, string | number>;

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  constructor(
    message: string,
    readonly params: ErrorParams = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is malformed or refers to something that does not exist. */
export class InputError extends AppError {
  constructor(
    readonly code: InputErrorCode,
    readonly field: string[] = [],
    params: ErrorParams = {},
  ) {
    super(`${code} at ${field.join(".") || "input"}`, params);
  }
}

/** The thing asked for does not exist, or the caller may not know it exists. */
export class NotFoundError extends AppError {
  readonly code = "NOT_FOUND";
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`, { entity, id });
  }
}

/** The caller is known but may not act on this object. */
export class ForbiddenError extends AppError {
  readonly code = "FORBIDDEN";
  constructor(reason = "not allowed") {
    super(reason);
  }
}

/** The request is well formed but the current state does not allow it. */
export class ConflictError extends AppError {
  constructor(
    readonly code: ConflictCode,
    params: ErrorParams = {},
    readonly details: string[] = [],
  ) {
    super(`${code}${details.length ? `: ${details.join(", ")}` : ""}`, params);
  }
}

/** Too many attempts (sign-in): try again after `retryAfterSeconds`. */
export class RateLimitError extends AppError {
  readonly code = "TOO_MANY_ATTEMPTS";
  constructor(readonly retryAfterSeconds: number) {
    super("too many attempts", { seconds: retryAfterSeconds });
  }
}

/** Login refused: wrong email or password (never says which). */
export class AuthenticationError extends AppError {
  readonly code = "INVALID_CREDENTIALS";
  constructor() {
    super("invalid credentials");
  }
}
