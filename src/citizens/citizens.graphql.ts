// The register of active citizens: types, queries and mutations. Resolvers decode, call a
// service and return; access rules live in the services.
import { loaderFor } from "../graphql/loaders";
import { displayNameOf, type Subject } from "../auth/personal";
import { erasedName } from "../privacy/erased.model";
import { citizenSubject, personal } from "../graphql/personal";
import type { Context } from "../graphql/context";
import { reread } from "../graphql/payload";

const ofCitizen = (c: { id: string }, context: Context) => citizenSubject(context, c.id);
const ofUser = (u: { id: string; territoryId: string | null }): Subject => ({ kind: "user", userId: u.id, territoryId: u.territoryId });
import { fromDbDate } from "../db/dates";
import { builder } from "../graphql/builder";
import {
  ActivityKindEnum,
  AvailabilityExceptionKindEnum,
  EnrolmentStatusEnum,
  LanguageLevelEnum,
  LocaleEnum,
  RoleEnum,
  weekdayName,
  weekdayNumber,
  WeekdayEnum,
} from "../graphql/enums";
import { writeErrors } from "../graphql/errors";
import { AuthenticationError, NotFoundError, RateLimitError } from "../errors";
import { login } from "../auth/auth.service";
import { freeIntervalsInWeek, isAvailable } from "../time/availability";
import { formatLocalTime, parseIsoDate, parseLocalTime, type Interval } from "../time/local-time";
import { availabilityFromRows, citizenWhere } from "./citizens.repository";
import * as citizens from "./citizens.service";

// --- object types ---------------------------------------------------------------------------

builder.prismaObject("Skill", {
  description: "A skill of the managed catalogue.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    code: t.exposeString("code", { description: "Stable code, e.g. HOMEWORK_PRIMARY." }),
    name: t.string({
      description: "Name in the caller's language.",
      resolve: (skill, _args, context) => (context.lang === "it" ? skill.nameIt : skill.nameEn),
    }),
    nameIt: t.exposeString("nameIt", { description: "Name in Italian." }),
    nameEn: t.exposeString("nameEn", { description: "Name in English." }),
    activityKinds: t.field({ type: [ActivityKindEnum], description: "Kinds of activity the skill serves.", resolve: (skill) => skill.activityKinds }),
    active: t.exposeBoolean("active", { description: "Whether citizens can still declare it." }),
  }),
});

builder.prismaObject("TrainingCourse", {
  description: "A training course the regulation refers to.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    code: t.exposeString("code", { description: "Stable code, e.g. REGULATION_BASICS." }),
    name: t.string({
      description: "Name in the caller's language.",
      resolve: (course, _args, context) => (context.lang === "it" ? course.nameIt : course.nameEn),
    }),
    validityMonths: t.exposeInt("validityMonths", { nullable: true, description: "Months a completion stays valid; null if it never expires." }),
    requiredForEnrolment: t.exposeBoolean("requiredForEnrolment", { description: "Whether enrolment in the register needs it." }),
  }),
});

builder.prismaObject("User", {
  description: "An account that can sign in.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    email: t.exposeString("email", { ...personal(ofUser), description: "Sign-in email, lower case." }),
    role: t.expose("role", { type: RoleEnum, description: "What the user may do." }),
    locale: t.expose("locale", { ...personal(ofUser), type: LocaleEnum, description: "Preferred language." }),
    displayName: t.exposeString("displayName", { description: "Name shown to others." }),
    territory: t.relation("territory", { ...personal(ofUser), description: "Territory of a coordinator or tutor." }),
    citizen: t.relation("citizen", { ...personal(ofUser), description: "The citizen record, for citizens." }),
  }),
});

builder.prismaObject("CitizenLanguage", {
  description: "A language a citizen speaks, with level.",
  fields: (t) => ({
    languageCode: t.exposeString("languageCode", { description: "ISO 639 code, lower case (ar, en, fr, uk, ur, wo...)." }),
    level: t.expose("level", { type: LanguageLevelEnum, description: "Level (CEFR-like or native)." }),
  }),
});

