// The production job runner: BullMQ queues on Redis. A matching run's id is its job id, and an
// event job's key (runner.ts) is its job id, so anything handed over twice is queued once (a job
// handed over while one of its key is running gets a follow-up after it); handlers are idempotent, so a job retried after a crash changes nothing it had already done.
import { runAsSystem } from "../db/audit";
import { DelayedError, Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { jobKey, type EventJob, type JobRunner, type MatchingJob } from "./runner";

export const MATCHING_QUEUE = "matching";
export const EVENTS_QUEUE = "events";
/** Repeatable jobs: the daily scan at 07:00 and the weekly draft run on Mondays at 08:00, Rome time. */
export const DAILY_SCAN_PATTERN = "0 7 * * *";
export const WEEKLY_DRAFT_PATTERN = "0 8 * * 1";
export const SCHEDULE_ZONE = "Europe/Rome";

function connect(redisUrl: string) {
  // Workers block on Redis: commands must wait for a reconnect rather than fail.
  return new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
}

/**
 * A job outlasts a database or Redis outage of about eight minutes (1 s doubling, ten attempts).
 * After that, overdue offers are the sweep's (every 2 s), unfinished runs the watchdog's
 * (run-watch.service.ts), and the rest reconciliation's.
 */
const retry = { attempts: 10, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: true, removeOnFail: 1000 } as const;

/** A run's job id: the run's, or, queued again by the watchdog, the run's and its lease. */
export const runJobId = (run: MatchingJob) => (run.lease ? `${run.runId}.lease${run.lease}` : run.runId);

export function bullmqRunner(
  redisUrl: string,
  prefix = "legami",
): JobRunner & {
  queues: readonly Queue[];
  close(): Promise<void>;
  scheduleRepeatable(options: { weeklyDraft: boolean }): Promise<void>;
  depth(): Promise<Record<string, number>>;
  jobsKept(): Promise<boolean>;
  markJobsKept(): Promise<void>;
  ping(timeoutMs?: number): Promise<void>;
  onReconnect(listener: () => void): void;
} {
  const connection = connect(redisUrl);
  let connectedOnce = false;
  const reconnectListeners: (() => void)[] = [];
  connection.on("ready", () => {
    if (connectedOnce) for (const listener of reconnectListeners) listener();
    connectedOnce = true;
  });
  const matching = new Queue(MATCHING_QUEUE, { connection, prefix });
  const events = new Queue<EventJob>(EVENTS_QUEUE, { connection, prefix });
  return {
    /** For the operators' dashboard. */
    queues: [matching, events],
    /** Resolves when Redis answers within `timeoutMs` (for readiness); commands otherwise wait for a reconnect. */
    async ping(timeoutMs = 1000) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("Redis did not answer")), timeoutMs)));
      try {
        await Promise.race([connection.ping(), late]);
      } finally {
        clearTimeout(timer);
      }
    },
    /**
     * Called each time the connection comes back after a loss. Redis may have come back empty
     * (it keeps nothing on disk here): the caller rebuilds the queues from the database.
     */
    onReconnect(listener) {
      reconnectListeners.push(listener);
    },
    /**
     * Whether Redis kept its data since the last full reconciliation (offers.jobs.ts): a marker
     * key written after it, gone when Redis restarted empty or was flushed.
     */
    async jobsKept() {
      return (await connection.exists(`${prefix}:jobs-kept`)) === 1;
    },
    async markJobsKept() {
      await connection.set(`${prefix}:jobs-kept`, new Date().toISOString());
    },
    /** Jobs waiting or delayed, per queue (for the queue-depth metric). */
    async depth() {
      const count = async (queue: Queue) => Object.values(await queue.getJobCounts("waiting", "delayed", "prioritized")).reduce((s, n) => s + n, 0);
      return { [MATCHING_QUEUE]: await count(matching), [EVENTS_QUEUE]: await count(events) };
    },
    async enqueueMatchingRun(run) {
      const jobId = runJobId(run);
      // A failed job (its retries spent) is kept for the dashboard, and BullMQ ignores a new job
      // with its id: it is removed, so the run is queued again. A waiting or active one stays.
      const state = await matching.getJobState(jobId);
      if (state === "failed" || state === "completed") await matching.remove(jobId).catch(() => 0);
      await matching.add("run", run, { jobId, ...retry });
    },
    async schedule(job, delayMs = 0) {
      const key = jobKey(job);
      const delay = Math.max(0, Math.round(delayMs));
      // Replacing: a waiting, delayed or failed job of that key is removed first. One being
      // processed cannot be removed, and BullMQ would silently ignore a new job with its id; the
      // running handler may have read the rows before the change that schedules this job (a
      // decline while the seat is being refilled), so a follow-up runs after it under its own id.
      await events.remove(key).catch(() => 0);
      const running = (await events.getJobState(key)) === "active";
      const jobId = running ? `${key}.after.${Date.now()}.${Math.random().toString(36).slice(2, 8)}` : key;
      await events.add(job.kind, job, { jobId, delay, ...retry });
    },
    async scheduleRepeatable({ weeklyDraft }) {
      await events.upsertJobScheduler("daily-scan", { pattern: DAILY_SCAN_PATTERN, tz: SCHEDULE_ZONE }, { name: "daily-scan", data: { kind: "daily-scan" } });
      if (weeklyDraft)
        await events.upsertJobScheduler(
          "weekly-draft",
          { pattern: WEEKLY_DRAFT_PATTERN, tz: SCHEDULE_ZONE },
          { name: "weekly-draft", data: { kind: "weekly-draft" } },
        );
      else await events.removeJobScheduler("weekly-draft");
    },
    async close() {
      await Promise.all([matching.close(), events.close()]);
      connection.disconnect();
    },
  };
}

