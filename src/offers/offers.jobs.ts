// What happens at a time, without anyone asking: offer deadlines and reminders, refilling freed
// seats, commitment reminders, pact expiry warnings, reconciliation on start. Every handler reads
// the rows it is about, checks the job is still due, and is idempotent: notifications have keys,
// state changes are guarded by the current status.
import { occurrenceParams } from "./citizen-view.model";
import { mondayOf } from "../time/local-time";
import { fromDbDate } from "../db/dates";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { stageJobs, type Jobs, type StagedJob } from "../jobs/outbox";
import { compileWeek, seatsLeft } from "../matching/compile.model";
import { rankReplacements } from "../matching/replacement.model";
import { candidatesFor, loadWeek } from "../matching/matching.repository";
import { runJob } from "../matching/run-watch.service";
import { coordinatorsOf, notify } from "../notifications/notifications.service";
import { holdCitizens, lockFutureWork, refillJobs, releaseWhatNoLongerStands, standingOf } from "../ledger/release.service";
import { occurrenceIsOver, offerIsOpen, responseDeadline } from "./offers.model";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A replacement offer waits this long for an answer (never past the occurrence's start). */
export const REPLACEMENT_RESPONSE_MS = 24 * HOUR;
/** The citizen is reminded of an open offer this long before its deadline. */
export const OFFER_REMINDER_BEFORE_MS = 12 * HOUR;
/** And of a commitment this long before it starts. */
export const COMMITMENT_REMINDER_BEFORE_MS = 24 * HOUR;
/** Pacts ending within this many days are flagged. */
export const PACT_WARNING_DAYS = 30;

export interface JobDeps {
  prisma: PrismaClient;
  jobs: Jobs;
  now: () => Date;
}

// --- the jobs a row needs, staged in the transaction that writes it (jobs/outbox.ts) ----------

/**
 * An open offer's jobs: its deadline, and a reminder when there is time for one. With `late`
 * (reconciliation), a reminder whose time passed while no worker ran is sent now rather than never.
 */
export function offerJobs(offers: readonly { id: string; deadline: Date }[], now: Date, late = false): StagedJob[] {
  return offers.flatMap((offer): StagedJob[] => {
    const remindAt = new Date(offer.deadline.getTime() - OFFER_REMINDER_BEFORE_MS);
    const remind = remindAt > now || (late && offer.deadline > now);
    return [
      { event: { kind: "offer-deadline", offerId: offer.id }, dueAt: offer.deadline },
      ...(remind ? [{ event: { kind: "offer-reminder" as const, offerId: offer.id }, dueAt: remindAt }] : []),
    ];
  });
}

/** An active commitment's reminder, a day before it starts (at once when that is past; none once it started). */
export function commitmentJobs(commitments: readonly { id: string; startsAt: Date }[], now: Date): StagedJob[] {
  return commitments.flatMap((c): StagedJob[] =>
    c.startsAt > now
      ? [{ event: { kind: "commitment-reminder", commitmentId: c.id }, dueAt: new Date(c.startsAt.getTime() - COMMITMENT_REMINDER_BEFORE_MS) }]
      : [],
  );
}

// --- what notifications say about an occurrence ------------------------------------------------

/** What notifications about an occurrence read of it: the citizen's projection (citizen-view.model), and the title for staff. */
const occurrenceInclude = {
  task: {
    select: {
      title: true,
      activityKind: true,
      remote: true,
      territoryId: true,
      requiredSkillId: true,
      minSkillLevel: true,
      municipality: { select: { name: true } },
    },
  },
} as const;

// --- handlers -----------------------------------------------------------------------------------

/** The deadline passed without an answer: the offer expires, the citizen is told, the seat is offered again. */
export async function offerDeadline(deps: JobDeps, offerId: string) {
  const expired = await deps.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Offer" WHERE "id" = ${offerId} FOR UPDATE`;
    const offer = await tx.offer.findUnique({
      where: { id: offerId },
      include: { occurrence: { include: occurrenceInclude }, citizen: { select: { userId: true } } },
    });
    if (offer?.status !== "OFFERED" || offer.deadline > deps.now()) return null;
    await tx.offer.update({ where: { id: offerId }, data: { status: "EXPIRED", respondedAt: deps.now() } });
    if (offer.citizen.userId)
      await notify(tx, [{ userId: offer.citizen.userId, kind: "OFFER_EXPIRED", params: occurrenceParams(offer.occurrence), key: `offer-expired:${offerId}` }]);
    return offer;
  });
  if (!expired) {
    // Not due yet (the clock said otherwise when it was scheduled): wait again.
    const offer = await deps.prisma.offer.findUnique({ where: { id: offerId }, select: { status: true, deadline: true } });
    if (offer?.status === "OFFERED") await deps.jobs.schedule({ kind: "offer-deadline", offerId }, offer.deadline.getTime() - deps.now().getTime());
    return;
  }
  await fillSeats(deps, expired.occurrenceId);
}

