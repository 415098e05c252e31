// GraphQL for the programme's indicators (coordinators: their territory; administrators: any) and
// a citizen's own hours statement. The same report is served as CSV at /reports/programme.csv.
import { builder } from "../graphql/builder";
import { writeErrors } from "../graphql/errors";
import * as reports from "./reports.service";

type Report = reports.ProgrammeReport;

const HoursRef = builder.objectRef<reports.LabelledHours>("ReportHours").implement({
  description: "Hours of one group, from the ledger: planned (until decided), pending (logged, not decided), done (decided).",
  fields: (t) => ({
    key: t.exposeString("key", { description: "The group: a pact id, an activity kind, a month (YYYY-MM) or a municipality id (remote: remote)." }),
    label: t.exposeString("label", { description: "The group in words." }),
    plannedMinutes: t.exposeInt("plannedMinutes", { description: "Planned minutes." }),
    pendingMinutes: t.exposeInt("pendingMinutes", { description: "Logged, waiting for a decision." }),
    doneMinutes: t.exposeInt("doneMinutes", { description: "Done (decided)." }),
  }),
});

const TotalRef = builder.objectRef<Report["hours"]["total"]>("ReportHoursTotal").implement({
  description: "All hours of the report.",
  fields: (t) => ({
    plannedMinutes: t.exposeInt("plannedMinutes", { description: "Planned minutes." }),
    pendingMinutes: t.exposeInt("pendingMinutes", { description: "Logged, waiting for a decision." }),
    doneMinutes: t.exposeInt("doneMinutes", { description: "Done (decided)." }),
  }),
});

const CountRef = builder.objectRef<{ status: string; count: number }>("StatusCount").implement({
  description: "How many in one status.",
  fields: (t) => ({ status: t.exposeString("status", { description: "Status." }), count: t.exposeInt("count", { description: "How many." }) }),
});

const FamilyRowRef = builder.objectRef<Report["families"]["perFamily"][number]>("ReportFamily").implement({
  description: "A family's tasks in the period.",
  fields: (t) => ({
    familyId: t.exposeID("familyId", { description: "The family." }),
    name: t.exposeString("name", { description: "How staff refer to it." }),
    tasks: t.exposeInt("tasks", { description: "Tasks with an occurrence in the period." }),
    occurrences: t.exposeInt("occurrences", { description: "Occurrences in the period (not cancelled)." }),
    filledOccurrences: t.exposeInt("filledOccurrences", { description: "Of which filled or done." }),
  }),
});

const RotaRowRef = builder.objectRef<Report["houses"][number]["rota"][number]>("ReportRota").implement({
  description: "A household's turns of a rota in the period against its fair share, and the running totals.",
  fields: (t) => ({
    householdId: t.exposeID("householdId", { description: "The household." }),
    name: t.exposeString("name", { description: "Its family's name." }),
    activityId: t.exposeID("activityId", { description: "The rota." }),
    duties: t.exposeInt("duties", { description: "Turns in the period." }),
    share: t.exposeFloat("share", { description: "Fair share in the period." }),
    cumulativeDuties: t.exposeInt("cumulativeDuties", { description: "Turns since the first published plan." }),
    cumulativeShare: t.exposeFloat("cumulativeShare", { description: "Fair share since the first published plan." }),
  }),
});

const HouseRowRef = builder.objectRef<Report["houses"][number]>("ReportHouse").implement({
  description: "A shared house's activities in the period.",
  fields: (t) => ({
    houseId: t.exposeID("houseId", { description: "The house." }),
    name: t.exposeString("name", { description: "Its name." }),
    held: t.exposeInt("held", { description: "Activities recorded as held." }),
    cancelled: t.exposeInt("cancelled", { description: "Activities called off." }),
    planned: t.exposeInt("planned", { description: "Activities planned, not recorded yet." }),
    rota: t.field({ type: [RotaRowRef], description: "Rota balance per household.", resolve: (h) => h.rota }),
  }),
});

