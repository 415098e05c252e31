// A week re-run after it was published (a task needs one more citizen, the coordinator runs the
// week again): the new proposal fills what is free and asks nobody twice, and its publication
// re-checks the week as it is then, saying what it left out. Through GraphQL and the jobs, on whichever runner and
// database the suite runs on; its own demo, so that no other test's offers are in the way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../src/demo/seed";
import { startTestServer, type TestServer } from "./helpers/server";

let server: TestServer;
let coordinator: string;
let territoryId: string;
const WEEK = "2026-11-23";

const START = `mutation($t: ID!, $w: Date!) { startMatchingRun(territoryId: $t, weekStart: $w) { __typename ... on MatchingRun { id } } }`;
const PUBLISH = `mutation($id: ID!) { publishMatchingRun(runId: $id, responseHours: 48) { __typename ... on MatchingRun { id offers { id } skippedAsked skippedNoSeat } ... on Error { code } } }`;
const DECLINE = `mutation($id: ID!) { declineOffer(offerId: $id) { __typename ... on Offer { status } ... on Error { code } } }`;

type Pair = { citizen: string; occurrence: string };
const key = (citizen: string, occurrence: string) => `${citizen}|${occurrence}`;

beforeAll(async () => {
  server = await startTestServer();
  coordinator = await server.login("coordinatrice.grosseto@legami.demo");
  territoryId = (await server.database.prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } })).id;
});

afterAll(async () => {
  await server?.close();
});

async function runWeek() {
  const started = (await server.gql(START, { t: territoryId, w: WEEK }, { token: coordinator })).data.startMatchingRun;
  await server.jobsIdle();
  const run = await server.database.prisma.matchingRun.findUniqueOrThrow({ where: { id: started.id } });
  expect(run.status).toBe("DONE");
  return { run, proposed: (run.solution as { assignments: Pair[] }).assignments, pairs: (run.problem as { pairs: Pair[] }).pairs };
}

/** Seats of an occurrence not taken by an active commitment or held by an open offer. */
async function freeSeats(occurrenceId: string) {
  const prisma = server.database.prisma;
  const occurrence = await prisma.taskOccurrence.findUniqueOrThrow({ where: { id: occurrenceId }, include: { task: true } });
  const taken =
    (await prisma.commitment.count({ where: { occurrenceId, status: "ACTIVE" } })) + (await prisma.offer.count({ where: { occurrenceId, status: "OFFERED" } }));
  return occurrence.task.headcount - taken;
}

