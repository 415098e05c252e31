// Every matching run ends: what the watchdog does with a run that has not finished. A worker
// holding a run writes a heartbeat while it works (on its event loop, which compiling and solving
// leave free: both run on solver threads); a run whose heartbeat stopped lost its worker (killed,
// or cut off from the database). Pure.

/** A running run whose heartbeat is older than this has lost its worker. */
export const RUN_STALL_MS = 60_000;
/** How often a worker writes a running run's heartbeat (well inside RUN_STALL_MS). */
export const RUN_HEARTBEAT_MS = 10_000;
/** Taken this many times without finishing (its worker died each time), a run fails. */
export const RUN_MAX_ATTEMPTS = 3;
/** A run nobody has started within this long after it was asked for fails (no worker is running). */
export const RUN_QUEUE_LIMIT_MS = 30 * 60_000;
/** A run not finished within this long after it was asked for fails, whatever it is doing. */
export const RUN_TIME_LIMIT_MS = 60 * 60_000;
/** A queued run waiting longer than this is handed over again (its job may have been lost). */
export const RUN_REQUEUE_AFTER_MS = 60_000;

export type RunStopCode = "WORKER_LOST" | "NOT_STARTED" | "TIMED_OUT";

export interface WatchedRun {
  status: "QUEUED" | "RUNNING" | "DONE" | "FAILED";
  createdAt: Date;
  /** Last sign of life of the worker holding it (null: never taken). */
  heartbeatAt: Date | null;
  /** How many times a worker has taken it. */
  attempts: number;
}

export type RunVerdict =
  /** Moving, or waiting its turn: nothing to do. */
  | { action: "wait" }
  /** Queued a while: its job is handed over again (a job id per run: never queued twice). */
  | { action: "hand-over" }
  /** Its worker is gone: queued again for another worker. */
  | { action: "requeue" }
  /** It will not finish: failed, with the reason shown to the coordinator. */
  | { action: "fail"; code: RunStopCode };

/**
 * Rule: a run not finished within RUN_TIME_LIMIT_MS fails; a queued one nobody took within
 * RUN_QUEUE_LIMIT_MS fails, and after RUN_REQUEUE_AFTER_MS is handed over again; a running one
 * whose heartbeat is older than RUN_STALL_MS is queued again, or fails once taken RUN_MAX_ATTEMPTS times.
 */
export function runVerdict(run: WatchedRun, now: Date): RunVerdict {
  if (run.status === "DONE" || run.status === "FAILED") return { action: "wait" };
  const age = now.getTime() - run.createdAt.getTime();
  if (age > RUN_TIME_LIMIT_MS) return { action: "fail", code: "TIMED_OUT" };
  if (run.status === "QUEUED") {
    if (run.attempts === 0 && age > RUN_QUEUE_LIMIT_MS) return { action: "fail", code: "NOT_STARTED" };
    return age > RUN_REQUEUE_AFTER_MS ? { action: "hand-over" } : { action: "wait" };
  }
  const quiet = now.getTime() - (run.heartbeatAt ?? run.createdAt).getTime();
  if (quiet <= RUN_STALL_MS) return { action: "wait" };
  return run.attempts >= RUN_MAX_ATTEMPTS ? { action: "fail", code: "WORKER_LOST" } : { action: "requeue" };
}
