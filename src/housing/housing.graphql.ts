// GraphQL for shared housing: staff set houses up, tutors plan them (propose, pin, move with an
// explanation, re-plan, publish, record what happened, rota balance), residents read the plan.
import { loaderFor } from "../graphql/loaders";
import { familyName } from "../privacy/erased.model";
import {
  AvailabilityExceptionInput,
  AvailabilityRef,
  AvailabilityWindowInput,
  AvailabilityWindowRef,
  toExceptions,
  toWindows,
} from "../citizens/citizens.graphql";
import { fromDbDate } from "../db/dates";
import { builder } from "../graphql/builder";
import type { Context } from "../graphql/context";
import { weekdayName, weekdayNumber, WeekdayEnum } from "../graphql/enums";
import { writeErrors } from "../graphql/errors";
import { housingReasonMessage, type HousingReason } from "../i18n/housing";
import { formatLocalTime, parseLocalTime } from "../time/local-time";
import { busyOf, openingOf } from "./housing.repository";
import * as housing from "./housing.service";
import type { PlacementReason, Plan, RotaBalance, Unplaced } from "./planner.model";
import type { Subject } from "../auth/personal";
import { householdSubject, houseTerritory, personal, staffSubject } from "../graphql/personal";
import { reread } from "../graphql/payload";

const HousingActivityKindEnum = builder.enumType("HousingActivityKind", {
  description: "What a tutor plans in a shared house.",
  values: {
    HOUSE_MEETING: { description: "House meeting: usually every household." },
    SHARED_MEAL: { description: "Shared meal, cooked by a rota of households." },
    CHORE: { description: "A chore rota: cleaning common spaces, rubbish, laundry." },
    ITALIAN_CONVERSATION: { description: "Italian conversation." },
    WELCOME: { description: "Welcome of a new household." },
    MEDIATION: { description: "Mediation session: needs a cultural mediator or a volunteer with a language; the weekly matching fills it." },
    FREE: { description: "Any other activity." },
  } as const,
});

const HousingAttendanceEnum = builder.enumType("HousingAttendance", {
  description: "Who must attend an activity (anyone else may).",
  values: {
    ALL: { description: "Every household living in the house that day." },
    ROTA: { description: "The households on duty, in turn." },
    LISTED: { description: "The listed households (none: open to all, nobody required)." },
  } as const,
});

const HousingFrequencyEnum = builder.enumType("HousingFrequency", {
  description: "How often an activity happens.",
  values: { WEEKLY: { description: "Once every N calendar weeks." }, TIMES: { description: "N times in the planned period, spread evenly." } } as const,
});

const HousePlanStatusEnum = builder.enumType("HousePlanStatus", {
  description: "Where a house's plan is.",
  values: {
    DRAFT: { description: "Proposed, being reviewed by the tutor." },
    PUBLISHED: { description: "Published to households and tutors." },
    DISCARDED: { description: "Replaced by a newer draft." },
  } as const,
});

const HousingOccurrenceStatusEnum = builder.enumType("HousingOccurrenceStatus", {
  description: "What became of an occurrence.",
  values: {
    PLANNED: { description: "Planned." },
    HELD: { description: "Held (recorded by a tutor)." },
    CANCELLED: { description: "Called off." },
    SUPERSEDED: { description: "Replaced by a later published plan." },
  } as const,
});

const HousingReasonEnum = builder.enumType("HousingRule", {
  description: "A rule of the shared-housing planner a time can break.",
  values: {
    OUTSIDE_PERIOD: { description: "Outside the plan's period." },
    OUTSIDE_OPENING_HOURS: { description: "The space is closed." },
    QUIET_HOURS: { description: "During quiet hours." },
    ATTENDEE_ABSENT: { description: "A household that must attend does not live there then." },
    ATTENDEE_BUSY: { description: "A household that must attend is busy (work, school, courses)." },
    TOO_FEW_FREE_FOR_ROTA: { description: "Too few households free to take the turn." },
    SPACE_DOUBLE_BOOKED: { description: "The space is taken." },
    HOUSEHOLD_DOUBLE_BOOKED: { description: "A household would be in two places." },
    DUTIES_CLASH: { description: "Another rota or whole-house activity at the same time." },
    TOO_CLOSE_TO_SAME_ACTIVITY: { description: "Closer than the activity's minimum spacing." },
  } as const,
});

