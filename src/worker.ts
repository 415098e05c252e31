// A worker process: takes matching runs from the Redis queue. Run as many as needed:
//   REDIS_URL=redis://... DATABASE_URL=postgresql://... npm run worker
import { ConfigError, loadConfig } from "./config";
import { openDatabase } from "./db/database";
import { bullmqRunner, startEventsWorker, startMatchingWorker } from "./jobs/bullmq";
import { rebuildQueues, reconcileOnRedis } from "./offers/offers.jobs";
import { outboxRelay } from "./jobs/outbox";
import { solverPool } from "./jobs/solver-pool";
import { createMetrics, observedSolve, type Metrics } from "./observability/metrics";
import express from "express";
import { eventHandler, matchingRunHandler, startSweeps } from "./wiring";
import { createLogger } from "./observability/log";
import { healthRoutes } from "./http/health";
import type { Database } from "./db/database";

function workerHttp(database: Database, metrics: Metrics, token: string | undefined, redis: { ping(): Promise<void> }, openWithoutToken: boolean) {
  const app = express();
  app.disable("x-powered-by");
  healthRoutes(app, database, metrics, token, redis, openWithoutToken);
  return app;
}

async function main() {
  const config = loadConfig(undefined, "migrate");
  if (!config.redisUrl) throw new ConfigError(["REDIS_URL: required for a worker process"]);
  if (config.database.kind === "embedded")
    throw new ConfigError(["DATABASE_URL: a worker process needs PostgreSQL (an embedded data directory belongs to one process)"]);
  const logger = createLogger({ level: config.logLevel });
  const database = await openDatabase(config.database);
  // Solves run on solver threads (one per concurrent job): this thread stays free to renew the
  // jobs' locks on Redis while HiGHS works.
  const solver = solverPool({ size: config.workerConcurrency });
  await solver.start();
  const queue = bullmqRunner(config.redisUrl, config.queuePrefix);
  const metrics = createMetrics({ queueDepth: () => queue.depth() });
  const solve = observedSolve(metrics, solver.solve);
  const worker = startMatchingWorker(config.redisUrl, matchingRunHandler(database.prisma, metrics, solve, solver.compileRun), {
    concurrency: config.workerConcurrency,
    prefix: config.queuePrefix,
  });
  // Jobs its handlers stage are relayed from here too; so are rows left by a process that died.
  const jobs = outboxRelay(database.prisma, queue, { onError: (error) => logger.warn({ err: error }, "outbox relay failed, the next pass retries") });
  jobs.start();
  const deps = { prisma: database.prisma, jobs, now: () => new Date() };
  const events = startEventsWorker(config.redisUrl, eventHandler(deps, metrics), { prefix: config.queuePrefix });
  // With WORKER_PORT, the worker answers /health, /ready and /metrics for orchestrators and Prometheus.
  const http =
    config.workerPort !== undefined
      ? workerHttp(database, metrics, config.metricsToken, queue, config.nodeEnv !== "production").listen(config.workerPort, config.host ?? "0.0.0.0")
      : undefined;
  await queue.scheduleRepeatable({ weeklyDraft: config.weeklyDraft });
  // The database is the source of truth: overdue offers are processed and missing jobs re-created.
  await reconcileOnRedis(queue, deps).catch((error: unknown) => logger.error({ err: error }, "reconciliation failed (the daily scan retries)"));
  // Overdue offers expire within seconds, and every run ends, whatever happened to their jobs.
  const sweeps = startSweeps(deps, logger);
  // Redis came back (perhaps empty): repeatable jobs and pending jobs are rebuilt from the database.
  queue.onReconnect(() => void rebuildQueues(queue, deps, config.weeklyDraft));
  console.log(`Legami worker started (concurrency ${config.workerConcurrency})`);
  const stop = async () => {
    http?.close();
    await sweeps.stop();
    await worker.close();
    await events.close();
    await jobs.stop();
    await queue.close();
    await solver.close();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
