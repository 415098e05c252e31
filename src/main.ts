// Runs the service: reads the config, opens (and in embedded mode migrates) the database,
// loads the demo territory into an empty database, and listens.
import { Redis } from "ioredis";
import type { AddressInfo } from "node:net";
import { createApp } from "./app";
import { loginThrottle } from "./auth/throttle";
import { createLogger } from "./observability/log";
import { eventHandler, matchingRunHandler, startSweeps } from "./wiring";
import { createMetrics, observedSolve } from "./observability/metrics";
import { loadOrCreateSecret } from "./auth/secret";
import { createTokenService } from "./auth/tokens";
import { ConfigError, loadConfig } from "./config";
import { DataDirectoryLockedError } from "./db/data-dir-lock";
import { openDatabase } from "./db/database";
import { DEMO_PASSWORD, loadDemoIfEmpty } from "./demo/seed";
import { demoAccountsIn, graphiqlTour } from "./demo/tour";
import { bullmqRunner, startEventsWorker, startMatchingWorker } from "./jobs/bullmq";
import { untilNextLocalHour } from "./time/local-time";
import { rebuildQueues, reconcile, reconcileOnRedis } from "./offers/offers.jobs";
import { outboxRelay } from "./jobs/outbox";
import { solverPool } from "./jobs/solver-pool";

async function main() {
  const config = loadConfig();
  const database = await openDatabase(config.database);
  const secret = config.jwtSecret ?? (config.database.kind === "embedded" ? loadOrCreateSecret(config.database.dataDir) : undefined);
  if (!secret) throw new ConfigError(["JWT_SECRET: required"]);
  const tokens = createTokenService({ secret, ttlSeconds: config.tokenTtlSeconds, oidc: config.oidc });

  if (config.loadDemoData && (await loadDemoIfEmpty(database.prisma))) console.log("Loaded the demo territory.");
  // The demo's accounts, on every start (they are read back from the database).
  const accounts = await demoAccountsIn(database.prisma);
  if (accounts.length) {
    console.log("Demo accounts (password for all: %s):", DEMO_PASSWORD);
    for (const account of accounts) console.log(`  ${account.role.padEnd(11)} ${account.email}`);
  }

  // With Redis, runs go to BullMQ and any worker process may take them; without, they run here.
  // Solves run on solver threads, so a long one never stalls the GraphQL server.
  const solver = solverPool({ size: config.workerConcurrency });
  void solver.start();
  const queue = config.redisUrl ? bullmqRunner(config.redisUrl, config.queuePrefix) : undefined;
  const logger = createLogger({ level: config.logLevel });
  // Jobs are staged in the outbox by the transactions that need them; this process relays them
  // to Redis (or, without Redis, to its own timers: createApp's default).
  const relay = queue
    ? outboxRelay(database.prisma, queue, { onError: (error) => logger.warn({ err: error }, "outbox relay failed, the next pass retries") })
    : undefined;
  relay?.start();
  const metrics = createMetrics({ queueDepth: queue ? () => queue.depth() : undefined });
  const solve = observedSolve(metrics, solver.solve);
  const worker =
    config.redisUrl && config.runWorker
      ? startMatchingWorker(config.redisUrl, matchingRunHandler(database.prisma, metrics, solve, solver.compileRun), {
          concurrency: config.workerConcurrency,
          prefix: config.queuePrefix,
        })
      : undefined;
  const { express, jobs } = createApp({
    database,
    tokens,
    graphiql: config.graphiql,
    graphiqlDocument: graphiqlTour(accounts),
    defaultLang: config.defaultLocale,
    jobs: relay,
    solve: solver.solve,
    planner: solver.planHouse,
    compile: solver.compileRun,
    limits: config.limits,
    // With Redis, every replica counts the same attempts per address.
    loginThrottle: loginThrottle(
      config.login,
      config.redisUrl ? { redis: new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }), prefix: config.queuePrefix } : undefined,
    ),
    trustProxy: config.trustProxy,
    logger,
    metrics,
    metricsToken: config.metricsToken,
    metricsOpenWithoutToken: config.nodeEnv !== "production",
    corsOrigins: config.corsOrigins,
    queues: queue?.queues,
    redis: queue,
    secureCookies: config.nodeEnv === "production",
    tokenTtlSeconds: config.tokenTtlSeconds,
  });
  const deps = { prisma: database.prisma, jobs, now: () => new Date() };
  const events =
    config.redisUrl && config.runWorker ? startEventsWorker(config.redisUrl, eventHandler(deps, metrics), { prefix: config.queuePrefix }) : undefined;
  // The database is the source of truth: whoever runs the jobs rebuilds them from it on start.
  if (queue) await queue.scheduleRepeatable({ weeklyDraft: config.weeklyDraft });
  else {
    await jobs.schedule({ kind: "daily-scan" }, untilNextLocalHour(new Date(), 7));
    if (config.weeklyDraft) await jobs.schedule({ kind: "weekly-draft" }, untilNextLocalHour(new Date(), 8, 1));
  }
  // In process, the timers died with the last process: everything is rebuilt; on Redis, only what it lost.
  if (!queue || events)
    void (queue ? reconcileOnRedis(queue, deps) : reconcile(deps, { atStart: true })).catch((error: unknown) =>
      logger.error({ err: error }, "reconciliation failed (the daily scan retries)"),
    );
  // Overdue offers expire within seconds, and every run ends, whatever happened to their jobs.
  const sweeps = !queue || events ? startSweeps(deps, logger) : undefined;
  // Redis came back (perhaps empty): repeatable jobs and pending jobs are rebuilt from the database.
  if (queue && events) queue.onReconnect(() => void rebuildQueues(queue, deps, config.weeklyDraft));
  const server = express.listen(config.port, config.host ?? "0.0.0.0", (error?: Error) => {
    if (error) {
      console.error(`Cannot listen on port ${config.port}: ${error.message}`);
      process.exit(1);
    }
    const { port } = server.address() as AddressInfo;
    const where = config.database.kind === "embedded" ? `embedded PGlite in ${config.database.dataDir}` : "PostgreSQL";
    const jobs = config.redisUrl ? `jobs on Redis${worker ? ", worker in this process" : ""}` : "jobs in this process";
    console.log(`Legami listening on http://localhost:${port}/graphql (${where}, ${jobs})`);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    server.close(() => {
      // What is staged is handed over before the queue closes (jobs.stop drains the outbox).
      Promise.all([sweeps?.stop(), worker?.close(), events?.close()])
        .then(() => jobs.stop())
        .then(() => queue?.close())
        .then(() => solver.close())
        .then(() => database.close())
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
    server.closeAllConnections();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirectoryLockedError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
