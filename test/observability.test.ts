// Observability: every request has an id (the caller's, or a new one) that comes back in the
// response and is in its JSON log line; /metrics exposes HTTP, GraphQL, job and matching figures
// in the Prometheus format, behind a token when one is configured; logs carry no credentials.
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/observability/log";
import { startTestServer, TEST_SECRET, type TestServer } from "./helpers/server";

const lines: Record<string, unknown>[] = [];
const capture = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

let server: TestServer;
const METRICS_TOKEN = "metrics-token-0123456789";

beforeAll(async () => {
  server = await startTestServer({ logger: createLogger({ level: "info", destination: capture }), metricsToken: METRICS_TOKEN });
});

afterAll(async () => {
  await server?.close();
});

async function metricsText() {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one sample of a metric, by its labels (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((w) => line.includes(w))) return Number(line.split(" ").at(-1));
  }
  return 0;
}

describe("observability", { timeout: 120_000 }, () => {
  it("gives every request an id, sends it back, and logs the request with it", async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "obs-request-1" },
      body: JSON.stringify({ query: "query Territories { territories { code } }" }),
    });
    expect(response.headers.get("x-request-id")).toBe("obs-request-1");
    const fresh = await fetch(`${server.url}/health`);
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const odd = await fetch(`${server.url}/health`, { headers: { "x-request-id": "bad id with spaces; and more" } });
    expect(odd.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "request", requestId: "obs-request-1", method: "POST", route: "/graphql", status: 200, service: "legami" }),
    );
    expect(lines.find((l) => l.requestId === fresh.headers.get("x-request-id"))).toMatchObject({ route: "/health", status: 200 });
  });

  it("counts HTTP requests, GraphQL operations, jobs and matching solves at /metrics, behind its token", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const coordinator = await server.login("coordinatrice.grosseto@legami.demo");
    const territoryId = (await server.database.prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } })).id;
    const before = await metricsText();
    await server.gql(
      `mutation StartRun($t: ID!) { startMatchingRun(territoryId: $t, weekStart: "2026-11-23") { __typename } }`,
      { t: territoryId },
      { token: coordinator },
    );
    await server.jobsIdle();
    await server.gql(`query Broken { nope }`, {}, { token: coordinator });
    const after = await metricsText();
    expect(sample(after, "legami_http_requests_total", { method: "POST", route: "/graphql", status: "200" })).toBeGreaterThan(
      sample(before, "legami_http_requests_total", { method: "POST", route: "/graphql", status: "200" }),
    );
    expect(sample(after, "legami_graphql_operations_total", { type: "mutation", operation: "StartRun", outcome: "ok" })).toBe(1);
    expect(sample(after, "legami_http_request_duration_seconds_count", { method: "POST", route: "/graphql" })).toBeGreaterThan(0);
    await server.waitFor(
      "the run's metrics",
      async () => sample(await metricsText(), "legami_jobs_total", { queue: "matching", kind: "run", outcome: "ok" }) >= 1,
    );
    const later = await metricsText();
    expect(sample(later, "legami_matching_solve_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(sample(later, "legami_matching_gap_ratio_count")).toBeGreaterThanOrEqual(1);
    expect(sample(later, "legami_process_cpu_user_seconds_total")).toBeGreaterThan(0);
    // Labels never carry raw paths: calendar tokens stay out of the metrics.
    await fetch(`${server.url}/calendar/${"a".repeat(43)}.ics`);
    const text = await metricsText();
    expect(text).toContain('route="/calendar/:file"');
    expect(text).not.toContain("a".repeat(43));
  });

  it("never logs passwords, tokens or the signing secret", async () => {
    const session = (await server.gql(`mutation { login(email: "tutor.abitare@legami.demo", password: "legami-demo-2026") { ... on Session { token } } }`)).data
      .login;
    await server.gql(`{ me { email } }`, {}, { token: session.token });
    await server.gql(`mutation { login(email: "tutor.abitare@legami.demo", password: "Not-The-Password-99") { __typename } }`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const log = JSON.stringify(lines);
    for (const secret of ["legami-demo-2026", "Not-The-Password-99", session.token, TEST_SECRET, METRICS_TOKEN]) expect(log).not.toContain(secret);
    expect(lines.length).toBeGreaterThan(3);
  });

  it("shows the queue dashboard to administrators only, moving a token from the address to a cookie", async () => {
    const board = `${server.url}/admin/queues`;
    if (!process.env.REDIS_URL) {
      // Jobs run in process: no queues, and the page says so.
      const response = await fetch(board);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: "NO_QUEUES" });
      return;
    }
    const admin = await server.login("admin@legami.demo");
    const coordinator = await server.login("coordinatrice.grosseto@legami.demo");
    expect((await fetch(board)).status).toBe(401);
    expect((await fetch(`${board}/api/queues`)).status).toBe(401);
    expect((await fetch(board, { headers: { authorization: `Bearer ${coordinator}` } })).status).toBe(403);
    expect((await fetch(`${board}?token=${coordinator}`, { redirect: "manual" })).status).toBe(403);
    expect((await fetch(`${board}?token=not-a-token`, { redirect: "manual" })).status).toBe(401);

    const page = await fetch(`${board}/`, { headers: { authorization: `Bearer ${admin}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    const api = await fetch(`${board}/api/queues`, { headers: { authorization: `Bearer ${admin}` } });
    expect(api.status).toBe(200);
    expect((await api.json()).queues.map((q: { name: string }) => q.name).sort()).toEqual(["events", "matching"]);

    // A browser: the token once in the address, then only a cookie scoped to the dashboard.
    lines.length = 0;
    const opened = await fetch(`${board}?token=${admin}`, { redirect: "manual" });
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe("/admin/queues/");
    const cookie = opened.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/admin\/queues/);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const again = await fetch(`${board}/api/queues`, { headers: { cookie: cookie.split(";")[0]! } });
    expect(again.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines.some((l) => l.route === "/admin/queues")).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(admin);
  });
});