builder.prismaObject("CitizenSkill", {
  description: "A skill a citizen declared, with level 1 (basic) to 3 (expert).",
  fields: (t) => ({
    skill: t.relation("skill", { description: "The skill." }),
    level: t.exposeInt("level", { description: "1 basic, 2 good, 3 expert." }),
    verified: t.exposeBoolean("verified", { description: "Verified by staff (otherwise self-declared)." }),
    verifiedAt: t.expose("verifiedAt", { type: "DateTime", nullable: true, description: "When staff verified it." }),
  }),
});

builder.prismaObject("TrainingRecord", {
  description: "A training course a citizen completed.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    course: t.relation("course", { description: "The course." }),
    completedOn: t.field({ type: "Date", description: "Completion date.", resolve: (r) => fromDbDate(r.completedOn) }),
    expiresOn: t.field({
      type: "Date",
      nullable: true,
      description: "Expiry date; null if it never expires.",
      resolve: (r) => (r.expiresOn ? fromDbDate(r.expiresOn) : null),
    }),
  }),
});

builder.prismaObject("CriminalRecordCheck", {
  description: "A criminal-record check (casellario giudiziale), needed for work with minors.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    checkedOn: t.field({ type: "Date", description: "Date of the certificate.", resolve: (r) => fromDbDate(r.checkedOn) }),
    expiresOn: t.field({ type: "Date", description: "Date after which a new check is needed.", resolve: (r) => fromDbDate(r.expiresOn) }),
  }),
});

builder.prismaObject("InsuranceCover", {
  description: "Insurance cover of a citizen's activities.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    policyNumber: t.exposeString("policyNumber", { description: "Policy number." }),
    insurer: t.exposeString("insurer", { nullable: true, description: "Insurer." }),
    validFrom: t.field({ type: "Date", description: "First day of cover.", resolve: (r) => fromDbDate(r.validFrom) }),
    validTo: t.field({ type: "Date", description: "Last day of cover.", resolve: (r) => fromDbDate(r.validTo) }),
  }),
});

builder.prismaObject("EnrolmentEvent", {
  description: "One change of enrolment status: who, when, why.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    fromStatus: t.expose("fromStatus", { type: EnrolmentStatusEnum, nullable: true, description: "Status before (null at registration)." }),
    toStatus: t.expose("toStatus", { type: EnrolmentStatusEnum, description: "Status after." }),
    byUserId: t.exposeID("byUserId", { nullable: true, description: "User who made the change." }),
    reason: t.exposeString("reason", { nullable: true, description: "Why." }),
    at: t.expose("at", { type: "DateTime", description: "When." }),
  }),
});

interface WindowShape {
  weekday: number;
  startMinute: number;
  endMinute: number;
}

const AvailabilityWindowRef = builder.objectRef<WindowShape>("AvailabilityWindow").implement({
  description: "A weekly window of availability, in Europe/Rome wall-clock time.",
  fields: (t) => ({
    weekday: t.field({ type: WeekdayEnum, description: "Day of the week.", resolve: (w) => weekdayName(w.weekday) }),
    start: t.field({ type: "LocalTime", description: "Start (inclusive).", resolve: (w) => formatLocalTime(w.startMinute) }),
    end: t.field({ type: "LocalTime", description: "End (exclusive).", resolve: (w) => formatLocalTime(w.endMinute) }),
  }),
});

interface ExceptionShape {
  kind: "UNAVAILABLE" | "AVAILABLE";
  fromDate: string;
  toDate: string;
  startMinute?: number | null;
  endMinute?: number | null;
}

const AvailabilityExceptionRef = builder.objectRef<ExceptionShape>("AvailabilityException").implement({
  description: "A dated exception to the weekly windows.",
  fields: (t) => ({
    kind: t.field({ type: AvailabilityExceptionKindEnum, description: "Removes or adds availability.", resolve: (x) => x.kind }),
    from: t.field({ type: "Date", description: "First date (inclusive).", resolve: (x) => x.fromDate }),
    to: t.field({ type: "Date", description: "Last date (inclusive).", resolve: (x) => x.toDate }),
    start: t.field({
      type: "LocalTime",
      nullable: true,
      description: "Start time on each date; null for whole days.",
      resolve: (x) => (x.startMinute == null ? null : formatLocalTime(x.startMinute)),
    }),
    end: t.field({
      type: "LocalTime",
      nullable: true,
      description: "End time on each date; null for whole days.",
      resolve: (x) => (x.endMinute == null ? null : formatLocalTime(x.endMinute)),
    }),
  }),
});

