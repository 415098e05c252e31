// The weekly matching for coordinators: start a run, follow it, review the proposal with its
// explanations, pin or exclude pairs and run again.
import { requireStaff } from "../auth/access";
import type { Context } from "../graphql/context";
import type { MatchingRun as MatchingRunRow } from "../generated/prisma/client";
import { fromDbDate, toDbDate } from "../db/dates";
import { NotFoundError } from "../errors";
import { builder } from "../graphql/builder";
import { writeErrors } from "../graphql/errors";
import { loaderFor, rowsById, withId } from "../graphql/loaders";
import { DateTime } from "luxon";
import { gapMessage, runFailureMessage, TERM_NAMES } from "../i18n/explanations";
import type { RunFailure, RunFailureCode } from "./run-failure.model";
import type { MatchingSolution } from "../solver/problem";
import { pairKey, type ScoreTerm } from "./compile.model";
import type { AssignmentExplanation, GapExplanation } from "./explain.model";
import * as matching from "./matching.service";
import type { RunSummary } from "./run-summary.model";
import { reread } from "../graphql/payload";
import { citizenFullName } from "../privacy/erased.model";

const MatchingRunStatusEnum = builder.enumType("MatchingRunStatus", {
  description: "Where a matching run is.",
  values: {
    QUEUED: { description: "Waiting for a worker." },
    RUNNING: { description: "Being solved." },
    DONE: { description: "Proposal ready." },
    FAILED: { description: "Failed; see error." },
  } as const,
});

const MatchingRunFailureCodeEnum = builder.enumType("MatchingRunFailureCode", {
  description: "Why a matching run failed.",
  values: {
    PINS_CANNOT_ALL_BE_KEPT: { description: "Pinned assignments break a rule together (seats, hours or overlapping times): the message names them." },
    NO_REGULATION: { description: "No regulation is in force for the week." },
    INVALID_WEEK: { description: "The week's data could not be made into a matching problem." },
    INTERNAL: { description: "An internal error; the run can be started again." },
    WORKER_LOST: { description: "The process working on the run stopped too many times; the run can be started again." },
    NOT_STARTED: { description: "No worker took the run in time (none running?); the run can be started again." },
    TIMED_OUT: { description: "The run did not finish within its time limit and was stopped; it can be started again." },
  } as const,
});

const SolverStopEnum = builder.enumType("SolverStop", {
  description: "What ended the optimiser's search (docs/solver.md).",
  values: {
    OPTIMAL: { description: "Proven optimal: the bound meets the value." },
    GAP: { description: "Within the relative gap that was asked for." },
    WORK_LIMIT: { description: "The deterministic work budget ran out: the gap says how far from the bound it is." },
    TIME_LIMIT: { description: "The wall-clock safety stop fired (a machine too busy for the work asked)." },
    HEURISTIC: { description: "A method that does not search for a proof was used." },
  } as const,
});

/**
 * Names of citizens and occurrences as they read now: a citizen by full name (an erased one as
 * such), an occurrence by its task's title. Runs store ids only, so erasure never edits them.
 * One query per table for all the names a request needs.
 */
async function namesOf(context: Context, ids: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  const loader = loaderFor<string, string>(context, "run-names", async (keys) => {
    const [citizens, occurrences] = await Promise.all([
      context.prisma.citizen.findMany({ where: { id: { in: [...keys] } }, select: { id: true, firstName: true, lastName: true, erasedAt: true } }),
      context.prisma.taskOccurrence.findMany({ where: { id: { in: [...keys] } }, select: { id: true, task: { select: { title: true } } } }),
    ]);
    const found = new Map<string, string>([
      ...citizens.map((c) => [c.id, citizenFullName(c, context.lang)] as const),
      ...occurrences.map((o) => [o.id, o.task.title] as const),
    ]);
    return keys.map((id) => found.get(id) ?? id);
  });
  const names = await loader.loadMany(wanted);
  return new Map(wanted.map((id, i) => [id, typeof names[i] === "string" ? names[i] : id]));
}

