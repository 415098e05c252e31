// The production job runner: BullMQ queues on Redis. The run id is the job id, so a run handed
// over twice is queued once; the handler is idempotent, so a job retried after a crash changes
// nothing it had already done.
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { JobRunner } from "./runner";

export const MATCHING_QUEUE = "matching";

function connect(redisUrl: string) {
  // Workers block on Redis: commands must wait for a reconnect rather than fail.
  return new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
}

export function bullmqRunner(redisUrl: string, prefix = "legami"): JobRunner & { close(): Promise<void> } {
  const connection = connect(redisUrl);
  const queue = new Queue(MATCHING_QUEUE, { connection, prefix });
  return {
    async enqueueMatchingRun(runId) {
      await queue.add("run", { runId }, { jobId: runId, attempts: 3, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: true, removeOnFail: 1000 });
    },
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

export function startMatchingWorker(redisUrl: string, handler: (runId: string) => Promise<void>, options: { concurrency: number; prefix?: string }) {
  const connection = connect(redisUrl);
  const worker = new Worker<{ runId: string }>(MATCHING_QUEUE, (job) => handler(job.data.runId), { connection, prefix: options.prefix ?? "legami", concurrency: options.concurrency });
  return {
    worker,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
