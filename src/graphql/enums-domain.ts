// GraphQL enums of families, tasks, pacts and the ledger.
import { builder } from "./builder";

export const PlanAreaEnum = builder.enumType("PlanArea", {
  description: "Area of a goal in an autonomy plan.",
  values: {
    HOUSING: { description: "Housing." },
    WORK: { description: "Work and income." },
    LANGUAGE: { description: "Italian language." },
    SCHOOL: { description: "School of the children." },
    HEALTH: { description: "Health and care." },
    DOCUMENTS: { description: "Documents and permits." },
    SOCIAL_TIES: { description: "Social ties in the community." },
  } as const,
});

export const PlanStatusEnum = builder.enumType("PlanStatus", {
  description: "Status of an autonomy plan.",
  values: {
    DRAFT: { description: "Being written." },
    ACTIVE: { description: "Under way." },
    COMPLETED: { description: "Goals reached." },
    CLOSED: { description: "Closed without completion." },
  } as const,
});

export const TaskStatusEnum = builder.enumType("TaskStatus", {
  description: "Status of a task or of one of its occurrences: OPEN -> PARTIALLY_FILLED/FILLED -> DONE, or CANCELLED.",
  values: {
    OPEN: { description: "Nobody committed yet." },
    PARTIALLY_FILLED: { description: "Some but not all seats committed." },
    FILLED: { description: "Every seat committed." },
    DONE: { description: "Held, hours decided." },
    CANCELLED: { description: "Cancelled." },
  } as const,
});

export const ScheduleKindEnum = builder.enumType("ScheduleKind", {
  description: "One-off or weekly recurring.",
  values: { ONE_OFF: { description: "Once, on startDate." }, WEEKLY: { description: "On given weekdays every N weeks, until a date or N times." } } as const,
});

export const PactStatusEnum = builder.enumType("PactStatus", {
  description: "Lifecycle of a collaboration pact.",
  values: {
    PROPOSED: { description: "Proposed, not yet reviewed." },
    UNDER_REVIEW: { description: "Being reviewed by the administration." },
    ACTIVE: { description: "Signed and in force." },
    SUSPENDED: { description: "Suspended, with a reason." },
    CONCLUDED: { description: "Ended by agreement." },
    EXPIRED: { description: "Ended at its end date." },
    REVOKED: { description: "Revoked, with a reason." },
  } as const,
});

export const CommitmentStatusEnum = builder.enumType("CommitmentStatus", {
  description: "Status of a commitment.",
  values: {
    ACTIVE: { description: "The citizen will cover the occurrence." },
    WITHDRAWN: { description: "The citizen withdrew." },
    CANCELLED: { description: "Cancelled with the occurrence or the pact." },
  } as const,
});

export const HoursEntryKindEnum = builder.enumType("HoursEntryKind", {
  description: "Kind of line in the hours ledger.",
  values: {
    LOGGED: { description: "Hours logged by the citizen." },
    CONFIRMED: { description: "A coordinator confirmed the logged hours." },
    CORRECTED: { description: "A coordinator recorded different hours, with a note." },
  } as const,
});
