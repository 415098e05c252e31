// Hostile input: malformed JSON and GraphQL, oversized and deeply nested documents, alias and
// directive flooding, batched operations, injection-looking strings, impossible dates (the
// spring-forward gap), negative or huge numbers, page sizes. Each gets an error (a stable code)
// and the database is checked unchanged, table by table, after each. Sign-in throttling and
// introspection switched off are here too.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loginThrottle } from "../src/auth/throttle";
import { schema } from "../src/graphql/schema";
import { tableNames } from "./helpers/database";
import { documentFor, HOSTILE, positions, value, withValue } from "./helpers/operations";
import { prepareMatrix } from "./helpers/role-matrix-setup";
import { startTestServer, TEST_NOW, TEST_SECRET, type TestServer } from "./helpers/server";

let server: TestServer;
let coordinator: string;

/** A hash of every table's content (sign-in throttling state aside; the audit log included, so a refused write that left an entry would show). */
async function fingerprint(): Promise<Record<string, string>> {
  const prisma = server.database.prisma;
  const result: Record<string, string> = {};
  for (const name of await tableNames(prisma)) {
    if (name === "LoginThrottle" || name === "_prisma_migrations") continue;
    const [row] = await prisma.$queryRawUnsafe<{ h: string }[]>(
      `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM "${name.replaceAll('"', '""')}" t`,
    );
    result[name] = row!.h;
  }
  return result;
}

/** Sends a raw body to /graphql. */
async function post(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json", authorization: `Bearer ${coordinator}`, ...headers },
    body,
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: the test says so
  }
  return { status: response.status, json, text };
}

let before: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer();
  coordinator = await server.login("coordinatrice.grosseto@legami.demo");
  before = await fingerprint();
});

afterAll(async () => {
  await server?.close();
});