/** How long a territory's lock outlives a worker that stopped renewing it (a crash). */
export const TERRITORY_LOCK_MS = 30_000;
/** How long a run waits before trying a territory that another worker is matching. */
const TERRITORY_BUSY_RETRY_MS = 1_000;

const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/**
 * Matching runs are partitioned by territory: any number of workers take runs in parallel, but a
 * territory's runs never overlap (two runs of one week would publish over each other's offers).
 * A run takes its territory's lock on Redis (renewed while it solves, given up at the end or
 * after TERRITORY_LOCK_MS if its worker dies); a run finding the lock taken goes back to the
 * queue, delayed, and another run is taken meanwhile.
 */
export function startMatchingWorker(redisUrl: string, handler: (runId: string) => Promise<void>, options: { concurrency: number; prefix?: string }) {
  const connection = connect(redisUrl);
  const locks = connect(redisUrl);
  const prefix = options.prefix ?? "legami";
  const take = async (job: Job<Partial<MatchingJob>>, token?: string) => {
    const runId = job.data.runId!;
    // Jobs queued before territories were recorded lock their run only.
    const key = `${prefix}:lock:matching:${job.data.territoryId ?? runId}`;
    const owner = `${runId}:${token ?? ""}`;
    if ((await locks.set(key, owner, "PX", TERRITORY_LOCK_MS, "NX")) !== "OK") {
      await job.moveToDelayed(Date.now() + TERRITORY_BUSY_RETRY_MS, token);
      throw new DelayedError();
    }
    const renew = setInterval(() => void locks.eval(RENEW, 1, key, owner, TERRITORY_LOCK_MS).catch(() => 0), TERRITORY_LOCK_MS / 3);
    try {
      await runAsSystem(() => handler(runId));
    } finally {
      clearInterval(renew);
      await locks.eval(RELEASE, 1, key, owner).catch(() => 0);
    }
  };
  const worker = new Worker<Partial<MatchingJob>>(MATCHING_QUEUE, take, { connection, prefix, concurrency: options.concurrency });
  return {
    worker,
    async close() {
      await worker.close();
      connection.disconnect();
      locks.disconnect();
    },
  };
}

export function startEventsWorker(redisUrl: string, handler: (job: EventJob) => Promise<void>, options: { prefix?: string; concurrency?: number } = {}) {
  const connection = connect(redisUrl);
  const worker = new Worker<EventJob>(EVENTS_QUEUE, (job) => runAsSystem(() => handler(job.data)), {
    connection,
    prefix: options.prefix ?? "legami",
    concurrency: options.concurrency ?? 4,
  });
  return {
    worker,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
