// Resilience drill: `npm run resilience`, a few minutes, in CI too. It starts a PostgreSQL and a
// Redis of its own (scripts/lib/private-services.ts: spare ports, a temporary folder), the API
// (demo data, jobs on Redis, no worker inside) and two worker processes. It publishes the demo
// week, moves half of the offers' deadlines into the next two minutes (in the database, with
// their jobs staged in the outbox as a publication stages them), and while citizens accept and
// decline the other half it kills the API and the workers with SIGKILL and SIGTERM at random
// moments (RESILIENCE_SEED replays them), stops Redis (it comes back empty) and PostgreSQL (as a
// crash), kills both workers twice during a matching run, and stops PostgreSQL just after a run
// is asked for. Then it checks, on the database: every offer expired within 5 s of its deadline,
// or of the services being back when it fell due during an outage; every run ended, DONE
// written once; no offer made twice, none notified twice or not at all; every accept answered as
// made is a commitment, none over a seat's headcount; a deadline job per open offer on Redis.
// Writes bench-results/resilience.md and prints it; exits 1 when a check fails.
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { DateTime } from "luxon";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { createTokenService } from "../src/auth/tokens";
import { DEMO_PASSWORD } from "../src/demo/seed";
import { PrismaClient } from "../src/generated/prisma/client";
import { EVENTS_QUEUE } from "../src/jobs/bullmq";
import { stageJobs } from "../src/jobs/outbox";
import { jobKey } from "../src/jobs/runner";
import { offerJobs } from "../src/offers/offers.jobs";
import { ZONE } from "../src/time/local-time";
import { postGraphQL, seatsOverHeadcount, startProcess, stopProcesses } from "./lib/harness";
import { privatePostgres, privateRedis, sparePort, type PrivateService } from "./lib/private-services";

