// What a deployment gets without asking: no demo data, GraphiQL or introspection in production,
// a token secret with real entropy, /metrics closed without a token, a bounded number of metric
// series, CORS only for configured origins, only JSON POSTs executing, security headers, and no
// schema hints when introspection is off.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimatedBits, loadConfig, MIN_SECRET_BITS } from "../src/config";
import { MAX_OPERATION_LABELS } from "../src/observability/metrics";
import { startTestServer, type TestServer } from "./helpers/server";

const STRONG = "u3Jq9w-Zt4Kp0rV7sLm2Xc8Nb5Hd1Gf6Ye0Ta9Wq3Er";
const PG = "postgresql://legami@db.internal:5432/legami";

let open: TestServer;
let closed: TestServer;

beforeAll(async () => {
  open = await startTestServer({ demo: false, corsOrigins: ["https://console.example.org"] });
  closed = await startTestServer({ demo: false, metricsOpenWithoutToken: false, limits: { introspection: false } });
});

afterAll(async () => {
  await open?.close();
  await closed?.close();
});

const post = (server: TestServer, body: string, headers: Record<string, string>) => fetch(`${server.url}/graphql`, { method: "POST", headers, body });

describe("configuration in production", () => {
  it("loads no demo data and offers no GraphiQL or introspection unless asked", () => {
    const production = loadConfig({ NODE_ENV: "production", DATABASE_URL: PG, JWT_SECRET: STRONG });
    expect(production).toMatchObject({ loadDemoData: false, graphiql: false, limits: { introspection: false }, corsOrigins: [] });
    expect(loadConfig({ NODE_ENV: "production", DATABASE_URL: PG, JWT_SECRET: STRONG, DEMO_DATA: "true", GRAPHIQL: "true" })).toMatchObject({
      loadDemoData: true,
      graphiql: true,
    });
    expect(loadConfig({})).toMatchObject({ loadDemoData: true, graphiql: true });
  });

  it("refuses a token secret without real entropy, whatever its length", () => {
    for (const weak of ["a".repeat(32), "ab".repeat(40), "0123456789".repeat(4)]) {
      expect(estimatedBits(weak)).toBeLessThan(MIN_SECRET_BITS);
      expect(() => loadConfig({ DATABASE_URL: PG, JWT_SECRET: weak })).toThrow(/JWT_SECRET: too predictable/);
    }
    expect(estimatedBits(STRONG)).toBeGreaterThanOrEqual(MIN_SECRET_BITS);
    expect(loadConfig({ DATABASE_URL: PG, JWT_SECRET: STRONG }).jwtSecret).toBe(STRONG);
  });

  it("takes CORS origins only as a list of origins", () => {
    expect(loadConfig({ CORS_ORIGINS: "https://a.example.org,http://localhost:5173" }).corsOrigins).toEqual(["https://a.example.org", "http://localhost:5173"]);
    expect(() => loadConfig({ CORS_ORIGINS: "*" })).toThrow(/CORS_ORIGINS/);
  });
});

describe("the HTTP surface", () => {
  it("keeps /metrics closed in production without a token", async () => {
    expect((await fetch(`${closed.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${open.url}/metrics`)).status).toBe(200);
  });

  it("bounds the operation names that become metric series", async () => {
    const sends = Array.from({ length: MAX_OPERATION_LABELS + 50 }, (_, i) => open.gql(`query Probe${i} { __typename }`));
    await Promise.all(sends);
    const text = await (await fetch(`${open.url}/metrics`)).text();
    const names = new Set([...text.matchAll(/legami_graphql_operations_total\{[^}]*operation="([^"]+)"/g)].map((m) => m[1]));
    expect(names.size).toBeLessThanOrEqual(MAX_OPERATION_LABELS + 2);
    expect(names.has("other")).toBe(true);
  });

  it("answers CORS only for the configured origins, without credentials", async () => {
    const body = JSON.stringify({ query: "{ __typename }" });
    const allowed = await post(open, body, { "content-type": "application/json", origin: "https://console.example.org" });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://console.example.org");
    expect(allowed.headers.get("access-control-allow-credentials")).toBeNull();
    const evil = await post(open, body, { "content-type": "application/json", origin: "https://evil.example.org" });
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(`${open.url}/graphql`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example.org", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("executes only JSON POSTs: forms, multipart and GET queries do nothing", async () => {
    const LOGIN = `mutation { login(email: "admin@legami.demo", password: "x") { __typename } }`;
    const form = await post(open, new URLSearchParams({ query: LOGIN }).toString(), { "content-type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    const multipart = new FormData();
    multipart.set("operations", JSON.stringify({ query: LOGIN }));
    const parts = await fetch(`${open.url}/graphql`, { method: "POST", body: multipart });
    expect(parts.status).toBe(415);
    expect((await post(open, LOGIN, { "content-type": "text/plain" })).status).toBe(415);
    expect((await fetch(`${open.url}/graphql?query=${encodeURIComponent("{ __typename }")}`)).status).toBe(405);
    expect(((await form.json()) as any).errors[0].extensions.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    // The JSON POST works.
    expect((await open.gql(`{ __typename }`)).data).toEqual({ __typename: "Query" });
  });

  it("sends security headers", async () => {
    const response = await post(open, JSON.stringify({ query: "{ __typename }" }), { "content-type": "application/json" });
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age=/);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect((await fetch(`${open.url}/health`)).headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("gives no schema hints when introspection is off", async () => {
    const typo = `query($c: Citizn) { me { email } }`;
    for (const query of [typo, `{ citizns(first: 1) { totalCount } }`, `{ me { emial } }`]) {
      const answer = await closed.gql(query, {});
      expect(answer.errors?.length, query).toBeGreaterThan(0);
      for (const error of answer.errors!) expect(error.message, query).not.toMatch(/Did you mean|"Citizen"|"citizens"|"email"|"ENROLLED"/);
    }
    // Variables are checked when the operation runs: their errors give no hints either.
    const variables = [
      [`mutation($i: CitizenProfileInput!) { registerCitizen(input: $i, password: "x") { __typename } }`, { i: { emial: "x" } }],
      [`mutation($t: EnrolmentStatus!) { changeEnrolmentStatus(citizenId: "x", to: $t) { __typename } }`, { t: "ENROLED" }],
    ] as const;
    for (const [query, vars] of variables) {
      expect((await open.gql(query, vars)).errors?.some((e) => /Did you mean/.test(e.message))).toBe(true);
      const answer = await closed.gql(query, vars);
      expect(answer.errors?.length).toBeGreaterThan(0);
      for (const error of answer.errors!) expect(error.message).not.toMatch(/Did you mean/);
    }
    // An argument left out is named (the client needs it), but nothing is suggested.
    const missing = await closed.gql(`mutation { login(emial: "a", password: "b") { __typename } }`, {});
    for (const error of missing.errors!) expect(error.message).not.toMatch(/Did you mean/);
  });
});
