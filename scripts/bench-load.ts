// Load benchmark: `npm run bench:load [-- --territories 20 --citizens 1000 --occurrences 500 --rate 200 --seconds 20 --busy 2]`.
// Needs PostgreSQL and Redis (BENCH_PG, default postgresql://postgres@127.0.0.1:5432/postgres;
// REDIS_URL, default redis://127.0.0.1:6379). It creates the database legami_bench, migrates it,
// seeds a region (scripts/lib/region.ts), starts the API (`src/main.ts`, no worker inside) and two
// worker processes (`src/worker.ts`), and then measures, with autocannon from this process:
//   1. the weekly matching of every territory at once (coordinators start their runs together):
//      wall time until every run is done, with two workers;
//   2. a bare graphql-yoga server answering `{ hello }` (the ceiling on this machine);
//   3. myOffers, the coordinator's plan view and login: at the target rate and flat out. The
//      target rate is sent twice: by autocannon, whose rate limit lets each connection spend its
//      share of a second back to back as the second starts (a 20-deep burst every second), and
//      evenly spaced by scripts/lib/paced.ts (independent clients; latency from when each request
//      was due); the evenly spaced run is repeated with two busy processes competing for the cores;
//   3b. a hot seat: 500 simultaneous accepts of one seat (`--burst N`), myOffers evenly spaced meanwhile
//      from a process of its own; then the same with the API admitting every mutation at once;
//   3c. replacement: a decline's commit to the seat's next offer, alone, ten at once, and at a
//      worker's start (both workers stopped while ten declines are made);
//   4. acceptOffer at the target rate, with extra offers made for seats already offered and for
//      times a citizen is already offered, so that accepting races for seats and time; after it,
//      the database is checked for over-commitment and for every success answered being there.
// Writes bench-results/load.md and prints it.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { PrismaPg } from "@prisma/adapter-pg";
import autocannon from "autocannon";
import { DateTime } from "luxon";
import { createTokenService } from "../src/auth/tokens";
import { createApp } from "../src/app";
import { recordStatements } from "../src/db/audit";
import { openDatabase } from "../src/db/database";
import { inProcessRunner } from "../src/jobs/runner";
import { outboxRelay } from "../src/jobs/outbox";
import { loadWeek } from "../src/matching/matching.repository";
import { reconcile } from "../src/offers/offers.jobs";
import pg from "pg";
import { PrismaClient } from "../src/generated/prisma/client";
import { ZONE } from "../src/time/local-time";
import { postGraphQL, seatsOverHeadcount, startProcess as start, stopChild, stopProcesses } from "./lib/harness";
import { pacedLoad, quantile } from "./lib/paced";
import { pacedLoadElsewhere } from "./lib/paced-elsewhere";
import { REGION_PASSWORD, seedRegion } from "./lib/region";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const size = { territories: option("territories", 20), citizensPerTerritory: option("citizens", 1000), occurrencesPerTerritory: option("occurrences", 500) };
const RATE = option("rate", 200);
const SECONDS = option("seconds", 20);
/** Busy processes spinning during the second evenly spaced myOffers run (a slower or busier machine). */
const BUSY = option("busy", 2);
/** Simultaneous accepts of one seat in the hot-seat scenario. */
const BURST = option("burst", 500);
const PG = process.env.BENCH_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const REDIS = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const DB_URL = `${PG.slice(0, PG.lastIndexOf("/"))}/legami_bench`;
const API_PORT = 4555;
const BARE_PORT = 4556;
const API = `http://127.0.0.1:${API_PORT}`;
/** As docs/production.md recommends: a larger young generation, fewer scavenges under load. */
const SERVICE_NODE_OPTIONS = "--max-semi-space-size=32";
const SECRET = `bench-secret-${randomUUID()}`;
const PREFIX = `bench-${randomUUID().slice(0, 8)}`;

