// The transactional outbox (src/jobs/outbox.ts): a job exists exactly when the transaction that
// staged it committed, and reaches the runner whatever happened to the process that wrote it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handOverJobs, outboxRelay, stageJobs, type StagedJob } from "../src/jobs/outbox";
import { HAND_OVER_WAIT_MS, type EventJob, type JobRunner, type MatchingJob } from "../src/jobs/runner";
import type { Database } from "../src/db/database";
import { databaseKind, openTestDatabase } from "./helpers/database";

/** A runner that records what it is handed, optionally slowly or failing. */
function recorder(options: { failTimes?: number; delayMs?: number } = {}) {
  const events: { job: EventJob; delayMs: number }[] = [];
  const runs: MatchingJob[] = [];
  let failures = options.failTimes ?? 0;
  const runner: JobRunner = {
    async enqueueMatchingRun(run) {
      runs.push(run);
    },
    async schedule(job, delayMs = 0) {
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (failures > 0) {
        failures -= 1;
        throw new Error("queue away");
      }
      events.push({ job, delayMs });
    },
  };
  return { runner, events, runs };
}

const NOW = new Date("2026-03-02T09:00:00Z");
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const deadline = (offerId: string, minutes: number): StagedJob => ({ event: { kind: "offer-deadline", offerId }, dueAt: at(minutes) });

