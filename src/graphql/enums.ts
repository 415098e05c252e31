// GraphQL enums shared by several areas, each value described.
import { builder } from "./builder";

export const RoleEnum = builder.enumType("Role", {
  description: "What a user may do.",
  values: {
    ADMIN: { description: "Administers the whole service and every territory." },
    COORDINATOR: { description: "Social worker or project operator: manages the register and the matching of a territory." },
    TUTOR: { description: "Housing tutor: plans life in the shared houses of a territory." },
    CITIZEN: { description: "Active citizen (volunteer) registered in the albo." },
    RESIDENT: { description: "Contact person of a household living in a shared house: reads the house's plan." },
  } as const,
});

export const LocaleEnum = builder.enumType("Locale", {
  description: "Language of the interface and of notifications.",
  values: { IT: { description: "Italian." }, EN: { description: "English." } } as const,
});

export const EnrolmentStatusEnum = builder.enumType("EnrolmentStatus", {
  description: "Enrolment status in the register of active citizens.",
  values: {
    APPLICANT: { description: "Registered, not yet enrolled: training or insurance may be missing." },
    ENROLLED: { description: "Enrolled: may sign pacts and receive tasks." },
    SUSPENDED: { description: "Temporarily suspended, with a reason on record." },
    WITHDRAWN: { description: "Left the register, with a reason on record; may apply again." },
  } as const,
});

export const LanguageLevelEnum = builder.enumType("LanguageLevel", {
  description: "CEFR-like level of a language, or mother tongue.",
  values: {
    A1: { description: "Breakthrough." },
    A2: { description: "Waystage." },
    B1: { description: "Threshold." },
    B2: { description: "Vantage." },
    C1: { description: "Effective operational proficiency." },
    C2: { description: "Mastery." },
    NATIVE: { description: "Mother tongue." },
  } as const,
});

export const ActivityKindEnum = builder.enumType("ActivityKind", {
  description: "Kinds of activity citizens do for families; pacts and the regulation refer to them.",
  values: {
    HOMEWORK_HELP: { description: "Help children with homework (doposcuola)." },
    LANGUAGE_CONVERSATION: { description: "Italian conversation practice." },
    ACCOMPANIMENT: { description: "Accompany someone to offices, doctors, schools." },
    JOB_SEARCH: { description: "Help writing a CV and looking for work." },
    CHILDCARE: { description: "Look after children while parents attend courses." },
    TRANSPORT: { description: "Drive someone where public transport does not go." },
    CULTURAL_MEDIATION: { description: "Mediate between languages and cultures." },
    HOUSING_SUPPORT: { description: "Help with housing: searching, contracts, settling in." },
    ADMINISTRATIVE_HELP: { description: "Help with forms, documents, appointments." },
    SOCIAL_ACTIVITY: { description: "Social and leisure activities that build ties." },
  } as const,
});

export const AvailabilityExceptionKindEnum = builder.enumType("AvailabilityExceptionKind", {
  description: "Whether a dated exception removes or adds availability.",
  values: {
    UNAVAILABLE: { description: "Not available (whole days, or the given times on each day)." },
    AVAILABLE: { description: "Extra availability at the given times on each day of the range." },
  } as const,
});

export const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WeekdayEnum = builder.enumType("Weekday", {
  description: "Day of the week (ISO: the week starts on Monday).",
  values: Object.fromEntries(WEEKDAYS.map((day) => [day, { description: `${day.charAt(0)}${day.slice(1).toLowerCase()}.` }])) as Record<
    Weekday,
    { description: string }
  >,
});

export const weekdayNumber = (day: Weekday): number => WEEKDAYS.indexOf(day) + 1;
export const weekdayName = (n: number): Weekday => WEEKDAYS[n - 1]!;
