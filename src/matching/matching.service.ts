// The weekly matching workflow: compile a territory's week, solve it in a job, keep the input
// and the output so a result can be reproduced, and let coordinators pin or exclude pairs.
import { assertInTerritory, requireStaff } from "../auth/access";
import { fromDbDate, toDbDate } from "../db/dates";
import { ConflictError, InputError, NotFoundError } from "../errors";
import type { PrismaClient } from "../generated/prisma/client";
import type { ServiceContext } from "../service-context";
import type { MatchingProblem, MatchingSolution } from "../solver/problem";
import { summarizeRun } from "./run-summary.model";
import { solveMatching, type Solve } from "../solver/solve";
import { notify } from "../notifications/notifications.service";
import { stageJobs } from "../jobs/outbox";
import { offerJobs } from "../offers/offers.jobs";
import { occurrenceParams } from "../offers/citizen-view.model";
import { addDays, localDateOf, mondayOf, weekdayOf } from "../time/local-time";
import { compileWeek, pairKey, seatsLeft, type CompiledWeek } from "./compile.model";
import { explainWeek } from "./explain.model";
import { planPublication } from "./publish.model";
import { holdCitizens, refillJobs, standingOf } from "../ledger/release.service";
import { runFailureOf } from "./run-failure.model";
import { loadWeek, loadWeekData } from "./matching.repository";
import { compileRunWeek, type CompileRun } from "./week.model";
import { RUN_HEARTBEAT_MS, RUN_MAX_ATTEMPTS } from "./run-watch.model";
import { databaseTrouble } from "../db/availability";
import { regulationInForce } from "../regulation/regulation.service";
import { occurrenceIsOver, responseDeadline } from "../offers/offers.model";

/**
 * A run's compiled input, left out of reads that only show or publish the run: it weighs
 * megabytes for a territory's week, and what the run's fields show is in its summary.
 */
export const RUN_INPUT = { problem: true, compiled: true } as const;

export interface StoredCompiled {
  breakdown: [string, CompiledWeek["breakdown"] extends Map<string, infer V> ? V : never][];
  excludedReasons: [string, Record<string, number>][];
  ineligiblePins: CompiledWeek["ineligiblePins"];
}

/**
 * Starts a run for a territory's week: checks who asks and that a regulation governs the week,
 * then queues the run and returns it at once. Loading and compiling the week (seconds of CPU
 * for a territory of a thousand citizens) is the job's work, on a worker, never on the API's
 * request thread. A run still waiting in the queue is returned instead of a second one: it will
 * read the week as it is when it starts.
 */
export async function startMatchingRun(context: Pick<ServiceContext, "prisma" | "viewer" | "now" | "jobs">, territoryId: string, weekStart: string) {
  const scope = requireStaff(context);
  if (weekdayOf(weekStart) !== 1) throw new InputError("INVALID_DATE", ["weekStart"], { value: weekStart });
  assertInTerritory(
    scope,
    "Territory",
    territoryId,
    await context.prisma.territory.findUnique({ where: { id: territoryId } }).then((t) => (t ? { territoryId: t.id } : null)),
  );
  if (!(await regulationInForce(context.prisma, weekStart))) throw new ConflictError("NO_REGULATION", { date: weekStart });

  const run = await context.prisma.$transaction(async (tx) => {
    const waiting = await tx.matchingRun.findFirst({
      where: { territoryId, weekStart: toDbDate(weekStart), status: "QUEUED", inputVersion: null },
      orderBy: { createdAt: "desc" },
    });
    const run =
      waiting ??
      (await tx.matchingRun.create({
        data: { territoryId, weekStart: toDbDate(weekStart), status: "QUEUED", phase: "queued", createdById: scope.viewer.userId },
      }));
    // Staged with the run (again for a waiting one: the job id is the run's, so it is not queued twice).
    await stageJobs(tx, [{ run: { runId: run.id, territoryId } }], context.now());
    return run;
  });
  await context.jobs.handOver();
  return run;
}

/** A worker's writes to a run it no longer holds (another worker took it over) are refused. */
class LeaseLostError extends Error {
  constructor(runId: string) {
    super(`matching run ${runId}: taken over by another worker, this one writes nothing more`);
  }
}

type RunWrite = Parameters<PrismaClient["matchingRun"]["updateMany"]>[0]["data"];

