// Leaving frees seats: a citizen who withdraws or is suspended, a pact that ends, a record that
// lapses, an erasure: their future commitments and open offers are released, the citizen told,
// and each seat searched again as after a decline. A run computed before someone left never
// offers them anything when published. Through GraphQL and the jobs, on whichever runner and
// database the suite runs on; its own demo.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../src/demo/seed";
import { releaseLapsedWork } from "../src/offers/offers.jobs";
import { startTestServer, type TestServer } from "./helpers/server";

let server: TestServer;
let coordinator: string;
let admin: string;
let territoryId: string;
const WEEK = "2026-11-23";

const START = `mutation($t: ID!, $w: Date!) { startMatchingRun(territoryId: $t, weekStart: $w) { __typename ... on MatchingRun { id } } }`;
const PUBLISH = `mutation($id: ID!) { publishMatchingRun(runId: $id, responseHours: 48) { __typename ... on MatchingRun { id offers { id } skippedAsked skippedNoSeat skippedIneligible } ... on Error { code } } }`;
const ACCEPT = `mutation($id: ID!) { acceptOffer(offerId: $id) { __typename ... on AcceptOfferSuccess { data { commitment { id } } } ... on Error { code } } }`;
const ENROLMENT = `mutation($c: ID!, $to: EnrolmentStatus!, $r: String) { changeEnrolmentStatus(citizenId: $c, to: $to, reason: $r) { __typename ... on Citizen { status } ... on Error { code } } }`;
const PACT = `mutation($p: ID!, $to: PactStatus!, $r: String) { changePactStatus(pactId: $p, to: $to, reason: $r) { __typename ... on CollaborationPact { status } ... on Error { code } } }`;
const ERASE = `mutation($c: ID!) { eraseCitizen(citizenId: $c, reason: "Richiesta 42") { __typename ... on Error { code } } }`;
const INBOX = `query { myNotifications { kind title body } }`;

type Pair = { citizen: string; occurrence: string };

beforeAll(async () => {
  server = await startTestServer();
  coordinator = await server.login("coordinatrice.grosseto@legami.demo");
  admin = await server.login("admin@legami.demo");
  territoryId = (await server.database.prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } })).id;
});

afterAll(async () => {
  await server?.close();
});

async function tokenOf(citizenId: string) {
  const citizen = await server.database.prisma.citizen.findUniqueOrThrow({ where: { id: citizenId }, include: { user: true } });
  return server.login(citizen.user!.email, DEMO_PASSWORD);
}

/** Their future work still held: active commitments and open offers. */
async function heldBy(citizenId: string) {
  const prisma = server.database.prisma;
  const future = { citizenId, occurrence: { startsAt: { gt: server.now() } } };
  return (await prisma.commitment.count({ where: { ...future, status: "ACTIVE" } })) + (await prisma.offer.count({ where: { ...future, status: "OFFERED" } }));
}

/** Each freed seat is searched again: a fill-seats job ran for it. */
async function searchedAgain(occurrenceIds: string[]) {
  await server.jobsIdle();
  for (const occurrenceId of occurrenceIds) {
    await server.waitFor(`a search for the seat of ${occurrenceId}`, async () =>
      server.eventsProcessed.some((j) => j.kind === "fill-seats" && j.occurrenceId === occurrenceId),
    );
  }
}

/** Accepts one of the citizen's open offers; returns the commitment and the offers left open. */
async function commitOne(citizenId: string) {
  const prisma = server.database.prisma;
  const offer = await prisma.offer.findFirstOrThrow({ where: { citizenId, status: "OFFERED" }, orderBy: { id: "asc" } });
  const accepted = (await server.gql(ACCEPT, { id: offer.id }, { token: await tokenOf(citizenId) })).data.acceptOffer;
  expect(accepted.__typename).toBe("AcceptOfferSuccess");
  return prisma.commitment.findUniqueOrThrow({ where: { id: accepted.data[0].commitment.id } });
}