// Personal fields (src/auth/personal.ts): a household's busy times and family are for the
// household, the house's tutors and staff; how it is named and when it lives there, for everyone
// who lives or works in the house; a house's address likewise; an occurrence's note and task
// (which names the family) for the tutors and staff.
const ofHousehold = (h: { houseId: string; contactUserId: string | null }, context: Context) => householdSubject(context, h);
const ofHouseMember = async (h: { houseId: string }, context: Context): Promise<Subject> => ({
  kind: "house",
  houseIds: [h.houseId],
  territoryId: await houseTerritory(context, h.houseId),
});
const ofHouse = (h: { id: string; territoryId: string }): Subject => ({ kind: "house", houseIds: [h.id], territoryId: h.territoryId });
const ofHouseStaff = async (o: { planId: string }, context: Context) => {
  const houseId = await loaderFor<string, string>(context, "planHouse", async (ids) => {
    const plans = await context.prisma.housePlan.findMany({ where: { id: { in: [...ids] } }, select: { id: true, houseId: true } });
    return ids.map((id) => plans.find((p) => p.id === id)?.houseId ?? "");
  }).load(o.planId);
  return staffSubject(await houseTerritory(context, houseId), [houseId]);
};

const LocalRangeRef = builder.objectRef<{ start: number; end: number }>("LocalTimeRange").implement({
  description: "A daily range of wall-clock time in Europe/Rome; it may wrap midnight (22:00-07:00).",
  fields: (t) => ({
    start: t.field({ type: "LocalTime", description: "Start.", resolve: (r) => formatLocalTime(r.start) }),
    end: t.field({ type: "LocalTime", description: "End.", resolve: (r) => formatLocalTime(r.end) }),
  }),
});

builder.prismaObject("House", {
  description: "A shared, collaborative social house where several households live together.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    name: t.exposeString("name", { description: "Name." }),
    municipality: t.relation("municipality", { description: "Municipality." }),
    address: t.exposeString("address", { ...personal(ofHouse), description: "Address (shown to staff, its tutors and residents only)." }),
    quietHours: t.field({
      type: LocalRangeRef,
      description: "Daily quiet hours: nothing is planned then.",
      resolve: (h) => ({ start: h.quietStartMinute, end: h.quietEndMinute }),
    }),
    spaces: t.relation("spaces", { description: "Common spaces.", query: { orderBy: { name: "asc" } } }),
    // The list itself (ids) goes with the house; each household's name and dates are personal.
    households: t.relation("households", { description: "Households, past and present, by move-in.", query: { orderBy: { moveIn: "asc" } } }),
    tutors: t.stringList({
      description: "Names of the housing tutors assigned.",
      resolve: async (h, _a, context) =>
        (await context.prisma.houseTutor.findMany({ where: { houseId: h.id }, include: { user: { select: { displayName: true } } } }))
          .map((x) => x.user.displayName)
          .sort(),
    }),
    activities: t.relation("activities", { description: "Activities to plan (active first).", query: { orderBy: [{ active: "desc" }, { createdAt: "asc" }] } }),
    plans: t.relation("plans", {
      description: "Plans, newest first (residents see published ones only).",
      query: (_args, context) => ({
        where: context.viewer?.role === "RESIDENT" ? { status: "PUBLISHED" as const } : {},
        orderBy: { createdAt: "desc" as const },
        take: 50,
      }),
    }),
  }),
});

builder.prismaObject("CommonSpace", {
  description: "A room or area the households share.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    name: t.exposeString("name", { description: "Name." }),
    capacity: t.exposeInt("capacity", { description: "How many people it holds." }),
    opening: t.field({
      type: [AvailabilityWindowRef],
      description: "Weekly opening hours; an activity fits inside one window.",
      resolve: (s) => openingOf(s.opening),
    }),
  }),
});

