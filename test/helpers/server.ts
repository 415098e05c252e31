// Starts the real HTTP application on an ephemeral port over a fresh database loaded with
// the demo territory, plus a second territory to test territorial boundaries.
import type { Logger } from "../../src/observability/log";
import type { ServiceContext } from "../../src/service-context";
import { createMetrics, observedSolve } from "../../src/observability/metrics";
import { loginThrottle, type LoginThrottle } from "../../src/auth/throttle";
import type { RequestLimits } from "../../src/http/limits";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createApp } from "../../src/app";
import { randomBytes } from "node:crypto";
import { bullmqRunner, startEventsWorker, startMatchingWorker } from "../../src/jobs/bullmq";
import { inProcessRunner, type EventJob } from "../../src/jobs/runner";
import { outboxRelay, type OutboxRelay } from "../../src/jobs/outbox";
import { handleEventJob } from "../../src/jobs/handlers";
import { reconcile, type JobDeps } from "../../src/offers/offers.jobs";
import { solverPool } from "../../src/jobs/solver-pool";
import { loadConfig } from "../../src/config";
import { matchingRunHandler } from "../../src/wiring";
import { createTokenService, type TokenService } from "../../src/auth/tokens";
import type { OidcConfig } from "../../src/config";
import type { Database } from "../../src/db/database";
import { hashPassword } from "../../src/auth/passwords";
import { DEMO_PASSWORD, loadDemo } from "../../src/demo/seed";
import { openTestDatabase } from "./database";

export const TEST_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";
/** The tests' "today": a fixed date, so that records and expiries are predictable. */
export const TEST_NOW = new Date("2026-11-22T10:00:00+01:00");

export interface GraphQLResponse<T = any> {
  status: number;
  data: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface TestServer {
  url: string;
  database: Database;
  tokens: TokenService;
  close(): Promise<void>;
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string; lang?: string; requestId?: string },
  ): Promise<GraphQLResponse<T>>;
  login(email: string, password?: string): Promise<string>;
  /** Resolves when every job handed over so far has finished. */
  jobsIdle(): Promise<void>;
  /** Where jobs run: BullMQ on Redis when REDIS_URL is set, else in this process. */
  queueKind: "redis" | "in-process";
  /** How many jobs each runner has handled. */
  jobsProcessed: { "in-process": number; redis: number };
  /** How many matching problems the solver has been given. */
  solves(): number;
  /** Moves the service's clock (it starts at TEST_NOW). */
  /** Sets the service clock; with `flowing` it then moves on in real time from that point. */
  setNow(date: Date, options?: { flowing?: boolean }): void;
  now(): Date;
  deps: JobDeps;
  /** The outbox's relay of this server (stop it to act as a process that dies before handing jobs over). */
  relay: OutboxRelay;
  /** Event jobs handled so far (in this process or by this test's BullMQ worker). */
  eventsProcessed: EventJob[];
  /** What a worker does on start: rebuild pending jobs from the database. */
  reconcile(): Promise<void>;
  /** Stops handling event jobs, as if the worker were killed (in process: pending timers are lost). */
  stopEventJobs(): Promise<void>;
  /** Starts again and reconciles, as a restarted worker does. */
  startEventJobs(): Promise<void>;
  queuePrefix: string;
  /** The test database's URL (PostgreSQL only). */
  databaseUrl: string | undefined;
  waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms?: number): Promise<T>;
  /** The other territory's coordinator and municipality, for boundary tests. */
  other: { coordinatorEmail: string; municipalityId: string };
}