const AvailabilityRef = builder.objectRef<{ windows: WindowShape[]; exceptions: ExceptionShape[] }>("Availability").implement({
  description:
    "Weekly windows plus dated exceptions, in Europe/Rome. Daylight saving: windows keep their wall-clock times; on the spring-forward Sunday the part of a window inside the missing hour 02:00-03:00 is dropped (a 02:30-04:00 window covers 03:00-04:00), on the fall-back Sunday a window over 02:00-03:00 covers both occurrences of that hour. Dated exception times inside the missing hour are rejected with NONEXISTENT_LOCAL_TIME.",
  fields: (t) => ({
    windows: t.field({
      type: [AvailabilityWindowRef],
      description: "Weekly windows, by day and time.",
      resolve: (a) => [...a.windows].sort((x, y) => x.weekday - y.weekday || x.startMinute - y.startMinute),
    }),
    exceptions: t.field({
      type: [AvailabilityExceptionRef],
      description: "Dated exceptions, by date.",
      resolve: (a) => [...a.exceptions].sort((x, y) => x.fromDate.localeCompare(y.fromDate)),
    }),
  }),
});

const TimeIntervalRef = builder.objectRef<Interval>("TimeInterval").implement({
  description: "A half-open interval of time [start, end).",
  fields: (t) => ({
    start: t.field({ type: "DateTime", description: "Start (inclusive).", resolve: (i) => new Date(i.start) }),
    end: t.field({ type: "DateTime", description: "End (exclusive).", resolve: (i) => new Date(i.end) }),
  }),
});

const availabilitySelect = { availabilityWindows: true, availabilityExceptions: true } as const;