/** A failed run's reason in the caller's language, with names read now and times from the run's summary. */
async function failureMessage(run: { failureCode: string | null; failureDetails: unknown } & WithSummary, context: Context): Promise<string | null> {
  if (!run.failureCode) return null;
  const lang = context.lang;
  const view = viewOf(run);
  const details = (run.failureDetails ?? {}) as RunFailure["details"];
  const names = await namesOf(
    context,
    (details.pins ?? []).flatMap((g) => g.pairs.flatMap((p) => [p.citizen, p.occurrence])),
  );
  const whenOf = (occurrenceId: string) => {
    const start = view.starts.get(occurrenceId);
    return start ? DateTime.fromMillis(start, { zone: "Europe/Rome" }).setLocale(lang).toLocaleString(DateTime.DATETIME_MED_WITH_WEEKDAY) : "";
  };
  return runFailureMessage({ code: run.failureCode as RunFailureCode, details }, lang, (id) => names.get(id) ?? id, whenOf);
}

const AssignmentOrderEnum = builder.enumType("AssignmentOrder", {
  description: "How to list a proposal.",
  values: {
    BY_TASK: { description: "By task, then date." },
    BY_CITIZEN: { description: "By citizen, then date." },
    BY_DAY: { description: "By start time." },
  } as const,
});

const ScoreTermRef = builder.objectRef<{ term: ScoreTerm; points: number }>("ScoreTermValue").implement({
  description: "One named term of an assignment's score.",
  fields: (t) => ({
    term: t.exposeString("term", {
      description: "Stable name: seatFilled, priority, skillLevel, languageFluency, continuity, shortTravel, preference, stability.",
    }),
    name: t.string({ description: "The term in the caller's language.", resolve: (v, _a, context) => TERM_NAMES[v.term][context.lang] }),
    points: t.exposeFloat("points", { description: "Points it adds." }),
  }),
});

interface AssignmentView extends AssignmentExplanation {
  loadMinutes: number;
  startsAt: number;
  taskId: string;
}

// A proposal lists hundreds of assignments: their citizens and occurrences are read with one
// findMany each per request (keyed by the selection, which every item of the list shares), not
// one Prisma call per item, whose own overhead dominated the plan view.
const ProposedAssignmentRef = builder.objectRef<AssignmentView>("ProposedAssignment").implement({
  description: "A citizen proposed for an occurrence, with the score by named term.",
  fields: (t) => ({
    citizen: t.prismaField({
      type: "Citizen",
      description: "The citizen.",
      resolve: (query, a, _args, context) =>
        loaderFor(
          context,
          `proposed-citizen:${JSON.stringify(query)}`,
          rowsById("Citizen", (ids) => context.prisma.citizen.findMany({ ...withId(query), where: { id: { in: ids } } })),
        ).load(a.citizen),
    }),
    occurrence: t.prismaField({
      type: "TaskOccurrence",
      description: "The occurrence.",
      resolve: (query, a, _args, context) =>
        loaderFor(
          context,
          `proposed-occurrence:${JSON.stringify(query)}`,
          rowsById("TaskOccurrence", (ids) => context.prisma.taskOccurrence.findMany({ ...withId(query), where: { id: { in: ids } } })),
        ).load(a.occurrence),
    }),
    score: t.exposeFloat("score", { description: "Total score." }),
    loadMinutes: t.exposeInt("loadMinutes", { description: "Minutes it takes from the citizen (travel included where counted)." }),
    terms: t.field({
      type: [ScoreTermRef],
      description: "The score by named term, always in the same order.",
      resolve: (a) => (Object.keys(TERM_NAMES) as ScoreTerm[]).map((term) => ({ term, points: a.terms[term] ?? 0 })),
    }),
  }),
});

const ReasonCountRef = builder.objectRef<{ code: string; count: number }>("ReasonCount").implement({
  description: "How many citizens were excluded for one reason.",
  fields: (t) => ({ code: t.exposeString("code", { description: "Reason code." }), count: t.exposeInt("count", { description: "Citizens." }) }),
});

const BusyCitizenRef = builder.objectRef<GapExplanation["eligible"][number]>("EligibleElsewhere").implement({
  description: "An eligible citizen not proposed for a seat, and why.",
  fields: (t) => ({
    citizenId: t.exposeID("citizen", { description: "The citizen." }),
    reason: t.exposeString("reason", { description: "OVERLAPS_ASSIGNMENT, NO_HOURS_LEFT, EXCLUDED_BY_COORDINATOR or BETTER_USED_ELSEWHERE." }),
    assignedTo: t.exposeIDList("assignedTo", { description: "Occurrences the citizen is proposed for instead." }),
  }),
});

