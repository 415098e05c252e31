// Resilience drill: `npm run resilience`. RESTARTS THIS MACHINE'S PostgreSQL AND REDIS: run it on
// a machine of your own, never beside other work. It creates the database legami_resilience,
// starts the API (demo data, jobs on Redis, no worker inside) and one worker process, publishes
// the demo week's matching, and then, while citizens accept two thirds of their offers two at a
// time (retrying what fails, as a client would), stops Redis (it comes back empty) and then PostgreSQL,
// and starts them again. It records /ready of both processes, and checks afterwards that every
// accept answered with success is a commitment in the database, nothing is over-committed, each
// offer and notification exists once, and the worker rebuilt the emptied queue from the database.
// Writes bench-results/resilience.md and prints it.
import { execSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { Queue } from "bullmq";
import { DateTime } from "luxon";
import { createTokenService } from "../src/auth/tokens";
import { EVENTS_QUEUE } from "../src/jobs/bullmq";
import { jobKey } from "../src/jobs/runner";
import { REMINDER_HORIZON_MS } from "../src/offers/offers.jobs";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../src/generated/prisma/client";
import { ZONE } from "../src/time/local-time";
import { DEMO_PASSWORD } from "../src/demo/seed";
import { postGraphQL, seatsOverHeadcount, startProcess as start, stopProcesses } from "./lib/harness";

const PG = process.env.BENCH_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const REDIS = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const DB_URL = `${PG.slice(0, PG.lastIndexOf("/"))}/legami_resilience`;
const API = "http://127.0.0.1:4565";
const WORKER = "http://127.0.0.1:4566";
const SECRET = `resilience-${randomUUID()}`;
const PREFIX = `resilience-${randomUUID().slice(0, 8)}`;
const PG_VERSION = readdirSync("/etc/postgresql")[0]!;
const t0 = Date.now();
const at = () => ((Date.now() - t0) / 1000).toFixed(1);
const events: string[] = [];
const note = (what: string) => {
  events.push(`${at()} s: ${what}`);
  console.log(`[${at()} s] ${what}`);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function ready(url: string) {
  try {
    return (await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/** Waits (up to two minutes: the API seeds the demo territory first) for a process to be ready. */
async function becomeReady(url: string, name: string) {
  for (const end = Date.now() + 120_000; !(await ready(url)); await sleep(250)) if (Date.now() > end) throw new Error(`${name} not ready after two minutes`);
}

const gql = (query: string, variables: object, token?: string) => postGraphQL(API, query, variables, token, 20_000);

async function main() {
  execSync(`psql "${PG}" -q -c "DROP DATABASE IF EXISTS legami_resilience WITH (FORCE)" -c "CREATE DATABASE legami_resilience"`);
  execSync("node --import tsx scripts/db-migrate.ts", { env: { ...process.env, DATABASE_URL: DB_URL }, stdio: "ignore" });
  const env = { DATABASE_URL: DB_URL, REDIS_URL: REDIS, QUEUE_PREFIX: PREFIX, JWT_SECRET: SECRET, LOG_LEVEL: "error", DATABASE_CONNECT_TIMEOUT_MS: "2000" };
  start("api", "src/main.ts", { ...env, PORT: "4565", RUN_WORKER: "false", DEMO_DATA: "true" });
  await becomeReady(API, "API");
  start("worker", "src/worker.ts", { ...env, WORKER_PORT: "4566" });
  await becomeReady(WORKER, "worker");
  note("API and worker ready");

  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: DB_URL, max: 2, connectionTimeoutMillis: 2000 }) });
  const login = await gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ... on Session { token } } }`, { e: "coordinatrice.grosseto@legami.demo", p: DEMO_PASSWORD });
  const coordinator = login.data!.login.token as string;
  const territoryId = (await prisma.territory.findFirstOrThrow()).id;
  const weekStart = DateTime.now().setZone(ZONE).plus({ weeks: 1 }).startOf("week").toISODate()!;
  const run = (await gql(`mutation($t: ID!, $w: Date!) { startMatchingRun(territoryId: $t, weekStart: $w) { ... on MatchingRun { id } } }`, { t: territoryId, w: weekStart }, coordinator)).data!.startMatchingRun.id as string;
  while ((await prisma.matchingRun.findUniqueOrThrow({ where: { id: run } })).status !== "DONE") await sleep(200);
  await gql(`mutation($id: ID!) { publishMatchingRun(runId: $id, responseHours: 48) { __typename } }`, { id: run }, coordinator);
  const offers = await prisma.offer.findMany({ where: { status: "OFFERED" }, include: { citizen: { select: { userId: true } } } });
  note(`published: ${offers.length} offers`);
  const tokens = createTokenService({ secret: SECRET, ttlSeconds: 3600 });

  // Readiness, every 250 ms, as an orchestrator probes it.
  const state: Record<string, boolean> = { api: true, worker: true };
  let probing = true;
  const probe = (async () => {
    while (probing) {
      for (const [name, url] of [["api", API], ["worker", WORKER]] as const) {
        const now = await ready(url);
        if (now !== state[name]) note(`${name} /ready ${now ? "green" : "RED"}`);
        state[name] = now;
      }
      await sleep(250);
    }
  })();

  // Citizens accept two thirds of the offers (the rest stay open, so that the rebuilt queue can be
  // checked), two at a time and 2.5 s apart, so that accepts keep coming through both outages;
  // each retries until it gets an answer of the service's.
  const accepted: string[] = [];
  const refused: Record<string, number> = {};
  let retries = 0;
  const queue = offers.filter((_, i) => i % 3 !== 2);
  const accept = async () => {
    for (let offer = queue.shift(); offer; offer = queue.shift()) {
      const token = (await tokens.issue(offer.citizen.userId!, "CITIZEN", 0)).token;
      for (let failed = false; ; ) {
        const answer = await gql(`mutation($id: ID!) { acceptOffer(offerId: $id) { __typename ... on Error { code } } }`, { id: offer.id }, token).catch(() => null);
        const result = answer?.data?.acceptOffer as { __typename: string; code?: string } | undefined;
        if (result?.__typename === "AcceptOfferSuccess") {
          accepted.push(offer.id);
          note(`accept answered: success (${accepted.length} so far)`);
        } else if (result?.code) refused[result.code] = (refused[result.code] ?? 0) + 1;
        else {
          if (!failed) note(`accept not answered (${answer?.errors?.[0]?.message ?? "no response"}): the client retries`);
          failed = true;
          retries += 1;
          await sleep(300);
          continue;
        }
        break;
      }
      await sleep(2500);
    }
  };
  const load = Promise.all([accept(), accept()]);
  const disrupt = (async () => {
    await sleep(1500);
    note("Redis: shutdown (nothing kept on disk)");
    execSync("redis-cli -h 127.0.0.1 -p 6379 shutdown nosave || true");
    await sleep(4000);
    execSync(`redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log`);
    note("Redis: started again, empty");
    await sleep(5000);
    note("PostgreSQL: stop (fast)");
    execSync(`pg_ctlcluster --skip-systemctl-redirect ${PG_VERSION} main stop -m fast`);
    await sleep(4000);
    execSync(`pg_ctlcluster --skip-systemctl-redirect ${PG_VERSION} main start`);
    note("PostgreSQL: started again");
  })();
  await Promise.all([load, disrupt]);
  note(`load done: ${accepted.length} accepted, refusals ${JSON.stringify(refused)}, ${retries} retries`);
  for (let i = 0; !(state.api && state.worker); i += 1) {
    if (i > 240) throw new Error("did not become ready again");
    await sleep(250);
  }
  await sleep(3000);
  probing = false;
  await probe;

  // Checks, on the database as it is now.
  const checks: [string, boolean, string][] = [];
  const rows = await prisma.offer.findMany({ where: { id: { in: accepted } }, include: { commitment: true } });
  const lost = rows.filter((o) => o.status !== "ACCEPTED" || o.commitment?.status !== "ACTIVE").length;
  checks.push(["every accept answered with success is an active commitment", lost === 0 && rows.length === accepted.length, `${accepted.length} answered, ${rows.length - lost} found`]);
  const active = await prisma.commitment.count({ where: { status: "ACTIVE", offer: { isNot: null } } });
  checks.push(["no commitment made that was not answered as made", active === accepted.length, `${active} active commitments from offers`]);
  const over = await seatsOverHeadcount(prisma);
  checks.push(["no seat over its headcount", over === 0, `${over} seats over`]);
  const received = await prisma.notification.count({ where: { kind: "OFFER_RECEIVED" } });
  checks.push(["each offer notified once", received === offers.length, `${received} notifications for ${offers.length} offers`]);
  const open = await prisma.offer.findMany({ where: { status: "OFFERED" }, select: { id: true } });
  const jobs = new Queue(EVENTS_QUEUE, { connection: { url: REDIS }, prefix: PREFIX });
  let missing = 0;
  for (const o of open) if (!(await jobs.getJob(jobKey({ kind: "offer-deadline", offerId: o.id })))) missing += 1;
  // Accepts answered while Redis was away handed their reminders over late, and the rebuild after
  // it came back empty re-created the others (those within reconciliation's horizon; later ones
  // are the daily scan's, checked above).
  const horizon = new Date(Date.now() + REMINDER_HORIZON_MS);
  const upcoming = await prisma.commitment.findMany({ where: { status: "ACTIVE", occurrence: { startsAt: { gt: new Date(), lte: horizon } } }, select: { id: true } });
  let unreminded = 0;
  for (const c of upcoming) if (!(await jobs.getJob(jobKey({ kind: "commitment-reminder", commitmentId: c.id })))) unreminded += 1;
  const schedulers = await jobs.getJobSchedulers();
  await jobs.close();
  checks.push(["the emptied queue was rebuilt: a deadline job per open offer", missing === 0, `${open.length - missing} of ${open.length}`]);
  checks.push(["a reminder job for every commitment within the next 8 days, those accepted during the outages included", unreminded === 0, `${upcoming.length - unreminded} of ${upcoming.length}`]);
  checks.push(["the daily scan is scheduled again", schedulers.some((s) => s.key === "daily-scan" || s.id === "daily-scan"), schedulers.map((s) => s.key ?? s.id).join(", ") || "none"]);
  const report = [
    `Resilience drill (\`npm run resilience\`), ${new Date().toISOString().slice(0, 10)}: demo territory, API + one worker on PostgreSQL ${PG_VERSION} and Redis; citizens accepting two thirds of ${offers.length} offers, two at a time and 2.5 s apart, while Redis and then PostgreSQL are stopped and started.`,
    "",
    "Timeline:",
    "",
    ...events.map((e) => `- ${e}`),
    "",
    "| check | holds | figures |",
    "|---|:---:|---|",
    ...checks.map(([what, ok, figures]) => `| ${what} | ${ok ? "yes" : "**NO**"} | ${figures} |`),
  ].join("\n");
  mkdirSync("bench-results", { recursive: true });
  writeFileSync("bench-results/resilience.md", report + "\n");
  console.log("\n" + report);
  await prisma.$disconnect();
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    // Whatever happened, the machine's services are left running.
    execSync(`redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log`);
    execSync(`pg_isready -h 127.0.0.1 -q || pg_ctlcluster --skip-systemctl-redirect ${PG_VERSION} main start`);
    stopProcesses();
    setTimeout(() => process.exit(), 2000).unref();
  });