builder.prismaObject("Household", {
  description: "A family living in a shared house.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    name: t.string({
      ...personal(ofHouseMember),
      description: "How the house refers to the family (for those who live or work in the house, and staff).",
      resolve: (h, _a, context) =>
        loaderFor<string, string>(context, "familyName", async (ids) => {
          const families = await context.prisma.family.findMany({ where: { id: { in: [...ids] } }, select: { id: true, referenceName: true, erasedAt: true } });
          return ids.map((id) => {
            const family = families.find((f) => f.id === id);
            return family ? familyName(family, context.lang) : "?";
          });
        }).load(h.familyId),
    }),
    familyId: t.exposeID("familyId", { ...personal(ofHousehold), description: "The family (staff, the house's tutors, the household itself)." }),
    moveIn: t.field({ ...personal(ofHouseMember), type: "Date", description: "Moved in (inclusive).", resolve: (h) => fromDbDate(h.moveIn) }),
    moveOut: t.field({
      ...personal(ofHouseMember),
      type: "Date",
      description: "Moves out (exclusive); null while open-ended.",
      resolve: (h) => (h.moveOut ? fromDbDate(h.moveOut) : null),
    }),
    busy: t.field({
      ...personal(ofHousehold),
      type: AvailabilityRef,
      description:
        "When the household is busy (work shifts, school, courses): weekly windows are busy time, UNAVAILABLE exceptions add busy time, AVAILABLE ones free it. For the household itself, the house's tutors and staff only.",
      resolve: (h) => {
        const busy = busyOf(h.busy);
        return { windows: busy.windows, exceptions: busy.exceptions.map((x) => ({ ...x })) };
      },
    }),
  }),
});

builder.prismaObject("HousingActivity", {
  description: "Something tutors plan in a house, with its rules.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    kind: t.expose("kind", { type: HousingActivityKindEnum, description: "Kind." }),
    name: t.exposeString("name", { description: "Name." }),
    space: t.relation("space", { nullable: true, description: "Where (null: outside the common spaces)." }),
    durationMinutes: t.exposeInt("durationMinutes", { description: "Length in minutes." }),
    attendance: t.expose("attendance", { type: HousingAttendanceEnum, description: "Who must attend." }),
    householdIds: t.exposeIDList("householdIds", { description: "LISTED: the households that must attend." }),
    householdsPerTurn: t.exposeInt("householdsPerTurn", { description: "ROTA: households on duty each time." }),
    frequency: t.expose("frequency", { type: HousingFrequencyEnum, description: "How often." }),
    everyWeeks: t.exposeInt("everyWeeks", { description: "WEEKLY: every how many weeks." }),
    times: t.exposeInt("times", { description: "TIMES: how many times in a period." }),
    preferredWeekdays: t.field({ type: [WeekdayEnum], description: "Preferred days (empty: any).", resolve: (a) => a.preferredWeekdays.map(weekdayName) }),
    preferredWindow: t.field({
      type: LocalRangeRef,
      nullable: true,
      description: "Preferred time of day (soft).",
      resolve: (a) => (a.preferredStartMinute === null || a.preferredEndMinute === null ? null : { start: a.preferredStartMinute, end: a.preferredEndMinute }),
    }),
    minSpacingHours: t.exposeInt("minSpacingHours", { description: "Least hours between two occurrences' starts." }),
    mediationLanguage: t.exposeString("mediationLanguage", { nullable: true, description: "MEDIATION: the language the mediator must speak." }),
    active: t.exposeBoolean("active", { description: "Whether plans include it." }),
  }),
});

interface ReasonCount {
  reason: HousingReason;
  count: number;
}

const ReasonCountRef = builder.objectRef<ReasonCount>("HousingRuleCount").implement({
  description: "How many candidate times one rule ruled out.",
  fields: (t) => ({
    rule: t.field({ type: HousingReasonEnum, description: "The rule.", resolve: (r) => r.reason }),
    count: t.exposeInt("count", { description: "Candidate times ruled out." }),
    message: t.string({ description: "The rule in the caller's language.", resolve: (r, _a, context) => housingReasonMessage(r.reason, context.lang) }),
  }),
});

const activityField = (activityId: string, context: Context) => context.prisma.housingActivity.findUniqueOrThrow({ where: { id: activityId } });