describe("hostile input", () => {
  it("answers malformed JSON, broken GraphQL and unknown operations with an error", async () => {
    const broken = await post("{ this is not json");
    expect(broken.status).toBe(400);
    expect(broken.json.errors[0].message).toBeTruthy();
    const syntax = await post(JSON.stringify({ query: "{ houses { id " }));
    expect(syntax.json.errors[0].extensions.code).toBe("GRAPHQL_PARSE_FAILED");
    const unknown = await post(JSON.stringify({ query: "{ houses { id } }", operationName: "Nope" }));
    expect(unknown.json.errors).toBeDefined();
    const wrongType = await post(JSON.stringify({ query: 42 }));
    expect(wrongType.status).toBe(400);
    const batched = await post(JSON.stringify([{ query: "{ houses { id } }" }, { query: "{ houses { id } }" }]));
    expect(batched.status).toBe(400);
    expect(batched.json.errors).toBeDefined();
    expect(await fingerprint()).toEqual(before);
  });

  it("runs a body just under the limit like any other, with the request's headers", async () => {
    // The body is handed to Yoga as it was read (src/http/yoga-bridge.ts): the same answer, in the asked language.
    const near = await post(JSON.stringify({ query: `{ skills { id } }`, variables: { pad: "x".repeat(990_000) } }));
    expect(near.status).toBe(200);
    expect(near.json.data.skills.length).toBeGreaterThan(0);
    const tooMany = Array.from({ length: 501 }, () => "a");
    const italian = await post(JSON.stringify({ query: `{ __typename }`, variables: { ids: tooMany } }), {
      "accept-language": "it-IT,it;q=0.9",
      "x-request-id": "near-limit-1",
    });
    expect(italian.json.errors[0].extensions.code).toBe("TOO_MANY_ITEMS");
    expect(italian.json.errors[0].message).toMatch(/troppi elementi/);
  });

  it("refuses oversized bodies, deep documents, alias, token and directive floods before running them", async () => {
    const huge = await post(JSON.stringify({ query: `{ houses { id } }`, variables: { pad: "x".repeat(2_000_000) } }));
    expect(huge.status).toBe(413);
    expect(huge.json.errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");

    let deep = "id";
    for (let i = 0; i < 8; i++) deep = `plans { house { ${deep} } }`;
    const tooDeep = await post(JSON.stringify({ query: `{ houses { ${deep} } }` }));
    expect(tooDeep.json.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
    expect(tooDeep.json.errors[0].message).toMatch(/depth/i);

    const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: houses { id }`).join(" ");
    const flood = await post(JSON.stringify({ query: `{ ${aliases} }` }));
    expect(flood.json.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
    expect(flood.json.errors[0].message).toMatch(/alias/i);

    const tokens = await post(JSON.stringify({ query: `{ houses { ${"id ".repeat(3000)} } }` }));
    expect(tokens.json.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");

    const directives = await post(JSON.stringify({ query: `{ houses ${"@include(if: true) ".repeat(60)} { id } }` }));
    expect(directives.json.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");

    // Lists nested in lists multiply: under every other limit, this one document would answer
    // megabytes (territories x municipalities x municipalities ...); its cost counts them.
    const nested = `territories { municipalities { territory { municipalities { territory { municipalities { id name } } } } } }`;
    const costly = await post(JSON.stringify({ query: `{ ${nested} }` }));
    expect(costly.json.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
    expect(costly.json.errors[0].message).toMatch(/cost/i);
    const page100 = `citizens(first: 100) { totalCount edges { node { status homeMunicipality { id name } languages { languageCode level } skills { skill { code } level } } } }`;
    expect((await post(JSON.stringify({ query: `{ ${page100} }` }))).json.data.citizens.edges.length).toBeGreaterThan(0);
    expect((await post(JSON.stringify({ query: `{ territories { municipalities { id name } } }` }))).json.data.territories.length).toBeGreaterThan(0);

    // A field that does not exist: no suggestion of the real names.
    const typo = await post(JSON.stringify({ query: `{ housez { id } }` }));
    expect(typo.json.errors[0].message).not.toMatch(/Did you mean/);

    // Page size: at most 100 citizens a page whatever is asked.
    const page = await post(JSON.stringify({ query: `{ citizens(first: 100000) { edges { node { id } } } }` }));
    expect(page.json.errors ?? []).toHaveLength(page.json.data ? 0 : 1);
    if (page.json.data) expect(page.json.data.citizens.edges.length).toBeLessThanOrEqual(100);
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses impossible dates and times, negative or huge numbers, and malformed codes, writing nothing", async () => {
    const citizen = await server.database.prisma.citizen.findFirstOrThrow({ where: { status: "ENROLLED" }, orderBy: { email: "asc" } });
    const AVAILABILITY = `mutation($id: ID!, $w: [AvailabilityWindowInput!]!, $x: [AvailabilityExceptionInput!]) { setCitizenAvailability(citizenId: $id, windows: $w, exceptions: $x) { __typename ... on InputError { code field } } }`;
    const gap = await server.gql(
      AVAILABILITY,
      { id: citizen.id, w: [], x: [{ kind: "UNAVAILABLE", from: "2027-03-28", to: "2027-03-28", start: "02:30", end: "04:00" }] },
      { token: coordinator },
    );
    expect(gap.data.setCitizenAvailability.code).toBe("NONEXISTENT_LOCAL_TIME");
    const badTime = await server.gql(AVAILABILITY, { id: citizen.id, w: [{ weekday: "MONDAY", start: "25:00", end: "26:00" }] }, { token: coordinator });
    expect(badTime.errors?.[0]?.message).toMatch(/LocalTime must be HH:mm/);
    const badDate = await server.gql(
      AVAILABILITY,
      { id: citizen.id, w: [], x: [{ kind: "UNAVAILABLE", from: "2027-02-30", to: "2027-03-01" }] },
      { token: coordinator },
    );
    expect(badDate.errors?.[0]?.message).toMatch(/Date must be a calendar date/);
    const gapWindowless = await server.gql(AVAILABILITY, { id: citizen.id, w: [{ weekday: "MONDAY", start: "18:00", end: "09:00" }] }, { token: coordinator });
    expect(gapWindowless.data.setCitizenAvailability.code).toBe("INVERTED_WINDOW");

    const house = (await server.gql(`{ houses { id } }`, {}, { token: coordinator })).data.houses[0].id;
    const PLAN = `mutation($h: ID!, $f: Date!, $t: Date!) { planHousePeriod(houseId: $h, from: $f, to: $t) { __typename ... on Error { code } } }`;
    const month13 = await server.gql(PLAN, { h: house, f: "2026-13-01", t: "2027-01-01" }, { token: coordinator });
    expect(month13.errors?.[0]?.message).toMatch(/Date must be a calendar date/);

    const ACTIVITY = `mutation($h: ID!, $i: HousingActivityInput!) { createHousingActivity(houseId: $h, input: $i) { __typename ... on Error { code } } }`;
    const base = { kind: "FREE", name: "Tombola", durationMinutes: 60, attendance: "ALL", frequency: "WEEKLY" };
    expect((await server.gql(ACTIVITY, { h: house, i: { ...base, durationMinutes: -60 } }, { token: coordinator })).data.createHousingActivity.code).toBe(
      "INVALID_RANGE",
    );
    expect((await server.gql(ACTIVITY, { h: house, i: { ...base, everyWeeks: 1_000_000 } }, { token: coordinator })).data.createHousingActivity.code).toBe(
      "INVALID_RANGE",
    );
    const overflow = await server.gql(ACTIVITY, { h: house, i: { ...base, durationMinutes: 2 ** 40 } }, { token: coordinator });
    expect(overflow.errors?.[0]?.message).toMatch(/Int cannot represent/);
    expect((await server.gql(ACTIVITY, { h: house, i: { ...base, name: "x".repeat(10_000) } }, { token: coordinator })).data.createHousingActivity.code).toBe(
      "INVALID_INPUT",
    );

    const injection = `Robert'); DROP TABLE "Citizen";--`;
    const FAMILY = `mutation($n: String!, $m: ID!, $a: String, $l: [String!]!, $p: [FamilyMemberInput!]!) { createFamily(referenceName: $n, municipalityId: $m, address: $a, languages: $l, members: $p) { __typename ... on Error { code } } }`;
    const municipality = await server.database.prisma.municipality.findUniqueOrThrow({ where: { istatCode: "053011" } });
    const family = { n: injection, m: municipality.id, a: injection, l: [injection], p: [{ firstName: injection, isMinor: false, birthYear: 1980 }] };
    expect((await server.gql(FAMILY, family, { token: coordinator })).data.createFamily.code).toBe("INVALID_LANGUAGE");
    expect(
      (await server.gql(FAMILY, { ...family, l: ["ar"], p: [{ firstName: "Ali", isMinor: false, birthYear: -5 }] }, { token: coordinator })).data.createFamily
        .code,
    ).toBe("INVALID_RANGE");
    expect(
      (await server.gql(`{ citizens(first: 5, filter: { skillCode: ${JSON.stringify(injection)} }) { totalCount } }`, {}, { token: coordinator })).data.citizens
        .totalCount,
    ).toBe(0);
    expect(await fingerprint()).toEqual(before);
  });

  it("stores injection-looking text verbatim where text is free, and changes nothing else", async () => {
    const injection = `Robert'); DROP TABLE "Citizen";-- <script>alert(1)</script> \${7*7} {{7*7}}`;
    const municipality = await server.database.prisma.municipality.findUniqueOrThrow({ where: { istatCode: "053011" } });
    const created = (
      await server.gql(
        `mutation($n: String!, $m: ID!, $a: String) { createFamily(referenceName: $n, municipalityId: $m, address: $a, languages: ["ar"], members: [{ firstName: "Ali", isMinor: false, birthYear: 1980 }]) { __typename ... on Family { id referenceName address } ... on Error { code } } }`,
        { n: injection, m: municipality.id, a: injection },
        { token: coordinator },
      )
    ).data.createFamily;
    expect(created).toMatchObject({ __typename: "Family", referenceName: injection, address: injection });
    const after = await fingerprint();
    const changed = Object.keys(after)
      .filter((table) => after[table] !== before[table])
      .sort();
    // The family, its member, and the audit log of both writes.
    expect(changed).toEqual(["AuditLog", "AuditSeal", "Family", "FamilyMember"]);
    expect(await server.database.prisma.citizen.count()).toBeGreaterThan(0);
  });
});

describe("sign-in throttling", () => {
  it("locks an email after five wrong passwords, whether or not it exists, then lets the right one in after the lock", async () => {
    const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename ... on RateLimitError { code retryAfterSeconds message } ... on Error { code } } }`;
    for (const email of ["tutor.abitare@legami.demo", "nobody@legami.demo"]) {
      for (let i = 0; i < 5; i++) expect((await server.gql(LOGIN, { e: email, p: "wrong-password-123" })).data.login.code).toBe("INVALID_CREDENTIALS");
      const locked = (await server.gql(LOGIN, { e: email, p: "legami-demo-2026" })).data.login;
      expect(locked).toMatchObject({ __typename: "RateLimitError", code: "TOO_MANY_ATTEMPTS" });
      expect(locked.retryAfterSeconds).toBeGreaterThan(14 * 60);
    }
    server.setNow(new Date(TEST_NOW.getTime() + 16 * 60_000));
    expect((await server.gql(LOGIN, { e: "tutor.abitare@legami.demo", p: "legami-demo-2026" })).data.login.__typename).toBe("Session");
    server.setNow(TEST_NOW);
  });

  it("never writes passwords, tokens or the signing secret to the logs", async () => {
    const written: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi
        .spyOn(console, level)
        .mockImplementation(
          (...args: unknown[]) =>
            void written.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" ")),
        ),
    );
    try {
      const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename ... on Session { token } } }`;
      await server.gql(LOGIN, { e: "coordinatrice.grosseto@legami.demo", p: "Wrong-Secret-Password-42" });
      const session = (await server.gql(LOGIN, { e: "coordinatrice.grosseto@legami.demo", p: "legami-demo-2026" })).data.login;
      await server.gql(`{ me { email } }`, {}, { token: session.token });
      await server.gql(`{ me { email } }`, {}, { token: `${session.token}tampered` });
      await post(JSON.stringify({ query: "{ houses { id } }", variables: { password: "Wrong-Secret-Password-42" } }));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const log = written.join("\n");
    for (const secret of ["Wrong-Secret-Password-42", "legami-demo-2026", TEST_SECRET]) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });

  it("slows down one address trying too fast, and can switch introspection off", async () => {
    const strict = await startTestServer({ demo: false, loginThrottle: loginThrottle({ perAddressPerMinute: 3 }), limits: { introspection: false } });
    try {
      const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename ... on Error { code } } }`;
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push((await strict.gql(LOGIN, { e: `someone${i}@legami.demo`, p: "whatever-password" })).data.login.code);
      expect(answers).toEqual(["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "TOO_MANY_ATTEMPTS"]);
      const introspection = await strict.gql(`{ __schema { types { name } } }`);
      expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
      expect((await server.gql(`{ __schema { queryType { name } } }`)).data.__schema.queryType.name).toBe("Query");
    } finally {
      await strict.close();
    }
  });
});

describe("what one request may hold", () => {
  it("refuses a list argument longer than its maximum, typed, before any work", async () => {
    const start = await fingerprint();
    const citizen = await server.database.prisma.citizen.findFirstOrThrow({ where: { status: "ENROLLED" }, orderBy: { email: "asc" } });
    const AVAILABILITY = `mutation($id: ID!, $x: [AvailabilityExceptionInput!]) { setCitizenAvailability(citizenId: $id, windows: [], exceptions: $x) { __typename ... on InputError { code field message } } }`;
    const exceptions = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ kind: "UNAVAILABLE", from: "2027-01-04", to: "2027-01-04", start: "10:00", end: i % 2 ? "11:00" : "12:00" }));
    // Over the field's maximum: the mutation's typed InputError.
    const many = await server.gql(AVAILABILITY, { id: citizen.id, x: exceptions(300) }, { token: coordinator, lang: "it" });
    expect(many.data.setCitizenAvailability).toEqual({
      __typename: "InputError",
      code: "TOO_MANY_ITEMS",
      field: ["exceptions"],
      message: "exceptions ha troppi elementi: al massimo 200.",
    });
    // Far over it (12,000 would be over the body limit already): refused before the variables are read.
    const flood = await server.gql(AVAILABILITY, { id: citizen.id, x: exceptions(1_000) }, { token: coordinator });
    expect(flood.errors?.[0]?.extensions).toMatchObject({ code: "TOO_MANY_ITEMS", max: 500 });
    const municipality = await server.database.prisma.municipality.findUniqueOrThrow({ where: { istatCode: "053011" } });
    const FAMILY = `mutation($m: ID!, $p: [FamilyMemberInput!]!) { createFamily(referenceName: "Big", municipalityId: $m, languages: ["ar"], members: $p) { __typename ... on InputError { code field } } }`;
    const members = (n: number) => Array.from({ length: n }, () => ({ firstName: "A", isMinor: false, birthYear: 1980 }));
    const family = await server.gql(FAMILY, { m: municipality.id, p: members(100) }, { token: coordinator });
    expect(family.data.createFamily).toEqual({ __typename: "InputError", code: "TOO_MANY_ITEMS", field: ["members"] });
    expect((await server.gql(FAMILY, { m: municipality.id, p: members(5_000) }, { token: coordinator })).errors?.[0]?.extensions?.code).toBe("TOO_MANY_ITEMS");
    expect(await fingerprint()).toEqual(start);
  });

  it("stops a query at its deadline with OPERATION_TIMEOUT", async () => {
    const hurried = await startTestServer({ limits: { operationTimeoutMs: 0 } });
    try {
      const token = await hurried.login("coordinatrice.grosseto@legami.demo");
      const result = await hurried.gql(`{ citizens(first: 50) { edges { node { id languages { languageCode } } } } }`, {}, { token });
      expect(result.errors?.[0]?.extensions?.code).toBe("OPERATION_TIMEOUT");
      // Mutations are not cut short: they end with their transaction.
      const read = await hurried.gql(`mutation { markNotificationsRead(ids: []) { __typename } }`, {}, { token });
      expect(read.errors).toBeUndefined();
    } finally {
      await hurried.close();
    }
  });

  it("holds at most five live subscriptions per user, and frees a place when one ends", async () => {
    const token = await server.login("valentina.lorenzini@example.org");
    const open = (signal: AbortSignal) =>
      fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `subscription { notificationAdded { id } }` }),
        signal,
      });
    const controllers = Array.from({ length: 5 }, () => new AbortController());
    const streams = await Promise.all(controllers.map((c) => open(c.signal)));
    for (const s of streams) expect(s.status).toBe(200);
    const sixth = await (await open(new AbortController().signal)).text();
    expect(sixth).toContain("TOO_MANY_SUBSCRIPTIONS");
    controllers[0]!.abort();
    await streams[0]!.body?.cancel().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    const again = new AbortController();
    const reopened = await open(again.signal);
    const reader = reopened.body!.getReader();
    const first = await Promise.race([
      reader.read().then((r) => new TextDecoder().decode(r.value)),
      new Promise<string>((resolve) => setTimeout(() => resolve(""), 1_000)),
    ]);
    expect(first).not.toContain("TOO_MANY_SUBSCRIPTIONS");
    again.abort();
    for (const c of controllers) c.abort();
  });
});

describe("hostile values in every query", () => {
  it("answers every argument of every query, and the nested fields it selects, with a code: never Unexpected error, nothing written", async () => {
    const matrix = await prepareMatrix(server);
    const problems: string[] = [];
    let calls = 0;
    const start = await fingerprint();
    for (const field of Object.values(schema.getQueryType()!.getFields()).sort((a, b) => a.name.localeCompare(b.name))) {
      const ids = matrix.idFor(field.name);
      // Every argument declared, so optional ones get hostile values too; the payload followed two levels down.
      const defs = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(", ");
      const call = field.args.map((a) => `${a.name}: $${a.name}`).join(", ");
      const nested = documentFor(field, ids, "all", "query", 2);
      const selection = nested.slice(nested.indexOf(field.name) + field.name.length).replace(/^\([^)]*\)/, "");
      const document = `query${defs ? `(${defs})` : ""} { ${field.name}${call ? `(${call})` : ""} ${selection} }`;
      const base = Object.fromEntries(field.args.filter((a) => a.type.toString().endsWith("!")).map((a) => [a.name, value(a.type, a.name, ids)]));
      for (const { path, scalar } of positions(field)) {
        for (const hostile of HOSTILE[scalar] ?? []) {
          const answer: any = await server.gql(document, withValue(base, field, path, hostile, ids), { token: matrix.tokens.ADMIN });
          calls += 1;
          const label = `${field.name}(${path.join(".")} = ${JSON.stringify(hostile).slice(0, 30)})`;
          if ((answer.errors ?? []).some((e: any) => e.extensions?.code === "INTERNAL_SERVER_ERROR" || e.message === "Unexpected error."))
            problems.push(`${label}: Unexpected error`);
          else if ((answer.errors ?? []).some((e: any) => !e.extensions?.code))
            problems.push(`${label}: an error without a code: ${answer.errors[0].message.slice(0, 80)}`);
        }
      }
    }
    expect(calls).toBeGreaterThan(200);
    expect(problems.slice(0, 40)).toEqual([]);
    // Reading writes nothing, however hostile (the matrix's own setup aside).
    expect(await fingerprint()).toEqual(start);
  }, 600_000);
});
