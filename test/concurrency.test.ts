// No over-commitment, ever: every eligible pair of the demo week is offered, and every offer is
// accepted twice at the same moment through GraphQL (hundreds of requests at once). Afterwards no
// occurrence has more commitments than its headcount, no citizen has two overlapping commitments
// (travel included) or more hours than their weekly limit or their pact's budget, and every
// refusal is a typed error. On PostgreSQL (CI's second run) the requests really run in parallel
// on a pool of connections; the row locks of commitWithinRules are what keeps the rules.
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../src/demo/seed";
import { startTestServer, type TestServer } from "./helpers/server";
import { recordStatements } from "../src/db/audit";

let server: TestServer;
const weekOf = (at: Date) => DateTime.fromJSDate(at, { zone: "Europe/Rome" }).startOf("week").toISODate();
const ACCEPT = `mutation($id: ID!) { acceptOffer(offerId: $id) { __typename ... on Error { code } } }`;

beforeAll(async () => {
  server = await startTestServer();
}, 300_000);

afterAll(async () => {
  await server?.close();
});

describe("concurrent accepts", () => {
  it("never over-commits a seat, a citizen's time or their hours", async () => {
    const prisma = server.database.prisma;
    const coordinator = await server.login("coordinatrice.grosseto@legami.demo");
    const territoryId = (await prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } })).id;
    // Two weeks of the demo territory: every eligible pair of each is offered, far more offers
    // than seats, many citizens on overlapping dates.
    const deadline = new Date(server.now().getTime() + 48 * 3_600_000);
    for (const week of ["2026-11-23", "2026-11-30"]) {
      const started = await server.gql(
        `mutation($t: ID!, $w: Date!) { startMatchingRun(territoryId: $t, weekStart: $w) { ... on MatchingRun { id } } }`,
        { t: territoryId, w: week },
        { token: coordinator },
      );
      await server.jobsIdle();
      const run = await prisma.matchingRun.findUniqueOrThrow({ where: { id: started.data.startMatchingRun.id } });
      const pairs = (run.problem as { pairs: { citizen: string; occurrence: string }[] }).pairs;
      await prisma.offer.createMany({
        data: pairs.map((p) => ({ runId: run.id, citizenId: p.citizen, occurrenceId: p.occurrence, deadline, createdAt: server.now() })),
      });
    }
    const offers = await prisma.offer.findMany({ where: { status: "OFFERED" } });
    const seats = (
      await prisma.taskOccurrence.findMany({ where: { id: { in: [...new Set(offers.map((o) => o.occurrenceId))] } }, include: { task: true } })
    ).reduce((sum, o) => sum + o.task.headcount, 0);
    expect(offers.length).toBeGreaterThan(seats);

    const citizens = await prisma.citizen.findMany({ where: { id: { in: [...new Set(offers.map((o) => o.citizenId))] } }, include: { user: true } });
    const tokenOf = new Map<string, string>();
    for (const c of citizens) tokenOf.set(c.id, await server.login(c.user!.email, DEMO_PASSWORD));

    // Each offer accepted twice, all at once.
    expect(offers.length * 2).toBeGreaterThanOrEqual(200);
    const requests = [...offers, ...offers].map((o) => server.gql(ACCEPT, { id: o.id }, { token: tokenOf.get(o.citizenId)! }));
    const answers = await Promise.all(requests);
    const kinds = new Map<string, number>();
    for (const a of answers) {
      expect(a.errors, JSON.stringify(a.errors)).toBeUndefined();
      const key = a.data.acceptOffer.__typename === "AcceptOfferSuccess" ? "accepted" : a.data.acceptOffer.code;
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
    }
    console.log(`${requests.length} concurrent accepts of ${offers.length} offers for ${seats} seats:`, Object.fromEntries(kinds));
    for (const code of kinds.keys())
      expect(["accepted", "OFFER_CLOSED", "HEADCOUNT_REACHED", "OVERLAPPING_COMMITMENT", "NOT_ELIGIBLE", "ALREADY_COMMITTED"]).toContain(code);

    const commitments = await prisma.commitment.findMany({ where: { status: "ACTIVE" }, include: { occurrence: { include: { task: true } }, citizen: true } });
    expect(commitments.length).toBe(kinds.get("accepted"));
    expect(await prisma.offer.count({ where: { status: "ACCEPTED" } })).toBe(commitments.length);
    // Seats.
    const perOccurrence = new Map<string, number>();
    for (const c of commitments) perOccurrence.set(c.occurrenceId, (perOccurrence.get(c.occurrenceId) ?? 0) + 1);
    for (const c of commitments) expect(perOccurrence.get(c.occurrenceId)).toBeLessThanOrEqual(c.occurrence.task.headcount);
    // Time, travel included, and hours.
    const travel = new Map((await prisma.travelTime.findMany()).map((t) => [`${t.fromId}|${t.toId}`, t.minutes]));
    const placeOf = (c: (typeof commitments)[number]) => (c.occurrence.task.remote ? null : c.occurrence.task.municipalityId);
    const minutesBetween = (from: string | null, to: string | null) => (!from || !to || from === to ? 0 : (travel.get(`${from}|${to}`) ?? 0));
    const byCitizen = new Map<string, typeof commitments>();
    for (const c of commitments) byCitizen.set(c.citizenId, [...(byCitizen.get(c.citizenId) ?? []), c]);
    for (const [, own] of byCitizen) {
      for (const a of own) {
        for (const b of own) {
          if (a.id >= b.id) continue;
          const clash =
            a.occurrence.startsAt.getTime() < b.occurrence.endsAt.getTime() + minutesBetween(placeOf(b), placeOf(a)) * 60_000 &&
            b.occurrence.startsAt.getTime() < a.occurrence.endsAt.getTime() + minutesBetween(placeOf(a), placeOf(b)) * 60_000;
          expect(clash, `${a.id} and ${b.id} overlap`).toBe(false);
        }
      }
      for (const week of new Set(own.map((c) => weekOf(c.occurrence.startsAt)))) {
        const minutes = own.filter((c) => weekOf(c.occurrence.startsAt) === week).reduce((sum, c) => sum + c.plannedMinutes, 0);
        expect(minutes, `week ${week}`).toBeLessThanOrEqual(own[0]!.citizen.weeklyHourLimit * 60);
      }
    }
    const pacts = await prisma.collaborationPact.findMany({ where: { id: { in: [...new Set(commitments.map((c) => c.pactId))] } } });
    for (const pact of pacts) {
      expect(commitments.filter((c) => c.pactId === pact.id).reduce((sum, c) => sum + c.plannedMinutes, 0)).toBeLessThanOrEqual(pact.hourBudgetMinutes);
    }
  }, 300_000);
});