describe("the job outbox", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  }, 120_000);
  afterAll(() => database.close());
  beforeEach(async () => {
    await database.prisma.outboxJob.deleteMany();
  });
  const staged = () => database.prisma.outboxJob.count();

  it("holds a job only if the transaction that staged it committed", async () => {
    await expect(
      database.prisma.$transaction(async (tx) => {
        await stageJobs(tx, [deadline("rolled-back", 5)], NOW);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await staged()).toBe(0);
    await database.prisma.$transaction((tx) => stageJobs(tx, [deadline("kept", 5), { run: { runId: "r1", territoryId: "t1" } }], NOW));
    expect(await staged()).toBe(2);
  });

  it("hands over what a process that died after its commit left, with the delay left, once", async () => {
    // Staged and committed by a process that never handed it over.
    await database.prisma.$transaction((tx) => stageJobs(tx, [deadline("o1", 30), deadline("o2", -5), { run: { runId: "r1", territoryId: "t1" } }], NOW));
    const { runner, events, runs } = recorder();
    // Another process's relay, ten minutes later by the clock.
    const relay = outboxRelay(database.prisma, runner, { now: () => at(10) });
    expect(await relay.relay()).toBe(3);
    expect(events).toEqual([
      { job: { kind: "offer-deadline", offerId: "o1" }, delayMs: 20 * 60_000 },
      { job: { kind: "offer-deadline", offerId: "o2" }, delayMs: 0 },
    ]);
    expect(runs).toEqual([{ runId: "r1", territoryId: "t1" }]);
    expect(await staged()).toBe(0);
    expect(await relay.relay()).toBe(0);
    expect(events).toHaveLength(2);
  });

  it("keeps the rows of a hand-over that failed, for the next pass", async () => {
    await database.prisma.$transaction((tx) => stageJobs(tx, [deadline("o1", 5), deadline("o2", 5)], NOW));
    const { runner, events } = recorder({ failTimes: 1 });
    const errors: unknown[] = [];
    const relay = outboxRelay(database.prisma, runner, { now: () => NOW, onError: (error) => errors.push(error) });
    await relay.handOver();
    expect(errors).toHaveLength(1);
    expect(await staged()).toBe(2);
    expect(await relay.relay()).toBe(2);
    expect(events.map((e) => e.job)).toEqual(
      expect.arrayContaining([
        { kind: "offer-deadline", offerId: "o1" },
        { kind: "offer-deadline", offerId: "o2" },
      ]),
    );
    expect(await staged()).toBe(0);
  });

  it("neither fails nor holds a request when the queue does not answer; the rows wait for it", async () => {
    await database.prisma.$transaction((tx) => stageJobs(tx, [deadline("stuck", 5)], NOW));
    const errors: unknown[] = [];
    const silent: JobRunner = { enqueueMatchingRun: () => new Promise(() => {}), schedule: () => new Promise(() => {}) };
    const relay = outboxRelay(database.prisma, silent, { now: () => NOW, onError: (error) => errors.push(error), handOverTimeoutMs: 300 });
    const started = Date.now();
    await relay.handOver();
    expect(Date.now() - started).toBeLessThan(HAND_OVER_WAIT_MS + 500);
    for (let i = 0; i < 100 && errors.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(String(errors[0])).toMatch(/hand-over took over 300 ms/);
    expect(await staged()).toBe(1);
    const { runner, events } = recorder();
    expect(await outboxRelay(database.prisma, runner, { now: () => NOW }).relay()).toBe(1);
    expect(events.map((e) => e.job)).toEqual([{ kind: "offer-deadline", offerId: "stuck" }]);
  });

  it("hands each row to one relay when several processes relay at once", async () => {
    const jobs = Array.from({ length: 450 }, (_, i) => deadline(`o${i}`, i));
    await database.prisma.$transaction((tx) => stageJobs(tx, jobs, NOW));
    const a = recorder({ delayMs: 1 });
    const b = recorder({ delayMs: 1 });
    const relayA = outboxRelay(database.prisma, a.runner, { now: () => NOW });
    const relayB = outboxRelay(database.prisma, b.runner, { now: () => NOW });
    const [handedA, handedB] = await Promise.all([relayA.relay(), relayB.relay()]);
    expect(handedA + handedB).toBe(450);
    const ids = [...a.events, ...b.events].map((e) => (e.job as { offerId: string }).offerId);
    expect(new Set(ids).size).toBe(450);
    expect(ids).toHaveLength(450);
  });

  // Embedded, the one connection serialises transactions: nothing commits while a pass holds its rows.
  it.skipIf(databaseKind === "embedded")(
    "never leaves a row committed during a pass to the loop: a hand-over asked for meanwhile gets a pass after it",
    async () => {
      const events: string[] = [];
      let handing!: () => void;
      const handingStarted = new Promise<void>((resolve) => (handing = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const runner: JobRunner = {
        async enqueueMatchingRun() {},
        async schedule(job) {
          handing();
          await released;
          events.push((job as { offerId: string }).offerId);
        },
      };
      const relay = outboxRelay(database.prisma, runner, { now: () => NOW });
      await database.prisma.$transaction((tx) => stageJobs(tx, [deadline("first", 5)], NOW));
      const first = relay.relay();
      await handingStarted;
      // Committed after the first pass read its rows: the next pass, shared by both callers, takes it.
      await database.prisma.$transaction((tx) => stageJobs(tx, [deadline("second", 5)], NOW));
      const later = [relay.relay(), relay.relay()];
      release();
      expect(await first).toBe(1);
      expect(await Promise.all(later)).toEqual([1, 1]);
      expect(events).toEqual(["first", "second"]);
      expect(await staged()).toBe(0);
    },
  );

  it("drains on stop, and its loop resumes what is staged without anyone asking", async () => {
    const { runner, events } = recorder();
    const relay = outboxRelay(database.prisma, runner, { now: () => NOW });
    relay.start(20);
    await database.prisma.$transaction((tx) => stageJobs(tx, [deadline("looped", 5)], NOW));
    for (let i = 0; i < 100 && events.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events.map((e) => e.job)).toEqual([{ kind: "offer-deadline", offerId: "looped" }]);
    await database.prisma.$transaction((tx) => stageJobs(tx, [deadline("at-stop", 5)], NOW));
    await relay.stop();
    expect(events.map((e) => e.job)).toContainEqual({ kind: "offer-deadline", offerId: "at-stop" });
    expect(await staged()).toBe(0);
  });

  it("hands a job over with what is left of its delay, never a negative one", async () => {
    const { runner, events } = recorder();
    await handOverJobs(runner, [deadline("later", 90), deadline("past", -90)], NOW);
    expect(events.map((e) => e.delayMs)).toEqual([90 * 60_000, 0]);
  });
});