const UnplacedRef = builder.objectRef<Unplaced>("UnplacedHousingOccurrence").implement({
  description: "An occurrence the planner could not place, and why.",
  fields: (t) => ({
    activity: t.prismaField({ type: "HousingActivity", description: "The activity.", resolve: (_q, u, _a, context) => activityField(u.activityId, context) }),
    index: t.exposeInt("index", { description: "Which occurrence of the activity in the period (0, 1, ...)." }),
    windowFrom: t.field({ type: "Date", description: "First date it could go on.", resolve: (u) => u.windowFrom }),
    windowTo: t.field({ type: "Date", description: "Day after the last date it could go on.", resolve: (u) => u.windowTo }),
    ruledOut: t.field({
      type: [ReasonCountRef],
      description: "How many candidate times each rule ruled out.",
      resolve: (u) =>
        (Object.entries(u.reasonCounts) as [PlacementReason, number][]).map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    }),
    clashing: t.exposeInt("clashing", { description: "Times that kept every rule but clashed with other occurrences (space, households, spacing)." }),
  }),
});

const PinViolationRef = builder.objectRef<Plan["pinViolations"][number]>("DroppedPin").implement({
  description: "A pinned time the planner could not keep, with the rules it breaks.",
  fields: (t) => ({
    activity: t.prismaField({ type: "HousingActivity", description: "The activity.", resolve: (_q, p, _a, context) => activityField(p.activityId, context) }),
    start: t.field({ type: "DateTime", description: "The pinned start.", resolve: (p) => new Date(p.start) }),
    rules: t.field({ type: [HousingReasonEnum], description: "The rules it breaks.", resolve: (p) => p.reasons }),
    message: t.string({
      description: "The rules in the caller's language.",
      resolve: (p, _a, context) => p.reasons.map((r) => housingReasonMessage(r, context.lang)).join("; "),
    }),
  }),
});

const RotaShareRef = builder.objectRef<RotaBalance>("RotaShare").implement({
  description: "A household's turns of a rota against its fair share (earlier periods included).",
  fields: (t) => ({
    activity: t.prismaField({ type: "HousingActivity", description: "The rota.", resolve: (_q, r, _a, context) => activityField(r.activityId, context) }),
    household: t.prismaField({
      type: "Household",
      description: "The household.",
      resolve: (q, r, _a, context) => context.prisma.household.findUniqueOrThrow({ ...q, where: { id: r.householdId } }),
    }),
    duties: t.exposeInt("duties", { description: "Turns." }),
    share: t.exposeFloat("share", { description: "Fair share: each turn split among the households living there that day." }),
  }),
});

type Report = Pick<Plan, "unplaced" | "pinViolations" | "repeatedDuties" | "rotaBalance">;
const reportOf = (plan: { report: unknown }) => plan.report as Report;

builder.prismaObject("HousePlan", {
  description: "A proposed or published plan of a house for a period.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    house: t.relation("house", { description: "The house." }),
    from: t.field({ type: "Date", description: "First day.", resolve: (p) => fromDbDate(p.periodFrom) }),
    to: t.field({ type: "Date", description: "Day after the last.", resolve: (p) => fromDbDate(p.periodTo) }),
    status: t.expose("status", { type: HousePlanStatusEnum, description: "Status." }),
    optimal: t.exposeBoolean("optimal", { description: "Whether the solver proved the plan best for its objective." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was proposed." }),
    publishedAt: t.expose("publishedAt", { type: "DateTime", nullable: true, description: "When it was published." }),
    occurrences: t.relation("occurrences", { description: "Its occurrences, by start.", query: { orderBy: [{ startsAt: "asc" }, { id: "asc" }] } }),
    unplaced: t.field({ type: [UnplacedRef], description: "Occurrences it could not place, with why.", resolve: (p) => reportOf(p).unplaced }),
    droppedPins: t.field({
      type: [PinViolationRef],
      description: "Pins it could not keep, with the rules they break.",
      resolve: (p) => reportOf(p).pinViolations,
    }),
    repeatedTurns: t.int({
      description: "Times a household has the same rota turn twice in a row (only where unavoidable).",
      resolve: (p) => Object.values(reportOf(p).repeatedDuties).reduce((s, n) => s + n, 0),
    }),
    rotaShares: t.field({
      type: [RotaShareRef],
      description: "Each household's rota turns against its fair share, earlier periods included.",
      resolve: (p) => reportOf(p).rotaBalance,
    }),
  }),
});

const AttendanceRef = builder.prismaObject("HousingAttendanceRecord", {
  description: "Whether a household took part in a held occurrence.",
  fields: (t) => ({
    household: t.relation("household", { description: "The household." }),
    present: t.exposeBoolean("present", { description: "Whether it took part." }),
  }),
});