const UnfilledSeatRef = builder.objectRef<GapExplanation & { names: Map<string, string> }>("UnfilledSeats").implement({
  description: "Seats of an occurrence the proposal leaves empty, and why.",
  fields: (t) => ({
    occurrence: t.prismaField({
      type: "TaskOccurrence",
      description: "The occurrence.",
      resolve: (query, g, _a, context) => context.prisma.taskOccurrence.findUniqueOrThrow({ ...query, where: { id: g.occurrence } }),
    }),
    seats: t.exposeInt("unfilledSeats", { description: "Seats left empty." }),
    kind: t.exposeString("kind", { description: "NO_ELIGIBLE_CITIZEN or ELIGIBLE_CITIZENS_USED_ELSEWHERE." }),
    message: t.string({
      description: "Why, in the caller's language.",
      resolve: (g, _a, context) => gapMessage(g, context.lang, (id) => g.names.get(id) ?? id),
    }),
    reasonCounts: t.field({
      type: [ReasonCountRef],
      description: "Citizens excluded per reason (9 lack the skill, 3 have no pact covering the municipality...).",
      resolve: (g) =>
        Object.entries(g.reasonCounts)
          .map(([code, count]) => ({ code, count: count ?? 0 }))
          .filter((r) => r.count > 0)
          .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    }),
    eligibleElsewhere: t.field({ type: [BusyCitizenRef], description: "Eligible citizens and where they are used.", resolve: (g) => g.eligible }),
  }),
});

// Each reads only the columns its fields select.
type WithSolution = { solution: unknown };
type WithSummary = { summary: unknown };
const solutionOf = (run: WithSolution) => run.solution as MatchingSolution | null;
const explanationOf = (run: { explanation: unknown }) => run.explanation as { assignments: AssignmentExplanation[]; gaps: GapExplanation[] } | null;
/** Seats, names and proposed minutes (run-summary.model.ts); null until the job has compiled the week. */
const summaryOf = (run: WithSummary) => run.summary as RunSummary | null;

/** A run's summary as the maps its fields look things up in. */
interface SummaryView {
  /** Minutes by proposed pair. */
  loads: Map<string, number>;
  /** Start (epoch ms, 0 when unknown) by occurrence. */
  starts: Map<string, number>;
  seats: number;
}

/** Built once per loaded row: several fields of a run read it. */
const summaryViews = new WeakMap<object, SummaryView>();
function viewOf(run: WithSummary): SummaryView {
  const summary = summaryOf(run);
  if (!summary) return { loads: new Map(), starts: new Map(), seats: 0 };
  let view = summaryViews.get(summary);
  if (!view) {
    view = {
      loads: new Map(summary.loads.map(([citizen, occurrence, minutes]) => [pairKey(citizen, occurrence), minutes])),
      starts: new Map(summary.occurrences.map((o) => [o.id, o.start === undefined ? 0 : Date.parse(o.start)])),
      seats: summary.occurrences.reduce((sum, o) => sum + o.headcount, 0),
    };
    summaryViews.set(summary, view);
  }
  return view;
}

function loads(run: WithSolution & WithSummary): Map<string, number> {
  const loadOf = viewOf(run).loads;
  const byCitizen = new Map<string, number>();
  for (const a of solutionOf(run)?.assignments ?? [])
    byCitizen.set(a.citizen, (byCitizen.get(a.citizen) ?? 0) + (loadOf.get(pairKey(a.citizen, a.occurrence)) ?? 0));
  return byCitizen;
}