describe("a hot seat", () => {
  it("answers one accept and refuses the rest with HEADCOUNT_REACHED, while others are served", async () => {
    const hot = await startTestServer();
    try {
      const prisma = hot.database.prisma;
      const coordinator = await hot.login("coordinatrice.grosseto@legami.demo");
      const territoryId = (await prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } })).id;
      const started = await hot.gql(
        `mutation($t: ID!, $w: Date!) { startMatchingRun(territoryId: $t, weekStart: $w) { ... on MatchingRun { id } } }`,
        { t: territoryId, w: "2026-11-23" },
        { token: coordinator },
      );
      await hot.jobsIdle();
      const run = await prisma.matchingRun.findUniqueOrThrow({ where: { id: started.data.startMatchingRun.id } });
      const pairs = (run.problem as { pairs: { citizen: string; occurrence: string }[] }).pairs;
      // The occurrence the most citizens may take, made a single seat: every one of them is offered it.
      const counts = new Map<string, number>();
      for (const p of pairs) counts.set(p.occurrence, (counts.get(p.occurrence) ?? 0) + 1);
      const [occurrenceId] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
      const occurrence = await prisma.taskOccurrence.findUniqueOrThrow({ where: { id: occurrenceId } });
      await prisma.task.update({ where: { id: occurrence.taskId }, data: { headcount: 1 } });
      const deadline = new Date(hot.now().getTime() + 48 * 3_600_000);
      const eligible = pairs.filter((p) => p.occurrence === occurrenceId).map((p) => p.citizen);
      expect(eligible.length).toBeGreaterThanOrEqual(3);
      await prisma.offer.createMany({ data: eligible.map((citizenId) => ({ runId: run.id, citizenId, occurrenceId, deadline, createdAt: hot.now() })) });
      const offers = await prisma.offer.findMany({ where: { occurrenceId, status: "OFFERED" }, include: { citizen: { include: { user: true } } } });
      const tokens = await Promise.all(
        offers.map(async (o) => (await hot.tokens.issue(o.citizen.user!.id, o.citizen.user!.role, o.citizen.user!.tokenVersion)).token),
      );
      // Each citizen accepts ten times at once, and a citizen keeps reading their offers meanwhile.
      const accepts = Array.from({ length: 10 }, () => offers.map((o, i) => hot.gql(ACCEPT, { id: o.id }, { token: tokens[i]! }))).flat();
      const reads = Array.from({ length: 10 }, () => hot.gql(`{ myOffers { id status } }`, {}, { token: tokens[0]! }));
      const locks: string[] = [];
      recordStatements((q) => {
        if (/FROM "TaskOccurrence" WHERE "id" = \$1 FOR UPDATE/.test(q.sql) && q.args[0] === occurrenceId) locks.push(q.sql);
      });
      const answers = await Promise.all(accepts);
      recordStatements(null);
      // Accepts of one seat take turns, and once it is taken the rest answer from a read: only a
      // few ever queue for its lock (each would hold a connection while it waits).
      expect(locks.length).toBeGreaterThan(0);
      expect(locks.length).toBeLessThanOrEqual(3);
      for (const read of await Promise.all(reads)) expect(read.errors).toBeUndefined();
      const kinds = new Map<string, number>();
      for (const a of answers) {
        expect(a.errors, JSON.stringify(a.errors)).toBeUndefined();
        const key = a.data.acceptOffer.__typename === "AcceptOfferSuccess" ? "accepted" : a.data.acceptOffer.code;
        kinds.set(key, (kinds.get(key) ?? 0) + 1);
      }
      // The winner's nine other tries find their offer accepted; everyone else finds the seat taken.
      expect(Object.fromEntries(kinds)).toEqual({ accepted: 1, OFFER_CLOSED: 9, HEADCOUNT_REACHED: answers.length - 10 });
      expect(await prisma.commitment.count({ where: { occurrenceId, status: "ACTIVE" } })).toBe(1);
    } finally {
      await hot.close();
    }
  }, 300_000);
});