builder.prismaObject("HousingOccurrence", {
  description: "One dated occurrence of an activity in a plan.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    activity: t.relation("activity", { description: "The activity." }),
    startsAt: t.expose("startsAt", { type: "DateTime", description: "Start." }),
    endsAt: t.expose("endsAt", { type: "DateTime", description: "End." }),
    duty: t.prismaField({
      type: ["Household"],
      description: "ROTA: the households on duty.",
      resolve: async (q, o, _a, context) => {
        const rows = await context.prisma.household.findMany({ ...q, where: { id: { in: o.duty } } });
        return o.duty.map((id) => rows.find((r) => r.id === id)!).filter(Boolean);
      },
    }),
    pinned: t.exposeBoolean("pinned", { description: "Pinned by a tutor: a re-plan keeps it." }),
    status: t.expose("status", { type: HousingOccurrenceStatusEnum, description: "What became of it." }),
    note: t.exposeString("note", { ...personal(ofHouseStaff), description: "The tutor's short note (tutors and staff)." }),
    recordedAt: t.expose("recordedAt", { type: "DateTime", nullable: true, description: "When it was recorded." }),
    attendance: t.field({
      type: [AttendanceRef],
      description: "Held: who took part.",
      resolve: (o, _a, context) => context.prisma.housingAttendanceRecord.findMany({ where: { occurrenceId: o.id } }),
    }),
    task: t.prismaField({
      ...personal(ofHouseStaff),
      type: "Task",
      description: "MEDIATION: the task the weekly matching fills with a mediator (staff and tutors).",
      resolve: (q, o, _a, context) => (o.taskId ? context.prisma.task.findUnique({ ...q, where: { id: o.taskId } }) : null),
    }),
  }),
});

const RotaBalanceRowRef = builder.objectRef<housing.RotaBalanceRow>("RotaBalanceMonth").implement({
  description: "A household's turns of one rota in a month against its fair share, with running totals.",
  fields: (t) => ({
    month: t.exposeString("month", { description: "YYYY-MM." }),
    activity: t.prismaField({ type: "HousingActivity", description: "The rota.", resolve: (_q, r, _a, context) => activityField(r.activityId, context) }),
    household: t.prismaField({
      type: "Household",
      description: "The household.",
      resolve: (q, r, _a, context) => context.prisma.household.findUniqueOrThrow({ ...q, where: { id: r.householdId } }),
    }),
    duties: t.exposeInt("duties", { description: "Turns in the month." }),
    share: t.exposeFloat("share", { description: "Fair share in the month." }),
    cumulativeDuties: t.exposeInt("cumulativeDuties", { description: "Turns since the first published plan." }),
    cumulativeShare: t.exposeFloat("cumulativeShare", { description: "Fair share since the first published plan." }),
  }),
});

// --- inputs --------------------------------------------------------------------------------------

const LocalRangeInput = builder.inputType("LocalTimeRangeInput", {
  description: "A daily range of wall-clock time (it may wrap midnight for quiet hours).",
  fields: (t) => ({
    start: t.field({ type: "LocalTime", required: true, description: "Start, HH:mm." }),
    end: t.field({ type: "LocalTime", required: true, description: "End, HH:mm." }),
  }),
});

const SpaceInput = builder.inputType("CommonSpaceInput", {
  description: "A common space of a new house.",
  fields: (t) => ({
    name: t.string({ required: true, description: "Name (unique in the house)." }),
    capacity: t.int({ required: true, description: "How many people it holds." }),
    opening: t.field({ type: [AvailabilityWindowInput], required: true, description: "Weekly opening hours." }),
  }),
});

const BusyInput = builder.inputType("BusyTimesInput", {
  description: "When a household is busy: weekly windows, plus dated exceptions (UNAVAILABLE adds busy time, AVAILABLE frees it).",
  fields: (t) => ({
    windows: t.field({ type: [AvailabilityWindowInput], required: true, description: "Weekly busy windows (work shifts, school hours, courses)." }),
    exceptions: t.field({ type: [AvailabilityExceptionInput], required: false, description: "Dated exceptions." }),
  }),
});

const toBusy = (busy: { windows: Parameters<typeof toWindows>[0]; exceptions?: Parameters<typeof toExceptions>[0] | null }) => ({
  windows: toWindows(busy.windows, "busy.windows"),
  exceptions: toExceptions(busy.exceptions ?? [], "busy.exceptions"),
});

