// A database too busy or out of reach is the service's trouble, not the client's: every request
// answers SERVICE_BUSY or SERVICE_UNAVAILABLE (HTTP 503, Retry-After, the caller's language),
// never "Unexpected error", and the client may try again.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { createTokenService } from "../src/auth/tokens";
import { openDatabase, type Database } from "../src/db/database";
import type { LoginThrottle } from "../src/auth/throttle";
import { TEST_SECRET } from "./helpers/server";
import { openTestDatabase } from "./helpers/database";

const tokens = createTokenService({ secret: TEST_SECRET, ttlSeconds: 600 });

async function serve(database: Database) {
  const { express } = createApp({ database, tokens, graphiql: false, defaultLang: "en" });
  const http: Server = express.listen(0, "127.0.0.1");
  await new Promise((resolve) => http.once("listening", resolve));
  const url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  const post = async (query: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      body: (await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[]; data?: unknown },
    };
  };
  return { url, post, close: () => new Promise((resolve) => http.close(resolve)) };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => probe.once("listening", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("the database out of reach", () => {
  let server: Awaited<ReturnType<typeof serve>>;
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({
      kind: "postgres",
      url: `postgresql://postgres@127.0.0.1:${await closedPort()}/legami`,
      pool: { max: 2, connectTimeoutMs: 1_000, idleTimeoutMs: 1_000 },
    });
    server = await serve(database);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it("answers a query, a signed-in request and a mutation with SERVICE_UNAVAILABLE, in the caller's language", async () => {
    const token = (await tokens.issue("00000000-0000-4000-8000-000000000000", "CITIZEN", 0)).token;
    const cases = [
      await server.post("{ skills { code } }"),
      await server.post("{ myOffers { id } }", { authorization: `Bearer ${token}` }),
      await server.post(`mutation { login(email: "a@b.it", password: "x") { __typename } }`, { "accept-language": "it" }),
    ];
    for (const answer of cases) {
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe("5");
      expect(answer.body.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
      expect(answer.body.errors?.[0]?.extensions?.retryAfterSeconds).toBe(5);
      expect(JSON.stringify(answer.body)).not.toMatch(/Unexpected error|ECONNREFUSED|127\\.0\\.0\\.1|prisma/i);
    }
    expect(cases[2]!.body.errors?.[0]?.message).toMatch(/non è disponibile/);
    expect(cases[0]!.body.errors?.[0]?.message).toMatch(/unavailable/);
  });

  it("answers the calendar feed and the CSV report with 503 and Retry-After", async () => {
    for (const path of ["/calendar/abcdefghijklmnopqrstuvwxyz0123456789.ics", "/reports/programme.csv?territoryId=x&from=2027-01-01&to=2027-01-31"]) {
      const response = await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${(await tokens.issue("00000000-0000-4000-8000-000000000000", "CITIZEN", 0)).token}` },
      });
      expect(response.status, path).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe("SERVICE_UNAVAILABLE");
    }
  });
});

describe.runIf(process.env.DATABASE_URL)("the database too busy (PostgreSQL)", () => {
  it("answers SERVICE_BUSY when no connection is free in time, and the request runs once one is", async () => {
    const migrated = await openTestDatabase();
    const database = await openDatabase({ kind: "postgres", url: migrated.url!, pool: { max: 1, connectTimeoutMs: 300, idleTimeoutMs: 1_000 } });
    const server = await serve(database);
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      // The pool's only connection, held by a transaction that waits.
      const holding = database.prisma.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT 1`;
          await held;
        },
        { timeout: 30_000 },
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const busy = await server.post("{ skills { code } }", { "accept-language": "it" });
      expect(busy.status).toBe(503);
      expect(busy.retryAfter).toBe("2");
      expect(busy.body.errors?.[0]?.extensions?.code).toBe("SERVICE_BUSY");
      expect(busy.body.errors?.[0]?.message).toMatch(/occupato/);
      release();
      await holding;
      const after = await server.post("{ skills { code } }");
      expect(after.status).toBe(200);
      expect(after.body.errors).toBeUndefined();
    } finally {
      await server.close();
      await database.close();
      await migrated.close();
    }
  });
});

describe("a burst of one kind of mutation", () => {
  it("queues beyond its width before doing anything, answers SERVICE_BUSY past the patience, and lets others through", async () => {
    const database = await openTestDatabase();
    // Sign-ins hold at the throttle until released: the login lane stays full meanwhile.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    let called!: () => void;
    const first = new Promise<void>((resolve) => (called = resolve));
    const holding: LoginThrottle = {
      maxFailures: 5,
      lockMinutes: 15,
      allowAddress: async () => {
        calls += 1;
        called();
        await held;
        return true;
      },
      allowRegistration: async () => true,
    };
    const { express } = createApp({
      database,
      tokens,
      graphiql: false,
      defaultLang: "en",
      loginThrottle: holding,
      limits: { mutationsAtOnce: 1, mutationPatienceMs: 1_000 },
    });
    const http: Server = express.listen(0, "127.0.0.1");
    await new Promise((resolve) => http.once("listening", resolve));
    const url = `http://127.0.0.1:${(http.address() as { port: number }).port}/graphql`;
    const post = async (query: string, headers: Record<string, string> = {}) => {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query }) });
      return {
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
        body: (await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[]; data?: Record<string, any> },
      };
    };
    const LOGIN = `mutation { login(email: "nobody@legami.test", password: "not-the-password") { __typename } }`;
    try {
      const running = post(LOGIN);
      await first;
      const began = performance.now();
      const busy = await post(LOGIN, { "accept-language": "it" });
      expect(busy.status).toBe(503);
      expect(busy.retryAfter).toBe("2");
      expect(busy.body.errors?.[0]?.extensions?.code).toBe("SERVICE_BUSY");
      expect(busy.body.errors?.[0]?.message).toMatch(/occupato/);
      expect(performance.now() - began).toBeGreaterThanOrEqual(950);
      expect(calls).toBe(1);
      // A query and another kind of mutation are not behind the queue.
      const [query, other] = await Promise.all([post("{ skills { code } }"), post(`mutation { markNotificationsRead(notificationIds: []) { __typename } }`)]);
      expect(query.status).toBe(200);
      expect(query.body.data?.skills).toBeInstanceOf(Array);
      expect(other.status).toBe(200);
      expect(other.body.errors?.[0]?.extensions?.code ?? other.body.data?.markNotificationsRead?.__typename).not.toBe("SERVICE_BUSY");
      // The one waiting when the lane frees runs: nothing was lost.
      const waiting = post(LOGIN);
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      for (const answer of [await running, await waiting]) {
        expect(answer.status).toBe(200);
        expect(answer.body.data?.login?.__typename).toBe("AuthenticationError");
      }
      expect(calls).toBe(2);
    } finally {
      await new Promise((resolve) => http.close(resolve));
      await database.close();
    }
  });
});