// Select mode: each field names the columns it reads, so the compiled input (megabytes) is never
// read to show a run; what the fields show of it is in the run's summary.
const MatchingRunRef = builder.prismaObject("MatchingRun", {
  description: "A run of the weekly matching for a territory: its input, progress and proposal.",
  // The territory always: access is checked against it.
  select: { id: true, territoryId: true },
  fields: (t) => ({
    id: t.exposeID("id", { description: "Identifier." }),
    territoryId: t.exposeID("territoryId", { description: "The territory." }),
    weekStart: t.field({ type: "Date", description: "Monday of the week.", select: { weekStart: true }, resolve: (r) => fromDbDate(r.weekStart) }),
    inputVersion: t.exposeString("inputVersion", {
      nullable: true,
      description: "Hash of the compiled input (null until compiled): the same input gives the same proposal.",
    }),
    status: t.expose("status", { type: MatchingRunStatusEnum, description: "Status." }),
    phase: t.exposeString("phase", { description: "Phase: queued, compiling, solving, done, failed." }),
    componentsTotal: t.exposeInt("componentsTotal", { description: "Independent parts of the problem." }),
    componentsSolved: t.exposeInt("componentsSolved", { description: "Parts solved so far." }),
    error: t.string({
      nullable: true,
      select: { failureCode: true, failureDetails: true, summary: true },
      description: "Why it failed, in the caller's language (null unless FAILED).",
      resolve: (r, _a, context) => failureMessage(r, context),
    }),
    failureCode: t.field({
      type: MatchingRunFailureCodeEnum,
      nullable: true,
      select: { failureCode: true },
      description: "Why it failed, as a stable code (null unless FAILED).",
      resolve: (r) => (r.failureCode as RunFailureCode | null) ?? null,
    }),
    stoppedBy: t.field({
      type: SolverStopEnum,
      nullable: true,
      select: { solution: true },
      description: "What ended the optimiser's search (null until solved): OPTIMAL means the bound proves the proposal is the best possible.",
      resolve: (r) => solutionOf(r)?.stoppedBy ?? null,
    }),
    previousRunId: t.exposeID("previousRunId", { nullable: true, description: "The run this one follows (stability is weighted against it)." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "Started." }),
    publishedAt: t.expose("publishedAt", { type: "DateTime", nullable: true, description: "When a coordinator published it as offers." }),
    offers: t.relation("offers", { description: "The offers made when it was published.", query: { orderBy: [{ deadline: "asc" }, { id: "asc" }] } }),
    skippedAsked: t.exposeInt("skippedAsked", {
      nullable: true,
      description: "At publication: proposed pairs not offered because the citizen had been asked for that occurrence since the run (null until published).",
    }),
    skippedNoSeat: t.exposeInt("skippedNoSeat", {
      nullable: true,
      description:
        "At publication: proposed pairs not offered because the seat had been taken since, or the occurrence cancelled or started (null until published).",
    }),
    skippedIneligible: t.exposeInt("skippedIneligible", {
      nullable: true,
      description:
        "At publication: proposed pairs not offered because they no longer held: the citizen withdrew, was suspended or erased, or a hard constraint fails now (null until published).",
    }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true, description: "Finished." }),
    objective: t.float({ nullable: true, select: { solution: true }, description: "Value of the proposal.", resolve: (r) => solutionOf(r)?.objective ?? null }),
    bound: t.float({
      nullable: true,
      select: { solution: true },
      description: "Proven upper bound on the value.",
      resolve: (r) => solutionOf(r)?.bound ?? null,
    }),
    gap: t.float({
      nullable: true,
      select: { solution: true },
      description: "Relative distance from the bound (0: proven optimal).",
      resolve: (r) => solutionOf(r)?.gap ?? null,
    }),
    totalSeats: t.int({
      nullable: true,
      select: { summary: true },
      description: "Seats to fill this week (null until compiled).",
      resolve: (r) => (summaryOf(r) ? viewOf(r).seats : null),
    }),
    filledSeats: t.int({
      nullable: true,
      select: { solution: true },
      description: "Seats the proposal fills.",
      resolve: (r) => solutionOf(r)?.assignments.length ?? null,
    }),
    fillRate: t.float({
      nullable: true,
      description: "Filled seats over seats to fill.",
      select: { solution: true, summary: true },
      resolve: (r) => {
        const total = viewOf(r).seats;
        const solution = solutionOf(r);
        return solution ? (total === 0 ? 1 : solution.assignments.length / total) : null;
      },
    }),
    totalMinutes: t.int({
      nullable: true,
      select: { solution: true, summary: true },
      description: "Minutes of all proposed assignments.",
      resolve: (r) => (solutionOf(r) ? [...loads(r).values()].reduce((a, b) => a + b, 0) : null),
    }),
    hoursSpreadMinutes: t.int({
      nullable: true,
      description: "Fairness: the most minutes any proposed citizen gets minus the fewest.",
      select: { solution: true, summary: true },
      resolve: (r) => {
        const values = [...loads(r).values()];
        return solutionOf(r) && values.length > 0 ? Math.max(...values) - Math.min(...values) : null;
      },
    }),
    assignments: t.field({
      type: [ProposedAssignmentRef],
      description: "The proposal, in the order asked.",
      select: { explanation: true, summary: true },
      args: { order: t.arg({ type: AssignmentOrderEnum, required: false, description: "Order (default BY_DAY)." }) },
      resolve: async (r, { order }, context) => {
        const { loads: loadOf, starts } = viewOf(r);
        const assignments = explanationOf(r)?.assignments ?? [];
        const names =
          order === "BY_TASK" || order === "BY_CITIZEN"
            ? await namesOf(
                context,
                assignments.flatMap((a) => [a.citizen, a.occurrence]),
              )
            : new Map<string, string>();
        const views = assignments.map((a) => ({
          ...a,
          loadMinutes: loadOf.get(pairKey(a.citizen, a.occurrence)) ?? 0,
          startsAt: starts.get(a.occurrence) ?? 0,
          taskId: names.get(a.occurrence) ?? "",
        }));
        const byDay = (a: AssignmentView, b: AssignmentView) => a.startsAt - b.startsAt || a.citizen.localeCompare(b.citizen);
        if (order === "BY_TASK") return views.sort((a, b) => a.taskId.localeCompare(b.taskId) || byDay(a, b));
        if (order === "BY_CITIZEN")
          return views.sort(
            (a, b) => (names.get(a.citizen) ?? "").localeCompare(names.get(b.citizen) ?? "") || a.citizen.localeCompare(b.citizen) || byDay(a, b),
          );
        return views.sort(byDay);
      },
    }),
    unfilledSeats: t.field({
      type: [UnfilledSeatRef],
      description: "Every seat left empty, with why.",
      select: { explanation: true, summary: true },
      resolve: async (r, _a, context) => {
        const gaps = explanationOf(r)?.gaps ?? [];
        const names = await namesOf(
          context,
          gaps.flatMap((g) => g.eligible.flatMap((e) => [e.citizen, ...e.assignedTo])),
        );
        return gaps.map((g) => ({ ...g, names }));
      },
    }),
    ineligiblePins: t.stringList({
      description: "Pinned pairs that are no longer eligible (not kept), as citizenId|occurrenceId: reasons.",
      select: { summary: true },
      resolve: (r) => (summaryOf(r)?.ineligiblePins ?? []).map((p) => `${p.citizen}|${p.occurrence}: ${p.reasons.join(", ")}`),
    }),
  }),
});

