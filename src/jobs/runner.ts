// Where long or later work runs. The in-process runner is used when no Redis is configured; the
// BullMQ runner (bullmq.ts) has the same interface. Services do not call a runner directly: they
// stage jobs in the outbox (outbox.ts) inside their transactions, and its relay hands them over.
// Handlers are idempotent and check that the job is still due against the database, so running
// one twice, early or late changes nothing wrong. The database is the source of truth:
// `reconcile` (offers.jobs.ts) rebuilds every pending job from it when a worker starts.
import { runAsSystem } from "../db/audit";

/** Work that happens at a time: the payload names the row; the handler reads the rest. */
export type EventJob =
  /** An offer's answer deadline: expire it if still open, and offer the seat to someone else. */
  | { kind: "offer-deadline"; offerId: string }
  /** Remind the citizen that an offer is about to expire. */
  | { kind: "offer-reminder"; offerId: string }
  /** Offer an occurrence's free seats to the next best eligible citizens. */
  | { kind: "fill-seats"; occurrenceId: string }
  /** Remind the citizen of a commitment, 24 hours before it starts. */
  | { kind: "commitment-reminder"; commitmentId: string }
  /** Daily: pact expiry warnings, and anything overdue. */
  | { kind: "daily-scan" }
  /** Weekly (when enabled): prepare draft matching runs for next week. */
  | { kind: "weekly-draft" };

/** One job per key: scheduling a key again replaces its time. (BullMQ ids may not contain ":".) */
export function jobKey(job: EventJob): string {
  switch (job.kind) {
    case "offer-deadline":
    case "offer-reminder":
      return `${job.kind}.${job.offerId}`;
    case "fill-seats":
      return `${job.kind}.${job.occurrenceId}`;
    case "commitment-reminder":
      return `${job.kind}.${job.commitmentId}`;
    case "daily-scan":
    case "weekly-draft":
      return job.kind;
  }
}

/** A matching run handed over: its territory is the unit of mutual exclusion. */
export interface MatchingJob {
  runId: string;
  territoryId: string;
  /**
   * Set when the watchdog queued the run again (run-watch.service.ts): the run's lease then. The
   * job is one of its own (BullMQ's id names the lease), so a job still held by a worker that
   * lost the run does not stand in its way.
   */
  lease?: number;
}

export interface JobRunner {
  /**
   * Runs (or re-runs) a matching run; resolves when it has been handed over, not when it ends.
   * Runs of different territories run in parallel; two runs of one territory never at once.
   */
  enqueueMatchingRun(run: MatchingJob): Promise<void>;
  /** Runs an event job after `delayMs` (0: now). A job with the same key is replaced. */
  schedule(job: EventJob, delayMs?: number): Promise<void>;
}

/** How long a request waits for its jobs to be handed over (Redis answers in a millisecond when up). */
export const HAND_OVER_WAIT_MS = 1000;

export interface JobHandlers {
  matchingRun(runId: string): Promise<void>;
  event?(job: EventJob): Promise<void>;
}

/** Longest delay a Node timer takes; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function inProcessRunner(handlers: JobHandlers): JobRunner & { idle(): Promise<void>; close(): void; reopen(): void } {
  const pending = new Set<Promise<void>>();
  const timers = new Map<string, NodeJS.Timeout>();
  const territories = new Map<string, Promise<void>>();
  let closed = false;
  const run = (work: () => Promise<void>, after: Promise<void> = Promise.resolve()) => {
    // A failed job is logged; the database still says what is left, and reconciliation retries.
    // A job works for the system, not for the request that handed it over.
    const job = after
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => runAsSystem(work))
      .catch((error: unknown) => console.error("job failed:", error));
    pending.add(job);
    void job.finally(() => pending.delete(job));
    return job;
  };
  const arm = (key: string, job: EventJob, dueAt: number) => {
    const wait = Math.max(0, dueAt - Date.now());
    const timer = setTimeout(
      () => {
        timers.delete(key);
        if (closed) return;
        if (dueAt - Date.now() > 0) return arm(key, job, dueAt);
        run(() => handlers.event?.(job) ?? Promise.resolve());
      },
      Math.min(wait, MAX_TIMER_MS),
    );
    // Timers never keep the process alive: on restart, reconciliation re-creates them.
    timer.unref();
    timers.set(key, timer);
  };
  // Runs handed over and not started yet: handed over again meanwhile, they are queued once.
  const waiting = new Set<string>();
  return {
    async enqueueMatchingRun({ runId, territoryId, lease }) {
      const key = `${runId}.${lease ?? 0}`;
      if (waiting.has(key)) return;
      waiting.add(key);
      // One territory's runs queue behind each other; other territories' go ahead.
      const mine = run(() => {
        waiting.delete(key);
        return handlers.matchingRun(runId);
      }, territories.get(territoryId));
      territories.set(territoryId, mine);
      void mine.finally(() => {
        if (territories.get(territoryId) === mine) territories.delete(territoryId);
      });
    },
    async schedule(job, delayMs = 0) {
      if (closed) return;
      const key = jobKey(job);
      clearTimeout(timers.get(key));
      arm(key, job, Date.now() + delayMs);
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close() {
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
    /** After close: takes jobs again (the timers dropped by close are not restored: reconcile does that). */
    reopen() {
      closed = false;
    },
  };
}
