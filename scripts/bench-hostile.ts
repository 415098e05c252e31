// While hostile documents keep arriving, the service keeps answering: `npm run bench:hostile
// [-- --seconds 20 --rate 20 --attack-rate 100 --attackers 8]`. Starts the service (embedded
// database with the demo, in a temporary folder), then measures /health and a citizen's myOffers
// at RATE requests a second each, evenly spaced (latency from when each was due:
// scripts/lib/paced.ts): alone; while hostile requests keep arriving at ATTACK_RATE a second
// (evenly spaced, whatever the answers): the nested-lists document of the outside review (and
// fifteen aliases of it), a too-deep document, a body over the limit and one just under it, a thousand availability
// exceptions, wrong passwords, ten subscriptions at once from one user; and while ATTACKERS
// clients send them back to back, as fast as the service answers (a flood from one machine,
// which saturates one process whatever each answer costs). Writes bench-results/hostile.md with
// p50/p99/max, errors, the API's CPU seconds, what each attack costs and what it got back.
// Target: p99 of /health and myOffers under 100 ms while hostile documents keep arriving.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { DEMO_PASSWORD } from "../src/demo/seed";
import { startProcess, stopProcesses } from "./lib/harness";
import { pacedLoad, quantile } from "./lib/paced";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SECONDS = flag("--seconds", 20);
const RATE = flag("--rate", 20);
const ATTACKERS = flag("--attackers", 8);
const ATTACK_RATE = flag("--attack-rate", 100);

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});
const API = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), "legami-hostile-"));
const api = startProcess("api", join(import.meta.dirname, "..", "src", "main.ts"), {
  PORT: String(port),
  HOST: "127.0.0.1",
  DATA_DIR: dataDir,
  DEMO_DATA: "true",
  LOG_LEVEL: "warn",
  NODE_ENV: "development",
});

