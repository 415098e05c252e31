// Accounts under attack: concurrent sign-ins cannot check more passwords than the limit, one
// address cannot register or sign in fast (counted per client address, behind trusted proxies
// only, and shared through Redis when it is configured), and a password stored with older
// parameters is hashed again at sign-in. On whichever database the suite runs on.
import { randomBytes, scryptSync } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCRYPT_PARAMS, verifyPassword } from "../src/auth/passwords";
import { redisRateLimiter } from "../src/auth/rate-limit";
import { loginThrottle } from "../src/auth/throttle";
import { DEMO_PASSWORD } from "../src/demo/seed";
import { startTestServer, type TestServer } from "./helpers/server";

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename ... on Error { code } } }`;
const REGISTER = `mutation($input: CitizenProfileInput!) { registerCitizen(input: $input, password: "quiet river stone 42") { __typename ... on Error { code } } }`;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    loginThrottle: loginThrottle({ perAddressPerMinute: 1_000_000, registrationsPerAddressPerHour: 2, maxFailures: 5 }),
    trustProxy: "loopback",
  });
});

afterAll(async () => {
  await server?.close();
});

/** A request from a given client address, as a trusted proxy on this machine reports it. */
async function viaProxy(address: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": address },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data: Record<string, { __typename: string; code?: string }> } as any;
}

let counter = 0;
async function registrationInput() {
  counter += 1;
  const grosseto = await server.database.prisma.municipality.findFirstOrThrow({ where: { name: "Grosseto" } });
  return {
    firstName: "Ada",
    lastName: "Prova",
    email: `ada.prova.${counter}@example.org`,
    birthDate: "1985-01-01",
    homeMunicipalityId: grosseto.id,
    weeklyHourLimit: 3,
    maxTravelMinutes: 20,
  };
}

describe("sign-in attempts", () => {
  it("checks at most the limit of passwords for one email, however many attempts arrive at once", async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => server.gql<any>(LOGIN, { e: "tutor.abitare@legami.demo", p: "not the right password" })),
    );
    const codes = answers.map((a) => a.data.login.code);
    expect(codes.filter((c) => c === "INVALID_CREDENTIALS").length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === "TOO_MANY_ATTEMPTS").length).toBeGreaterThanOrEqual(25);
    expect(codes.every((c) => c === "INVALID_CREDENTIALS" || c === "TOO_MANY_ATTEMPTS")).toBe(true);
    // The email is locked now: even the right password waits.
    expect((await server.gql(LOGIN, { e: "tutor.abitare@legami.demo", p: DEMO_PASSWORD })).data.login).toEqual({
      __typename: "RateLimitError",
      code: "TOO_MANY_ATTEMPTS",
    });
    // And the right password of another account is not affected.
    expect((await server.gql(LOGIN, { e: "coordinatrice.colline@legami.demo", p: DEMO_PASSWORD })).data.login.__typename).toBe("Session");
  });

  it("hashes a password stored with weaker parameters again at sign-in", async () => {
    const prisma = server.database.prisma;
    const salt = randomBytes(16);
    const weak = [
      "scrypt",
      16384,
      8,
      1,
      salt.toString("base64url"),
      scryptSync(DEMO_PASSWORD.normalize("NFKC"), salt, 32, { N: 16384, r: 8, p: 1 }).toString("base64url"),
    ].join("$");
    await prisma.user.update({ where: { email: "coordinatore.amiata@legami.demo" }, data: { passwordHash: weak } });
    expect((await server.gql(LOGIN, { e: "coordinatore.amiata@legami.demo", p: DEMO_PASSWORD })).data.login.__typename).toBe("Session");
    const stored = (await prisma.user.findUniqueOrThrow({ where: { email: "coordinatore.amiata@legami.demo" } })).passwordHash!;
    expect(stored.split("$").slice(0, 4)).toEqual(["scrypt", String(SCRYPT_PARAMS.N), String(SCRYPT_PARAMS.r), String(SCRYPT_PARAMS.p)]);
    expect(SCRYPT_PARAMS.N).toBeGreaterThanOrEqual(2 ** 17);
    expect(await verifyPassword(DEMO_PASSWORD, stored)).toBe(true);
    expect((await server.gql(LOGIN, { e: "coordinatore.amiata@legami.demo", p: DEMO_PASSWORD })).data.login.__typename).toBe("Session");
  });
});

describe("registrations per address", () => {
  it("limits registrations from one client address, counted behind a trusted proxy by the address it reports", async () => {
    const prisma = server.database.prisma;
    const before = await prisma.user.count();
    const first = await viaProxy("203.0.113.7", REGISTER, { input: await registrationInput() });
    const second = await viaProxy("203.0.113.7", REGISTER, { input: await registrationInput() });
    const third = await viaProxy("203.0.113.7", REGISTER, { input: await registrationInput() });
    expect([first, second, third].map((a) => a.data.registerCitizen.__typename)).toEqual(["RegistrationReceived", "RegistrationReceived", "RateLimitError"]);
    expect(await prisma.user.count()).toBe(before + 2);
    // Another client behind the same proxy has its own count.
    expect((await viaProxy("198.51.100.9", REGISTER, { input: await registrationInput() })).data.registerCitizen.__typename).toBe("RegistrationReceived");
  });

  it("believes X-Forwarded-For only from a trusted proxy", async () => {
    const untrusting = await startTestServer({ demo: false, loginThrottle: loginThrottle({ perAddressPerMinute: 2 }) });
    try {
      const answers = [];
      // Each request claims a new address; without a trusted proxy all count as this machine's.
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${untrusting.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": `192.0.2.${i}` },
          body: JSON.stringify({ query: LOGIN, variables: { e: `x${i}@example.org`, p: "whatever it is here" } }),
        });
        answers.push(((await response.json()) as any).data.login.code);
      }
      expect(answers).toEqual(["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "TOO_MANY_ATTEMPTS"]);
    } finally {
      await untrusting.close();
    }
  });
});

describe.runIf(process.env.REDIS_URL)("counts shared through Redis", () => {
  it("counts one address across processes", async () => {
    const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
    const prefix = `legami-test-${randomBytes(6).toString("hex")}`;
    try {
      // Two replicas: each has its own limiter object, they share the counts.
      const one = redisRateLimiter(redis, prefix, { limit: 3, windowMs: 60_000 });
      const two = redisRateLimiter(redis, prefix, { limit: 3, windowMs: 60_000 });
      const now = Date.now();
      const hits = [await one.hit("203.0.113.1", now), await two.hit("203.0.113.1", now), await one.hit("203.0.113.1", now), await two.hit("203.0.113.1", now)];
      expect(hits).toEqual([true, true, true, false]);
      expect(await two.hit("203.0.113.2", now)).toBe(true);
    } finally {
      redis.disconnect();
    }
  });
});

describe("counts when Redis is gone", () => {
  it("falls back to the process's own count rather than letting everyone in", async () => {
    const prefix = "legami-test-gone";
    const gone = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    const limiter = redisRateLimiter(gone, prefix, { limit: 2, windowMs: 60_000 });
    const now = Date.now();
    expect([await limiter.hit("a", now), await limiter.hit("a", now), await limiter.hit("a", now)]).toEqual([true, true, false]);
    gone.disconnect();
  });
});