/** How often each process that runs jobs expires open offers past their deadline (expireOverdue). */
export const OVERDUE_SWEEP_MS = 2_000;

/**
 * Expires open offers past their deadline whatever happened to their deadline jobs (lost with a
 * process, or failed their retries through a database outage): each goes through offerDeadline,
 * so the citizen is told once and the seat is offered again, as after any expiry. Several
 * processes sweeping at once is harmless: the offer's lock lets one of them expire it. Returns
 * how many it found.
 */
export async function expireOverdue(deps: JobDeps, limit = 100): Promise<number> {
  const overdue = await deps.prisma.offer.findMany({
    where: { status: "OFFERED", deadline: { lte: deps.now() } },
    orderBy: { deadline: "asc" },
    take: limit,
    select: { id: true },
  });
  for (const offer of overdue) await offerDeadline(deps, offer.id);
  return overdue.length;
}

export async function offerReminder(deps: JobDeps, offerId: string) {
  await deps.prisma.$transaction(async (tx) => {
    const offer = await tx.offer.findUnique({
      where: { id: offerId },
      include: { occurrence: { include: occurrenceInclude }, citizen: { select: { userId: true } } },
    });
    if (!offer || !offerIsOpen(offer, deps.now()) || !offer.citizen.userId) return;
    await notify(tx, [
      {
        userId: offer.citizen.userId,
        kind: "OFFER_EXPIRING",
        params: { ...occurrenceParams(offer.occurrence), deadline: offer.deadline.toISOString() },
        key: `offer-expiring:${offerId}`,
      },
    ]);
  });
}

export async function commitmentReminder(deps: JobDeps, commitmentId: string) {
  await deps.prisma.$transaction(async (tx) => {
    const commitment = await tx.commitment.findUnique({
      where: { id: commitmentId },
      include: { occurrence: { include: occurrenceInclude }, citizen: { select: { userId: true } } },
    });
    if (commitment?.status !== "ACTIVE" || commitment.occurrence.startsAt <= deps.now() || !commitment.citizen.userId) return;
    // The key names the start, so a commitment moved to another time is reminded again.
    await notify(tx, [
      {
        userId: commitment.citizen.userId,
        kind: "COMMITMENT_REMINDER",
        params: occurrenceParams(commitment.occurrence),
        key: `commitment-reminder:${commitmentId}:${commitment.occurrence.startsAt.toISOString()}`,
      },
    ]);
  });
}

/**
 * Offers an occurrence's free seats (headcount less active commitments and open offers) to the
 * next best eligible citizens, computed from the current state with the matcher's own compiler:
 * every hard constraint holds (eligibility, availability, overlaps with travel, weekly and pact
 * hours), citizens already asked for this occurrence are skipped, and the best score goes first.
 * A seat nobody can take is flagged to the territory's coordinators with the reasons.
 */