builder.queryFields((t) => ({
  matchingRun: t.prismaField({
    type: "MatchingRun",
    description: "One matching run of your territory (staff); poll it to follow progress.",
    authScopes: { staff: true },
    errors: { types: [NotFoundError], directResult: true },
    args: { id: t.arg.id({ required: true, description: "Identifier." }) },
    resolve: async (query, _r, { id }, context) => {
      const { territoryId } = requireStaff(context);
      const run = await context.prisma.matchingRun.findUnique({ ...query, where: { id: String(id) } });
      if (!run || (territoryId !== null && run.territoryId !== territoryId)) throw new NotFoundError("MatchingRun", String(id));
      return run;
    },
  }),
  matchingRuns: t.prismaField({
    type: ["MatchingRun"],
    description: "Runs of a territory's week, newest first (staff).",
    authScopes: { staff: true },
    args: {
      territoryId: t.arg.id({ required: true, description: "The territory." }),
      weekStart: t.arg({ type: "Date", required: true, description: "Monday of the week." }),
    },
    resolve: (query, _r, { territoryId, weekStart }, context) => {
      const scope = requireStaff(context);
      if (scope.territoryId !== null && scope.territoryId !== String(territoryId)) return [];
      return context.prisma.matchingRun.findMany({
        ...query,
        where: { territoryId: String(territoryId), weekStart: toDbDate(weekStart) },
        orderBy: { createdAt: "desc" },
      });
    },
  }),
}));

