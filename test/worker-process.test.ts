// A worker is a process of its own (`npm run worker`): killed with SIGKILL while deadlines fall
// due and while a run's job is lost from Redis, then two started at once, they lose no offer,
// expire each one once, duplicate no offer or commitment, and finish the lost run. Needs PostgreSQL
// and Redis (a worker process cannot share an embedded database): CI's second run.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";
import { startTestServer, type TestServer } from "./helpers/server";

const config = loadConfig(process.env, "migrate");
const runnable = config.redisUrl !== undefined && config.database.kind === "postgres";

let server: TestServer;
const children: ChildProcess[] = [];

function startWorker(): Promise<ChildProcess> {
  // As `npm run worker` runs it: the compiled worker (dist/, built by the tests' global setup).
  const child = spawn(process.execPath, [join(import.meta.dirname, "..", "dist", "worker.js")], {
    cwd: join(import.meta.dirname, ".."),
    env: {
      ...process.env,
      DATABASE_URL: server.databaseUrl,
      REDIS_URL: config.redisUrl,
      QUEUE_PREFIX: server.queuePrefix,
      JWT_SECRET: "unused-by-workers-but-long-enough-0123456789",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Legami worker started")) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`worker exited (${code}): ${output}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

beforeAll(async () => {
  if (runnable) server = await startTestServer({ redisWorkers: false });
}, 120_000);

afterAll(async () => {
  await Promise.all(children.map(kill));
  await server?.close();
});

describe.runIf(runnable)("worker processes", () => {
  it("lose nothing and duplicate nothing when killed and restarted", async () => {
    const prisma = server.database.prisma;
    const coordinator = await server.login("coordinatrice.grosseto@legami.demo");
    const territoryId = (await prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } })).id;
    const START = `mutation($t: ID!, $w: Date!) { startMatchingRun(territoryId: $t, weekStart: $w) { ... on MatchingRun { id } } }`;

    // A first worker solves a run; the coordinator publishes it.
    const first = await startWorker();
    const run = (await server.gql(START, { t: territoryId, w: "2026-11-23" }, { token: coordinator })).data.startMatchingRun;
    await server.jobsIdle();
    expect((await prisma.matchingRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("DONE");
    await server.gql(`mutation($id: ID!) { publishMatchingRun(runId: $id) { __typename } }`, { id: run.id }, { token: coordinator });

    // Three offers fall due in 3 s (the worker's clock is the real one); their jobs are queued.
    const due = (await prisma.offer.findMany({ where: { status: "OFFERED" }, orderBy: { id: "asc" }, take: 3 })).map((o) => o.id);
    await prisma.offer.updateMany({ where: { id: { in: due } }, data: { deadline: new Date(Date.now() + 3_000) } });
    for (const offerId of due) await server.deps.jobs.schedule({ kind: "offer-deadline", offerId }, 3_000);

    // The worker is killed before they fall due; a run is started meanwhile and its job lost from Redis.
    await kill(first);
    const second = (await server.gql(START, { t: territoryId, w: "2026-11-30" }, { token: coordinator })).data.startMatchingRun;
    const connection = new Redis(config.redisUrl!, { maxRetriesPerRequest: null });
    const matching = new Queue("matching", { connection, prefix: server.queuePrefix });
    expect(await matching.remove(second.id)).toBe(1);
    await matching.close();
    connection.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(await prisma.offer.count({ where: { id: { in: due }, status: "OFFERED" } })).toBe(3);

    // Two new workers start at once: each reconciles from the database and takes queued jobs,
    // so every path meets every other.
    await Promise.all([startWorker(), startWorker()]);
    // They keep the repeatable jobs on Rome's wall clock.
    const schedulerConnection = new Redis(config.redisUrl!, { maxRetriesPerRequest: null });
    const events = new Queue("events", { connection: schedulerConnection, prefix: server.queuePrefix });
    expect(await events.getJobScheduler("daily-scan")).toMatchObject({ pattern: "0 7 * * *", tz: "Europe/Rome" });
    await events.close();
    schedulerConnection.disconnect();
    await server.waitFor("the offers to expire", async () => (await prisma.offer.count({ where: { id: { in: due }, status: "EXPIRED" } })) === 3, 60_000);
    await server.waitFor(
      "the lost run to finish",
      async () => (await prisma.matchingRun.findUniqueOrThrow({ where: { id: second.id } })).status === "DONE",
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const offerId of due) expect(await prisma.notification.count({ where: { key: `offer-expired:${offerId}` } })).toBe(1);
    const open = await prisma.offer.groupBy({ by: ["citizenId", "occurrenceId"], where: { status: "OFFERED" }, _count: true });
    expect(open.every((g) => g._count === 1)).toBe(true);
    const dueOccurrences = await prisma.taskOccurrence.findMany({ where: { offers: { some: { id: { in: due } } } }, include: { task: true } });
    for (const occurrence of dueOccurrences) {
      const active = await prisma.commitment.count({ where: { occurrenceId: occurrence.id, status: "ACTIVE" } });
      const stillOpen = await prisma.offer.count({ where: { occurrenceId: occurrence.id, status: "OFFERED" } });
      expect(active + stillOpen).toBeLessThanOrEqual(occurrence.task.headcount);
    }
    expect(await prisma.commitment.count()).toBe(0);
  }, 240_000);
});