const gql = async (query: string, variables: object = {}, token?: string) => {
  const response = await fetch(`${API}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
};
const cpuSeconds = () => {
  const fields = readFileSync(`/proc/${api.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${API}/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error("the API did not become ready in 120 s");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const login = async (email: string) =>
    (await gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ... on Session { token } } }`, { e: email, p: DEMO_PASSWORD })).data.login
      .token as string;
  const citizen = await login("valentina.lorenzini@example.org");
  const coordinator = await login("coordinatrice.grosseto@legami.demo");
  const citizenId = (await gql(`{ citizens(first: 1) { edges { node { id } } } }`, {}, coordinator)).data.citizens.edges[0].node.id;

  const nested = `territories { municipalities { territory { municipalities { territory { municipalities { id name } } } } } }`;
  let deep = "id";
  for (let i = 0; i < 12; i++) deep = `plans { house { ${deep} } }`;
  const attacks: { name: string; send: () => Promise<string> }[] = [
    { name: "nested lists (the review's document)", send: async () => (await gql(`{ ${nested} }`)).errors?.[0]?.extensions?.code ?? "ran" },
    {
      name: "fifteen aliases of it",
      send: async () => (await gql(`{ ${Array.from({ length: 15 }, (_, i) => `a${i}: ${nested}`).join(" ")} }`)).errors?.[0]?.extensions?.code ?? "ran",
    },
    { name: "a document too deep", send: async () => (await gql(`{ houses { ${deep} } }`, {}, coordinator)).errors?.[0]?.extensions?.code ?? "ran" },
    {
      name: "a body over 1 MB",
      send: async () => {
        const response = await fetch(`${API}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ skills { id } }", variables: { pad: "x".repeat(1_500_000) } }),
        });
        await response.arrayBuffer();
        return `HTTP ${response.status}`;
      },
    },
    {
      name: "a body of 900 KB, within the limit",
      send: async () => (await gql("{ skills { id } }", { pad: "x".repeat(900_000) })).errors?.[0]?.extensions?.code ?? "ran",
    },
    {
      name: "1,000 availability exceptions",
      send: async () => {
        const exceptions = Array.from({ length: 1_000 }, () => ({ kind: "UNAVAILABLE", from: "2027-01-04", to: "2027-01-04", start: "10:00", end: "11:00" }));
        const answer = await gql(
          `mutation($id: ID!, $x: [AvailabilityExceptionInput!]) { setCitizenAvailability(citizenId: $id, windows: [], exceptions: $x) { __typename ... on InputError { code } } }`,
          { id: citizenId, x: exceptions },
          coordinator,
        );
        return answer.data?.setCitizenAvailability?.code ?? answer.errors?.[0]?.extensions?.code ?? "ran";
      },
    },
    {
      name: "wrong passwords",
      send: async () =>
        (await gql(`mutation { login(email: "nobody@legami.demo", password: "wrong-password-123") { __typename ... on Error { code } } }`)).data?.login?.code ??
        "?",
    },
    {
      name: "ten subscriptions from one user",
      send: async () => {
        const controllers = Array.from({ length: 10 }, () => new AbortController());
        const answers = await Promise.all(
          controllers.map(async (c) => {
            const response = await fetch(`${API}/graphql`, {
              method: "POST",
              headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${citizen}` },
              body: JSON.stringify({ query: "subscription { notificationAdded { id } }" }),
              signal: c.signal,
            });
            const reader = response.body!.getReader();
            const first = await Promise.race([
              reader.read().then((r) => new TextDecoder().decode(r.value ?? new Uint8Array())),
              new Promise<string>((resolve) => setTimeout(() => resolve(""), 300)),
            ]);
            return first.includes("TOO_MANY_SUBSCRIPTIONS");
          }),
        );
        for (const c of controllers) c.abort();
        return `${answers.filter(Boolean).length} of 10 refused`;
      },
    },
  ];

  const MY_OFFERS = JSON.stringify({ query: "{ myOffers { id status deadline occurrence { startsAt activityKind municipality { name } } } }" });
  const measure = async () => {
    const [health, offers] = await Promise.all([
      pacedLoad({ url: `${API}/health`, method: "GET", rate: RATE, seconds: SECONDS, connections: 10, next: () => ({ body: "" }) }),
      pacedLoad({
        url: `${API}/graphql`,
        rate: RATE,
        seconds: SECONDS,
        connections: 10,
        next: () => ({ body: MY_OFFERS, headers: { authorization: `Bearer ${citizen}` } }),
        check: (_s, body) => body.includes('"myOffers"') && !body.includes('"errors"'),
      }),
    ]);
    return { health, offers };
  };
  const row = (scenario: string, name: string, r: Awaited<ReturnType<typeof measure>>["health"]) =>
    `| ${scenario} | ${name} | ${r.latencies.length} | ${quantile(r.latencies, 0.5).toFixed(1)} | ${quantile(r.latencies, 0.99).toFixed(1)} | ${Math.max(...r.latencies).toFixed(1)} | ${r.errors} |`;

  // The demo's first jobs run for a few seconds after /ready: the quiet baseline waits them out
  // (two seconds in a row under a tenth of a CPU-second each, at most a minute).
  for (let calm = 0, i = 0; calm < 2 && i < 60; i++) {
    const before = cpuSeconds();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    calm = cpuSeconds() - before < 0.1 ? calm + 1 : 0;
  }
  const cpuQuiet = cpuSeconds();
  const quiet = await measure();
  const cpuAfterQuiet = cpuSeconds();

  // What each attack costs the API, alone, one client back to back for three seconds.
  const costs: string[] = [];
  for (const attack of attacks) {
    const before = cpuSeconds();
    let n = 0;
    const until = performance.now() + 3_000;
    while (performance.now() < until) {
      await attack.send();
      n++;
    }
    costs.push(`| ${attack.name} | ${n} | ${(((cpuSeconds() - before) / n) * 1000).toFixed(2)} |`);
  }

  let attacking = true;
  const outcomes = new Map<string, Map<string, number>>();
  const sent = new Map<string, number>();
  const record = async (attack: (typeof attacks)[number]) => {
    const outcome = await attack.send().catch((error: Error) => `failed: ${error.message.slice(0, 40)}`);
    sent.set(attack.name, (sent.get(attack.name) ?? 0) + 1);
    const counts = outcomes.get(attack.name) ?? new Map<string, number>();
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    outcomes.set(attack.name, counts);
  };
  // Open loop: an attack every 1 / ATTACK_RATE s, whether or not the last was answered.
  const cpuSteady = cpuSeconds();
  const inFlight = new Set<Promise<void>>();
  let next = 0;
  const started = performance.now();
  const timer = setInterval(() => {
    while (attacking && next < ((performance.now() - started) / 1000) * ATTACK_RATE) {
      const p = record(attacks[next++ % attacks.length]!).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  }, 5);
  const steady = await measure();
  attacking = false;
  clearInterval(timer);
  await Promise.all(inFlight);
  const cpuAfterSteady = cpuSeconds();

  // Closed loop: ATTACKERS clients, each sending its next attack as soon as the last is answered.
  attacking = true;
  const attacker = async (k: number) => {
    for (let i = k; attacking; i++) await record(attacks[i % attacks.length]!);
  };
  const cpuBefore = cpuSeconds();
  const running = Array.from({ length: ATTACKERS }, (_, k) => attacker(k));
  const hostile = await measure();
  attacking = false;
  await Promise.all(running);
  const cpuAfter = cpuSeconds();

  const lines = [
    "# Service under hostile documents",
    "",
    `${new Date().toISOString()}, ${cpus().length} cores, Node ${process.version}; the API alone (embedded database, demo data), ${RATE} req/s each of /health and myOffers for ${SECONDS} s, evenly spaced: quiet; while ${ATTACK_RATE} attacks a second keep arriving (open loop); while ${ATTACKERS} clients flood attacks back to back (closed loop).`,
    "",
    "| scenario | request | answered | p50 ms | p99 ms | max ms | errors |",
    "|---|---|---|---|---|---|---|",
    row("quiet", "/health", quiet.health),
    row("quiet", "myOffers", quiet.offers),
    row(`${ATTACK_RATE} attacks/s`, "/health", steady.health),
    row(`${ATTACK_RATE} attacks/s`, "myOffers", steady.offers),
    row(`flood, ${ATTACKERS} clients`, "/health", hostile.health),
    row(`flood, ${ATTACKERS} clients`, "myOffers", hostile.offers),
    "",
    `API CPU: ${(cpuAfterQuiet - cpuQuiet).toFixed(1)} s quiet, ${(cpuAfterSteady - cpuSteady).toFixed(1)} s with ${ATTACK_RATE} attacks/s, ${(cpuAfter - cpuBefore).toFixed(1)} s in the flood (${SECONDS} s each).`,
    "",
    "What each attack costs the API (one client, back to back, three seconds each):",
    "",
    "| attack | sent | API CPU ms each |",
    "|---|---|---|",
    ...costs,
    "",
    "| attack | sent | answers |",
    "|---|---|---|",
    ...attacks.map((a) => `| ${a.name} | ${sent.get(a.name) ?? 0} | ${[...(outcomes.get(a.name) ?? new Map())].map(([k, v]) => `${k} x${v}`).join(", ")} |`),
    "",
  ];
  mkdirSync(join(import.meta.dirname, "..", "bench-results"), { recursive: true });
  writeFileSync(join(import.meta.dirname, "..", "bench-results", "hostile.md"), lines.join("\n"));
  console.log(lines.join("\n"));
} finally {
  stopProcesses();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