export const CitizenRef = builder.prismaObject("Citizen", {
  description: "An active citizen in the register (albo dei cittadini attivi).",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    displayName: t.string({
      description: "The name shown to those who may not read the citizen's data: first name and last initial (Anna R.).",
      resolve: (c, _a, context) => (c.erasedAt ? erasedName("person", context.lang) : displayNameOf(c.firstName, c.lastName)),
    }),
    firstName: t.string({
      ...personal(ofCitizen),
      description: 'First name ("erased person" once erased).',
      resolve: (c, _a, context) => (c.erasedAt ? erasedName("person", context.lang) : c.firstName),
    }),
    lastName: t.string({ ...personal(ofCitizen), description: "Last name (empty once erased).", resolve: (c) => (c.erasedAt ? "" : c.lastName) }),
    erasedAt: t.expose("erasedAt", { ...personal(ofCitizen), type: "DateTime", nullable: true, description: "When the citizen was erased." }),
    email: t.exposeString("email", { ...personal(ofCitizen), description: "Contact email." }),
    phone: t.exposeString("phone", { ...personal(ofCitizen), nullable: true, description: "Contact phone." }),
    birthDate: t.field({
      ...personal(ofCitizen),
      type: "Date",
      description: "Date of birth (the regulation sets a minimum age).",
      resolve: (c) => fromDbDate(c.birthDate),
    }),
    homeMunicipality: t.relation("homeMunicipality", { ...personal(ofCitizen), description: "Municipality of residence; travel times start here." }),
    weeklyHourLimit: t.exposeInt("weeklyHourLimit", { ...personal(ofCitizen), description: "Most hours a week the citizen wants to give." }),
    maxTravelMinutes: t.exposeInt("maxTravelMinutes", { ...personal(ofCitizen), description: "Longest trip the citizen accepts, in minutes." }),
    preferredActivityKinds: t.field({
      ...personal(ofCitizen),
      type: [ActivityKindEnum],
      description: "Kinds of activity the citizen prefers.",
      resolve: (c) => c.preferredActivityKinds,
    }),
    status: t.expose("status", { ...personal(ofCitizen), type: EnrolmentStatusEnum, description: "Enrolment status." }),
    languages: t.relation("languages", { ...personal(ofCitizen), description: "Languages spoken.", query: { orderBy: { languageCode: "asc" } } }),
    skills: t.relation("skills", { ...personal(ofCitizen), description: "Declared skills." }),
    availability: t.field({
      ...personal(ofCitizen),
      type: AvailabilityRef,
      description: "Weekly windows and dated exceptions.",
      select: availabilitySelect,
      resolve: (c) => availabilityFromRows(c),
    }),
    isAvailable: t.boolean({
      ...personal(ofCitizen),
      description: "Whether the citizen is available over the whole of [start, end).",
      args: {
        start: t.arg({ type: "DateTime", required: true, description: "Start." }),
        end: t.arg({ type: "DateTime", required: true, description: "End." }),
      },
      select: availabilitySelect,
      resolve: (c, { start, end }) => isAvailable(availabilityFromRows(c), start.getTime(), end.getTime()),
    }),
    freeIntervals: t.field({
      ...personal(ofCitizen),
      type: [TimeIntervalRef],
      description: "Intervals the citizen is available in the seven local days from weekStart.",
      args: { weekStart: t.arg({ type: "Date", required: true, description: "First day of the week, usually a Monday." }) },
      select: availabilitySelect,
      resolve: (c, { weekStart }) => freeIntervalsInWeek(availabilityFromRows(c), parseIsoDate(weekStart, ["weekStart"])),
    }),
    trainingRecords: t.relation("trainingRecords", { ...personal(ofCitizen), description: "Training completed.", query: { orderBy: { completedOn: "asc" } } }),
    criminalRecordChecks: t.relation("criminalRecordChecks", {
      ...personal(ofCitizen),
      description: "Criminal-record checks on file.",
      query: { orderBy: { checkedOn: "asc" } },
    }),
    insuranceCovers: t.relation("insuranceCovers", { ...personal(ofCitizen), description: "Insurance covers.", query: { orderBy: { validFrom: "asc" } } }),
    enrolmentHistory: t.relation("enrolmentEvents", {
      ...personal(ofCitizen),
      description: "Every change of enrolment status, oldest first.",
      query: { orderBy: { at: "asc" } },
    }),
    enrolmentRequirementsMissing: t.stringList({
      ...personal(ofCitizen),
      description: "What the citizen lacks today to be enrolled: training:<CODE> and/or insurance. Empty when nothing.",
      resolve: (c, _args, context) =>
        loaderFor<string, string[]>(context, "enrolmentRequirementsMissing", (ids) => citizens.enrolmentRequirementsMissingMany(context, ids)).load(c.id),
    }),
  }),
});

// --- inputs ---------------------------------------------------------------------------------

const LanguageInput = builder.inputType("LanguageInput", {
  description: "A language and level.",
  fields: (t) => ({
    languageCode: t.string({ required: true, description: "ISO 639 code (ar, en, fr, uk, ur, wo...)." }),
    level: t.field({ type: LanguageLevelEnum, required: true, description: "Level." }),
  }),
});

const SkillInput = builder.inputType("SkillInput", {
  description: "A skill of the catalogue and the level declared.",
  fields: (t) => ({
    skillCode: t.string({ required: true, description: "Code of a skill in the catalogue." }),
    level: t.int({ required: true, description: "1 basic, 2 good, 3 expert." }),
  }),
});

const CitizenProfileInput = builder.inputType("CitizenProfileInput", {
  description: "The data of a new citizen.",
  fields: (t) => ({
    firstName: t.string({ required: true, description: "First name." }),
    lastName: t.string({ required: true, description: "Last name." }),
    email: t.string({ required: true, description: "Contact and sign-in email." }),
    phone: t.string({ required: false, description: "Contact phone." }),
    birthDate: t.field({ type: "Date", required: true, description: "Date of birth." }),
    homeMunicipalityId: t.id({ required: true, description: "Municipality of residence." }),
    weeklyHourLimit: t.int({ required: true, description: "Most hours a week (1 to 60)." }),
    maxTravelMinutes: t.int({ required: true, description: "Longest trip accepted, in minutes (0 to 600)." }),
    preferredActivityKinds: t.field({ type: [ActivityKindEnum], required: false, description: "Preferred kinds of activity." }),
    locale: t.field({ type: LocaleEnum, required: false, description: "Preferred language (default Italian)." }),
    languages: t.field({ type: [LanguageInput], required: false, description: "Languages spoken." }),
    skills: t.field({ type: [SkillInput], required: false, description: "Skills declared (self-declared until staff verify them)." }),
  }),
});