const ActivityInput = builder.inputType("HousingActivityInput", {
  description: "An activity tutors plan in a house.",
  fields: (t) => ({
    kind: t.field({ type: HousingActivityKindEnum, required: true, description: "Kind." }),
    name: t.string({ required: true, description: "Name." }),
    spaceId: t.id({ required: false, description: "Common space (none: outside the common spaces)." }),
    durationMinutes: t.int({ required: true, description: "Length in minutes (15 to 720)." }),
    attendance: t.field({ type: HousingAttendanceEnum, required: true, description: "Who must attend." }),
    householdIds: t.idList({ required: false, description: "LISTED: the households that must attend (MEDIATION: the first one's family owns the task)." }),
    householdsPerTurn: t.int({ required: false, description: "ROTA: households on duty each time (default 1)." }),
    frequency: t.field({ type: HousingFrequencyEnum, required: true, description: "How often." }),
    everyWeeks: t.int({ required: false, description: "WEEKLY: every how many weeks (default 1)." }),
    times: t.int({ required: false, description: "TIMES: how many times in a planned period." }),
    preferredWeekdays: t.field({ type: [WeekdayEnum], required: false, description: "Preferred days (soft)." }),
    preferredWindow: t.field({ type: LocalRangeInput, required: false, description: "Preferred time of day (soft)." }),
    minSpacingHours: t.int({ required: false, description: "Least hours between two occurrences' starts (default 0)." }),
    mediationLanguage: t.string({ required: false, description: "MEDIATION: the language the mediator must speak (ISO 639-1)." }),
  }),
});

// --- queries -------------------------------------------------------------------------------------

builder.queryFields((t) => ({
  houses: t.prismaField({
    type: ["House"],
    description: "Shared houses the caller may see: staff their territory's, tutors theirs, residents their own.",
    resolve: (_q, _r, _a, context) => housing.housesFor(context),
  }),
  house: t.prismaField({
    type: "House",
    description: "One shared house.",
    errors: { types: writeErrors, directResult: true },
    args: { id: t.arg.id({ required: true, description: "The house." }) },
    resolve: (_q, _r, { id }, context) => housing.houseById(context, String(id)),
  }),
  housePlan: t.prismaField({
    type: "HousePlan",
    description: "One plan of a house.",
    errors: { types: writeErrors, directResult: true },
    args: { id: t.arg.id({ required: true, description: "The plan." }) },
    resolve: (_q, _r, { id }, context) => housing.housePlanById(context, String(id)),
  }),
  houseCalendar: t.prismaField({
    type: ["HousingOccurrence"],
    description: "A house's published occurrences over [from, to), including held and cancelled ones.",
    errors: { types: writeErrors, dataField: { description: "The occurrences, by start." } },
    args: {
      houseId: t.arg.id({ required: true, description: "The house." }),
      from: t.arg({ type: "Date", required: true, description: "First day." }),
      to: t.arg({ type: "Date", required: true, description: "Day after the last." }),
    },
    resolve: (_q, _r, { houseId, from, to }, context) => housing.houseCalendar(context, String(houseId), from, to),
  }),
  houseRotaBalance: t.field({
    type: [RotaBalanceRowRef],
    description: "Tutors: each household's rota turns against its fair share, month by month, with running totals.",
    authScopes: { staff: true, tutor: true },
    errors: { types: writeErrors, dataField: { description: "One row per month, rota and household." } },
    args: {
      houseId: t.arg.id({ required: true, description: "The house." }),
      from: t.arg({ type: "Date", required: true, description: "First day." }),
      to: t.arg({ type: "Date", required: true, description: "Day after the last." }),
    },
    resolve: (_r, { houseId, from, to }, context) => housing.houseRotaBalance(context, String(houseId), from, to),
  }),
  myHousehold: t.prismaField({
    type: "Household",
    nullable: true,
    description: "Residents: their own household (its house has the plan).",
    authScopes: { resident: true },
    resolve: (_q, _r, _a, context) => housing.myHousehold(context),
  }),
}));

// --- mutations -----------------------------------------------------------------------------------

const minutes = (range: { start: string; end: string } | null | undefined, field: string) =>
  range ? { start: parseLocalTime(range.start, [field, "start"]), end: parseLocalTime(range.end, [field, "end"]) } : null;

