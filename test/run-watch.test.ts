// Every matching run ends and has one writer: the watchdog (matching/run-watch.service.ts)
// queues again a run whose job or worker was lost and fails one that will not finish, with its
// reason in the coordinator's words; a worker that lost its run to another writes nothing more.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { executeMatchingRun } from "../src/matching/matching.service";
import { settleRun, watchRuns, type SeenRun } from "../src/matching/run-watch.service";
import { reconcileOnRedis } from "../src/offers/offers.jobs";
import { RUN_MAX_ATTEMPTS, RUN_QUEUE_LIMIT_MS, RUN_STALL_MS, RUN_TIME_LIMIT_MS } from "../src/matching/run-watch.model";
import { toDbDate } from "../src/db/dates";
import { solveMatching, type Solve } from "../src/solver/solve";
import { startTestServer, type TestServer } from "./helpers/server";

let server: TestServer;
let coordinator: string;
let territoryId: string;
let coordinatorId: string;
const WEEK = "2026-11-23";
const RUN = `query($id: ID!) { matchingRun(id: $id) { __typename ... on MatchingRun { id status phase error failureCode } } }`;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/** A run row as a worker or a lost job would have left it. */
async function leftRun(data: { status: "QUEUED" | "RUNNING"; createdAt?: Date; heartbeatAt?: Date | null; attempts?: number; lease?: number; week?: string }) {
  return server.database.prisma.matchingRun.create({
    data: {
      territoryId,
      createdById: coordinatorId,
      weekStart: toDbDate(data.week ?? WEEK),
      phase: data.status === "QUEUED" ? "queued" : "solving",
      createdAt: data.createdAt ?? new Date(),
      status: data.status,
      heartbeatAt: data.heartbeatAt ?? null,
      attempts: data.attempts ?? 0,
      lease: data.lease ?? data.attempts ?? 0,
    },
  });
}

const row = (id: string) => server.database.prisma.matchingRun.findUniqueOrThrow({ where: { id } });
const shown = async (id: string, lang: "it" | "en") => (await server.gql(RUN, { id }, { token: coordinator, lang })).data.matchingRun;

beforeAll(async () => {
  server = await startTestServer();
  coordinator = await server.login("coordinatrice.grosseto@legami.demo");
  territoryId = (await server.database.prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } })).id;
  coordinatorId = (await server.database.prisma.user.findUniqueOrThrow({ where: { email: "coordinatrice.grosseto@legami.demo" } })).id;
});

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  // Each case watches its own runs only.
  await server.database.prisma.matchingRun.updateMany({ where: { status: { in: ["QUEUED", "RUNNING"] } }, data: { status: "FAILED", phase: "failed" } });
});