/**
 * A worker's hold on a run: taking it raises the run's lease, and every later write of this
 * worker names that lease in its UPDATE (fenced), so once another worker has taken the run (this
 * one's locks lapsed, or the watchdog queued it again) this one can write nothing.
 */
async function takeRun(prisma: PrismaClient, runId: string) {
  const [taken] = await prisma.matchingRun.updateManyAndReturn({
    where: { id: runId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { lease: { increment: 1 }, attempts: { increment: 1 }, status: "RUNNING", heartbeatAt: new Date() },
  });
  if (!taken) return null;
  const write = async (data: RunWrite) => {
    const { count } = await prisma.matchingRun.updateMany({ where: { id: runId, lease: taken.lease }, data });
    if (count === 0) throw new LeaseLostError(runId);
  };
  return { run: taken, write };
}

/**
 * The job's first step: loads the week and the coordinator's decisions and compiles the problem
 * (on a solver thread when the worker has a pool). When an earlier run of the week had the same
 * input version, its proposal is the answer and is taken over as it is (the same input gives
 * the same proposal, without solving). Returns the compiled run, or null when it was answered
 * from the identical earlier run.
 */
async function compileRun(
  prisma: PrismaClient,
  run: { id: string; territoryId: string; weekStart: Date },
  write: (data: RunWrite) => Promise<void>,
  compile: CompileRun,
): Promise<{ problem: MatchingProblemWithOptions; compiled: StoredCompiled } | null> {
  const weekStart = fromDbDate(run.weekStart);
  await write({ phase: "compiling" });
  const [data, decisions, previous] = await Promise.all([
    loadWeekData(prisma, run.territoryId, weekStart),
    prisma.matchingDecision.findMany({ where: { territoryId: run.territoryId, weekStart: run.weekStart } }),
    // Its proposal only: a run's compiled input weighs megabytes.
    prisma.matchingRun.findFirst({
      where: { territoryId: run.territoryId, weekStart: run.weekStart, status: "DONE", id: { not: run.id } },
      orderBy: { createdAt: "desc" },
      select: { id: true, solution: true },
    }),
  ]);
  // A re-run after changes weighs stability: pairs of the previous proposal score a little more.
  const result = await compile(data, {
    pinned: decisions.filter((d) => d.kind === "PIN").map((d) => ({ citizen: d.citizenId, occurrence: d.occurrenceId })),
    excluded: decisions.filter((d) => d.kind === "EXCLUDE").map((d) => ({ citizen: d.citizenId, occurrence: d.occurrenceId })),
    previousProposal: new Set(((previous?.solution as MatchingSolution | null)?.assignments ?? []).map((a) => pairKey(a.citizen, a.occurrence))),
  });
  if (!result) throw new ConflictError("NO_REGULATION", { date: weekStart });
  const { compiled, inputVersion } = result;
  const identical = await prisma.matchingRun.findFirst({
    where: { territoryId: run.territoryId, weekStart: run.weekStart, inputVersion, status: "DONE", id: { not: run.id } },
    orderBy: { createdAt: "desc" },
  });
  if (identical) {
    await write({
      inputVersion,
      status: "DONE",
      phase: "done",
      problem: identical.problem ?? undefined,
      compiled: identical.compiled ?? undefined,
      summary: identical.summary ?? undefined,
      solution: identical.solution ?? undefined,
      explanation: identical.explanation ?? undefined,
      componentsTotal: identical.componentsTotal,
      componentsSolved: identical.componentsSolved,
      previousRunId: identical.id,
      finishedAt: new Date(),
    });
    return null;
  }

  const problem = { ...compiled.problem, options: { timeLimitSeconds: 20 } };
  const stored: StoredCompiled = {
    breakdown: [...compiled.breakdown],
    excludedReasons: [...compiled.excludedReasons].map(([k, v]) => [k, v as Record<string, number>]),
    ineligiblePins: compiled.ineligiblePins,
  };
  await write({
    inputVersion,
    problem: problem as object,
    compiled: stored as object,
    summary: summarizeRun(problem, stored, null) as object,
    previousRunId: previous?.id ?? null,
    phase: "solving",
  });
  return { problem, compiled: stored };
}

type MatchingProblemWithOptions = MatchingProblem;

const compileHere: CompileRun = async (data, decisions) => compileRunWeek(data, decisions);

/**
 * The job: takes the run (its lease), compiles its week if not done yet, solves it, and stores
 * the proposal with its explanations, writing a heartbeat meanwhile. Idempotent; a run another
 * worker took over meanwhile is left to it. When the database is away the job fails as it is (its
 * retries, then the watchdog, carry on); any other error fails the run with its reason in words.
 */
export async function executeMatchingRun(prisma: PrismaClient, runId: string, solve: Solve = solveMatching, compile: CompileRun = compileHere): Promise<void> {
  const taken = await takeRun(prisma, runId);
  if (!taken) return;
  const { run, write } = taken;
  // Taken too often without finishing (its workers died each time): it fails rather than kill another.
  if (run.attempts > RUN_MAX_ATTEMPTS) {
    await write({
      status: "FAILED",
      phase: "failed",
      failureCode: "WORKER_LOST",
      failureDetails: {},
      error: `taken ${run.attempts} times without finishing`,
      finishedAt: new Date(),
    });
    return;
  }
  let lost = false;
  const heartbeat = setInterval(() => {
    write({ heartbeatAt: new Date() }).catch((error: unknown) => {
      if (error instanceof LeaseLostError) lost = true;
    });
  }, RUN_HEARTBEAT_MS);
  heartbeat.unref();
  try {
    let problem = run.problem as unknown as MatchingProblemWithOptions | null;
    let stored = run.compiled as unknown as StoredCompiled | null;
    if (!problem || !stored) {
      const compiled = await compileRun(prisma, run, write, compile);
      if (!compiled) return;
      ({ problem, compiled: stored } = compiled);
    } else {
      await write({ phase: "solving" });
    }
    let lastReport = 0;
    const solution = await solve(problem, {
      // Progress is written to the run, at most every quarter of a second, for pollers and subscribers.
      onProgress: async ({ solved, total }) => {
        if (lost || (solved !== 0 && solved !== total && Date.now() - lastReport < 250)) return;
        lastReport = Date.now();
        await write({ componentsSolved: solved, componentsTotal: total, heartbeatAt: new Date() });
      },
    });
    const compiled: CompiledWeek = {
      problem,
      breakdown: new Map(stored.breakdown),
      excludedReasons: new Map(stored.excludedReasons),
      ineligiblePins: stored.ineligiblePins,
    };
    const explanation = explainWeek(compiled, solution);
    await write({
      status: "DONE",
      phase: "done",
      componentsTotal: solution.components.length,
      componentsSolved: solution.components.length,
      solution: solution as object,
      explanation: explanation as object,
      summary: summarizeRun(problem, stored, solution) as object,
      finishedAt: new Date(),
    });
  } catch (error) {
    if (error instanceof LeaseLostError) return;
    if (databaseTrouble(error)) throw error;
    // The coordinator is told why in words (run-failure.model); the technical text is kept for administrators.
    const failure = runFailureOf(error);
    await write({
      status: "FAILED",
      phase: "failed",
      failureCode: failure.code,
      failureDetails: failure.details as object,
      error: (error as Error).message.slice(0, 2000),
      finishedAt: new Date(),
    }).catch((e: unknown) => {
      if (!(e instanceof LeaseLostError)) throw e;
    });
  } finally {
    clearInterval(heartbeat);
  }
}

/** A coordinator pins a pair (kept by every later run) or excludes it (never proposed). */
export async function decidePair(context: ServiceContext, input: { occurrenceId: string; citizenId: string; kind: "PIN" | "EXCLUDE" | null }) {
  const scope = requireStaff(context);
  const occurrence = await context.prisma.taskOccurrence.findUnique({
    where: { id: input.occurrenceId },
    include: { task: { select: { territoryId: true } } },
  });
  if (!occurrence || (scope.territoryId !== null && occurrence.task.territoryId !== scope.territoryId))
    throw new NotFoundError("TaskOccurrence", input.occurrenceId);
  const citizen = await context.prisma.citizen.findUnique({ where: { id: input.citizenId }, include: { homeMunicipality: { select: { territoryId: true } } } });
  if (!citizen || citizen.homeMunicipality.territoryId !== occurrence.task.territoryId) throw new NotFoundError("Citizen", input.citizenId);
  const weekStart = mondayOf(fromDbDate(occurrence.localDate));
  const where = { weekStart_citizenId_occurrenceId: { weekStart: toDbDate(weekStart), citizenId: input.citizenId, occurrenceId: input.occurrenceId } };
  if (input.kind === null) {
    await context.prisma.matchingDecision.deleteMany({
      where: { weekStart: toDbDate(weekStart), citizenId: input.citizenId, occurrenceId: input.occurrenceId },
    });
    return { weekStart };
  }
  await context.prisma.matchingDecision.upsert({
    where,
    create: {
      territoryId: occurrence.task.territoryId,
      weekStart: toDbDate(weekStart),
      citizenId: input.citizenId,
      occurrenceId: input.occurrenceId,
      kind: input.kind,
      byUserId: scope.viewer.userId,
    },
    update: { kind: input.kind, byUserId: scope.viewer.userId, at: context.now() },
  });
  return { weekStart };
}

/** The pairs the matcher's compiler finds eligible in the run's week now (empty for a run not found). */
async function currentPairs(context: ServiceContext, runId: string, territoryId: string | null): Promise<Set<string>> {
  const run = await context.prisma.matchingRun.findUnique({ where: { id: runId }, select: { territoryId: true, weekStart: true } });
  if (!run || (territoryId !== null && run.territoryId !== territoryId)) return new Set();
  const week = await loadWeek(context.prisma, run.territoryId, fromDbDate(run.weekStart));
  const compiled = compileWeek({ ...week.input, previousProposal: new Set(), pinned: [], excluded: [] });
  return new Set(compiled.problem.pairs.map((p) => pairKey(p.citizen, p.occurrence)));
}

/**
 * Publishes a finished run: every proposed assignment becomes an offer to the citizen, with a
 * response deadline (never after the occurrence starts), unless the week moved since the run
 * read it (publish.model planPublication): a citizen already asked for that occurrence is not
 * asked again, and a seat taken since is not offered. Only the newest run of a week can be
 * published, once.
 */
export async function publishMatchingRun(context: ServiceContext, runId: string, responseHours = 48) {
  const scope = requireStaff(context);
  if (!Number.isInteger(responseHours) || responseHours < 1 || responseHours > 24 * 14)
    throw new InputError("INVALID_RANGE", ["responseHours"], { min: 1, max: 336 });
  // The week as it is now, every hard constraint checked by the matcher's own compiler (read
  // before the locks: it takes a while on a large territory); standing is checked again under them.
  const current = await currentPairs(context, runId, scope.territoryId);
  const published = await context.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "MatchingRun" WHERE "id" = ${runId} FOR UPDATE`;
    const run = await tx.matchingRun.findUnique({ where: { id: runId }, omit: RUN_INPUT });
    if (!run || (scope.territoryId !== null && run.territoryId !== scope.territoryId)) throw new NotFoundError("MatchingRun", runId);
    if (run.status !== "DONE" || run.publishedAt)
      throw new ConflictError("ILLEGAL_TRANSITION", { from: run.publishedAt ? "PUBLISHED" : run.status, to: "PUBLISHED" });
    const newest = await tx.matchingRun.findFirst({
      where: { territoryId: run.territoryId, weekStart: run.weekStart },
      orderBy: { createdAt: "desc" },
      select: { id: true },
    });
    if (newest && newest.id !== run.id) throw new ConflictError("STALE_RUN");
    // A finished run always carries its explanation: the proposal with each pair's score.
    const proposal = (run.explanation as { assignments: { citizen: string; occurrence: string; score: number }[] }).assignments;
    // The seats are counted under their occurrences' locks, taken in the order every
    // multi-occurrence transaction takes them (by id): the search refilling a freed seat and an
    // accept wait, and no seat is offered more often than it is free.
    const occurrenceIds = [...new Set(proposal.map((a) => a.occurrence))];
    if (occurrenceIds.length > 0) await tx.$queryRaw`SELECT "id" FROM "TaskOccurrence" WHERE "id" = ANY(${occurrenceIds}) ORDER BY "id" FOR UPDATE`;
    // With everyone ever asked for each (commitments and offers, whatever became of them).
    const occurrences = await tx.taskOccurrence.findMany({
      where: { id: { in: occurrenceIds } },
      select: {
        id: true,
        startsAt: true,
        status: true,
        task: { select: { activityKind: true, remote: true, headcount: true, municipality: { select: { name: true } } } },
        commitments: { select: { citizenId: true, status: true } },
        offers: { select: { citizenId: true, status: true } },
      },
    });
    const now = context.now();
    const freeSeats = new Map(occurrences.map((o) => [o.id, occurrenceIsOver(o, now) ? 0 : seatsLeft(o.task.headcount, o.commitments, o.offers)]));
    const asked = new Set(occurrences.flatMap((o) => [...o.commitments, ...o.offers].map((x) => pairKey(x.citizenId, o.id))));
    // Then the citizens, after the occurrences: a withdrawal or pact change in flight is waited for.
    await holdCitizens(
      tx,
      proposal.map((a) => a.citizen),
    );
    const standing = await standingOf(
      tx,
      proposal.map((a) => ({ citizenId: a.citizen, occurrenceId: a.occurrence })),
    );
    const holds = (pair: { citizen: string; occurrence: string }) =>
      current.has(pairKey(pair.citizen, pair.occurrence)) && standing.failing(pair.citizen, pair.occurrence, null) === null;
    const plan = planPublication(proposal, freeSeats, asked, holds);
    const data = plan.offers.map((a) => {
      const occurrence = occurrences.find((o) => o.id === a.occurrence)!;
      const deadline = responseDeadline(now, occurrence.startsAt, responseHours * 3_600_000);
      return { runId, citizenId: a.citizen, occurrenceId: a.occurrence, deadline, createdAt: now };
    });
    const offers = await tx.offer.createManyAndReturn({
      data,
      select: { id: true, occurrenceId: true, deadline: true, citizen: { select: { userId: true } } },
    });
    // Deadlines and reminders are staged with the offers; a seat left free by a pair that no
    // longer held is searched again, as after a decline.
    const unoffered = [...new Set(plan.noLongerEligible.map((a) => a.occurrence))];
    await stageJobs(tx, [...offerJobs(offers, now), ...refillJobs(unoffered, now)], now);
    await notify(
      tx,
      offers.flatMap((o) => {
        const occurrence = occurrences.find((x) => x.id === o.occurrenceId)!;
        return o.citizen.userId
          ? [
              {
                userId: o.citizen.userId,
                kind: "OFFER_RECEIVED" as const,
                params: { ...occurrenceParams(occurrence), deadline: o.deadline.toISOString() },
                key: `offer-received:${o.id}`,
              },
            ]
          : [];
      }),
    );
    const published = await tx.matchingRun.update({
      where: { id: runId },
      data: {
        publishedAt: now,
        publishedById: scope.viewer.userId,
        skippedAsked: plan.alreadyAsked,
        skippedNoSeat: plan.noSeatLeft,
        skippedIneligible: plan.noLongerEligible.length,
      },
      omit: RUN_INPUT,
    });
    return published;
  });
  await context.jobs.handOver();
  return published;
}

/**
 * The weekly schedule (Mondays 08:00, Rome, when WEEKLY_DRAFT is on): for every territory with a
 * coordinator, a draft run for next week is started in that coordinator's name, and the
 * territory's coordinators are told it is being prepared. Idempotent: a run still queued is not
 * queued twice, a week whose input has not changed gets the same proposal, and the notification
 * is keyed by territory and week.
 */
export async function prepareDraftRuns(deps: Pick<ServiceContext, "prisma" | "jobs" | "now">) {
  const nextMonday = addDays(mondayOf(localDateOf(deps.now().getTime())), 7);
  const territories = await deps.prisma.territory.findMany({ select: { id: true } });
  for (const territory of territories) {
    const coordinators = await deps.prisma.user.findMany({ where: { role: "COORDINATOR", territoryId: territory.id }, orderBy: { createdAt: "asc" } });
    const owner = coordinators[0];
    if (!owner) continue;
    const viewer = { userId: owner.id, role: owner.role, territoryId: territory.id, citizenId: null, locale: owner.locale };
    try {
      await startMatchingRun({ ...deps, viewer }, territory.id, nextMonday);
    } catch (error) {
      // A territory without a regulation for that week has nothing to match.
      if (error instanceof ConflictError) continue;
      throw error;
    }
    await deps.prisma.$transaction((tx) =>
      notify(
        tx,
        coordinators.map((c) => ({
          userId: c.id,
          kind: "DRAFT_RUN_READY" as const,
          params: { week: nextMonday },
          key: `draft-run:${territory.id}:${nextMonday}:${c.id}`,
        })),
      ),
    );
  }
}
