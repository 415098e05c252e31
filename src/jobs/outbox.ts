// The transactional outbox: a job is a row (OutboxJob) written in the same transaction as what
// needs it (an offer and its deadline, a decline and the search for the next citizen). A relay
// hands the rows to the job runner (BullMQ, or this process's timers) and deletes them in one
// transaction; rows it could not hand over stay for the next pass. Every process that runs jobs
// relays: right after a commit that staged rows (handOver), every few seconds, at start, and once
// more when it stops. A process that dies between its commit and its hand-over loses nothing: the
// next pass, in any process, hands the rows over. Handing a row over twice (a relay that died
// after the hand-over, before its delete committed) queues the job once: job ids are keys.
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { HAND_OVER_WAIT_MS, type EventJob, type JobRunner, type MatchingJob } from "./runner";

/** A job staged in a transaction: an event job due at a time, or a matching run to start now. */
export type StagedJob = { event: EventJob; dueAt: Date } | { run: MatchingJob };

type Tx = Prisma.TransactionClient;

/** Writes jobs into the outbox, inside the caller's transaction: they exist only if it commits. */
export async function stageJobs(tx: Tx, jobs: readonly StagedJob[], now: Date): Promise<void> {
  if (jobs.length === 0) return;
  await tx.outboxJob.createMany({
    data: jobs.map((job) =>
      "run" in job ? { kind: "matching-run", payload: { ...job.run }, dueAt: now } : { kind: job.event.kind, payload: { ...job.event }, dueAt: job.dueAt },
    ),
  });
}

/** What services are given: the runner, and the hand-over of what their transactions staged. */
export interface Jobs extends JobRunner {
  /**
   * Hands over the staged jobs now; called after a commit that staged some. Waits at most
   * HAND_OVER_WAIT_MS (a request never waits on a slow queue) and never throws: rows that are
   * not handed over now are by a later pass.
   */
  handOver(): Promise<void>;
}

export interface OutboxRelay extends Jobs {
  /** One pass: hands over every row staged so far, in batches; resolves to how many. */
  relay(): Promise<number>;
  /** Relays every `intervalMs` (and once now), whatever the hand-overs after commits did. */
  start(intervalMs?: number): void;
  /** Stops the loop and hands over what is left (a graceful shutdown drains the outbox). */
  stop(): Promise<void>;
}

/** How often each process relays, whatever the hand-overs after commits did. */
export const RELAY_INTERVAL_MS = 2_000;
/** Rows handed over per transaction. */
const BATCH = 200;
/** A hand-over that takes longer (Redis away) rolls its batch back for a later pass. */
const HAND_OVER_TIMEOUT_MS = 10_000;

/** Wraps a runner with the outbox's relay. */
export function outboxRelay(
  prisma: PrismaClient,
  runner: JobRunner,
  options: { now?: () => Date; onError?: (error: unknown) => void; handOverTimeoutMs?: number } = {},
): OutboxRelay {
  const now = options.now ?? (() => new Date());
  const handOverTimeoutMs = options.handOverTimeoutMs ?? HAND_OVER_TIMEOUT_MS;
  const onError = options.onError ?? ((error: unknown) => console.error("outbox relay failed (the next pass retries):", error));
  // One pass at a time; a hand-over asked for during a pass gets one more pass after it, so
  // rows committed while a pass was reading are not left for the loop.
  let running: Promise<number> | null = null;
  let again: Promise<number> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const batch = () =>
    prisma.$transaction(
      async (tx) => {
        // Several processes relay at once: each takes rows the others have not locked.
        const rows = await tx.$queryRaw<{ seq: bigint; kind: string; payload: unknown; dueAt: Date }[]>`
          SELECT "seq", "kind", "payload", "dueAt" FROM "OutboxJob" ORDER BY "seq" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return 0;
        await withTimeout(handOverJobs(runner, rows.map(stagedOf), now()), handOverTimeoutMs);
        await tx.$executeRaw`DELETE FROM "OutboxJob" WHERE "seq" = ANY(${rows.map((r) => r.seq)})`;
        return rows.length;
      },
      { maxWait: 5_000, timeout: handOverTimeoutMs + 5_000 },
    );

  const pass = async () => {
    let total = 0;
    for (;;) {
      const handed = await batch();
      total += handed;
      if (handed < BATCH) return total;
    }
  };

  const relay = (): Promise<number> => {
    if (!running) {
      running = pass().finally(() => (running = null));
      return running;
    }
    // A pass is under way: one more after it, shared by everyone who asks meanwhile.
    again ??= running
      .catch(() => 0)
      .then(() => {
        again = null;
        return relay();
      });
    return again;
  };

  const loop = () => {
    if (stopped) return;
    timer = setTimeout(() => void relay().catch(onError).finally(loop), intervalMs);
    timer.unref();
  };
  let intervalMs = RELAY_INTERVAL_MS;

  return {
    enqueueMatchingRun: (run) => runner.enqueueMatchingRun(run),
    schedule: (job, delayMs) => runner.schedule(job, delayMs),
    relay,
    async handOver() {
      if (stopped) return;
      const handing = relay().then(
        () => undefined,
        (error: unknown) => onError(error),
      );
      let wait: NodeJS.Timeout | undefined;
      await Promise.race([handing, new Promise<void>((resolve) => (wait = setTimeout(resolve, HAND_OVER_WAIT_MS)))]);
      clearTimeout(wait);
    },
    start(every = RELAY_INTERVAL_MS) {
      intervalMs = every;
      stopped = false;
      void relay().catch(onError).finally(loop);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await relay().catch(onError);
    },
  };
}

const stagedOf = (row: { kind: string; payload: unknown; dueAt: Date }): StagedJob =>
  row.kind === "matching-run" ? { run: row.payload as MatchingJob } : { event: row.payload as EventJob, dueAt: row.dueAt };

/** Hands jobs to the runner now, with the delay left until each is due (reconciliation's way, and the relay's). */
export async function handOverJobs(runner: JobRunner, jobs: readonly StagedJob[], now: Date): Promise<void> {
  for (const job of jobs) {
    if ("run" in job) await runner.enqueueMatchingRun(job.run);
    else await runner.schedule(job.event, Math.max(0, job.dueAt.getTime() - now.getTime()));
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`job hand-over took over ${ms} ms`)), ms)))]).finally(
    () => clearTimeout(timer),
  );
}
