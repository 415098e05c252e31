// `npm start` on the embedded default, as a user runs it: a real process on a fresh data
// directory, which it creates, migrates and fills with the demo territory; a second process on
// the same directory is refused; a restart keeps data and tokens.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import { ZONE } from "../src/time/local-time";

const root = join(import.meta.dirname, "..");
const dataDir = mkdtempSync(join(tmpdir(), "legami-embedded-"));
const running: ChildProcessWithoutNullStreams[] = [];

/** Starts the service; resolves with its URL once it listens, or rejects with its output if it exits. */
function startService(env: Record<string, string> = {}): Promise<{ child: ChildProcessWithoutNullStreams; url: string; output: () => string }> {
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: "",
    JWT_SECRET: "",
    ...env,
  };
  // As `npm start` runs it: the compiled service (dist/, built by the tests' global setup).
  const child = spawn(process.execPath, ["--max-semi-space-size=32", join(root, "dist", "main.js")], { cwd: root, env: childEnv as NodeJS.ProcessEnv });
  running.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)\/graphql/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(Object.assign(new Error(`exited with ${code}`), { code, output })));
  });
}

function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    child.on("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

/** POSTs an operation to the service; the answer's data. */
async function post(url: string, query: string, variables: object = {}, token?: string): Promise<Record<string, any>> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as { data: Record<string, any> }).data;
}

async function login(url: string, email = "admin@legami.demo"): Promise<string> {
  return (await post(url, `mutation($e: String!) { login(email: $e, password: "legami-demo-2026") { ... on Session { token } } }`, { e: email })).login
    .token as string;
}

/** Matches next week's demo tasks and waits for the run to end: its status. */
async function matchNextWeek(url: string, token: string): Promise<string> {
  const [territory] = (await post(url, "{ territories { id } }", {}, token)).territories as { id: string }[];
  const weekStart = DateTime.now().setZone(ZONE).plus({ weeks: 1 }).startOf("week").toISODate();
  const started = await post(
    url,
    "mutation($t: ID!, $w: Date!) { startMatchingRun(territoryId: $t, weekStart: $w) { ... on MatchingRun { id } ... on Error { code } } }",
    { t: territory!.id, w: weekStart },
    token,
  );
  const id = started.startMatchingRun.id as string;
  for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 250))) {
    const { status } = (await post(url, "query($id: ID!) { matchingRun(id: $id) { ... on MatchingRun { status } } }", { id }, token)).matchingRun;
    if (status === "DONE" || status === "FAILED") return status;
  }
  return "still running after 60 s";
}

/** Signs in as the demo's housing tutor and plans next month of a demo house: how many occurrences. */
async function planAHouse(url: string): Promise<number | string> {
  const token = await login(url, "tutor.abitare@legami.demo");
  const [house] = (await post(url, "{ houses { id } }", {}, token)).houses as { id: string }[];
  const from = DateTime.now().setZone(ZONE).plus({ months: 1 }).startOf("month");
  const plan = (
    await post(
      url,
      "mutation($h: ID!, $f: Date!, $t: Date!) { planHousePeriod(houseId: $h, from: $f, to: $t) { __typename ... on HousePlan { occurrences { id } } ... on Error { code } } }",
      { h: house!.id, f: from.toISODate(), t: from.plus({ weeks: 2 }).toISODate() },
      token,
    )
  ).planHousePeriod;
  return plan.__typename === "HousePlan" ? plan.occurrences.length : plan.code;
}

async function registerSize(url: string, token: string): Promise<number> {
  const data = (await post(url, "{ citizens(first: 1) { totalCount } municipalities { name } }", {}, token)) as {
    citizens: { totalCount: number };
    municipalities: unknown[];
  };
  expect(data.municipalities).toHaveLength(20);
  return data.citizens.totalCount;
}

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the embedded default", () => {
  it("creates, migrates and seeds a new data directory, refuses a second process, and restarts with data and tokens kept", async () => {
    const first = await startService();
    expect(first.output()).toContain("Loaded the demo territory");
    expect(first.output()).toContain("admin@legami.demo");
    expect(existsSync(join(dataDir, "legami.lock"))).toBe(true);
    const token = await login(first.url);
    // GraphiQL from the package: nothing fetched from elsewhere, and a tour that works on the demo.
    const page = await (await fetch(`${first.url}/graphql`, { headers: { accept: "text/html" } })).text();
    expect(page).toContain("mutation SignIn");
    expect(page).toContain("admin@legami.demo");
    expect(page).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
    // 60 citizens drawn at random and the cultural mediator of the shared houses.
    expect(await registerSize(first.url, token)).toBe(61);
    // The compiled solver thread, with HiGHS compiled ahead of time as in production.
    expect(await matchNextWeek(first.url, token)).toBe("DONE");
    expect(await planAHouse(first.url)).toBeGreaterThan(0);

    const second = await startService().then(
      () => null,
      (error: { code: number; output: string }) => error,
    );
    expect(second?.code).toBe(1);
    expect(second?.output).toMatch(/already in use by process \d+/);

    expect(await stop(first.child)).toBe(0);
    expect(existsSync(join(dataDir, "legami.lock"))).toBe(false);

    const again = await startService();
    expect(again.output()).not.toContain("Loaded the demo territory");
    expect(again.output()).toContain("coordinatrice.grosseto@legami.demo");
    // The token secret is kept in the data directory: the old token still works.
    expect(await registerSize(again.url, token)).toBe(61);
    expect(await stop(again.child)).toBe(0);
  }, 120_000);
});