const UpdateCitizenProfileInput = builder.inputType("UpdateCitizenProfileInput", {
  description: "Changes to a citizen's profile; fields left out are unchanged.",
  fields: (t) => ({
    firstName: t.string({ required: false, description: "First name." }),
    lastName: t.string({ required: false, description: "Last name." }),
    email: t.string({ required: false, description: "Contact and sign-in email." }),
    phone: t.string({ required: false, description: "Contact phone; null removes it." }),
    birthDate: t.field({ type: "Date", required: false, description: "Date of birth." }),
    homeMunicipalityId: t.id({ required: false, description: "Municipality of residence." }),
    weeklyHourLimit: t.int({ required: false, description: "Most hours a week (1 to 60)." }),
    maxTravelMinutes: t.int({ required: false, description: "Longest trip accepted, in minutes (0 to 600)." }),
    preferredActivityKinds: t.field({ type: [ActivityKindEnum], required: false, description: "Preferred kinds of activity." }),
  }),
});

const AvailabilityWindowInput = builder.inputType("AvailabilityWindowInput", {
  description: "A weekly window, wall-clock Europe/Rome.",
  fields: (t) => ({
    weekday: t.field({ type: WeekdayEnum, required: true, description: "Day of the week." }),
    start: t.field({ type: "LocalTime", required: true, description: "Start, HH:mm." }),
    end: t.field({ type: "LocalTime", required: true, description: "End, HH:mm (24:00 for midnight)." }),
  }),
});

const AvailabilityExceptionInput = builder.inputType("AvailabilityExceptionInput", {
  description: "A dated exception: unavailable (whole days or times) or extra availability (times required).",
  fields: (t) => ({
    kind: t.field({ type: AvailabilityExceptionKindEnum, required: true, description: "Removes or adds availability." }),
    from: t.field({ type: "Date", required: true, description: "First date." }),
    to: t.field({ type: "Date", required: true, description: "Last date (inclusive)." }),
    start: t.field({ type: "LocalTime", required: false, description: "Start time on each date." }),
    end: t.field({ type: "LocalTime", required: false, description: "End time on each date." }),
  }),
});

const CitizenFilterInput = builder.inputType("CitizenFilter", {
  description: "Narrows the register.",
  fields: (t) => ({
    municipalityId: t.id({ required: false, description: "Only citizens living in this municipality." }),
    skillCode: t.string({ required: false, description: "Only citizens with this skill." }),
    minSkillLevel: t.int({ required: false, description: "With skillCode: at least this level." }),
    languageCode: t.string({ required: false, description: "Only citizens speaking this language." }),
    status: t.field({ type: EnrolmentStatusEnum, required: false, description: "Only citizens in this status." }),
  }),
});

// --- payloads -------------------------------------------------------------------------------

const SessionPayload = builder.objectRef<{ token: string; expiresAt: Date; userId: string }>("Session").implement({
  description: "A signed-in session: send the token as `Authorization: Bearer <token>`.",
  fields: (t) => ({
    token: t.exposeString("token", { description: "Bearer token (JWT)." }),
    expiresAt: t.field({ type: "DateTime", description: "When the token stops working.", resolve: (s) => s.expiresAt }),
    user: t.prismaField({
      type: "User",
      description: "The signed-in user.",
      resolve: (query, session, _args, context) => context.prisma.user.findUniqueOrThrow({ ...query, where: { id: session.userId } }),
    }),
  }),
});

// --- queries --------------------------------------------------------------------------------