function log(message: string) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function until(what: string, probe: () => Promise<boolean>, ms = 120_000) {
  const end = Date.now() + ms;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function gql(query: string, variables: object, token?: string) {
  const body = await postGraphQL(API, query, variables, token);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

interface Row {
  scenario: string;
  load: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  note?: string;
}

async function cannon(
  scenario: string,
  options: {
    url: string;
    rate?: number;
    seconds: number;
    connections: number;
    amount?: number;
    body: () => { body: string; token?: string };
    check?: (body: string) => boolean;
  },
): Promise<Row> {
  let bad = 0;
  const result = await autocannon({
    url: options.url,
    method: "POST",
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds }),
    ...(options.rate ? { overallRate: options.rate } : {}),
    headers: { "content-type": "application/json" },
    requests: [
      {
        setupRequest: (request) => {
          const next = options.body();
          return {
            ...request,
            body: next.body,
            headers: { ...request.headers, "content-type": "application/json", ...(next.token ? { authorization: `Bearer ${next.token}` } : {}) },
          };
        },
        onResponse: (status, body) => {
          if (status !== 200 || (options.check && !options.check(body))) bad += 1;
        },
      },
    ],
  } as autocannon.Options);
  return {
    scenario,
    load: options.rate ? `${options.rate} req/s, ${options.connections} conn.` : `flat out, ${options.connections} conn.`,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: bad + result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * `RATE` requests a second, evenly spaced (open loop: scripts/lib/paced.ts), for `SECONDS`, over
 * at most 20 connections; latencies from when each request was due.
 */
async function paced(scenario: string, next: () => { body: string; token?: string }, check: (body: string) => boolean): Promise<Row> {
  const result = await pacedLoad({
    url: `${API}/graphql`,
    rate: RATE,
    seconds: SECONDS,
    connections: 20,
    next: () => {
      const { body, token } = next();
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      return { body, headers };
    },
    check: (_status, body) => check(body),
  });
  const ms = (q: number) => Math.round(quantile(result.latencies, q));
  return {
    scenario,
    load: `${RATE} req/s evenly spaced (open loop), up to 20 conn.`,
    requests: result.latencies.length,
    rps: Math.round(result.latencies.length / result.seconds),
    p50: ms(0.5),
    p99: ms(0.99),
    max: ms(1),
    errors: result.errors,
  };
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Actual Total Time"?: number;
  Plans?: PlanNode[];
}

function seqScans(node: PlanNode, into: Set<string>) {
  if (node["Node Type"] === "Seq Scan" && node["Relation Name"]) into.add(node["Relation Name"]);
  for (const child of node.Plans ?? []) seqScans(child, into);
}

/**
 * Runs each hot operation once in this process on the seeded database, records every SQL
 * statement it sends (through the driver adapter), and EXPLAIN ANALYZEs each one with its
 * arguments inside a rolled-back transaction: which tables over 5,000 rows it reads whole.
 */
async function explainHotOperations(region: { territoryIds: string[] }, weekStart: string, tokens: ReturnType<typeof createTokenService>) {
  const database = await openDatabase({ kind: "postgres", url: DB_URL, pool: { max: 4, connectTimeoutMs: 5000, idleTimeoutMs: 10_000 } });
  const prisma = database.prisma;
  const noJobs = outboxRelay(prisma, inProcessRunner({ matchingRun: async () => {}, event: async () => {} }));
  const app = createApp({ database, tokens, graphiql: false, defaultLang: "en", jobs: noJobs });
  const call = async (query: string, variables: object, token?: string) => {
    const response = await app.yoga.fetch("http://bench/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  };
  const open = await prisma.offer.findMany({ where: { status: "OFFERED" }, take: 2, include: { citizen: { select: { userId: true, email: true } } } });
  const citizen = (await tokens.issue(open[0]!.citizen.userId!, "CITIZEN", 0)).token;
  const other = (await tokens.issue(open[1]!.citizen.userId!, "CITIZEN", 0)).token;
  const run = await prisma.matchingRun.findFirstOrThrow({ where: { territoryId: region.territoryIds[0] } });
  const coordinatorUser = await prisma.user.findFirstOrThrow({ where: { role: "COORDINATOR", territoryId: run.territoryId } });
  const coordinator = (await tokens.issue(coordinatorUser.id, "COORDINATOR", 0)).token;
  const weekEnd = DateTime.fromISO(weekStart).plus({ days: 7 }).toISODate()!;
  const operations: [string, () => Promise<unknown>][] = [
    [
      "login",
      () => call("mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }", { e: open[0]!.citizen.email, p: REGION_PASSWORD }),
    ],
    [
      "myOffers",
      () =>
        call(
          "query { myOffers { id status deadline partOfSeries occurrence { id startsAt activityKind municipality { name } requiredSkill { code } } } }",
          {},
          citizen,
        ),
    ],
    ["myNotifications", () => call("query { myNotifications { id title body } }", {}, citizen)],
    ["acceptOffer", () => call("mutation($id: ID!) { acceptOffer(offerId: $id) { __typename } }", { id: open[0]!.id }, citizen)],
    ["declineOffer", () => call("mutation($id: ID!) { declineOffer(offerId: $id) { __typename } }", { id: open[1]!.id }, other)],
    [
      "plan view (matchingRun)",
      () =>
        call(
          "query($id: ID!) { matchingRun(id: $id) { __typename ... on MatchingRun { status assignments { score citizen { firstName } occurrence { startsAt task { title } } } } } }",
          { id: run.id },
          coordinator,
        ),
    ],
    [
      "programmeReport (a week)",
      () =>
        call(
          "query($t: ID!, $f: Date!, $to: Date!) { programmeReport(territoryId: $t, from: $f, to: $to) { __typename } }",
          { t: run.territoryId, f: weekStart, to: weekEnd },
          coordinator,
        ),
    ],
    ["matching: loading a territory's week", () => loadWeek(prisma, run.territoryId, weekStart)],
    ["jobs: reconciliation (daily)", () => reconcile({ prisma, jobs: noJobs, now: () => new Date() })],
  ];
  const big = new Map(
    (
      await prisma.$queryRawUnsafe<{ relname: string; n: number }[]>(
        `SELECT relname, reltuples::float8 AS n FROM pg_class WHERE relkind = 'r' AND reltuples > 5000`,
      )
    ).map((r) => [r.relname, Math.round(r.n)]),
  );
  const client = new pg.Client({ connectionString: DB_URL });
  await client.connect();
  const rows: string[] = [];
  for (const [name, operation] of operations) {
    const statements: { sql: string; args: unknown[] }[] = [];
    recordStatements((q) => statements.push({ sql: q.sql, args: q.args }));
    await operation();
    recordStatements(null);
    const scanned = new Set<string>();
    let slowest = 0;
    let explained = 0;
    for (const statement of statements) {
      if (!/^\s*(SELECT|WITH|INSERT|UPDATE|DELETE)\b/i.test(statement.sql) || /set_config/.test(statement.sql)) continue;
      try {
        await client.query("BEGIN");
        const result = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.sql}`, statement.args as unknown[]);
        const plan = (result.rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0]!.Plan;
        seqScans(plan, scanned);
        slowest = Math.max(slowest, plan["Actual Total Time"] ?? 0);
        explained += 1;
      } catch {
        // A statement whose arguments pg cannot take as given is left out (counted below).
      } finally {
        await client.query("ROLLBACK");
      }
    }
    const large = [...scanned].filter((t) => big.has(t)).map((t) => `${t} (${big.get(t)})`);
    rows.push(`| ${name} | ${statements.length} | ${explained} | ${slowest.toFixed(1)} | ${large.length ? large.join(", ") : "none"} |`);
  }
  await client.end();
  await noJobs.stop();
  await database.close();
  return [
    "Hot operations, each run once on the seeded region; every SQL statement it sent EXPLAIN ANALYZEd with its arguments (in a rolled-back transaction):",
    "",
    "| operation | statements | explained | slowest statement ms | sequential scans of tables over 5,000 rows |",
    "|---|---:|---:|---:|---|",
    ...rows,
  ].join("\n");
}

/** The services' environment, and the worker processes (the replacement scenario stops them). */
let serviceEnv: Record<string, string> = {};
const workers: ChildProcess[] = [];

async function stopWorkers() {
  await Promise.all(workers.splice(0).map(stopChild));
}

/**
 * Declines open offers of distinct occurrences and reads, per decline, how long after its commit
 * the seat's next offer was made. The last ten are declined while both workers are stopped; a
 * worker is then started (WORKER_PORT) and counted from when it answers /ready.
 */
async function measureReplacements(
  prisma: PrismaClient,
  tokens: ReturnType<typeof createTokenService>,
  skipOccurrence: string,
): Promise<{ rows: Row[]; note: string }> {
  const DECLINE = "mutation($id: ID!) { declineOffer(offerId: $id) { __typename ... on Error { code } } }";
  const candidates = await prisma.offer.findMany({
    where: { status: "OFFERED", source: "RUN", occurrenceId: { not: skipOccurrence } },
    distinct: ["occurrenceId"],
    take: 30,
    orderBy: { id: "asc" },
    select: { id: true, occurrenceId: true, citizen: { select: { userId: true } } },
  });
  const decline = async (offer: (typeof candidates)[number]) => {
    const token = (await tokens.issue(offer.citizen.userId!, "CITIZEN", 0)).token;
    const answer = await postGraphQL(API, DECLINE, { id: offer.id }, token);
    if (answer.data?.declineOffer?.__typename !== "Offer") throw new Error(`decline failed: ${JSON.stringify(answer)}`);
  };
  /** Milliseconds from each decline's commit to its seat's next offer (null: none within the wait). */
  const latencies = async (offers: typeof candidates, from?: number) => {
    const end = Date.now() + 60_000;
    for (;;) {
      const rows = await prisma.offer.findMany({ where: { id: { in: offers.map((o) => o.id) } }, select: { id: true, occurrenceId: true, respondedAt: true } });
      const next = await prisma.offer.findMany({
        where: { occurrenceId: { in: offers.map((o) => o.occurrenceId) }, source: "REPLACEMENT" },
        select: { occurrenceId: true, createdAt: true },
      });
      const found = rows.map((r) => {
        const made = next.filter((n) => n.occurrenceId === r.occurrenceId && n.createdAt >= r.respondedAt!).map((n) => n.createdAt.getTime());
        return made.length ? Math.min(...made) - Math.max(r.respondedAt!.getTime(), from ?? 0) : null;
      });
      if (found.every((f) => f !== null) || Date.now() > end) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const row = (scenario: string, load: string, values: (number | null)[]): Row => {
    const made = values.filter((v): v is number => v !== null);
    return {
      scenario,
      load,
      requests: values.length,
      rps: 0,
      p50: Math.round(quantile(made, 0.5)),
      p99: Math.round(quantile(made, 0.99)),
      max: Math.round(Math.max(...made)),
      errors: values.length - made.length,
    };
  };
  const alone: (number | null)[] = [];
  for (const offer of candidates.slice(0, 10)) {
    await decline(offer);
    alone.push(...(await latencies([offer])));
  }
  const together = candidates.slice(10, 20);
  await Promise.all(together.map(decline));
  const atOnce = await latencies(together);
  // No worker runs while ten more are declined; then one starts.
  await stopWorkers();
  const stopped = candidates.slice(20, 30);
  await Promise.all(stopped.map(decline));
  const port = 4557;
  start("worker3", "src/worker.ts", { ...serviceEnv, WORKER_CONCURRENCY: "1", WORKER_PORT: String(port) });
  await until("the new worker to be ready", async () => (await fetch(`http://127.0.0.1:${port}/ready`)).ok);
  const readyAt = Date.now();
  const atStart = await latencies(stopped, readyAt);
  const rows = [
    row("replacement after a decline, one at a time", "10 declines in turn", alone),
    row("replacement after a decline, ten at once", "10 simultaneous", atOnce),
    row("replacement at a worker's start (counted from its /ready)", "10 declined, no worker", atStart),
  ];
  const none = [...alone, ...atOnce, ...atStart].filter((v) => v === null).length;
  return {
    rows,
    note:
      rows.map((r) => `${r.scenario}: p50 ${r.p50} ms, max ${r.max} ms`).join("; ") +
      (none ? `; ${none} seats not offered again within a minute (nobody else eligible)` : ""),
  };
}

async function main() {
  const startedAll = Date.now();
  log(`region: ${size.territories} territories x ${size.citizensPerTerritory} citizens, ${size.occurrencesPerTerritory} occurrences each`);
  execFileSync("psql", [PG, "-q", "-v", "ON_ERROR_STOP=1", "-c", "DROP DATABASE IF EXISTS legami_bench WITH (FORCE)", "-c", "CREATE DATABASE legami_bench"], {
    stdio: "inherit",
  });
  execFileSync(process.execPath, ["--import", "tsx", "scripts/db-migrate.ts"], { env: { ...process.env, DATABASE_URL: DB_URL }, stdio: "ignore" });
  // One connection, with triggers off while seeding: the audit log records the service's writes,
  // not a fixture's bulk load (and the seed takes minutes less).
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: DB_URL, max: 1 }) });
  await prisma.$executeRawUnsafe("SET session_replication_role = replica");
  // Next week, as on a Monday morning the coordinators match the week after.
  const weekStart = DateTime.now().setZone(ZONE).plus({ weeks: 1 }).startOf("week").toISODate()!;
  const seeding = Date.now();
  const region = await seedRegion(prisma, size, weekStart);
  const seedSeconds = (Date.now() - seeding) / 1000;
  await prisma.$executeRawUnsafe("SET session_replication_role = DEFAULT");
  await prisma.$executeRawUnsafe("ANALYZE");
  log(`seeded ${region.rows} rows in ${seedSeconds.toFixed(0)} s`);

  const env = (serviceEnv = {
    DATABASE_URL: DB_URL,
    REDIS_URL: REDIS,
    QUEUE_PREFIX: PREFIX,
    JWT_SECRET: SECRET,
    DEMO_DATA: "false",
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    LOGIN_PER_ADDRESS_PER_MINUTE: "10000",
    DATABASE_POOL_MAX: "20",
    NODE_OPTIONS: SERVICE_NODE_OPTIONS,
  });
  let api = start("api", "src/main.ts", { ...env, PORT: String(API_PORT), RUN_WORKER: "false" });
  /** Starts the API again with `extra` in its environment (the hot seat's comparison without admission). */
  const restartApi = async (extra: Record<string, string> = {}) => {
    await stopChild(api);
    api = start("api", "src/main.ts", { ...env, PORT: String(API_PORT), RUN_WORKER: "false", ...extra });
    await until("the API to be ready again", async () => (await fetch(`${API}/ready`)).ok);
  };
  for (let w = 1; w <= 2; w += 1) workers.push(start(`worker${w}`, "src/worker.ts", { ...env, WORKER_CONCURRENCY: "1" }));
  await until("the API to be ready", async () => (await fetch(`${API}/ready`)).ok);
  log("API and two workers started");

  // 1. Every territory's weekly matching at once.
  const tokens = createTokenService({ secret: SECRET, ttlSeconds: 3600 });
  const coordinators = await prisma.user.findMany({ where: { role: "COORDINATOR" }, orderBy: { email: "asc" } });
  const coordinatorToken = new Map<string, string>();
  for (const c of coordinators) coordinatorToken.set(c.territoryId!, (await tokens.issue(c.id, c.role, 0)).token);
  const matchingStarted = Date.now();
  const START = `mutation($t: ID!, $w: Date!) { startMatchingRun(territoryId: $t, weekStart: $w) { __typename ... on MatchingRun { id } ... on Error { code } } }`;
  const runs = await Promise.all(
    region.territoryIds.map(
      async (t) => (await gql(START, { t, w: weekStart }, coordinatorToken.get(t))).startMatchingRun as { __typename: string; id: string },
    ),
  );
  const startedSeconds = (Date.now() - matchingStarted) / 1000;
  await until("every run to finish", async () => (await prisma.matchingRun.count({ where: { status: { in: ["QUEUED", "RUNNING"] } } })) === 0, 600_000);
  const matchingSeconds = (Date.now() - matchingStarted) / 1000;
  const finished = await prisma.matchingRun.findMany({
    select: { id: true, territoryId: true, status: true, createdAt: true, finishedAt: true, solution: true },
  });
  const pairsOf = await prisma.matchingRun.findMany({ select: { problem: true } });
  const pairCounts = pairsOf.map((r) => ((r.problem as { pairs: unknown[] }).pairs ?? []).length);
  const solveTimes = finished.map((r) => ((r.finishedAt?.getTime() ?? 0) - r.createdAt.getTime()) / 1000).sort((a, b) => a - b);
  const gaps = finished.map((r) => (r.solution as { gap?: number } | null)?.gap ?? null);
  log(
    `matching: ${runs.length} runs (${runs.filter((r) => r.__typename === "MatchingRun").length} started in ${startedSeconds.toFixed(1)} s), all done after ${matchingSeconds.toFixed(1)} s`,
  );

  // Publish every run: offers to citizens.
  const PUBLISH = `mutation($id: ID!) { publishMatchingRun(runId: $id, responseHours: 48) { __typename ... on Error { code } } }`;
  for (const run of finished) await gql(PUBLISH, { id: run.id }, coordinatorToken.get(run.territoryId));
  const offerCount = await prisma.offer.count({ where: { status: "OFFERED" } });
  log(`published: ${offerCount} offers`);

  // Tokens for the citizens with offers (clients hold tokens; signing in is measured on its own).
  const offered = await prisma.offer.findMany({
    where: { status: "OFFERED" },
    select: { id: true, citizenId: true, occurrenceId: true, citizen: { select: { userId: true } } },
  });
  const citizenToken = new Map<string, string>();
  for (const o of offered) if (!citizenToken.has(o.citizenId)) citizenToken.set(o.citizenId, (await tokens.issue(o.citizen.userId!, "CITIZEN", 0)).token);
  const citizenTokens = [...citizenToken.values()];
  const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;
  const rows: Row[] = [];

  // 2. The ceiling: bare Yoga on the same machine.
  const bare = start("bare-yoga", "scripts/lib/bare-yoga.ts", {}, [String(BARE_PORT)]);
  await until("bare yoga", async () => (await fetch(`http://127.0.0.1:${BARE_PORT}/graphql?query=%7Bhello%7D`)).ok);
  const hello = () => ({ body: JSON.stringify({ query: "{ hello }" }) });
  rows.push(
    await cannon("bare Yoga `{ hello }` (ceiling)", {
      url: `http://127.0.0.1:${BARE_PORT}/graphql`,
      rate: RATE,
      seconds: SECONDS,
      connections: 20,
      body: hello,
    }),
  );
  rows.push(await cannon("bare Yoga `{ hello }` (ceiling)", { url: `http://127.0.0.1:${BARE_PORT}/graphql`, seconds: 10, connections: 50, body: hello }));
  bare.kill("SIGTERM");

  // 3. Reads and sign-in.
  const MY_OFFERS = JSON.stringify({
    query:
      "query { myOffers { id status source deadline partOfSeries occurrence { id startsAt endsAt activityKind municipality { name } requiredSkill { code nameIt } } } }",
  });
  const myOffers = () => ({ body: MY_OFFERS, token: pick(citizenTokens) });
  const hasOffers = (body: string) => body.includes('"myOffers":[');
  // Warm-up, not recorded: the API's code paths compiled by the JIT and its pool's connections open.
  await cannon("warm-up", { url: `${API}/graphql`, rate: RATE, seconds: 10, connections: 20, body: myOffers, check: hasOffers });
  rows.push(
    await cannon("myOffers (autocannon: 20 connections, each sending its 10 of a second back to back)", {
      url: `${API}/graphql`,
      rate: RATE,
      seconds: SECONDS,
      connections: 20,
      body: myOffers,
      check: hasOffers,
    }),
  );
  const pacedOffers = () => paced("myOffers", myOffers, hasOffers);
  rows.push(await pacedOffers());
  // The same with processes spinning on the cores the whole time: what a slower or busier machine
  // leaves the service (the target must not hold only on a quiet moment of this VM).
  const spinners = Array.from({ length: BUSY }, () => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
  try {
    if (BUSY > 0) rows.push({ ...(await pacedOffers()), scenario: `myOffers, ${BUSY} busy processes competing for the cores` });
  } finally {
    for (const spinner of spinners) spinner.kill("SIGKILL");
  }
  rows.push(await cannon("myOffers", { url: `${API}/graphql`, seconds: 10, connections: 50, body: myOffers, check: hasOffers }));
  const PLAN =
    "query($id: ID!) { matchingRun(id: $id) { __typename ... on MatchingRun { status filledSeats totalSeats fillRate assignments { score loadMinutes citizen { id firstName lastName } occurrence { id startsAt task { title } } } } } }";
  const plan = () => {
    const run = pick(finished);
    return { body: JSON.stringify({ query: PLAN, variables: { id: run.id } }), token: coordinatorToken.get(run.territoryId) };
  };
  rows.push(
    await cannon("coordinator's plan view (a territory's proposal)", {
      url: `${API}/graphql`,
      seconds: 10,
      connections: 4,
      body: plan,
      check: (b) => b.includes('"assignments":['),
    }),
  );
  const LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename ... on Session { token } } }";
  const login = () => ({ body: JSON.stringify({ query: LOGIN, variables: { e: pick(region.citizenEmails), p: REGION_PASSWORD } }) });
  rows.push(await cannon("login", { url: `${API}/graphql`, seconds: 10, connections: 4, body: login, check: (b) => b.includes('"Session"') }));

  // 3b. A hot seat: BURST accepts of one seat at once (the eligible citizens of the occurrence most
  // of them may take, each accepting its offer as often as needed to make BURST), while citizens
  // keep reading their offers at 50 a second, evenly spaced.
  const runsWithPairs = await prisma.matchingRun.findMany({ where: { id: { in: finished.map((r) => r.id) } }, select: { problem: true } });
  const eligibleFor = new Map<string, Set<string>>();
  for (const r of runsWithPairs)
    for (const pair of (r.problem as { pairs?: { citizen: string; occurrence: string }[] }).pairs ?? [])
      eligibleFor.set(pair.occurrence, (eligibleFor.get(pair.occurrence) ?? new Set()).add(pair.citizen));
  const [hotId, hotCitizens] = [...eligibleFor].sort((a, b) => b[1].size - a[1].size)[0]!;
  const hotOccurrence = await prisma.taskOccurrence.findUniqueOrThrow({ where: { id: hotId } });
  await prisma.commitment.updateMany({ where: { occurrenceId: hotId, status: "ACTIVE" }, data: { status: "CANCELLED" } });
  await prisma.task.update({ where: { id: hotOccurrence.taskId }, data: { headcount: 1 } });
  const hotDeadline = new Date(Date.now() + 48 * 3600 * 1000);
  await prisma.offer.createMany({
    data: [...hotCitizens].map((citizenId) => ({ citizenId, occurrenceId: hotId, source: "REPLACEMENT" as const, deadline: hotDeadline })),
    skipDuplicates: true,
  });
  const hotOffers = await prisma.offer.findMany({
    where: { occurrenceId: hotId, status: "OFFERED" },
    select: { id: true, citizen: { select: { userId: true } } },
  });
  const hotTokens = await Promise.all(hotOffers.map(async (o) => (await tokens.issue(o.citizen.userId!, "CITIZEN", 0)).token));
  const HOT_ACCEPT = "mutation($id: ID!) { acceptOffer(offerId: $id) { __typename ... on Error { code } } }";
  const ms = (values: number[], q: number) => Math.round(quantile(values, q));
  /** The burst on the seat made free again, with citizens reading their offers from a process of their own meanwhile. */
  const hotSeat = async (label: string) => {
    await prisma.commitment.updateMany({ where: { occurrenceId: hotId, status: "ACTIVE" }, data: { status: "CANCELLED" } });
    await prisma.offer.updateMany({
      where: { id: { in: hotOffers.map((o) => o.id) } },
      data: { status: "OFFERED", respondedAt: null, commitmentId: null, deadline: hotDeadline },
    });
    const reading = pacedLoadElsewhere({
      url: `${API}/graphql`,
      rate: 50,
      seconds: 8,
      connections: 20,
      body: MY_OFFERS,
      tokens: citizenTokens,
      expect: '"myOffers":[',
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const outcomes = new Map<string, number>();
    const latencies = await Promise.all(
      Array.from({ length: BURST }, async (_, i) => {
        const k = i % hotOffers.length;
        const began = performance.now();
        const answer = await postGraphQL(API, HOT_ACCEPT, { id: hotOffers[k]!.id }, hotTokens[k], 120_000).catch(
          (error: Error) =>
            ({ errors: [{ message: error.message }] }) as { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] },
        );
        const result = answer.data?.acceptOffer as { __typename: string; code?: string } | undefined;
        const key = result
          ? (result.code ?? result.__typename)
          : `error: ${(answer.errors?.[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code ?? answer.errors?.[0]?.message.slice(0, 40)}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        return performance.now() - began;
      }),
    );
    const read = await reading;
    const commitments = await prisma.commitment.count({ where: { occurrenceId: hotId, status: "ACTIVE" } });
    return {
      rows: [
        {
          scenario: `acceptOffer, ${BURST} at once on one seat (${hotOffers.length} citizens)${label}`,
          load: `${BURST} simultaneous`,
          requests: BURST,
          rps: 0,
          p50: ms(latencies, 0.5),
          p99: ms(latencies, 0.99),
          max: ms(latencies, 1),
          errors: [...outcomes].filter(([k]) => k.startsWith("error")).reduce((n, [, v]) => n + v, 0),
        },
        {
          scenario: `myOffers during that burst (from another process)${label}`,
          load: "50 req/s evenly spaced",
          requests: read.latencies.length,
          rps: Math.round(read.latencies.length / read.seconds),
          p50: ms(read.latencies, 0.5),
          p99: ms(read.latencies, 0.99),
          max: ms(read.latencies, 1),
          errors: read.errors,
        },
      ],
      note: `${[...outcomes].map(([k, v]) => `${k} ${v}`).join(", ")}; active commitments on the seat afterwards: ${commitments}`,
    };
  };
  const admitted = await hotSeat("");
  rows.push(...admitted.rows);
  // The same burst with every mutation admitted at once (MUTATIONS_AT_ONCE very high): what the
  // turns at the door (src/http/admission.ts) save the other users.
  await restartApi({ MUTATIONS_AT_ONCE: "100000" });
  const unadmitted = await hotSeat(", without admission (comparison)");
  rows.push(...unadmitted.rows);
  await restartApi();
  const hotNote = `${admitted.note}; without admission: ${unadmitted.note}`;
  log(`hot seat: ${hotNote}`);

  // 3c. Replacement: from a decline's commit (its respondedAt) to the seat's next offer (its
  // createdAt, written by a worker's refill): one decline at a time, ten at once, and ten made
  // while no worker runs, answered by a worker just started (behind its reconciliation).
  const replacementRows = await measureReplacements(prisma, tokens, hotId);
  rows.push(...replacementRows.rows);
  log(`replacement: ${replacementRows.note}`);

  // 4. acceptOffer under load, with races. Extra offers: for a quarter of the seats, two more
  // citizens of the territory are offered the same seat; their accepts race the first one's.
  const citizensByTerritory = new Map<string, string[]>();
  for (const c of await prisma.citizen.findMany({ select: { id: true, homeMunicipality: { select: { territoryId: true } } } })) {
    citizensByTerritory.set(c.homeMunicipality.territoryId, [...(citizensByTerritory.get(c.homeMunicipality.territoryId) ?? []), c.id]);
  }
  const occurrences = new Map(
    (await prisma.taskOccurrence.findMany({ select: { id: true, task: { select: { territoryId: true } } } })).map((o) => [o.id, o.task.territoryId]),
  );
  const extra: { citizenId: string; occurrenceId: string }[] = [];
  const taken = new Set(offered.map((o) => `${o.citizenId}|${o.occurrenceId}`));
  for (const o of offered.filter((_, i) => i % 4 === 0)) {
    const pool = citizensByTerritory.get(occurrences.get(o.occurrenceId)!)!;
    for (let k = 0; k < 2; k += 1) {
      const citizenId = pick(pool);
      if (taken.has(`${citizenId}|${o.occurrenceId}`)) continue;
      taken.add(`${citizenId}|${o.occurrenceId}`);
      extra.push({ citizenId, occurrenceId: o.occurrenceId });
    }
  }
  const deadline = new Date(Date.now() + 48 * 3600 * 1000);
  await prisma.offer.createMany({ data: extra.map((e) => ({ ...e, source: "REPLACEMENT" as const, deadline })) });
  const allOpen = await prisma.offer.findMany({ where: { status: "OFFERED" }, select: { id: true, citizenId: true, citizen: { select: { userId: true } } } });
  for (const o of allOpen) if (!citizenToken.has(o.citizenId)) citizenToken.set(o.citizenId, (await tokens.issue(o.citizen.userId!, "CITIZEN", 0)).token);
  const queue = allOpen.map((o) => ({ id: o.id, token: citizenToken.get(o.citizenId)! })).sort(() => Math.random() - 0.5);
  const commitmentsBefore = await prisma.commitment.count({ where: { status: "ACTIVE" } });
  const ACCEPT = "mutation($id: ID!) { acceptOffer(offerId: $id) { __typename ... on Error { code } } }";
  const outcomes = new Map<string, number>();
  let next = 0;
  const amount = Math.min(queue.length, RATE * SECONDS);
  const acceptRow = await cannon("acceptOffer (races for seats and time)", {
    url: `${API}/graphql`,
    rate: RATE,
    seconds: SECONDS,
    amount,
    connections: 20,
    body: () => {
      const offer = queue[next++ % queue.length]!;
      return { body: JSON.stringify({ query: ACCEPT, variables: { id: offer.id } }), token: offer.token };
    },
    check: (body) => {
      const match = /"__typename":"(\w+)"(?:,"code":"(\w+)")?/.exec(body);
      const key = match ? (match[2] ?? match[1]!) : "unreadable";
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      return match !== null;
    },
  });
  const successes = outcomes.get("AcceptOfferSuccess") ?? 0;
  const commitmentsAfter = await prisma.commitment.count({ where: { status: "ACTIVE" } });
  const overSeats = await seatsOverHeadcount(prisma);
  const overlaps = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM "Commitment" a JOIN "TaskOccurrence" oa ON oa.id = a."occurrenceId" JOIN "Commitment" b ON b."citizenId" = a."citizenId" AND b.id > a.id AND b.status = 'ACTIVE' JOIN "TaskOccurrence" ob ON ob.id = b."occurrenceId" WHERE a.status = 'ACTIVE' AND oa."startsAt" < ob."endsAt" AND ob."startsAt" < oa."endsAt"`,
  );
  const overHours = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM (SELECT c."citizenId" FROM "Commitment" c JOIN "Citizen" z ON z.id = c."citizenId" WHERE c.status = 'ACTIVE' GROUP BY c."citizenId", z."weeklyHourLimit" HAVING sum(c."plannedMinutes") > z."weeklyHourLimit" * 60) x`,
  );
  acceptRow.note = `${[...outcomes].map(([k, v]) => `${k} ${v}`).join(", ")}; new commitments ${commitmentsAfter - commitmentsBefore} = successes ${successes}: ${commitmentsAfter - commitmentsBefore === successes ? "yes" : "NO"}; seats over headcount ${overSeats}, overlapping commitments ${overlaps[0]!.n}, citizens over weekly hours ${overHours[0]!.n}`;
  rows.push(acceptRow);
  log(acceptRow.note);

  const explained = await explainHotOperations(region, weekStart, tokens);
  log("hot operations explained");

  const header = [
    `Load benchmark (\`npm run bench:load\`), ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; API (RUN_WORKER=false, pool 20) and two workers (WORKER_CONCURRENCY=1) on this machine's PostgreSQL and Redis, load sent from the benchmark's own process (the hot seat's readers from one of their own); all on the same 2 cores; services started with NODE_OPTIONS=${SERVICE_NODE_OPTIONS}; each rate scenario against the API after a 10 s warm-up at that rate.`,
    "",
    `Region: ${size.territories} territories, ${size.territories * size.citizensPerTerritory} citizens, ${size.territories * size.occurrencesPerTerritory} occurrences in the week of ${weekStart}; ${region.rows} rows seeded in ${seedSeconds.toFixed(0)} s.`,
    "",
    `Weekly matching, every territory started at once by its coordinator: ${runs.length} runs, ${finished.filter((r) => r.status === "DONE").length} done, all finished **${matchingSeconds.toFixed(1)} s** after the first start (starting them took ${startedSeconds.toFixed(1)} s in the API); per run from start to done: median ${solveTimes[Math.floor(solveTimes.length / 2)]!.toFixed(1)} s, slowest ${solveTimes.at(-1)!.toFixed(1)} s; pairs per run ${Math.min(...pairCounts)}-${Math.max(...pairCounts)}; largest gap ${Math.max(...gaps.map((g) => g ?? 0)).toExponential(1)}. Published: ${offerCount} offers.`,
    "",
    "| scenario | load | requests | req/s | p50 ms | p99 ms | max ms | errors |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.scenario} | ${r.load} | ${r.requests} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.max} | ${r.errors} |`),
    "",
    "At a rate, autocannon lets each of its 20 connections send its share of a second back to back as the second starts: the API gets a 20-deep burst every second, and latency is that of the burst. The evenly spaced rows send the same rate as independent clients would (scripts/lib/paced.ts), each latency counted from when the request was due; the target (p99 under 100 ms at 200 req/s) is read on them.",
    "",
    `acceptOffer: ${acceptRow.note}.`,
    "",
    `Replacement (a decline's commit to the seat's next offer, from the rows' own times): ${replacementRows.note}. Targets: under 200 ms alone, under 1 s for ten at once and at a worker's start.`,
    "",
    `Hot seat (${BURST} accepts of a one-seat occurrence at once; the winner's other tries find their offer accepted): ${hotNote}. Targets: one accepted, the rest HEADCOUNT_REACHED (or OFFER_CLOSED), p99 under 2 s, myOffers p99 under 200 ms meanwhile, no other errors. The comparison rows start the API with MUTATIONS_AT_ONCE=100000: every accept goes straight for a database connection, and readers queue behind them in the pool.`,
    "",
    explained,
    "",
    `Whole benchmark: ${((Date.now() - startedAll) / 1000).toFixed(0)} s.`,
  ].join("\n");
  mkdirSync("bench-results", { recursive: true });
  writeFileSync("bench-results/load.md", `${header}\n`);
  console.log(`\n${header}`);
  await prisma.$disconnect();
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    stopProcesses();
    setTimeout(() => process.exit(), 2000).unref();
  });