describe("re-running a published week", { timeout: 90_000 }, () => {
  it("asks nobody twice, never offers a held seat, and publishes only seats still free", async () => {
    const prisma = server.database.prisma;
    const first = await runWeek();
    expect(
      (
        await server.gql(
          `query($id: ID!) { matchingRun(id: $id) { ... on MatchingRun { skippedAsked skippedNoSeat } } }`,
          { id: first.run.id },
          { token: coordinator },
        )
      ).data.matchingRun,
    ).toEqual({ skippedAsked: null, skippedNoSeat: null });
    const firstPublished = (await server.gql(PUBLISH, { id: first.run.id }, { token: coordinator })).data.publishMatchingRun;
    expect(firstPublished).toMatchObject({ __typename: "MatchingRun", skippedAsked: 0, skippedNoSeat: 0 });
    expect(firstPublished.offers).toHaveLength(first.proposed.length);
    const open = await prisma.offer.findMany({ where: { status: "OFFERED" }, orderBy: { id: "asc" } });
    const candidatesOf = (occurrenceId: string) => first.pairs.filter((p) => p.occurrence === occurrenceId);

    // A citizen declines a seat only they could take: the search finds nobody else, so the seat
    // stays free, and a re-run would propose them again were it not for the rule.
    const onlyTheirs = open.find((o) => candidatesOf(o.occurrenceId).length === 1)!;
    expect(onlyTheirs).toBeDefined();
    const citizen = await prisma.citizen.findUniqueOrThrow({ where: { id: onlyTheirs.citizenId }, include: { user: true } });
    const token = await server.login(citizen.user!.email, DEMO_PASSWORD);
    expect((await server.gql(DECLINE, { id: onlyTheirs.id }, { token })).data.declineOffer).toEqual({ __typename: "Offer", status: "DECLINED" });
    await server.jobsIdle();
    await server.waitFor("the seat to be flagged", () =>
      prisma.notification.findFirst({ where: { kind: "SEAT_UNFILLED", key: { startsWith: `seat-unfilled:${onlyTheirs.occurrenceId}:` } } }),
    );

    // A seat held by an open offer whose task now needs one more citizen (set in the database:
    // no mutation edits a task's headcount), with two candidates asked for nothing and committed
    // to nothing.
    const holding = new Set(open.map((o) => o.citizenId));
    const held = open.find((o) => o.id !== onlyTheirs.id && candidatesOf(o.occurrenceId).filter((p) => !holding.has(p.citizen)).length >= 2)!;
    expect(held).toBeDefined();
    const task = (await prisma.taskOccurrence.findUniqueOrThrow({ where: { id: held.occurrenceId }, include: { task: true } })).task;
    await prisma.task.update({ where: { id: task.id }, data: { headcount: task.headcount + 1 } });

    const second = await runWeek();
    const asked = new Set((await prisma.offer.findMany()).map((o) => key(o.citizenId, o.occurrenceId)));
    // Nobody is proposed for an occurrence they were asked for (declined or still open)...
    expect(second.proposed.filter((a) => asked.has(key(a.citizen, a.occurrence)))).toEqual([]);
    expect(second.pairs.filter((p) => p.occurrence === onlyTheirs.occurrenceId)).toEqual([]);
    // ...no occurrence gets more citizens than its free seats, and the new seat is proposed once.
    for (const occurrenceId of new Set(second.proposed.map((a) => a.occurrence))) {
      expect(second.proposed.filter((a) => a.occurrence === occurrenceId).length).toBeLessThanOrEqual(await freeSeats(occurrenceId));
    }
    expect(second.proposed.filter((a) => a.occurrence === held.occurrenceId)).toHaveLength(1);
    // A citizen holding an open offer is proposed nothing at the same time (the compiler also
    // counts the travel between them).
    const starts = new Map(
      (await prisma.taskOccurrence.findMany({ where: { id: { in: [...second.proposed.map((a) => a.occurrence), ...open.map((o) => o.occurrenceId)] } } })).map(
        (o) => [o.id, o.startsAt.getTime()],
      ),
    );
    const stillOpen = await prisma.offer.findMany({ where: { status: "OFFERED" } });
    expect(second.proposed.filter((a) => stillOpen.some((o) => o.citizenId === a.citizen && starts.get(o.occurrenceId) === starts.get(a.occurrence)))).toEqual(
      [],
    );
    // The run says why the declined seat stays empty, in the coordinator's language.
    const view = await server.gql(
      `query($id: ID!) { matchingRun(id: $id) { ... on MatchingRun { unfilledSeats { occurrence { id } seats message reasonCounts { code count } } } } }`,
      { id: second.run.id },
      { token: coordinator, lang: "en" },
    );
    const declinedSeat = view.data.matchingRun.unfilledSeats.find((g: any) => g.occurrence.id === onlyTheirs.occurrenceId);
    expect(declinedSeat).toMatchObject({ seats: await freeSeats(onlyTheirs.occurrenceId), message: expect.stringMatching(/1 were already asked/) });
    expect(declinedSeat.reasonCounts).toContainEqual({ code: "ALREADY_ASKED", count: 1 });

    // Before the coordinator publishes, someone fills the new seat by hand with another candidate:
    // the publication then offers it to nobody.
    const proposedThere = second.proposed.find((a) => a.occurrence === held.occurrenceId)!;
    const byHand = second.pairs.find((p) => p.occurrence === held.occurrenceId && p.citizen !== proposedThere.citizen)!;
    expect(byHand).toBeDefined();
    const assigned = await server.gql(
      `mutation($c: ID!, $o: ID!) { assignCitizen(citizenId: $c, occurrenceId: $o) { __typename ... on Error { code } } }`,
      { c: byHand.citizen, o: held.occurrenceId },
      { token: coordinator },
    );
    expect(assigned.data.assignCitizen).toEqual({ __typename: "Commitment" });
    // The publication says what it left out, and why.
    expect((await server.gql(PUBLISH, { id: second.run.id }, { token: coordinator })).data.publishMatchingRun).toMatchObject({
      __typename: "MatchingRun",
      skippedAsked: 0,
      skippedNoSeat: 1,
    });
    const made = await prisma.offer.findMany({ where: { runId: second.run.id } });
    expect(made.map((o) => key(o.citizenId, o.occurrenceId)).sort()).toEqual(
      second.proposed
        .filter((a) => a.occurrence !== held.occurrenceId)
        .map((a) => key(a.citizen, a.occurrence))
        .sort(),
    );
    expect(await freeSeats(held.occurrenceId)).toBe(0);
    // Every seat of the week is offered at most as often as it exists.
    for (const { id } of await prisma.taskOccurrence.findMany({ where: { id: { in: first.pairs.map((p) => p.occurrence) } }, select: { id: true } })) {
      expect(await freeSeats(id)).toBeGreaterThanOrEqual(0);
    }
  });
});
