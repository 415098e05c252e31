// How jobs are wired, once for every entry point (the API in process or on Redis, a worker
// process, the test server): what runs a matching run and an event job, and the sweeps that keep
// offers and runs moving whatever happened to their jobs. jobs/ is the interface the services
// call; this module is what calls the services back.
import type { PrismaClient } from "./generated/prisma/client";
import { handleEventJob } from "./jobs/handlers";
import type { EventJob } from "./jobs/runner";
import { sweepEvery } from "./jobs/sweeper";
import { RUN_WATCH_MS, watchRuns } from "./matching/run-watch.service";
import { executeMatchingRun } from "./matching/matching.service";
import type { CompileRun } from "./matching/week.model";
import type { Logger } from "./observability/log";
import type { Metrics } from "./observability/metrics";
import { expireOverdue, OVERDUE_SWEEP_MS, type JobDeps } from "./offers/offers.jobs";
import type { Solve } from "./solver/solve";

/** Runs one matching run, timed in the metrics. */
export function matchingRunHandler(prisma: PrismaClient, metrics: Metrics, solve: Solve, compile?: CompileRun): (runId: string) => Promise<void> {
  return (runId) => metrics.timeJob("matching", "run", () => executeMatchingRun(prisma, runId, solve, compile));
}

/** Runs one event job (deadlines, reminders, refills, scans), timed in the metrics. */
export function eventHandler(deps: JobDeps, metrics: Metrics): (job: EventJob) => Promise<void> {
  return (job) => metrics.timeJob("events", job.kind, () => handleEventJob(deps, job));
}

/**
 * The sweeps of whoever runs the jobs: offers past their deadline expire within seconds
 * (OVERDUE_SWEEP_MS), and every run ends (the watchdog, RUN_WATCH_MS). Failures are logged and the
 * next round retries.
 */
export function startSweeps(deps: JobDeps, logger: Logger): { stop(): Promise<void> } {
  const sweeps = [
    sweepEvery(
      OVERDUE_SWEEP_MS,
      () => expireOverdue(deps),
      (error) => logger.warn({ err: error }, "overdue offers: sweep failed, the next one retries"),
    ),
    sweepEvery(
      RUN_WATCH_MS,
      () => watchRuns(deps),
      (error) => logger.warn({ err: error }, "matching runs: watch failed, the next one retries"),
    ),
  ];
  return { stop: async () => void (await Promise.all(sweeps.map((s) => s.stop()))) };
}
