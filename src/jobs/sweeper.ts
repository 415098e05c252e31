// Work that runs every few seconds in each process that runs jobs, whatever the queue holds:
// the database says what is due, so a job lost with a process or failed through an outage is
// caught up within one interval of the database answering again.

export interface Sweeper {
  /** Stops the rounds, waiting for the one under way. */
  stop(): Promise<void>;
}

/** Runs `work` every `intervalMs`, never two rounds at once; a failed round is reported and the next one tries again. */
export function sweepEvery(intervalMs: number, work: () => Promise<unknown>, onError: (error: unknown) => void): Sweeper {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      round = work()
        .then(
          () => undefined,
          (error: unknown) => onError(error),
        )
        .finally(next);
    }, intervalMs);
    timer.unref();
  };
  next();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