async function expectReleased(citizenId: string, occurrenceIds: string[], cause: RegExp) {
  const prisma = server.database.prisma;
  expect(await heldBy(citizenId)).toBe(0);
  const user = (await prisma.citizen.findUniqueOrThrow({ where: { id: citizenId } })).userId;
  if (user) {
    const released = await prisma.notification.findMany({ where: { userId: user, kind: "WORK_RELEASED" } });
    expect(released.length).toBeGreaterThanOrEqual(occurrenceIds.length);
    const inbox = (await server.gql(INBOX, {}, { token: await tokenOf(citizenId), lang: "it" })).data.myNotifications;
    const said = inbox.find((n: any) => n.kind === "WORK_RELEASED");
    expect(said.title).toMatch(/^Non più a tuo carico: /);
    expect(said.body).toMatch(cause);
  }
  await searchedAgain(occurrenceIds);
}

describe("leaving frees seats", { timeout: 120_000 }, () => {
  it("publishes a run computed before someone left without offering them anything, and searches their seats again", async () => {
    const prisma = server.database.prisma;
    const started = (await server.gql(START, { t: territoryId, w: WEEK }, { token: coordinator })).data.startMatchingRun;
    await server.jobsIdle();
    const run = await prisma.matchingRun.findUniqueOrThrow({ where: { id: started.id } });
    const proposed = (run.solution as { assignments: Pair[] }).assignments;
    const citizens = [...new Set(proposed.map((a) => a.citizen))].sort();
    expect(citizens.length).toBeGreaterThan(3);
    // One proposed citizen withdraws; another withdraws and is erased, both after the run.
    const [left, erased] = [citizens[0]!, citizens[1]!];
    for (const id of [left, erased]) {
      expect((await server.gql(ENROLMENT, { c: id, to: "WITHDRAWN", r: "Trasferimento" }, { token: await tokenOf(id) })).data.changeEnrolmentStatus).toEqual({
        __typename: "Citizen",
        status: "WITHDRAWN",
      });
    }
    expect((await server.gql(ERASE, { c: erased }, { token: admin })).data.eraseCitizen.__typename).toBe("Citizen");
    const published = (await server.gql(PUBLISH, { id: run.id }, { token: coordinator })).data.publishMatchingRun;
    const theirs = proposed.filter((a) => a.citizen === left || a.citizen === erased);
    expect(published).toMatchObject({ __typename: "MatchingRun", skippedAsked: 0, skippedNoSeat: 0, skippedIneligible: theirs.length });
    expect(published.offers).toHaveLength(proposed.length - theirs.length);
    expect(await prisma.offer.count({ where: { citizenId: { in: [left, erased] } } })).toBe(0);
    await searchedAgain([...new Set(theirs.map((a) => a.occurrence))]);
    // And no later search asks them either.
    expect(await prisma.offer.count({ where: { citizenId: { in: [left, erased] } } })).toBe(0);
  });

  it("a citizen who withdraws releases their commitments and open offers; each seat is searched again", async () => {
    const prisma = server.database.prisma;
    const holders = await prisma.offer.groupBy({ by: ["citizenId"], where: { status: "OFFERED" }, _count: true, orderBy: { citizenId: "asc" } });
    const citizenId = (holders.find((h) => h._count >= 2) ?? holders[0]!).citizenId;
    const commitment = await commitOne(citizenId);
    const occurrences = [
      ...new Set([commitment.occurrenceId, ...(await prisma.offer.findMany({ where: { citizenId, status: "OFFERED" } })).map((o) => o.occurrenceId)]),
    ];
    expect(
      (await server.gql(ENROLMENT, { c: citizenId, to: "WITHDRAWN", r: "Mi trasferisco" }, { token: await tokenOf(citizenId) })).data.changeEnrolmentStatus
        .status,
    ).toBe("WITHDRAWN");
    expect((await prisma.commitment.findUniqueOrThrow({ where: { id: commitment.id } })).status).toBe("WITHDRAWN");
    const occurrence = await prisma.taskOccurrence.findUniqueOrThrow({ where: { id: commitment.occurrenceId } });
    expect(occurrence.status).not.toBe("FILLED");
    await expectReleased(citizenId, occurrences, /iscrizione all'albo non è attiva/);
    // Nothing is offered to them again, by any search.
    expect(await prisma.offer.count({ where: { citizenId, status: "OFFERED" } })).toBe(0);
  });

  it("a suspension by staff does the same", async () => {
    const prisma = server.database.prisma;
    const offer = await prisma.offer.findFirstOrThrow({ where: { status: "OFFERED", citizen: { status: "ENROLLED" } }, orderBy: { id: "asc" } });
    expect(
      (await server.gql(ENROLMENT, { c: offer.citizenId, to: "SUSPENDED", r: "Verifica in corso" }, { token: coordinator })).data.changeEnrolmentStatus.status,
    ).toBe("SUSPENDED");
    expect((await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe("WITHDRAWN");
    await expectReleased(offer.citizenId, [offer.occurrenceId], /iscrizione all'albo non è attiva/);
  });

  it("a pact suspended or revoked releases the work under it", async () => {
    const prisma = server.database.prisma;
    const offer = await prisma.offer.findFirstOrThrow({ where: { status: "OFFERED", citizen: { status: "ENROLLED" } }, orderBy: { id: "desc" } });
    const commitment = await commitOne(offer.citizenId);
    const pact = await prisma.collaborationPact.findUniqueOrThrow({ where: { id: commitment.pactId }, include: { citizens: true } });
    const released = new Set<string>([commitment.occurrenceId]);
    for (const c of pact.citizens)
      for (const o of await prisma.offer.findMany({ where: { citizenId: c.citizenId, status: "OFFERED" } })) released.add(o.occurrenceId);
    expect((await server.gql(PACT, { p: pact.id, to: "REVOKED", r: "Revoca per inadempienza" }, { token: coordinator })).data.changePactStatus.status).toBe(
      "REVOKED",
    );
    expect((await prisma.commitment.findUniqueOrThrow({ where: { id: commitment.id } })).status).toBe("WITHDRAWN");
    // Hours already planned under it come back: the revoked pact holds no future work.
    expect(await prisma.commitment.count({ where: { pactId: pact.id, status: "ACTIVE", occurrence: { startsAt: { gt: server.now() } } } })).toBe(0);
    // A citizen of the pact with no other active pact holds nothing any more.
    const onlyThis = [];
    for (const c of pact.citizens) {
      if ((await prisma.pactCitizen.count({ where: { citizenId: c.citizenId, pact: { status: "ACTIVE" } } })) === 0) onlyThis.push(c.citizenId);
    }
    expect(onlyThis).toContain(offer.citizenId);
    await expectReleased(
      offer.citizenId,
      [...released].filter((id) => id === commitment.occurrenceId),
      /patto di collaborazione non è più attivo/,
    );
  });

  it("a record that lapses without anyone acting is caught by the daily check", async () => {
    const prisma = server.database.prisma;
    const offer = await prisma.offer.findFirstOrThrow({ where: { status: "OFFERED", citizen: { status: "ENROLLED" } }, orderBy: { deadline: "asc" } });
    const commitment = await commitOne(offer.citizenId);
    // The insurance is found to end earlier than recorded (a correction in the register).
    await prisma.insuranceCover.updateMany({ where: { citizenId: offer.citizenId }, data: { validTo: new Date(Date.UTC(2026, 0, 31)) } });
    // Nothing changes until the check runs; a second run finds nothing more.
    expect((await prisma.commitment.findUniqueOrThrow({ where: { id: commitment.id } })).status).toBe("ACTIVE");
    expect(await releaseLapsedWork(server.deps)).toBeGreaterThan(0);
    expect((await prisma.commitment.findUniqueOrThrow({ where: { id: commitment.id } })).status).toBe("WITHDRAWN");
    expect(await releaseLapsedWork(server.deps)).toBe(0);
    await expectReleased(offer.citizenId, [commitment.occurrenceId], /copertura assicurativa/);
  });

  it("never holds a seat more often than it exists, and a released seat is never offered to who left", async () => {
    const prisma = server.database.prisma;
    const gone = (await prisma.citizen.findMany({ where: { status: { not: "ENROLLED" } }, select: { id: true } })).map((c) => c.id);
    expect(await prisma.offer.count({ where: { citizenId: { in: gone }, status: "OFFERED" } })).toBe(0);
    for (const o of await prisma.taskOccurrence.findMany({
      where: { startsAt: { gt: server.now() } },
      include: { task: true, _count: { select: { commitments: { where: { status: "ACTIVE" } }, offers: { where: { status: "OFFERED" } } } } },
    })) {
      expect(o._count.commitments + o._count.offers).toBeLessThanOrEqual(o.task.headcount);
    }
  });
});