export async function fillSeats(deps: JobDeps, occurrenceId: string) {
  // The week is read and ranked before the lock is taken (it takes a while on a large territory):
  // an offer is only an offer, and accepting it checks every rule again under the locks.
  const before = await deps.prisma.taskOccurrence.findUnique({ where: { id: occurrenceId }, include: occurrenceInclude });
  if (!before || occurrenceIsOver(before, deps.now())) return;
  const weekStart = mondayOf(fromDbDate(before.localDate));
  // Only this occurrence is ranked, against everything its candidates hold that week.
  const compileFor = async (citizens?: Prisma.CitizenWhereInput) => {
    const week = await loadWeek(deps.prisma, before.task.territoryId, weekStart, { occurrenceIds: [occurrenceId], citizens });
    return compileWeek({ ...week.input, previousProposal: new Set(), pinned: [], excluded: [] });
  };
  // Of the territory's citizens, only those who could take the task are read and ranked.
  const compiled = await compileFor(candidatesFor(before.task));

  const result = await deps.prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT "id" FROM "TaskOccurrence" WHERE "id" = ${occurrenceId} FOR UPDATE`;
      const occurrence = await tx.taskOccurrence.findUnique({ where: { id: occurrenceId }, include: occurrenceInclude });
      const now = deps.now();
      if (!occurrence || occurrenceIsOver(occurrence, now)) return null;
      // Everyone offered or committed here, in one read: the seats left (seatsLeft) and who was asked.
      const seats = await tx.taskOccurrence.findUniqueOrThrow({
        where: { id: occurrenceId },
        select: {
          task: { select: { headcount: true } },
          commitments: { select: { citizenId: true, status: true } },
          offers: { select: { citizenId: true, status: true } },
        },
      });
      const free = seatsLeft(seats.task.headcount, seats.commitments, seats.offers);
      if (free <= 0) return null;
      const active = seats.commitments.filter((c) => c.status === "ACTIVE").length;
      const asked = new Set([...seats.offers, ...seats.commitments].map((x) => x.citizenId));
      const ranked = rankReplacements(compiled.problem, occurrenceId, asked);
      // The week was read before the lock: each candidate's standing is read again under it, after
      // their rows are held, so nobody who withdrew or was suspended meanwhile is asked.
      await holdCitizens(tx, ranked);
      const standing = await standingOf(
        tx,
        ranked.map((citizenId) => ({ citizenId, occurrenceId })),
      );
      const candidates = ranked.filter((citizen) => standing.failing(citizen, occurrenceId, null) === null).slice(0, free);
      const deadline = responseDeadline(now, occurrence.startsAt, REPLACEMENT_RESPONSE_MS);
      const offers = [];
      for (const candidate of candidates) {
        offers.push(await tx.offer.create({ data: { source: "REPLACEMENT", citizenId: candidate, occurrenceId, deadline, createdAt: now } }));
      }
      await stageJobs(tx, offerJobs(offers, now), now);
      const users = await tx.citizen.findMany({ where: { id: { in: offers.map((o) => o.citizenId) } }, select: { id: true, userId: true } });
      await notify(
        tx,
        offers.flatMap((o) => {
          const userId = users.find((u) => u.id === o.citizenId)?.userId;
          return userId
            ? [
                {
                  userId,
                  kind: "OFFER_RECEIVED" as const,
                  params: { ...occurrenceParams(occurrence), deadline: deadline.toISOString() },
                  key: `offer-received:${o.id}`,
                },
              ]
            : [];
        }),
      );
      return { made: offers.length, unfilled: offers.length < free ? { occurrence, active, left: free - offers.length } : null };
      // Several workers may search the same seat at once: they wait for each other's lock.
    },
    { maxWait: 30_000, timeout: 30_000 },
  );
  if (!result) return;
  if (result.unfilled) {
    // The coordinators are told why, about every citizen of the territory: the week is read again
    // as it now stands, without the narrowing (a seat nobody can take is the rare case). After
    // the commit: should this process die first, the job runs again and tells them then.
    const { occurrence, active, left } = result.unfilled;
    const everyone = await compileFor();
    const reasonCounts = everyone.excludedReasons.get(occurrenceId) ?? {};
    await deps.prisma.$transaction(async (tx) => {
      const coordinators = await coordinatorsOf(tx, occurrence.task.territoryId);
      await notify(
        tx,
        coordinators.map((userId) => ({
          userId,
          kind: "SEAT_UNFILLED" as const,
          params: { ...occurrenceParams(occurrence), free: left, reasonCounts: JSON.stringify(reasonCounts) },
          // Once per occurrence and number of seats left, however often the search runs.
          key: `seat-unfilled:${occurrenceId}:${active}:${left}:${userId}`,
        })),
      );
    });
  }
  if (result.made > 0) await deps.jobs.handOver();
}

/** Daily: warn about pacts ending within 30 days (once per pact and end date), and catch up on anything overdue. */
export async function dailyScan(deps: JobDeps) {
  const now = deps.now();
  const until = new Date(now.getTime() + PACT_WARNING_DAYS * DAY);
  const pacts = await deps.prisma.collaborationPact.findMany({
    where: { status: "ACTIVE", endDate: { gte: now, lte: until } },
    select: { id: true, title: true, endDate: true, territoryId: true, citizens: { select: { citizen: { select: { userId: true } } } } },
  });
  await deps.prisma.$transaction(async (tx) => {
    for (const pact of pacts) {
      const users = [...pact.citizens.flatMap((c) => (c.citizen.userId ? [c.citizen.userId] : [])), ...(await coordinatorsOf(tx, pact.territoryId))];
      const end = fromDbDate(pact.endDate);
      await notify(
        tx,
        users.map((userId) => ({ userId, kind: "PACT_EXPIRING" as const, params: { pactId: pact.id, end }, key: `pact-expiring:${pact.id}:${end}:${userId}` })),
      );
    }
  });
  await releaseLapsedWork(deps);
  await reconcile(deps);
}

/**
 * Daily: every citizen's future work is checked again for standing (ledger/release.service), so
 * what lapsed without anyone acting (a regulation that asks more, a record corrected) is released
 * and its seat searched again. In small transactions, a few citizens at a time.
 */
export async function releaseLapsedWork(deps: JobDeps): Promise<number> {
  const now = deps.now();
  const future = { occurrence: { startsAt: { gt: now } } };
  const citizenIds = [
    ...new Set(
      [
        ...(await deps.prisma.commitment.findMany({ where: { ...future, status: "ACTIVE" }, select: { citizenId: true }, distinct: ["citizenId"] })),
        ...(await deps.prisma.offer.findMany({ where: { ...future, status: "OFFERED" }, select: { citizenId: true }, distinct: ["citizenId"] })),
      ].map((x) => x.citizenId),
    ),
  ].sort();
  let freed = 0;
  for (let i = 0; i < citizenIds.length; i += 25) {
    const batch = citizenIds.slice(i, i + 25);
    const occurrences = await deps.prisma.$transaction(async (tx) => {
      await lockFutureWork(tx, batch, now);
      await holdCitizens(tx, batch);
      return releaseWhatNoLongerStands(tx, batch, now);
    });
    if (occurrences.length > 0) await deps.jobs.handOver();
    freed += occurrences.length;
  }
  return freed;
}

/**
 * How far ahead reconciliation gives commitments their reminder jobs: later ones get theirs from
 * a later daily scan, well before their reminder (a day before the occurrence) is due.
 */
export const REMINDER_HORIZON_MS = 8 * DAY;

/**
 * Rebuilds what the queue should hold from the database, which is the source of truth: overdue
 * offers get their deadline job now (expiry, then the seat offered again), open offers their
 * deadline and reminder jobs, upcoming commitments their reminders, freed seats a new search.
 * The jobs are staged in the outbox and relayed like any other (keyed: a job the queue still
 * holds is not duplicated). Run daily, and when a process that runs jobs starts or Redis comes
 * back; then, when Redis kept its data (`jobsKept`: every job reached it through the outbox, so
 * none is missing), only queued runs are handed over again, and the start is not held up behind
 * thousands of jobs the queue already has.
 */
export async function reconcile(deps: JobDeps, options: { atStart?: boolean; jobsKept?: boolean } = {}) {
  const now = deps.now();
  const staged: StagedJob[] = [];
  if (options.atStart) {
    // Queued runs are handed over again (Redis lost them, or the process stopped before its
    // hand-over): a run's job id is the run's (and its lease), so one still queued is not
    // duplicated. Running ones may be running elsewhere: the watchdog judges them by heartbeat.
    const queued = await deps.prisma.matchingRun.findMany({ where: { status: "QUEUED" }, select: { id: true, territoryId: true, lease: true } });
    staged.push(...queued.map(runJob));
  }
  if (!options.jobsKept) staged.push(...(await everyPendingJob(deps, now)));
  // In transactions of a bounded size: a large region has tens of thousands of jobs.
  for (let i = 0; i < staged.length; i += RECONCILE_BATCH) await deps.prisma.$transaction((tx) => stageJobs(tx, staged.slice(i, i + RECONCILE_BATCH), now));
  await deps.jobs.handOver();
}

/** Outbox rows written per transaction by reconciliation. */
const RECONCILE_BATCH = 1_000;

/** The jobs the database implies: offers' deadlines and reminders, commitments' reminders, freed seats' searches. */
async function everyPendingJob(deps: JobDeps, now: Date): Promise<StagedJob[]> {
  const staged: StagedJob[] = [];
  // Overdue offers included: their deadline job is due at once.
  const open = await deps.prisma.offer.findMany({ where: { status: "OFFERED" }, select: { id: true, deadline: true } });
  staged.push(...offerJobs(open, now, true));
  const upcoming = await deps.prisma.commitment.findMany({
    where: { status: "ACTIVE", occurrence: { startsAt: { gt: now, lte: new Date(now.getTime() + REMINDER_HORIZON_MS) } } },
    select: { id: true, occurrence: { select: { startsAt: true } } },
  });
  staged.push(
    ...commitmentJobs(
      upcoming.map((c) => ({ id: c.id, startsAt: c.occurrence.startsAt })),
      now,
    ),
  );
  // Seats freed (a decline, an expiry, a withdrawal) whose refill may have been lost: searched again.
  const freed = await deps.prisma.taskOccurrence.findMany({
    where: {
      startsAt: { gt: now },
      status: { in: ["OPEN", "PARTIALLY_FILLED"] },
      OR: [{ offers: { some: { status: { in: ["DECLINED", "EXPIRED"] } } } }, { commitments: { some: { status: "WITHDRAWN" } } }],
    },
    select: { id: true },
  });
  staged.push(
    ...refillJobs(
      freed.map((o) => o.id),
      now,
    ),
  );
  return staged;
}

/** What reconciliation needs of Redis (jobs/bullmq.ts): whether it kept its data. */
export interface KeptJobs {
  jobsKept(): Promise<boolean>;
  markJobsKept(): Promise<void>;
}

/**
 * Reconciliation at a start on Redis: in full only when Redis lost its data since the last full
 * one (then marked, once everything is staged in the outbox), else queued runs only.
 */
export async function reconcileOnRedis(queue: KeptJobs, deps: JobDeps): Promise<void> {
  const kept = await queue.jobsKept();
  await reconcile(deps, { atStart: true, jobsKept: kept });
  if (!kept) await queue.markJobsKept();
}

/**
 * Redis came back after a loss, perhaps empty (a restart without persistence): the repeatable
 * schedules and, when it lost its data, every job the database implies are handed over again.
 * Everything is keyed, so jobs that survived are not duplicated; a failure is logged and the
 * daily scan retries.
 */
export async function rebuildQueues(
  queue: KeptJobs & { scheduleRepeatable(options: { weeklyDraft: boolean }): Promise<void> },
  deps: JobDeps,
  weeklyDraft: boolean,
): Promise<void> {
  try {
    await queue.scheduleRepeatable({ weeklyDraft });
    await reconcileOnRedis(queue, deps);
  } catch (error) {
    console.error("could not rebuild the queues after Redis came back:", error);
  }
}