builder.queryFields((t) => ({
  me: t.prismaField({
    type: "User",
    nullable: true,
    description: "The signed-in user; null without a valid token.",
    skipTypeScopes: true,
    resolve: (query, _root, _args, context) => (context.viewer ? context.prisma.user.findUnique({ ...query, where: { id: context.viewer.userId } }) : null),
  }),
  skills: t.prismaField({
    type: ["Skill"],
    description: "The skill catalogue, by code. Public: the registration form needs it.",
    skipTypeScopes: true,
    args: { includeInactive: t.arg.boolean({ required: false, description: "Also skills no longer offered." }) },
    resolve: (query, _root, { includeInactive }, context) =>
      context.prisma.skill.findMany({ ...query, where: includeInactive ? {} : { active: true }, orderBy: { code: "asc" } }),
  }),
  trainingCourses: t.prismaField({
    type: ["TrainingCourse"],
    description: "The training courses the regulation refers to.",
    skipTypeScopes: true,
    resolve: (query, _root, _args, context) => context.prisma.trainingCourse.findMany({ ...query, orderBy: { code: "asc" } }),
  }),
  citizen: t.field({
    type: CitizenRef,
    description: "One citizen: yourself, or (staff) one of your territory's register.",
    errors: { types: [NotFoundError], directResult: true },
    args: { id: t.arg.id({ required: true, description: "Identifier." }) },
    resolve: async (_root, { id }, context) => {
      const citizenId = await citizens.assertCitizenVisible(context, String(id));
      return context.prisma.citizen.findUniqueOrThrow({ where: { id: citizenId } });
    },
  }),
  myCitizenProfile: t.prismaField({
    type: "Citizen",
    nullable: true,
    description: "The signed-in citizen's own record; null for users who are not citizens.",
    resolve: (query, _root, _args, context) =>
      context.viewer?.citizenId ? context.prisma.citizen.findUnique({ ...query, where: { id: context.viewer.citizenId } }) : null,
  }),
  citizens: t.prismaConnection(
    {
      type: "Citizen",
      cursor: "id",
      description: "The register of your territory (administrators: every territory), with filters. Relay pagination, at most 100 a page.",
      authScopes: { staff: true },
      maxSize: 100,
      defaultSize: 20,
      args: { filter: t.arg({ type: CitizenFilterInput, required: false, description: "Filters." }) },
      totalCount: (_connection, args, context) => context.prisma.citizen.count({ where: citizenWhere(citizens.registerTerritory(context), args.filter) }),
      resolve: (query, _root, { filter }, context) =>
        context.prisma.citizen.findMany({ ...query, where: citizenWhere(citizens.registerTerritory(context), filter) }),
    },
    {
      name: "CitizenConnection",
      description: "A page of the register.",
      fields: (c) => ({
        totalCount: c.int({
          description: "Number of citizens matching the filter, on every page.",
          extensions: { pothosPrismaTotalCount: true },
          resolve: (connection) => (connection as unknown as { totalCount: () => Promise<number> }).totalCount(),
        }),
      }),
    },
    { name: "CitizenEdge", description: "A citizen in a page of the register." },
  ),
}));

// --- mutations ------------------------------------------------------------------------------

export const toWindows = (windows: { weekday: (typeof WeekdayEnum)["$inferInput"]; start: string; end: string }[], path = "windows") =>
  windows.map((w, i) => ({
    weekday: weekdayNumber(w.weekday),
    startMinute: parseLocalTime(w.start, [path, String(i), "start"]),
    endMinute: parseLocalTime(w.end, [path, String(i), "end"]),
  }));

export const toExceptions = (
  exceptions: { kind: "UNAVAILABLE" | "AVAILABLE"; from: string; to: string; start?: string | null; end?: string | null }[],
  path = "exceptions",
) =>
  exceptions.map((x, i) => ({
    kind: x.kind,
    fromDate: x.from,
    toDate: x.to,
    startMinute: x.start == null ? null : parseLocalTime(x.start, [path, String(i), "start"]),
    endMinute: x.end == null ? null : parseLocalTime(x.end, [path, String(i), "end"]),
  }));