const SEED = Number(process.env.RESILIENCE_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Deterministic moments from the seed (mulberry32). */
const random = (() => {
  let a = SEED;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();
const between = (from: number, to: number) => from + random() * (to - from);
/** An offer expires this long after its deadline at most (or after the services are back). */
const EXPIRY_SLACK_MS = 5_000;
/** The drill gives up waiting for the services to settle after this long. */
const SETTLE_LIMIT_MS = 5 * 60_000;

const t0 = Date.now();
const at = () => ((Date.now() - t0) / 1000).toFixed(1);
const timeline: string[] = [];
const note = (what: string) => {
  timeline.push(`${at()} s: ${what}`);
  console.log(`[${at()} s] ${what}`);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A service process that can be killed and started again under the same name and port. */
class Service {
  child: ChildProcess | undefined;
  constructor(
    readonly name: string,
    readonly script: string,
    readonly env: Record<string, string>,
    readonly url: string,
  ) {}
  start() {
    this.child = startProcess(this.name, this.script, this.env);
  }
  async kill(signal: NodeJS.Signals) {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    // A SIGTERM drains; it gets 20 s before the drill kills it.
    await Promise.race([exited, sleep(20_000).then(() => child.kill("SIGKILL"))]);
    await exited;
  }
  async ready() {
    try {
      return (await fetch(`${this.url}/ready`, { signal: AbortSignal.timeout(2000) })).ok;
    } catch {
      return false;
    }
  }
}

/** A stretch of time when something was down, up to when every process answered /ready again. */
interface Outage {
  what: string;
  from: number;
  to: number;
}

async function main() {
  note(`seed ${SEED} (RESILIENCE_SEED=${SEED} replays these moments)`);
  const root = mkdtempSync(join(tmpdir(), "legami-drill-"));
  const services: PrivateService[] = [];
  try {
    const postgres = await privatePostgres(root);
    services.push(postgres);
    const redis = await privateRedis(root);
    services.push(redis);
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query("CREATE DATABASE legami");
    await admin.end();
    const dbUrl = postgres.url.replace(/\/postgres$/, "/legami");
    note(`own PostgreSQL at ${postgres.url}, own Redis at ${redis.url}`);
    await runDrill(dbUrl, redis, postgres);
  } finally {
    stopProcesses();
    await sleep(1000);
    for (const service of services.reverse()) service.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function runDrill(dbUrl: string, redis: PrivateService, postgres: PrivateService) {
  const { execFileSync } = await import("node:child_process");
  execFileSync(process.execPath, ["--import", "tsx", "scripts/db-migrate.ts"], { env: { ...process.env, DATABASE_URL: dbUrl }, stdio: "ignore" });
  const secret = `resilience-${randomUUID()}`;
  const env = {
    DATABASE_URL: dbUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: "drill",
    JWT_SECRET: secret,
    LOG_LEVEL: "error",
    DATABASE_CONNECT_TIMEOUT_MS: "2000",
    NODE_ENV: "development",
  };
  const [apiPort, w1Port, w2Port] = [await sparePort(), await sparePort(), await sparePort()];
  const api = new Service("api", "src/main.ts", { ...env, PORT: String(apiPort), RUN_WORKER: "false", DEMO_DATA: "true" }, `http://127.0.0.1:${apiPort}`);
  const workers = [
    new Service("worker-1", "src/worker.ts", { ...env, WORKER_PORT: String(w1Port) }, `http://127.0.0.1:${w1Port}`),
    new Service("worker-2", "src/worker.ts", { ...env, WORKER_PORT: String(w2Port) }, `http://127.0.0.1:${w2Port}`),
  ];
  const all = [api, ...workers];
  const allReady = async (limitMs = 120_000) => {
    for (const end = Date.now() + limitMs; ; await sleep(100)) {
      if ((await Promise.all(all.map((s) => s.ready()))).every(Boolean)) return Date.now();
      if (Date.now() > end) throw new Error("the services did not become ready again");
    }
  };
  api.start();
  for (const end = Date.now() + 120_000; !(await api.ready()); await sleep(250)) if (Date.now() > end) throw new Error("API not ready after two minutes");
  for (const w of workers) w.start();
  await allReady();
  note("API and two workers ready");

  const gql = (query: string, variables: object, token?: string) => postGraphQL(api.url, query, variables, token, 20_000);
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: dbUrl, max: 3, connectionTimeoutMillis: 2000 }) });
  const tokens = createTokenService({ secret, ttlSeconds: 3600 });
  const coordinator = (
    await gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ... on Session { token } } }`, {
      e: "coordinatrice.grosseto@legami.demo",
      p: DEMO_PASSWORD,
    })
  ).data!.login.token as string;
  const territoryId = (await prisma.territory.findFirstOrThrow({ where: { code: "WE-ITA" } })).id;
  const monday = (weeks: number) => DateTime.now().setZone(ZONE).plus({ weeks }).startOf("week").toISODate()!;
  /** Asks for a run, retrying what gets no answer (a client's way); its id. */
  const startRun = async (week: string): Promise<string> => {
    for (;;) {
      const answer = await gql(
        `mutation($t: ID!, $w: Date!) { startMatchingRun(territoryId: $t, weekStart: $w) { __typename ... on MatchingRun { id } } }`,
        { t: territoryId, w: week },
        coordinator,
      ).catch(() => null);
      const id = answer?.data?.startMatchingRun?.id as string | undefined;
      if (id) return id;
      await sleep(300);
    }
  };
  const runStatus = async (id: string) => (await prisma.matchingRun.findUnique({ where: { id } }).catch(() => null))?.status;

  const first = await startRun(monday(1));
  while ((await runStatus(first)) !== "DONE") await sleep(200);
  await gql(`mutation($id: ID!) { publishMatchingRun(runId: $id, responseHours: 48) { __typename } }`, { id: first }, coordinator);
  const published = await prisma.offer.findMany({ where: { status: "OFFERED" }, include: { citizen: { select: { userId: true } } }, orderBy: { id: "asc" } });
  const due = published.filter((_, i) => i % 2 === 0);
  const answered = published.filter((_, i) => i % 2 === 1);
  // Half the offers fall due over the next two minutes, across the disruptions below.
  const start = Date.now();
  const moved = due.map((offer, i) => ({ id: offer.id, deadline: new Date(start + 15_000 + Math.round((i / Math.max(1, due.length - 1)) * 105_000)) }));
  await prisma.$transaction(async (tx) => {
    for (const offer of moved) await tx.offer.update({ where: { id: offer.id }, data: { deadline: offer.deadline } });
    await stageJobs(tx, offerJobs(moved, new Date()), new Date());
  });
  note(
    `published ${published.length} offers; ${due.length} now fall due between 15 s and 120 s from here, ${answered.length} are answered by citizens meanwhile`,
  );

  // Readiness of every process, every 250 ms.
  const up: Record<string, boolean> = Object.fromEntries(all.map((s) => [s.name, true]));
  let probing = true;
  const probe = (async () => {
    while (probing) {
      await Promise.all(
        all.map(async (s) => {
          const now = await s.ready();
          if (now !== up[s.name]) note(`${s.name} /ready ${now ? "green" : "RED"}`);
          up[s.name] = now;
        }),
      );
      await sleep(250);
    }
  })();

  // Citizens answer: two accepts for each decline, two at a time, each retrying until the
  // service answers (an answer lost with a killed API is asked again).
  const accepted: string[] = [];
  const tried = new Set<string>();
  const refused: Record<string, number> = {};
  let retries = 0;
  const queue = [...answered];
  const answer = async () => {
    for (let offer = queue.shift(), n = 0; offer; offer = queue.shift(), n += 1) {
      const token = (await tokens.issue(offer.citizen.userId!, "CITIZEN", 0)).token;
      const accept = n % 3 !== 2;
      tried.add(offer.id);
      for (;;) {
        const reply = await gql(
          accept
            ? `mutation($id: ID!) { acceptOffer(offerId: $id) { __typename ... on Error { code } } }`
            : `mutation($id: ID!) { declineOffer(offerId: $id, reason: "drill") { __typename ... on Error { code } } }`,
          { id: offer.id },
          token,
        ).catch(() => null);
        const result = (accept ? reply?.data?.acceptOffer : reply?.data?.declineOffer) as { __typename: string; code?: string } | undefined;
        if (result?.__typename === "AcceptOfferSuccess") accepted.push(offer.id);
        else if (result?.code) refused[result.code] = (refused[result.code] ?? 0) + 1;
        else if (!result?.__typename) {
          retries += 1;
          await sleep(300);
          continue;
        }
        break;
      }
      await sleep(1500);
    }
  };
  const load = Promise.all([answer(), answer()]);

  // The disruptions, at the seed's moments (seconds from the publication).
  const outages: Outage[] = [];
  const outage = async (what: string, act: () => Promise<void>) => {
    const from = Date.now();
    note(`${what}: begins`);
    await act();
    const to = await allReady();
    outages.push({ what, from, to });
    note(`${what}: every process ready again after ${((to - from) / 1000).toFixed(1)} s`);
  };
  const atSecond = async (s: number) => {
    const wait = start + s * 1000 - Date.now();
    if (wait > 0) await sleep(wait);
  };
  const restart = async (service: Service, signal: NodeJS.Signals) => {
    await service.kill(signal);
    service.start();
  };
  await atSecond(between(5, 12));
  await outage("API killed (SIGKILL) and started again", () => restart(api, "SIGKILL"));
  await atSecond(between(18, 26));
  await outage("worker-1 killed (SIGKILL) and started again", () => restart(workers[0]!, "SIGKILL"));
  await atSecond(between(30, 38));
  await outage("Redis stopped for 5 s (back empty)", async () => {
    redis.stop();
    await sleep(5000);
    redis.start();
  });
  await atSecond(between(48, 56));
  await outage("PostgreSQL stopped (immediate) for 8 s", async () => {
    postgres.stop();
    await sleep(8000);
    postgres.start();
  });
  await atSecond(between(68, 76));
  await outage("API and worker-2 stopped (SIGTERM) and started again", () =>
    Promise.all([restart(api, "SIGTERM"), restart(workers[1]!, "SIGTERM")]).then(() => undefined),
  );

  // A run whose workers are killed twice while it runs.
  await atSecond(between(80, 85));
  const killed = await startRun(monday(2));
  let kills = 0;
  await outage("a run's workers killed twice (SIGKILL) while it runs", async () => {
    // Each time a worker has taken it (again), both workers are killed mid-run.
    for (const end = Date.now() + 180_000; kills < 2 && Date.now() < end; await sleep(20)) {
      const run = await prisma.matchingRun.findUnique({ where: { id: killed }, select: { status: true, attempts: true } }).catch(() => null);
      if (!run) continue;
      if (run.status === "DONE" || run.status === "FAILED") break;
      if (run.status !== "RUNNING" || run.attempts <= kills) continue;
      await Promise.all(workers.map((w) => w.kill("SIGKILL")));
      kills += 1;
      note(`run ${killed.slice(0, 8)} running (taken ${run.attempts}x): both workers killed`);
      for (const w of workers) w.start();
    }
  });
  if (kills < 2) note(`the run ended before it could be caught running twice (${kills} kills)`);
  // A run asked for just before PostgreSQL stops.
  const cut = await startRun(monday(3));
  await outage("PostgreSQL stopped (immediate) for 6 s just after a run was asked for", async () => {
    postgres.stop();
    await sleep(6000);
    postgres.start();
  });
  await load;
  note(`citizens done: ${accepted.length} accepted, refusals ${JSON.stringify(refused)}, ${retries} retries`);

  // Settling: every offer due is answered or expired, every run ended.
  const runs = [first, killed, cut];
  const settledBy = Date.now() + SETTLE_LIMIT_MS;
  for (;;) {
    const open = await prisma.offer.count({ where: { id: { in: moved.map((o) => o.id) }, status: "OFFERED" } }).catch(() => -1);
    const unfinished = await prisma.matchingRun.count({ where: { id: { in: runs }, status: { in: ["QUEUED", "RUNNING"] } } }).catch(() => -1);
    if (open === 0 && unfinished === 0) break;
    if (Date.now() > settledBy) {
      note(`not settled after ${SETTLE_LIMIT_MS / 60_000} minutes: ${open} offers past their deadline still open, ${unfinished} runs unfinished`);
      break;
    }
    await sleep(500);
  }
  note("settled");
  await sleep(3000);
  probing = false;
  await probe;

  // --- the checks, on the database as it is now -----------------------------------------------
  const checks: [string, boolean, string][] = [];
  const late: string[] = [];
  let worstMs = 0;
  const expiredRows = await prisma.offer.findMany({
    where: { id: { in: moved.map((o) => o.id) } },
    select: { id: true, status: true, deadline: true, respondedAt: true },
  });
  for (const offer of expiredRows) {
    if (offer.status !== "EXPIRED" || !offer.respondedAt) {
      late.push(`${offer.id.slice(0, 8)} ${offer.status}`);
      continue;
    }
    const dueAt = offer.deadline.getTime();
    // Fallen due during an outage: counted from when every process was back.
    const during = outages.find((o) => dueAt >= o.from && dueAt <= o.to);
    const from = during ? during.to : dueAt;
    const lateness = offer.respondedAt.getTime() - from;
    worstMs = Math.max(worstMs, lateness);
    if (lateness > EXPIRY_SLACK_MS) late.push(`${offer.id.slice(0, 8)} ${(lateness / 1000).toFixed(1)} s late${during ? ` (after: ${during.what})` : ""}`);
  }
  checks.push([
    `every offer expired within ${EXPIRY_SLACK_MS / 1000} s of its deadline, or of the services being back`,
    late.length === 0,
    `${expiredRows.length - late.length} of ${expiredRows.length}; latest ${(worstMs / 1000).toFixed(1)} s${late.length ? `; late: ${late.slice(0, 5).join(", ")}` : ""}`,
  ]);

  const ends = await prisma.matchingRun.findMany({ where: { id: { in: runs } }, select: { id: true, status: true, failureCode: true, attempts: true } });
  const doneWrites = await prisma.$queryRaw<{ rowId: string; n: bigint }[]>`
    SELECT "rowId", count(*) AS n FROM "AuditLog" WHERE "tableName" = 'MatchingRun' AND "changes" -> 'status' ->> 'after' = 'DONE' GROUP BY "rowId"`;
  const solutionWrites = await prisma.$queryRaw<{ rowId: string; n: bigint }[]>`
    SELECT "rowId", count(*) AS n FROM "AuditLog" WHERE "tableName" = 'MatchingRun' AND "action" = 'UPDATE' AND "changes" ? 'solution' GROUP BY "rowId"`;
  const writes = (rows: { rowId: string; n: bigint }[], id: string) => Number(rows.find((r) => r.rowId === id)?.n ?? 0);
  const ended = ends.filter((r) => r.status === "DONE" || r.status === "FAILED");
  const once = ends.filter((r) => r.status !== "DONE" || (writes(doneWrites, r.id) === 1 && writes(solutionWrites, r.id) === 1));
  checks.push([
    "every matching run ended (DONE or FAILED with its reason)",
    ended.length === runs.length,
    ends.map((r) => `${r.id.slice(0, 8)}: ${r.status}${r.failureCode ? ` ${r.failureCode}` : ""}, taken ${r.attempts}x`).join("; "),
  ]);
  checks.push([
    "each finished run written DONE once, its solution once",
    once.length === ends.length,
    ends.map((r) => `${r.id.slice(0, 8)}: DONE ${writes(doneWrites, r.id)}x, solution ${writes(solutionWrites, r.id)}x`).join("; "),
  ]);

  const twice = await prisma.$queryRaw<
    { n: bigint }[]
  >`SELECT count(*) AS n FROM (SELECT 1 FROM "Offer" GROUP BY "citizenId", "occurrenceId" HAVING count(*) > 1) x`;
  const offers = await prisma.offer.count();
  checks.push(["no citizen offered one occurrence twice", Number(twice[0]!.n) === 0, `${Number(twice[0]!.n)} pairs offered twice, of ${offers} offers`]);
  const received = await prisma.notification.count({ where: { kind: "OFFER_RECEIVED" } });
  const withUser = await prisma.offer.count({ where: { citizen: { userId: { not: null } } } });
  checks.push(["each offer notified once, replacements included", received === withUser, `${received} notifications for ${withUser} offers`]);
  const expired = await prisma.offer.count({ where: { status: "EXPIRED", citizen: { userId: { not: null } } } });
  const expiredNotes = await prisma.notification.count({ where: { kind: "OFFER_EXPIRED" } });
  checks.push(["each expiry notified once", expired === expiredNotes, `${expiredNotes} notifications for ${expired} expired offers`]);

  const rows = await prisma.offer.findMany({ where: { id: { in: accepted } }, include: { commitment: true } });
  const lost = rows.filter((o) => o.status !== "ACCEPTED" || o.commitment?.status !== "ACTIVE").length;
  checks.push([
    "every accept answered as made is an active commitment",
    lost === 0 && rows.length === accepted.length,
    `${accepted.length} answered, ${rows.length - lost} found`,
  ]);
  const committed = await prisma.offer.findMany({ where: { status: "ACCEPTED" }, select: { id: true } });
  const unasked = committed.filter((o) => !tried.has(o.id)).length;
  checks.push(["no offer accepted that no citizen accepted", unasked === 0, `${committed.length} accepted offers, ${unasked} not asked for`]);
  const over = await seatsOverHeadcount(prisma);
  checks.push(["no seat over its headcount", over === 0, `${over} seats over`]);

  const stillOpen = await prisma.offer.findMany({ where: { status: "OFFERED" }, select: { id: true } });
  const events = new Queue(EVENTS_QUEUE, { connection: { url: redis.url }, prefix: "drill" });
  let missing = 0;
  for (const o of stillOpen) if (!(await events.getJob(jobKey({ kind: "offer-deadline", offerId: o.id })))) missing += 1;
  await events.close();
  checks.push(["a deadline job on Redis for every open offer (Redis came back empty)", missing === 0, `${stillOpen.length - missing} of ${stillOpen.length}`]);
  const staged = await prisma.outboxJob.count();
  checks.push(["the outbox is drained", staged === 0, `${staged} rows left`]);
  await prisma.$disconnect();

  const report = [
    `Resilience drill (\`npm run resilience\`, seed ${SEED}), ${new Date().toISOString().slice(0, 10)}: the demo territory on a PostgreSQL and a Redis of the drill's own; the API and two worker processes; ${published.length} offers published, ${due.length} of them falling due across the disruptions, the others answered by citizens (two accepts for each decline, two at a time, retrying what gets no answer).`,
    "",
    "Timeline:",
    "",
    ...timeline.map((e) => `- ${e}`),
    "",
    "| check | holds | figures |",
    "|---|:---:|---|",
    ...checks.map(([what, ok, figures]) => `| ${what} | ${ok ? "yes" : "**NO**"} | ${figures} |`),
  ].join("\n");
  mkdirSync("bench-results", { recursive: true });
  writeFileSync("bench-results/resilience.md", `${report}\n`);
  console.log(`\n${report}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => setTimeout(() => process.exit(), 500).unref());