builder.mutationFields((t) => ({
  createHouse: t.prismaField({
    type: "House",
    description: "Staff open a shared house with its common spaces, quiet hours and tutors.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      name: t.arg.string({ required: true, description: "Name." }),
      municipalityId: t.arg.id({ required: true, description: "Municipality." }),
      address: t.arg.string({ required: false, description: "Address (private)." }),
      quietHours: t.arg({ type: LocalRangeInput, required: true, description: "Daily quiet hours, e.g. 22:00-07:00." }),
      spaces: t.arg({ type: [SpaceInput], required: true, description: "Common spaces." }),
      tutorIds: t.arg.idList({ required: true, description: "Housing tutors (users with role TUTOR in the territory)." }),
    },
    resolve: async (query, _root, args, context) =>
      reread(
        query,
        context,
        "House",
        await (async () => {
          const quiet = minutes(args.quietHours, "quietHours")!;
          return housing.createHouse(context, {
            name: args.name,
            municipalityId: String(args.municipalityId),
            address: args.address,
            quietStartMinute: quiet.start,
            quietEndMinute: quiet.end,
            spaces: args.spaces.map((s, i) => ({ name: s.name, capacity: s.capacity, opening: toWindows(s.opening, `spaces.${i}.opening`) })),
            tutorIds: args.tutorIds.map(String),
          });
        })(),
      ),
  }),
  addHousehold: t.prismaField({
    type: "Household",
    description: "A family moves into a shared house (staff or its tutors).",
    authScopes: { staff: true, tutor: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      houseId: t.arg.id({ required: true, description: "The house." }),
      familyId: t.arg.id({ required: true, description: "The family." }),
      moveIn: t.arg({ type: "Date", required: true, description: "Moves in (inclusive)." }),
      moveOut: t.arg({ type: "Date", required: false, description: "Moves out (exclusive)." }),
      busy: t.arg({ type: BusyInput, required: true, description: "When the household is busy." }),
      contactUserId: t.arg.id({ required: false, description: "A RESIDENT user who reads the plan for the household." }),
    },
    resolve: async (query, _root, args, context) =>
      reread(
        query,
        context,
        "Household",
        await housing.addHousehold(context, String(args.houseId), {
          familyId: String(args.familyId),
          moveIn: args.moveIn,
          moveOut: args.moveOut,
          busy: toBusy(args.busy),
          contactUserId: args.contactUserId ? String(args.contactUserId) : null,
        }),
      ),
  }),
  updateHousehold: t.prismaField({
    type: "Household",
    description: "Changes a household's move-out date or busy times.",
    authScopes: { staff: true, tutor: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      householdId: t.arg.id({ required: true, description: "The household." }),
      moveOut: t.arg({ type: "Date", required: false, description: "Moves out (exclusive); omit to keep, null to clear." }),
      busy: t.arg({ type: BusyInput, required: false, description: "New busy times (replace the old)." }),
    },
    resolve: async (query, _root, args, context) =>
      reread(
        query,
        context,
        "Household",
        await housing.updateHousehold(context, String(args.householdId), { moveOut: args.moveOut, busy: args.busy ? toBusy(args.busy) : null }),
      ),
  }),
  createHousingActivity: t.prismaField({
    type: "HousingActivity",
    description: "A tutor adds an activity to plan in a house.",
    authScopes: { staff: true, tutor: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      houseId: t.arg.id({ required: true, description: "The house." }),
      input: t.arg({ type: ActivityInput, required: true, description: "The activity." }),
    },
    resolve: async (query, _root, { houseId, input }, context) =>
      reread(
        query,
        context,
        "HousingActivity",
        await (async () => {
          const window = minutes(input.preferredWindow, "preferredWindow");
          return housing.createHousingActivity(context, String(houseId), {
            ...input,
            spaceId: input.spaceId ? String(input.spaceId) : null,
            householdIds: input.householdIds?.map(String),
            preferredWeekdays: input.preferredWeekdays?.map(weekdayNumber),
            preferredStartMinute: window?.start ?? null,
            preferredEndMinute: window?.end ?? null,
          });
        })(),
      ),
  }),
  setHousingActivityActive: t.prismaField({
    type: "HousingActivity",
    description: "Turns an activity on or off for future plans.",
    authScopes: { staff: true, tutor: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      activityId: t.arg.id({ required: true, description: "The activity." }),
      active: t.arg.boolean({ required: true, description: "Whether plans include it." }),
    },
    resolve: async (query, _root, { activityId, active }, context) =>
      reread(query, context, "HousingActivity", await housing.setHousingActivityActive(context, String(activityId), active)),
  }),
  planHousePeriod: t.prismaField({
    type: "HousePlan",
    description: "Proposes a draft plan of a house for [from, to) (at most 92 days, from today on). An earlier draft is discarded.",
    authScopes: { staff: true, tutor: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      houseId: t.arg.id({ required: true, description: "The house." }),
      from: t.arg({ type: "Date", required: true, description: "First day." }),
      to: t.arg({ type: "Date", required: true, description: "Day after the last." }),
    },
    resolve: async (query, _root, { houseId, from, to }, context) =>
      reread(query, context, "HousePlan", await housing.planHousePeriod(context, String(houseId), from, to)),
  }),
  replanHousePlan: t.prismaField({
    type: "HousePlan",
    description: "Plans a draft again: pinned occurrences stay, the rest stays close to the published plan.",
    authScopes: { staff: true, tutor: true },
    errors: { types: writeErrors, directResult: true },
    args: { planId: t.arg.id({ required: true, description: "The draft." }) },
    resolve: async (query, _root, { planId }, context) => reread(query, context, "HousePlan", await housing.replanHousePlan(context, String(planId))),
  }),
  pinHousingOccurrence: t.prismaField({
    type: "HousingOccurrence",
    description: "Pins (or unpins) a draft's occurrence where it is.",
    authScopes: { staff: true, tutor: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      occurrenceId: t.arg.id({ required: true, description: "The occurrence." }),
      pinned: t.arg.boolean({ required: false, description: "Default true." }),
    },
    resolve: async (query, _root, { occurrenceId, pinned }, context) =>
      reread(query, context, "HousingOccurrence", await housing.pinHousingOccurrence(context, String(occurrenceId), pinned ?? true)),
  }),
  moveHousingOccurrence: t.prismaField({
    type: "HousingOccurrence",
    description:
      "Moves an occurrence to a new start, checked against the planner's rules and the plan's other occurrences; MOVE_NOT_ALLOWED lists every rule broken (details) and changes nothing.",
    authScopes: { staff: true, tutor: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      occurrenceId: t.arg.id({ required: true, description: "The occurrence." }),
      start: t.arg({ type: "DateTime", required: true, description: "The new start." }),
    },
    resolve: async (query, _root, { occurrenceId, start }, context) =>
      reread(query, context, "HousingOccurrence", await housing.moveHousingOccurrence(context, String(occurrenceId), start)),
  }),
  publishHousePlan: t.prismaField({
    type: "HousePlan",
    description: "Publishes a draft: it replaces what was planned in its period, mediation sessions get their tasks, tutors and residents are told.",
    authScopes: { staff: true, tutor: true },
    errors: { types: writeErrors, directResult: true },
    args: { planId: t.arg.id({ required: true, description: "The draft." }) },
    resolve: async (query, _root, { planId }, context) => reread(query, context, "HousePlan", await housing.publishHousePlan(context, String(planId))),
  }),
  recordHousingOccurrence: t.prismaField({
    type: "HousingOccurrence",
    description: "Records what happened: held (once started) with the households present, or cancelled.",
    authScopes: { staff: true, tutor: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      occurrenceId: t.arg.id({ required: true, description: "The occurrence." }),
      status: t.arg({
        type: builder.enumType("HousingRecordStatus", {
          description: "What happened.",
          values: { HELD: { description: "It took place." }, CANCELLED: { description: "It was called off." } } as const,
        }),
        required: true,
        description: "What happened.",
      }),
      presentHouseholdIds: t.arg.idList({ required: false, description: "HELD: the households that took part." }),
      note: t.arg.string({ required: false, description: "A short note (up to 280 characters; keep it minimal)." }),
    },
    resolve: async (query, _root, args, context) =>
      reread(
        query,
        context,
        "HousingOccurrence",
        await housing.recordHousingOccurrence(context, String(args.occurrenceId), {
          status: args.status,
          presentHouseholdIds: args.presentHouseholdIds?.map(String),
          note: args.note,
        }),
      ),
  }),
}));