builder.mutationFields((t) => ({
  registerCitizen: t.field({
    type: builder.objectRef<{ email: string }>("RegistrationReceived").implement({
      description: "A registration was received. The same answer whether or not the address was registered already: sign in with the email and password.",
      fields: (f) => ({
        email: f.exposeString("email", { description: "The address registered, normalised: sign in with it." }),
        message: f.string({
          description: "What to do next, in the caller's language.",
          resolve: (_r, _args, context) =>
            context.lang === "it"
              ? "Registrazione ricevuta. Accedi con la tua email e la password scelta; se l'indirizzo era già registrato, usa la password di allora o rivolgiti al tuo coordinatore."
              : "Registration received. Sign in with your email and the password you chose; if the address was registered already, use the password you chose then or ask your coordinator.",
        }),
      }),
    }),
    description:
      "Self-service registration in the register of active citizens, as APPLICANT. Public; rate-limited per client address. Says nothing about whether the address was registered already.",
    skipTypeScopes: true,
    errors: { types: [...writeErrors, RateLimitError], directResult: true },
    args: {
      input: t.arg({ type: CitizenProfileInput, required: true, description: "The citizen's data." }),
      password: t.arg.string({
        required: true,
        description: "Password: 15 to 128 characters (a few words together), not a common one nor mostly the person's own name or email.",
      }),
    },
    resolve: (_root, { input, password }, context) =>
      citizens.registerCitizen(
        context,
        { ...input, homeMunicipalityId: String(input.homeMunicipalityId), password },
        { throttle: context.loginThrottle, address: context.clientAddress },
      ),
  }),
  login: t.field({
    type: SessionPayload,
    description:
      "Signs in with email and password. Public. Throttled: too many attempts from one address, or wrong passwords for one email, answer RateLimitError for a while.",
    skipTypeScopes: true,
    errors: { types: [AuthenticationError, RateLimitError], directResult: true },
    args: {
      email: t.arg.string({ required: true, description: "Email." }),
      password: t.arg.string({ required: true, description: "Password." }),
    },
    resolve: async (_root, { email, password }, context) => {
      const session = await login(context, email, password, { throttle: context.loginThrottle, address: context.clientAddress });
      return { token: session.token, expiresAt: session.expiresAt, userId: session.user.id };
    },
  }),
  createCitizen: t.field({
    type: CitizenRef,
    description: "Staff register a citizen in their territory.",
    authScopes: { staff: true },
    errors: { types: [...writeErrors, RateLimitError], directResult: true },
    args: {
      input: t.arg({ type: CitizenProfileInput, required: true, description: "The citizen's data." }),
      initialPassword: t.arg.string({ required: false, description: "Optional password the citizen can sign in with." }),
    },
    resolve: (_root, { input, initialPassword }, context) =>
      citizens.createCitizen(context, { ...input, homeMunicipalityId: String(input.homeMunicipalityId), initialPassword }),
  }),
  updateCitizenProfile: t.field({
    type: CitizenRef,
    description: "Changes a citizen's profile: your own, or (staff) one of your territory's.",
    errors: { types: writeErrors, directResult: true },
    args: {
      citizenId: t.arg.id({ required: true, description: "The citizen." }),
      input: t.arg({ type: UpdateCitizenProfileInput, required: true, description: "The changes." }),
    },
    resolve: (_root, { citizenId, input }, context) =>
      citizens.updateCitizenProfile(context, String(citizenId), {
        ...input,
        homeMunicipalityId: input.homeMunicipalityId == null ? undefined : String(input.homeMunicipalityId),
      }),
  }),
  setCitizenLanguages: t.field({
    type: CitizenRef,
    description: "Replaces a citizen's languages.",
    errors: { types: writeErrors, directResult: true },
    args: {
      citizenId: t.arg.id({ required: true, description: "The citizen." }),
      languages: t.arg({ type: [LanguageInput], required: true, description: "The complete list." }),
    },
    resolve: (_root, { citizenId, languages }, context) => citizens.setCitizenLanguages(context, String(citizenId), languages),
  }),
  setCitizenSkills: t.field({
    type: CitizenRef,
    description: "Replaces a citizen's skills; unchanged ones keep their verification.",
    errors: { types: writeErrors, directResult: true },
    args: {
      citizenId: t.arg.id({ required: true, description: "The citizen." }),
      skills: t.arg({ type: [SkillInput], required: true, description: "The complete list." }),
    },
    resolve: (_root, { citizenId, skills }, context) => citizens.setCitizenSkills(context, String(citizenId), skills),
  }),
  verifyCitizenSkill: t.field({
    type: CitizenRef,
    description: "Staff verify (or un-verify) a skill a citizen declared.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      citizenId: t.arg.id({ required: true, description: "The citizen." }),
      skillCode: t.arg.string({ required: true, description: "The skill." }),
      verified: t.arg.boolean({ required: true, description: "True to verify, false to withdraw the verification." }),
    },
    resolve: (_root, { citizenId, skillCode, verified }, context) => citizens.verifyCitizenSkill(context, String(citizenId), skillCode, verified),
  }),
  setCitizenAvailability: t.field({
    type: CitizenRef,
    description: "Replaces a citizen's weekly windows and dated exceptions (see Availability for daylight saving).",
    errors: { types: writeErrors, directResult: true },
    args: {
      citizenId: t.arg.id({ required: true, description: "The citizen." }),
      windows: t.arg({ type: [AvailabilityWindowInput], required: true, description: "Weekly windows; none may overlap on a day." }),
      exceptions: t.arg({ type: [AvailabilityExceptionInput], required: false, description: "Dated exceptions." }),
    },
    resolve: (_root, { citizenId, windows, exceptions }, context) =>
      citizens.setCitizenAvailability(context, String(citizenId), toWindows(windows), toExceptions(exceptions ?? [])),
  }),
  recordTraining: t.prismaField({
    type: "TrainingRecord",
    description: "Staff record a training course a citizen completed. The expiry defaults from the course's validity.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      citizenId: t.arg.id({ required: true, description: "The citizen." }),
      courseCode: t.arg.string({ required: true, description: "Code of the course." }),
      completedOn: t.arg({ type: "Date", required: true, description: "Completion date." }),
      expiresOn: t.arg({ type: "Date", required: false, description: "Expiry, if not the course's default." }),
    },
    resolve: async (query, _root, args, context) =>
      reread(query, context, "TrainingRecord", await citizens.recordTraining(context, { ...args, citizenId: String(args.citizenId) })),
  }),
  recordCriminalRecordCheck: t.prismaField({
    type: "CriminalRecordCheck",
    description: "Staff record a criminal-record check.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      citizenId: t.arg.id({ required: true, description: "The citizen." }),
      checkedOn: t.arg({ type: "Date", required: true, description: "Date of the certificate." }),
      expiresOn: t.arg({ type: "Date", required: true, description: "Date after which a new check is needed." }),
    },
    resolve: async (query, _root, args, context) =>
      reread(query, context, "CriminalRecordCheck", await citizens.recordCriminalRecordCheck(context, { ...args, citizenId: String(args.citizenId) })),
  }),
  recordInsuranceCover: t.prismaField({
    type: "InsuranceCover",
    description: "Staff record an insurance cover.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      citizenId: t.arg.id({ required: true, description: "The citizen." }),
      policyNumber: t.arg.string({ required: true, description: "Policy number." }),
      insurer: t.arg.string({ required: false, description: "Insurer." }),
      validFrom: t.arg({ type: "Date", required: true, description: "First day of cover." }),
      validTo: t.arg({ type: "Date", required: true, description: "Last day of cover." }),
    },
    resolve: async (query, _root, args, context) =>
      reread(query, context, "InsuranceCover", await citizens.recordInsuranceCover(context, { ...args, citizenId: String(args.citizenId) })),
  }),
  changeEnrolmentStatus: t.field({
    type: CitizenRef,
    description:
      "Moves a citizen along APPLICANT -> ENROLLED -> SUSPENDED -> WITHDRAWN (and WITHDRAWN -> APPLICANT to apply again). Staff make any legal move; a citizen may withdraw or apply again. Enrolment needs the required training and insurance valid today; suspending and withdrawing need a reason.",
    errors: { types: writeErrors, directResult: true },
    args: {
      citizenId: t.arg.id({ required: true, description: "The citizen." }),
      to: t.arg({ type: EnrolmentStatusEnum, required: true, description: "New status." }),
      reason: t.arg.string({ required: false, description: "Why (required to suspend or withdraw)." }),
    },
    resolve: (_root, { citizenId, to, reason }, context) => citizens.changeEnrolmentStatus(context, String(citizenId), to, reason),
  }),
}));

export { AvailabilityRef, AvailabilityWindowRef, AvailabilityWindowInput, AvailabilityExceptionInput, TimeIntervalRef };
