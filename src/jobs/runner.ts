// Where long work runs. The in-process runner is used when no Redis is configured; a BullMQ
// runner with the same interface is the production path (see the open issue for it). Jobs are
// handed over only after the transaction that created them has committed, and handlers are
// idempotent, so running one twice changes nothing.
export interface JobRunner {
  /** Runs (or re-runs) a matching run; resolves when it has been handed over, not when it ends. */
  enqueueMatchingRun(runId: string): Promise<void>;
}

export function inProcessRunner(handlers: { matchingRun(runId: string): Promise<void> }): JobRunner & { idle(): Promise<void> } {
  const pending = new Set<Promise<void>>();
  return {
    async enqueueMatchingRun(runId) {
      const job = new Promise<void>((resolve) => setImmediate(resolve)).then(() => handlers.matchingRun(runId)).catch(() => {});
      pending.add(job);
      void job.finally(() => pending.delete(job));
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