describe("the matching-run watchdog", () => {
  it("leaves a run that beats or waits its turn, and queues again one whose worker stopped: another worker finishes it", async () => {
    const beating = await leftRun({ status: "RUNNING", attempts: 1, heartbeatAt: minutesAgo(0.5) });
    const waiting = await leftRun({ status: "QUEUED" });
    const died = await leftRun({ status: "RUNNING", attempts: 1, createdAt: minutesAgo(3), heartbeatAt: new Date(Date.now() - RUN_STALL_MS - 5_000) });
    expect(await watchRuns(server.deps)).toMatchObject({ requeue: 1, fail: 0, "hand-over": 0 });
    await server.waitFor("the run queued again to finish", async () => (await row(died.id)).status === "DONE", 30_000);
    expect(await row(died.id)).toMatchObject({ status: "DONE", phase: "done", attempts: 2 });
    expect((await row(died.id)).lease).toBeGreaterThan(1);
    expect(await row(beating.id)).toMatchObject({ status: "RUNNING", attempts: 1, lease: 1 });
    expect(await row(waiting.id)).toMatchObject({ status: "QUEUED", attempts: 0 });
  });

  it("hands over again a run queued a while whose job was lost, and it runs", async () => {
    const lost = await leftRun({ status: "QUEUED", createdAt: minutesAgo(2) });
    expect(await watchRuns(server.deps)).toMatchObject({ "hand-over": 1 });
    await server.jobsIdle();
    expect(await row(lost.id)).toMatchObject({ status: "DONE", attempts: 1 });
  });

  it("fails, in the coordinator's words, a run its workers died on every time, one nobody took, and one past its time", async () => {
    const lost = await leftRun({
      status: "RUNNING",
      attempts: RUN_MAX_ATTEMPTS,
      createdAt: minutesAgo(10),
      heartbeatAt: new Date(Date.now() - RUN_STALL_MS - 5_000),
    });
    const notStarted = await leftRun({ status: "QUEUED", createdAt: new Date(Date.now() - RUN_QUEUE_LIMIT_MS - 60_000) });
    const tooLong = await leftRun({ status: "RUNNING", attempts: 1, createdAt: new Date(Date.now() - RUN_TIME_LIMIT_MS - 60_000), heartbeatAt: new Date() });
    expect(await watchRuns(server.deps)).toMatchObject({ fail: 3, requeue: 0, "hand-over": 0 });
    expect(await server.database.prisma.outboxJob.count()).toBe(0);
    expect(await shown(lost.id, "it")).toMatchObject({
      status: "FAILED",
      phase: "failed",
      failureCode: "WORKER_LOST",
      error: expect.stringMatching(/^L'elaborazione si è interrotta più volte senza terminare/),
    });
    expect(await shown(notStarted.id, "it")).toMatchObject({ status: "FAILED", failureCode: "NOT_STARTED", error: expect.stringContaining("entro 30 minuti") });
    expect(await shown(tooLong.id, "en")).toMatchObject({ status: "FAILED", failureCode: "TIMED_OUT", error: expect.stringContaining("within 60 minutes") });
    expect((await row(tooLong.id)).finishedAt).not.toBeNull();
    // A worker still holding the run it timed out writes nothing more: the lease has moved on.
    expect((await row(tooLong.id)).lease).toBe(2);
  });

  it("does nothing on a run that moved on since it was seen: a heartbeat, another watcher", async () => {
    const stalled = await leftRun({ status: "RUNNING", attempts: 1, createdAt: minutesAgo(3), heartbeatAt: new Date(Date.now() - RUN_STALL_MS - 5_000) });
    const seen = (await row(stalled.id)) as SeenRun;
    // The worker beats after the watchdog read the run.
    await server.database.prisma.matchingRun.update({ where: { id: stalled.id }, data: { heartbeatAt: new Date() } });
    expect(await settleRun(server.database.prisma, seen, { action: "requeue" }, new Date())).toBe(false);
    expect(await settleRun(server.database.prisma, seen, { action: "fail", code: "WORKER_LOST" }, new Date())).toBe(false);
    expect(await row(stalled.id)).toMatchObject({ status: "RUNNING", lease: 1 });
    // Two processes watching at once: the run is queued again once.
    await server.database.prisma.matchingRun.update({ where: { id: stalled.id }, data: { heartbeatAt: new Date(Date.now() - RUN_STALL_MS - 5_000) } });
    await server.relay.stop();
    try {
      const rounds = await Promise.all([watchRuns(server.deps), watchRuns(server.deps)]);
      expect(rounds[0].requeue + rounds[1].requeue).toBe(1);
      expect(await server.database.prisma.outboxJob.count()).toBe(1);
    } finally {
      server.relay.start();
    }
    await server.jobsIdle();
    expect(await row(stalled.id)).toMatchObject({ status: "DONE" });
  });
});

describe("two workers on one run", () => {
  it("lets only the worker that took the run last write it: the first one's solution and progress are refused", async () => {
    // A week no other run here has solved: the run is solved, not taken over from an identical one.
    const run = await leftRun({ status: "QUEUED", week: "2026-11-30" });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let firstSolving!: () => void;
    const solving = new Promise<void>((resolve) => (firstSolving = resolve));
    // The first worker's locks lapse while it solves; it would then write an empty proposal.
    const slow: Solve = async (problem, hooks) => {
      firstSolving();
      await gate;
      const solution = await solveMatching(problem, hooks);
      await hooks?.onProgress?.({ solved: 0, total: 99 });
      return { ...solution, assignments: [] };
    };
    const first = executeMatchingRun(server.database.prisma, run.id, slow);
    await solving;
    await executeMatchingRun(server.database.prisma, run.id);
    const second = await row(run.id);
    expect(second).toMatchObject({ status: "DONE", attempts: 2, lease: 2 });
    expect((second.solution as { assignments: unknown[] }).assignments.length).toBeGreaterThan(0);
    release();
    await first;
    const after = await row(run.id);
    expect(after.solution).toEqual(second.solution);
    expect(after).toMatchObject({ status: "DONE", phase: "done", componentsTotal: second.componentsTotal, lease: 2 });
  });
});

describe("reconciliation at a start on Redis", () => {
  it("hands over queued runs only when Redis kept its jobs, and everything, in bounded batches, when it lost them", async () => {
    const queued = await leftRun({ status: "QUEUED" });
    // More open offers than one batch of outbox rows (each has a deadline job).
    const prisma = server.database.prisma;
    const [citizens, occurrences] = await Promise.all([
      prisma.citizen.findMany({ select: { id: true } }),
      prisma.taskOccurrence.findMany({ where: { startsAt: { gt: new Date() } }, select: { id: true } }),
    ]);
    const pairs = citizens.flatMap((c) => occurrences.map((o) => ({ citizenId: c.id, occurrenceId: o.id }))).slice(0, 1_100);
    expect(pairs).toHaveLength(1_100);
    await prisma.offer.createMany({
      data: pairs.map((p) => ({ ...p, source: "REPLACEMENT" as const, deadline: new Date(Date.now() + 48 * 3_600_000) })),
      skipDuplicates: true,
    });
    const open = await prisma.offer.count({ where: { status: "OFFERED" } });
    const marks: string[] = [];
    const redis = (kept: boolean) => ({ jobsKept: async () => kept, markJobsKept: async () => void marks.push("marked") });
    const kinds = async () =>
      (await server.database.prisma.outboxJob.findMany({ select: { kind: true, payload: true } })).map((r) =>
        r.kind === "matching-run" ? `run:${(r.payload as { runId: string }).runId}` : r.kind,
      );
    await server.relay.stop();
    try {
      await reconcileOnRedis(redis(true), server.deps);
      expect(await kinds()).toEqual([`run:${queued.id}`]);
      expect(marks).toEqual([]);
      await server.database.prisma.outboxJob.deleteMany();
      await reconcileOnRedis(redis(false), server.deps);
      const staged = await kinds();
      expect(staged).toContain(`run:${queued.id}`);
      expect(staged.filter((k) => k === "offer-deadline")).toHaveLength(open);
      expect(marks).toEqual(["marked"]);
    } finally {
      server.relay.start();
    }
    await server.jobsIdle();
    expect(await row(queued.id)).toMatchObject({ status: "DONE" });
  });
});
