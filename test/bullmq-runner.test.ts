// The BullMQ runner's scheduling rules, on the machine's Redis (skipped without REDIS_URL).
import { randomUUID } from "node:crypto";
import { UnrecoverableError } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { bullmqRunner, startEventsWorker, startMatchingWorker } from "../src/jobs/bullmq";
import type { EventJob } from "../src/jobs/runner";
import { overlapRecorder } from "./helpers/overlap";

const redisUrl = process.env.REDIS_URL;

describe.runIf(redisUrl)("BullMQ runner", () => {
  const prefix = `legami-test-${randomUUID().slice(0, 8)}`;
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  const until = async (what: string, probe: () => boolean) => {
    const end = Date.now() + 10_000;
    while (!probe()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it("runs a job again when it is handed over while one of its key is running, and once when twice before it runs", async () => {
    const runner = bullmqRunner(redisUrl!, prefix);
    closers.push(() => runner.close());
    const runs: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const worker = startEventsWorker(
      redisUrl!,
      async (job) => {
        if (job.kind !== "fill-seats") return;
        runs.push(job.occurrenceId);
        // The first run of "busy" holds until released, as a refill reading a large week does.
        if (job.occurrenceId === "busy" && runs.filter((r) => r === "busy").length === 1) await gate;
      },
      { prefix, concurrency: 2 },
    );
    closers.push(() => worker.close());

    const busy: EventJob = { kind: "fill-seats", occurrenceId: "busy" };
    await runner.schedule(busy);
    await until("the first run to start", () => runs.includes("busy"));
    // Handed over again while the first is running (a decline during the refill): it must run after.
    await runner.schedule(busy);
    release();
    await until("the follow-up run", () => runs.filter((r) => r === "busy").length === 2);

    // Twice before it is due: one run.
    const quiet: EventJob = { kind: "fill-seats", occurrenceId: "quiet" };
    await runner.schedule(quiet, 300);
    await runner.schedule(quiet, 300);
    await until("the delayed run", () => runs.includes("quiet"));
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(runs.filter((r) => r === "quiet")).toHaveLength(1);
    expect(runs.filter((r) => r === "busy")).toHaveLength(2);
  });

  it("partitions matching runs by territory across workers: parallel between territories, never two of one at once", async () => {
    const runner = bullmqRunner(redisUrl!, prefix);
    closers.push(() => runner.close());
    const territoryOf: Record<string, string> = { "run-a1": "arezzo", "run-a2": "arezzo", "run-g1": "grosseto", "run-a3": "arezzo", "run-g2": "grosseto" };
    const recorder = overlapRecorder();
    // Two workers, as two processes would be, each taking two jobs at a time.
    for (let i = 0; i < 2; i++) {
      const worker = startMatchingWorker(redisUrl!, (runId) => recorder.work(runId, territoryOf[runId]!, 250), { concurrency: 2, prefix });
      closers.push(() => worker.close());
    }
    for (const runId of Object.keys(territoryOf)) await runner.enqueueMatchingRun({ runId, territoryId: territoryOf[runId]! });
    await until("every run", () => recorder.finished.length === 5);
    expect(recorder.finished.sort()).toEqual(Object.keys(territoryOf).sort());
    expect(recorder.overlaps).toContain("arezzo|grosseto");
    expect(recorder.overlaps).not.toContain("arezzo|arezzo");
    expect(recorder.overlaps).not.toContain("grosseto|grosseto");
  });

  it("queues a run again after its job failed, and gives a run queued again by the watchdog a job of its own, once", async () => {
    // Queues of its own: the workers of the test before still listen on the shared ones.
    const own = `${prefix}-again`;
    const runner = bullmqRunner(redisUrl!, own);
    closers.push(() => runner.close());
    const calls: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const worker = startMatchingWorker(
      redisUrl!,
      async (runId) => {
        calls.push(runId);
        const mine = calls.filter((c) => c === runId).length;
        // Its retries spent (here at once): the job is failed and kept for the dashboard.
        if (runId === "failing" && mine === 1) throw new UnrecoverableError("the database stayed away");
        // A worker that lost its run but still holds the job.
        if (runId === "held" && mine === 1) await gate;
      },
      { concurrency: 2, prefix: own },
    );
    closers.push(() => worker.close());

    await runner.enqueueMatchingRun({ runId: "failing", territoryId: "t-failing" });
    await until("the job to fail", () => calls.includes("failing"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await runner.enqueueMatchingRun({ runId: "failing", territoryId: "t-failing" });
    await until("the run queued again", () => calls.filter((c) => c === "failing").length === 2);

    await runner.enqueueMatchingRun({ runId: "held", territoryId: "t-held" });
    await until("the first job to hold the run", () => calls.includes("held"));
    // The watchdog queued it again with a new lease, twice (two rounds): one more job.
    await runner.enqueueMatchingRun({ runId: "held", territoryId: "t-held", lease: 2 });
    await runner.enqueueMatchingRun({ runId: "held", territoryId: "t-held", lease: 2 });
    // Queued again under the run's own id while that job is active: nothing more.
    await runner.enqueueMatchingRun({ runId: "held", territoryId: "t-held" });
    release();
    await until("the run's new job", () => calls.filter((c) => c === "held").length === 2);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(calls.filter((c) => c === "held")).toHaveLength(2);
    expect(calls.filter((c) => c === "failing")).toHaveLength(2);
  });

  it("tells whether Redis kept its data since the last full reconciliation", async () => {
    const own = `${prefix}-kept`;
    const runner = bullmqRunner(redisUrl!, own);
    closers.push(() => runner.close());
    expect(await runner.jobsKept()).toBe(false);
    await runner.markJobsKept();
    expect(await runner.jobsKept()).toBe(true);
    // Redis restarted empty, or was flushed: the marker is gone with the jobs.
    const connection = new Redis(redisUrl!);
    await connection.del(`${own}:jobs-kept`);
    connection.disconnect();
    expect(await runner.jobsKept()).toBe(false);
  });

  it("answers a readiness ping when Redis does, and fails it within the time given when it does not", async () => {
    const runner = bullmqRunner(redisUrl!, prefix);
    closers.push(() => runner.close());
    await expect(runner.ping()).resolves.toBeUndefined();
    // Nothing listens on port 1: commands would wait for a reconnect; the ping gives up.
    const nowhere = bullmqRunner("redis://127.0.0.1:1", prefix);
    const started = Date.now();
    await expect(nowhere.ping(300)).rejects.toThrow(/did not answer/);
    expect(Date.now() - started).toBeLessThan(5_000);
    void nowhere.close().catch(() => {});
  });
});