export async function startTestServer(
  options: {
    oidc?: OidcConfig;
    demo?: boolean;
    redisWorkers?: boolean;
    limits?: Partial<RequestLimits>;
    loginThrottle?: LoginThrottle;
    logger?: Logger;
    metricsToken?: string;
    trustProxy?: boolean | number | string | string[];
    corsOrigins?: string[];
    metricsOpenWithoutToken?: boolean;
    planner?: ServiceContext["planner"];
  } = {},
): Promise<TestServer> {
  const database = await openTestDatabase();
  if (options.demo !== false) await loadDemo(database.prisma, { now: TEST_NOW });
  const otherTerritory = await database.prisma.territory.create({ data: { code: "OTHER", name: "Another district" } });
  const otherMunicipality = await database.prisma.municipality.create({
    data: {
      istatCode: "052001",
      name: "Abbadia San Salvatore",
      province: "SI",
      area: "Amiata Senese",
      latitude: 42.88,
      longitude: 11.67,
      territoryId: otherTerritory.id,
    },
  });
  await database.prisma.user.create({
    data: {
      email: "coordinator@other.demo",
      role: "COORDINATOR",
      displayName: "Other coordinator",
      territoryId: otherTerritory.id,
      passwordHash: await hashPassword(DEMO_PASSWORD),
    },
  });

  const tokens = createTokenService({ secret: TEST_SECRET, ttlSeconds: 3600, oidc: options.oidc });
  // The clock stands still at TEST_NOW unless a test lets it flow from a point (setNow with flowing).
  let base = TEST_NOW.getTime();
  let setAt: number | null = null;
  const clock = () => new Date(setAt === null ? base : base + (Date.now() - setAt));
  // With REDIS_URL set (CI's PostgreSQL run), jobs go through BullMQ on a prefix of this file's own.
  const redisUrl = loadConfig(process.env, "migrate").redisUrl;
  const prefix = `legami-test-${randomBytes(4).toString("hex")}`;
  const processed = { "in-process": 0, redis: 0 };
  // Runs are counted and timed as the service does, whichever runner takes them.
  const metrics = createMetrics();
  const handler = (kind: keyof typeof processed) => (runId: string) => {
    processed[kind] += 1;
    const counted: typeof solver.solve = (problem, options) => {
      solveCount += 1;
      return solver.solve(problem, options);
    };
    return matchingRunHandler(database.prisma, metrics, observedSolve(metrics, counted))(runId);
  };
  let solveCount = 0;
  // Solves on a solver thread, as the service does (without compiling HiGHS ahead of time).
  const solver = solverPool({ optimise: false });
  const queue = redisUrl ? bullmqRunner(redisUrl, prefix) : undefined;
  const eventsProcessed: EventJob[] = [];
  const onEvent = async (job: EventJob) => {
    try {
      await handleEventJob(deps, job);
    } finally {
      eventsProcessed.push(job);
    }
  };
  const local = inProcessRunner({ matchingRun: handler("in-process"), event: onEvent });
  // Through the outbox, as in the service: relayed after each commit and every few seconds.
  const jobs = outboxRelay(database.prisma, queue ?? local, { now: clock });
  jobs.start();
  const deps = { prisma: database.prisma, jobs, now: clock };
  // With redisWorkers: false, jobs are only queued: a test runs the workers as processes of their own.
  const workersHere = options.redisWorkers !== false;
  const worker = redisUrl && workersHere ? startMatchingWorker(redisUrl, handler("redis"), { concurrency: 2, prefix }) : undefined;
  // The events worker can be stopped ("killed") and started again by a test.
  let events = redisUrl && workersHere ? startEventsWorker(redisUrl, onEvent, { prefix }) : undefined;
  // Every test signs in from 127.0.0.1: the per-address rate is lifted unless a test sets its own.
  const throttle = options.loginThrottle ?? loginThrottle({ perAddressPerMinute: 1_000_000, registrationsPerAddressPerHour: 1_000_000 });
  const { express } = createApp({
    database,
    tokens,
    graphiql: true,
    defaultLang: "en",
    now: clock,
    jobs,
    limits: options.limits,
    loginThrottle: throttle,
    logger: options.logger,
    metrics,
    metricsToken: options.metricsToken,
    queues: queue?.queues,
    redis: queue,
    trustProxy: options.trustProxy,
    corsOrigins: options.corsOrigins,
    metricsOpenWithoutToken: options.metricsOpenWithoutToken,
    planner: options.planner ?? solver.planHouse,
  });
  const server: Server = await new Promise((resolve) => {
    const s = express.listen(0, "127.0.0.1", () => resolve(s));
    // Idle connections outlive the client's keep-alive, so a reused socket is never closed under it.
    s.keepAliveTimeout = 65_000;
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const gql: TestServer["gql"] = async (query, variables, opts = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json",
        "accept-language": opts.lang ?? "en",
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.requestId ? { "x-request-id": opts.requestId } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: any; errors?: GraphQLResponse["errors"] };
    return { status: response.status, data: body.data, errors: body.errors };
  };

  const login = async (email: string, password = DEMO_PASSWORD) => {
    const result = await gql(
      `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename ... on Session { token } ... on Error { code } } }`,
      { e: email, p: password },
    );
    if (result.data?.login?.__typename !== "Session") throw new Error(`login failed for ${email}: ${JSON.stringify(result)}`);
    return result.data.login.token as string;
  };

  return {
    url,
    database,
    tokens,
    gql,
    login,
    jobsIdle: async () => {
      // Until nothing is staged and nothing runs here (a job may stage more).
      do {
        await jobs.relay();
        await local.idle();
      } while ((await database.prisma.outboxJob.count()) > 0);
      // Whatever runs the jobs, the database says when they are finished.
      for (let i = 0; i < 600; i += 1) {
        if ((await database.prisma.matchingRun.count({ where: { status: { in: ["QUEUED", "RUNNING"] } } })) === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error("jobs did not finish within 30 s");
    },
    queueKind: redisUrl ? "redis" : "in-process",
    queuePrefix: prefix,
    databaseUrl: database.url,
    jobsProcessed: processed,
    solves: () => solveCount,
    setNow: (date: Date, options: { flowing?: boolean } = {}) => {
      base = date.getTime();
      setAt = options.flowing ? Date.now() : null;
    },
    now: clock,
    deps,
    relay: jobs,
    eventsProcessed,
    reconcile: () => reconcile(deps),
    stopEventJobs: async () => {
      if (events) await events.close();
      events = undefined;
      local.close();
    },
    startEventJobs: async () => {
      if (redisUrl && !events) events = startEventsWorker(redisUrl, onEvent, { prefix });
      local.reopen();
      await reconcile(deps);
    },
    waitFor: async <T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> => {
      const until = Date.now() + ms;
      for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    other: { coordinatorEmail: "coordinator@other.demo", municipalityId: otherMunicipality.id },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker?.close();
      await events?.close();
      await jobs.stop();
      local.close();
      await queue?.close();
      await solver.close();
      await database.close();
    },
  };
}