const ReportRef = builder.objectRef<Report>("ProgrammeReport").implement({
  description:
    "The programme's indicators for a territory and a period [from, to), by the local date of the occurrences. Hours come from the ledger, so they add up with hoursLedger.",
  fields: (t) => ({
    territoryId: t.exposeID("territoryId", { description: "The territory." }),
    from: t.field({ type: "Date", description: "First day.", resolve: (r) => r.from }),
    to: t.field({ type: "Date", description: "Day after the last.", resolve: (r) => r.to }),
    citizensRegistered: t.int({
      description: "Citizens in the register by the end of the period (living in the territory).",
      resolve: (r) => r.citizens.registered,
    }),
    citizensEnrolled: t.int({ description: "Of which enrolled at the end of the period.", resolve: (r) => r.citizens.enrolled }),
    citizensActive: t.int({ description: "Citizens with an active commitment in the period.", resolve: (r) => r.citizens.active }),
    pactsByStatus: t.field({ type: [CountRef], description: "Pacts overlapping the period, by status.", resolve: (r) => r.pactsByStatus }),
    hoursTotal: t.field({ type: TotalRef, description: "All hours.", resolve: (r) => r.hours.total }),
    hoursByPact: t.field({ type: [HoursRef], description: "Hours by pact.", resolve: (r) => r.hours.byPact }),
    hoursByActivityKind: t.field({ type: [HoursRef], description: "Hours by activity kind.", resolve: (r) => r.hours.byActivityKind }),
    hoursByMonth: t.field({ type: [HoursRef], description: "Hours by month.", resolve: (r) => r.hours.byMonth }),
    hoursByMunicipality: t.field({ type: [HoursRef], description: "Hours by municipality.", resolve: (r) => r.hours.byMunicipality }),
    familiesSupported: t.int({ description: "Families with an active commitment in the period.", resolve: (r) => r.families.supported }),
    families: t.field({ type: [FamilyRowRef], description: "Tasks and filled occurrences per family.", resolve: (r) => r.families.perFamily }),
    seats: t.int({ description: "Seats (headcount) of the occurrences in the period.", resolve: (r) => r.seats.seats }),
    seatsFilled: t.int({ description: "Seats with an active commitment.", resolve: (r) => r.seats.filled }),
    fillRate: t.float({ nullable: true, description: "Filled seats over seats.", resolve: (r) => r.seats.fillRate }),
    medianHoursToFill: t.float({
      nullable: true,
      description: "Median hours from a seat's first offer to its commitment.",
      resolve: (r) => r.seats.medianHoursToFill,
    }),
    offersMade: t.int({ description: "Offers made.", resolve: (r) => r.offers.made }),
    offersAccepted: t.int({ description: "Accepted.", resolve: (r) => r.offers.accepted }),
    offersDeclined: t.int({ description: "Declined.", resolve: (r) => r.offers.declined }),
    offersExpired: t.int({ description: "Expired unanswered.", resolve: (r) => r.offers.expired }),
    declineRate: t.float({ nullable: true, description: "Declined over answered (accepted or declined).", resolve: (r) => r.offers.declineRate }),
    replacements: t.int({
      description: "Replacement offers made (a seat freed by a decline, an expiry or a withdrawal).",
      resolve: (r) => r.offers.replacements,
    }),
    replacementsAccepted: t.int({ description: "Of which accepted.", resolve: (r) => r.offers.replacementsAccepted }),
    decidedCommitments: t.int({ description: "Active commitments whose hours a coordinator decided.", resolve: (r) => r.attendance.decided }),
    noShows: t.int({ description: "Of which with no minutes done.", resolve: (r) => r.attendance.noShows }),
    noShowRate: t.float({ nullable: true, description: "No-shows over decided commitments.", resolve: (r) => r.attendance.noShowRate }),
    houses: t.field({ type: [HouseRowRef], description: "Shared houses: activities held, cancelled, planned; rota balance.", resolve: (r) => r.houses }),
  }),
});

const StatementRef = builder.objectRef<reports.HoursStatementLine>("HoursStatementLine").implement({
  description: "A citizen's hours under one pact in a year.",
  fields: (t) => ({
    pactId: t.exposeID("pactId", { description: "The pact." }),
    title: t.exposeString("title", { description: "Its title." }),
    budgetMinutes: t.exposeInt("budgetMinutes", { description: "The pact's hour budget, in minutes." }),
    plannedMinutes: t.exposeInt("plannedMinutes", { description: "Planned minutes." }),
    pendingMinutes: t.exposeInt("pendingMinutes", { description: "Logged, waiting for a decision." }),
    doneMinutes: t.exposeInt("doneMinutes", { description: "Done (decided)." }),
  }),
});

builder.queryFields((t) => ({
  programmeReport: t.field({
    type: ReportRef,
    description:
      "The programme's indicators for a territory and a period (coordinators: their territory; administrators: any). CSV: GET /reports/programme.csv?territoryId=&from=&to= with the same bearer token.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      territoryId: t.arg.id({ required: true, description: "The territory." }),
      from: t.arg({ type: "Date", required: true, description: "First day." }),
      to: t.arg({ type: "Date", required: true, description: "Day after the last." }),
    },
    resolve: (_r, { territoryId, from, to }, context) => reports.programmeReport(context, String(territoryId), from, to),
  }),
  myHoursStatement: t.field({
    type: [StatementRef],
    description: "The signed-in citizen's hours per pact in a year (for the regulation's yearly report).",
    authScopes: { citizen: true },
    errors: { types: writeErrors, dataField: { description: "One line per pact." } },
    args: { year: t.arg.int({ required: true, description: "The year." }) },
    resolve: (_r, { year }, context) => reports.myHoursStatement(context, year),
  }),
}));