builder.mutationFields((t) => ({
  startMatchingRun: t.prismaField({
    type: "MatchingRun",
    description: "Starts the matching of a territory's week as a job and returns the run at once. The same input returns the same run.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      territoryId: t.arg.id({ required: true, description: "The territory." }),
      weekStart: t.arg({ type: "Date", required: true, description: "Monday of the week." }),
    },
    resolve: async (query, _root, { territoryId, weekStart }, context) =>
      reread(query, context, "MatchingRun", await matching.startMatchingRun(context, String(territoryId), weekStart)),
  }),
  publishMatchingRun: t.prismaField({
    type: "MatchingRun",
    description: "Publishes the newest finished run of a week: each proposed assignment becomes an offer the citizen answers before a deadline.",
    authScopes: { staff: true },
    errors: { types: writeErrors, directResult: true },
    args: {
      runId: t.arg.id({ required: true, description: "The run." }),
      responseHours: t.arg.int({ required: false, description: "Hours citizens have to answer (default 48; never past the occurrence's start)." }),
    },
    resolve: async (query, _root, { runId, responseHours }, context) =>
      reread(query, context, "MatchingRun", await asRunParent(await matching.publishMatchingRun(context, String(runId), responseHours ?? 48))),
  }),
  decideMatchingPair: t.field({
    type: "Date",
    description: "Pins a citizen to an occurrence (PIN), excludes them (EXCLUDE), or clears the decision (null) for later runs of that week. Returns the week.",
    authScopes: { staff: true },
    errors: { types: writeErrors, dataField: { description: "Monday of the week the decision applies to." } },
    args: {
      occurrenceId: t.arg.id({ required: true, description: "The occurrence." }),
      citizenId: t.arg.id({ required: true, description: "The citizen." }),
      decision: t.arg({
        type: builder.enumType("MatchingDecisionKind", {
          description: "A coordinator's decision on a pair.",
          values: { PIN: { description: "Keep this pair." }, EXCLUDE: { description: "Never propose this pair." } } as const,
        }),
        required: false,
        description: "PIN, EXCLUDE, or null to clear.",
      }),
    },
    resolve: async (_r, { occurrenceId, citizenId, decision }, context) =>
      (await matching.decidePair(context, { occurrenceId: String(occurrenceId), citizenId: String(citizenId), kind: decision ?? null })).weekStart,
  }),
}));

builder.subscriptionFields((t) => ({
  matchingRunProgress: t.field({
    type: MatchingRunRef,
    description: "Follows a run of your territory: an event each time its status, phase or components solved change, until it is done or failed (staff).",
    authScopes: { staff: true },
    args: { id: t.arg.id({ required: true, description: "The run." }) },
    subscribe: (_root, { id }, context) => followRun(context, String(id)),
    resolve: (run) => run,
  }),
}));

/**
 * A run read without its compiled input, as the parent of the MatchingRun type. Sound because that
 * type is in select mode: each field names the columns it reads (none reads the input), and
 * Pothos loads whatever selection a row it did not load itself lacks.
 */
function asRunParent(run: Omit<MatchingRunRow, keyof typeof matching.RUN_INPUT>): MatchingRunRow {
  return run as MatchingRunRow;
}

/** Polls the run (workers may be other processes), yielding it whenever it has moved. */
async function* followRun(context: Context, runId: string): AsyncGenerator<MatchingRunRow> {
  const { territoryId } = requireStaff(context);
  let last = "";
  for (let i = 0; i < 24_000 && !context.signal?.aborted; i += 1) {
    const run = await context.prisma.matchingRun.findUnique({ where: { id: runId }, omit: matching.RUN_INPUT });
    if (!run || (territoryId !== null && run.territoryId !== territoryId)) throw new NotFoundError("MatchingRun", runId);
    const state = `${run.status}|${run.phase}|${run.componentsSolved}`;
    if (state !== last) {
      last = state;
      yield asRunParent(run);
    }
    if (run.status === "DONE" || run.status === "FAILED") return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
