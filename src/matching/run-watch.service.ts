// The watchdog of matching runs: every process that runs jobs looks at the unfinished runs every
// RUN_WATCH_MS and does what runVerdict (run-watch.model.ts) says, so a run whose job was lost,
// whose worker died or whose retries ran out through an outage is queued again or ends FAILED
// with its reason; it never stays QUEUED or RUNNING for good. Each change names the state it was
// decided on (lease and heartbeat), so a worker that beat meanwhile, or another process watching
// at the same moment, makes it a no-op.
import type { PrismaClient } from "../generated/prisma/client";
import type { JobDeps } from "../offers/offers.jobs";
import { stageJobs, type StagedJob } from "../jobs/outbox";
import { RUN_QUEUE_LIMIT_MS, RUN_TIME_LIMIT_MS, runVerdict, type RunStopCode, type RunVerdict, type WatchedRun } from "./run-watch.model";

/** How often each process that runs jobs looks at the unfinished runs. */
export const RUN_WATCH_MS = 15_000;

/** An unfinished run as the watchdog read it. */
export interface SeenRun extends WatchedRun {
  id: string;
  territoryId: string;
  status: "QUEUED" | "RUNNING";
  lease: number;
}

const MINUTES: Partial<Record<RunStopCode, number>> = { NOT_STARTED: RUN_QUEUE_LIMIT_MS / 60_000, TIMED_OUT: RUN_TIME_LIMIT_MS / 60_000 };

/**
 * One round: every unfinished run judged and settled; returns what was done, by action. A run's
 * times are the wall clock's (the database stamps its creation, its worker its heartbeat), so
 * the round is judged by the wall clock too, not by the service's clock.
 */
export async function watchRuns(deps: Pick<JobDeps, "prisma" | "jobs">, now = new Date()): Promise<Record<RunVerdict["action"], number>> {
  const runs = await deps.prisma.matchingRun.findMany({
    where: { status: { in: ["QUEUED", "RUNNING"] } },
    select: { id: true, territoryId: true, status: true, createdAt: true, heartbeatAt: true, attempts: true, lease: true },
  });
  const done = { wait: 0, "hand-over": 0, requeue: 0, fail: 0 };
  let staged = false;
  for (const run of runs as SeenRun[]) {
    const verdict = runVerdict(run, now);
    if (await settleRun(deps.prisma, run, verdict, now)) {
      done[verdict.action] += 1;
      staged ||= verdict.action === "hand-over" || verdict.action === "requeue";
    }
  }
  if (staged) await deps.jobs.handOver();
  return done;
}

/**
 * Carries out a verdict on a run as it was seen; false when the run had moved on since (a
 * heartbeat, another watcher, a worker that took it), and nothing was done. The caller hands
 * over what was staged.
 */
export async function settleRun(prisma: PrismaClient, run: SeenRun, verdict: RunVerdict, now: Date): Promise<boolean> {
  if (verdict.action === "wait") return false;
  const seen = { id: run.id, status: run.status, lease: run.lease, heartbeatAt: run.heartbeatAt };
  return prisma.$transaction(async (tx) => {
    switch (verdict.action) {
      case "hand-over": {
        // Nothing changes on the run: its job is handed over again (queued once: its id is the run's).
        const still = await tx.matchingRun.count({ where: seen });
        if (still === 0) return false;
        await stageJobs(tx, [runJob(run)], now);
        return true;
      }
      case "requeue": {
        // A new lease: the worker that held it, if it is only cut off, can write nothing more.
        const { count } = await tx.matchingRun.updateMany({ where: seen, data: { status: "QUEUED", phase: "queued", lease: { increment: 1 } } });
        if (count === 0) return false;
        await stageJobs(tx, [runJob({ ...run, lease: run.lease + 1 })], now);
        return true;
      }
      case "fail": {
        const minutes = MINUTES[verdict.code];
        const { count } = await tx.matchingRun.updateMany({
          where: seen,
          data: {
            status: "FAILED",
            phase: "failed",
            lease: { increment: 1 },
            failureCode: verdict.code,
            failureDetails: minutes === undefined ? {} : { minutes },
            error: `stopped by the watchdog: ${verdict.code} (taken ${run.attempts} times, last heartbeat ${run.heartbeatAt?.toISOString() ?? "never"})`,
            finishedAt: now,
          },
        });
        return count === 1;
      }
    }
  });
}

/** A queued run's job: named by its lease once the watchdog has queued it again. */
export const runJob = (run: { id: string; territoryId: string; lease: number }): StagedJob => ({
  run: { runId: run.id, territoryId: run.territoryId, ...(run.lease > 0 ? { lease: run.lease } : {}) },
});
