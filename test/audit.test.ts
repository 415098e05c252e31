// The audit log records a full demo scenario: a coordinator matches a week and publishes it, a
// citizen accepts an offer, another declines one (a job offers the seat again), a tutor plans and
// publishes a house. Every write is there with who, role, request and what changed; personal
// fields say only that they changed; administrators read it with filters; nobody can change it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server";

let server: TestServer;

/** A GraphQL call with its own request id. */
async function call(query: string, variables: Record<string, unknown>, token: string, requestId: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-request-id": requestId },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as { data: any }).data;
}

const rows = (requestId: string) => server.database.prisma.auditLog.findMany({ where: { requestId }, orderBy: { id: "asc" } });
const users = new Map<string, string>();
const userId = async (email: string) => {
  if (!users.has(email)) users.set(email, (await server.database.prisma.user.findUniqueOrThrow({ where: { email } })).id);
  return users.get(email)!;
};

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe("audit log", { timeout: 120_000 }, () => {
  let offerAccepted: { id: string; citizenId: string };
  let offerDeclined: { id: string; citizenId: string };

  it("records a coordinator's matching run and publication, as them, per request", async () => {
    const coordinator = await server.login("coordinatrice.grosseto@legami.demo");
    const territoryId = (await server.database.prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } })).id;
    const run = (
      await call(
        `mutation($t: ID!) { startMatchingRun(territoryId: $t, weekStart: "2026-11-23") { ... on MatchingRun { id } } }`,
        { t: territoryId },
        coordinator,
        "scenario-start",
      )
    ).startMatchingRun;
    await server.jobsIdle();
    await call(`mutation($id: ID!) { publishMatchingRun(runId: $id, responseHours: 48) { __typename } }`, { id: run.id }, coordinator, "scenario-publish");
    const started = await rows("scenario-start");
    expect(started.map((r) => `${r.tableName} ${r.action}`)).toContain("MatchingRun INSERT");
    for (const r of [...started, ...(await rows("scenario-publish"))])
      expect(r).toMatchObject({ actorId: await userId("coordinatrice.grosseto@legami.demo"), actorRole: "COORDINATOR" });
    const published = await rows("scenario-publish");
    const offers = published.filter((r) => r.tableName === "Offer" && r.action === "INSERT");
    expect(offers.length).toBe(await server.database.prisma.offer.count({ where: { runId: run.id } }));
    // The run's problem and solution are bulky: recorded as changed, without their values.
    const solved = await server.database.prisma.auditLog.findFirstOrThrow({
      where: { tableName: "MatchingRun", rowId: run.id, action: "UPDATE", changes: { path: ["status", "after"], equals: "DONE" } },
    });
    expect(solved.actorRole).toBe("SYSTEM");
    expect((solved.changes as any).solution).toEqual({ hidden: true });
    const two = await server.database.prisma.offer.findMany({ where: { runId: run.id }, orderBy: { id: "asc" }, take: 2 });
    offerAccepted = two[0]!;
    offerDeclined = two[1]!;
  });

  it("records a citizen's accept and decline with before and after, and the job's refill as the system", async () => {
    const citizen = async (id: string) => (await server.database.prisma.citizen.findUniqueOrThrow({ where: { id }, include: { user: true } })).user!.email;
    const acceptor = await citizen(offerAccepted.citizenId);
    const accepted = await call(
      `mutation($id: ID!) { acceptOffer(offerId: $id) { __typename ... on Error { code } } }`,
      { id: offerAccepted.id },
      await server.login(acceptor),
      "scenario-accept",
    );
    expect(accepted.acceptOffer.__typename).toBe("AcceptOfferSuccess");
    const acceptRows = await rows("scenario-accept");
    for (const r of acceptRows) expect(r).toMatchObject({ actorId: await userId(acceptor), actorRole: "CITIZEN" });
    const offerRow = acceptRows.find((r) => r.tableName === "Offer" && r.rowId === offerAccepted.id)!;
    expect((offerRow.changes as any).status).toEqual({ before: "OFFERED", after: "ACCEPTED" });
    // The commitment, and the occurrence now filled.
    expect(acceptRows.map((r) => r.tableName)).toEqual(expect.arrayContaining(["Commitment", "TaskOccurrence"]));

    const decliner = await citizen(offerDeclined.citizenId);
    await call(
      `mutation($id: ID!) { declineOffer(offerId: $id, reason: "Sono malato") { __typename } }`,
      { id: offerDeclined.id },
      await server.login(decliner),
      "scenario-decline",
    );
    const declineRow = (await rows("scenario-decline")).find((r) => r.tableName === "Offer")!;
    expect(declineRow).toMatchObject({ actorRole: "CITIZEN", action: "UPDATE" });
    // The reason is personal: it changed, its words are not in the log.
    expect((declineRow.changes as any).declineReason).toEqual({ hidden: true });
    expect(JSON.stringify(declineRow.changes)).not.toContain("malato");
    await server.jobsIdle();
    const occurrenceId = (await server.database.prisma.offer.findUniqueOrThrow({ where: { id: offerDeclined.id } })).occurrenceId;
    const refill = await server.waitFor("the refill job's writes", async () => {
      const replacement = await server.database.prisma.offer.findFirst({ where: { occurrenceId, source: "REPLACEMENT" } });
      const notice = await server.database.prisma.notification.findFirst({
        where: { kind: "SEAT_UNFILLED", key: { startsWith: `seat-unfilled:${occurrenceId}:` } },
      });
      const row = replacement ?? notice;
      return row ? server.database.prisma.auditLog.findFirst({ where: { rowId: row.id, action: "INSERT" } }) : null;
    });
    expect(refill).toMatchObject({ actorId: null, actorRole: "SYSTEM", requestId: null });
  });

  it("records a tutor's plan and publication; personal and bulky fields are hidden", async () => {
    const tutor = await server.login("tutor.abitare@legami.demo");
    const house = (await call(`{ houses { id name } }`, {}, tutor, "scenario-houses")).houses.find((h: any) => h.name === "Casa Comune Ximenes");
    const plan = (
      await call(
        `mutation($h: ID!) { planHousePeriod(houseId: $h, from: "2026-12-01", to: "2026-12-15") { ... on HousePlan { id } } }`,
        { h: house.id },
        tutor,
        "scenario-plan",
      )
    ).planHousePeriod;
    await call(`mutation($id: ID!) { publishHousePlan(planId: $id) { __typename } }`, { id: plan.id }, tutor, "scenario-house-publish");
    expect(await rows("scenario-houses")).toEqual([]);
    const planned = await rows("scenario-plan");
    expect(planned.find((r) => r.tableName === "HousePlan")).toMatchObject({
      action: "INSERT",
      actorRole: "TUTOR",
      actorId: await userId("tutor.abitare@legami.demo"),
    });
    expect(planned.filter((r) => r.tableName === "HousingOccurrence").length).toBe(
      await server.database.prisma.housingOccurrence.count({ where: { planId: plan.id } }),
    );
    const publishRows = await rows("scenario-house-publish");
    const status = publishRows.find((r) => r.tableName === "HousePlan")!;
    expect((status.changes as any).status).toEqual({ before: "DRAFT", after: "PUBLISHED" });
    const task = publishRows.find((r) => r.tableName === "Task" && r.action === "INSERT");
    if (task) expect((task.changes as any).title).toEqual({ hidden: true });
  });

  it("lets administrators read it with filters, nobody else, and offers no way to change it", async () => {
    const admin = await server.login("admin@legami.demo");
    const QUERY = `query($f: AuditFilter, $n: Int, $b: ID) { auditLog(filter: $f, first: $n, before: $b) { __typename ... on AuditLogSuccess { data { id at actorId actorRole requestId table rowId action changes } } ... on Error { code } } }`;
    const accept = (await call(QUERY, { f: { requestId: "scenario-accept" }, n: 200 }, admin, "admin-read")).auditLog.data;
    expect(accept.length).toBe((await rows("scenario-accept")).length);
    const offerChange = accept.find((e: any) => e.table === "Offer");
    expect(JSON.parse(offerChange.changes).status).toEqual({ before: "OFFERED", after: "ACCEPTED" });
    // Pages: newest first, `before` goes back.
    const first = (await call(QUERY, { f: { table: "Offer" }, n: 5 }, admin, "admin-read")).auditLog.data;
    const next = (await call(QUERY, { f: { table: "Offer" }, n: 5, b: first.at(-1).id }, admin, "admin-read")).auditLog.data;
    expect(BigInt(next[0].id)).toBeLessThan(BigInt(first.at(-1).id));
    expect((await call(QUERY, { n: 1000 }, admin, "admin-read")).auditLog.code).toBe("INVALID_RANGE");
    // Reading writes nothing.
    expect(await rows("admin-read")).toEqual([]);

    const coordinator = await server.login("coordinatrice.grosseto@legami.demo");
    const denied = await server.gql(QUERY, { n: 5 }, { token: coordinator });
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const mutations = (await server.gql(`{ __schema { mutationType { fields { name } } } }`)).data.__schema.mutationType.fields.map((f: any) => f.name);
    expect(mutations.filter((name: string) => /audit/i.test(name))).toEqual([]);
    const count = await server.database.prisma.auditLog.count();
    for (const statement of [`UPDATE "AuditLog" SET "actorRole" = 'ADMIN'`, `DELETE FROM "AuditLog"`, `TRUNCATE "AuditLog"`]) {
      await expect(server.database.prisma.$executeRawUnsafe(statement), statement).rejects.toThrow();
    }
    expect(await server.database.prisma.auditLog.count()).toBe(count);
  });
});
