// After publishing: citizens accept and decline their own offers, freed seats refill themselves
// (decline, expiry, withdrawal), coordinators cancel, reminders fire, the inbox speaks Italian
// and English, and a stopped worker loses nothing. Through GraphQL, on whichever runner and
// database the suite runs on (in process and PGlite, or BullMQ on Redis and PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../src/demo/seed";
import { renderNotification } from "../src/i18n/notifications";
import { startTestServer, TEST_NOW, type TestServer } from "./helpers/server";
import { expireOverdue } from "../src/offers/offers.jobs";

let server: TestServer;
let coordinator: string;
let territoryId: string;
const WEEK = "2026-11-23";
const HOUR = 3_600_000;

const START = `mutation($t: ID!, $w: Date!) { startMatchingRun(territoryId: $t, weekStart: $w) { __typename ... on MatchingRun { id } } }`;
const PUBLISH = `mutation($id: ID!) { publishMatchingRun(runId: $id, responseHours: 48) { __typename ... on MatchingRun { id offers { id } } ... on Error { code } } }`;
const MY_OFFERS = `query { myOffers { id status source deadline partOfSeries occurrence { id startsAt activityKind municipality { name } requiredSkill { code } } } }`;
const ACCEPT = `mutation($id: ID!, $series: Boolean) { acceptOffer(offerId: $id, wholeSeries: $series) { __typename ... on AcceptOfferSuccess { data { id status commitment { id status plannedMinutes } } } ... on Error { code } } }`;
const DECLINE = `mutation($id: ID!, $r: String) { declineOffer(offerId: $id, reason: $r) { __typename ... on Offer { id status declineReason } ... on Error { code } } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawCommitment(commitmentId: $id) { __typename ... on Commitment { id status } ... on Error { code } } }`;
const CANCEL = `mutation($id: ID!, $r: String!) { cancelOccurrence(occurrenceId: $id, reason: $r) { __typename ... on TaskOccurrence { id status } ... on Error { code } } }`;
const INBOX = `query { myNotifications { id kind title body readAt } }`;

const tokens = new Map<string, string>();
/** A citizen's token, by citizen id. */
async function tokenOf(citizenId: string) {
  if (!tokens.has(citizenId)) {
    const citizen = await server.database.prisma.citizen.findUniqueOrThrow({ where: { id: citizenId }, include: { user: true } });
    tokens.set(citizenId, await server.login(citizen.user!.email, DEMO_PASSWORD));
  }
  return tokens.get(citizenId)!;
}

/** Opens the notificationAdded subscription (SSE); `first` is the first notification it sends. */
function followInbox(token: string) {
  const controller = new AbortController();
  const first = (async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}`, "accept-language": "en" },
      body: JSON.stringify({ query: `subscription { notificationAdded { kind title body } }` }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the stream ended");
      buffer += decoder.decode(value, { stream: true });
      const line = buffer.split("\n").find((l) => l.startsWith("data: ") && l.includes("notificationAdded"));
      if (line) return JSON.parse(line.slice(6)).data.notificationAdded;
    }
  })();
  return { first, stop: () => controller.abort() };
}

const offersOf = (occurrenceId: string) => server.database.prisma.offer.findMany({ where: { occurrenceId }, orderBy: { createdAt: "asc" } });

// Staff-written words that name a family: they must never reach a citizen (nor any notification, which outlive erasure's redaction).
const STAFF_WORDS: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const prisma = server.database.prisma;
  for (const task of await prisma.task.findMany({
    include: { microProject: { include: { plan: { include: { family: { include: { members: true } } } } } } },
  })) {
    const family = task.microProject.plan.family;
    const child = family.members[0]?.firstName ?? "Nadia";
    const words = { title: `${task.title} famiglia ${family.referenceName}`, description: `Per ${child}, citofono ${family.referenceName}` };
    await prisma.task.update({ where: { id: task.id }, data: words });
    STAFF_WORDS.push(words.title, words.description, family.referenceName);
  }
  coordinator = await server.login("coordinatrice.grosseto@legami.demo");
  territoryId = (await server.database.prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } })).id;
  const started = await server.gql(START, { t: territoryId, w: WEEK }, { token: coordinator });
  await server.jobsIdle();
  const published = await server.gql(PUBLISH, { id: started.data.startMatchingRun.id }, { token: coordinator });
  expect(published.data.publishMatchingRun.__typename).toBe("MatchingRun");
  expect(published.data.publishMatchingRun.offers.length).toBeGreaterThan(4);
});

afterAll(async () => {
  await server?.close();
});

// Reconciliation and job waits take a while on a busy CI machine.
describe("offers", { timeout: 90_000 }, () => {
  it("shows a citizen their own offers, without the family, and tells them in their inbox", async () => {
    const offer = await server.database.prisma.offer.findFirstOrThrow({ where: { status: "OFFERED" }, orderBy: { id: "asc" } });
    const token = await tokenOf(offer.citizenId);
    const mine = (await server.gql(MY_OFFERS, {}, { token })).data.myOffers;
    expect(mine.map((o: any) => o.id)).toContain(offer.id);
    const own = await server.database.prisma.offer.count({ where: { citizenId: offer.citizenId, status: "OFFERED" } });
    expect(mine).toHaveLength(own);
    expect(mine[0]).toMatchObject({ status: "OFFERED", source: "RUN" });
    expect(Object.keys(mine[0].occurrence)).not.toContain("family");
    const en = (await server.gql(INBOX, {}, { token, lang: "en" })).data.myNotifications;
    const it_ = (await server.gql(INBOX, {}, { token, lang: "it" })).data.myNotifications;
    expect(en.filter((n: any) => n.kind === "OFFER_RECEIVED")).toHaveLength(own);
    expect(en[0].title).toMatch(/^New offer: /);
    expect(it_[0].title).toMatch(/^Nuova proposta: /);
    expect(it_[0].body).toMatch(/Rispondi entro il/);
  });

  it("accepts only the citizen's own open offer, once, as a commitment under their pact", async () => {
    const offer = await server.database.prisma.offer.findFirstOrThrow({ where: { status: "OFFERED" }, orderBy: { id: "asc" } });
    const other = await server.database.prisma.offer.findFirstOrThrow({ where: { status: "OFFERED", citizenId: { not: offer.citizenId } } });
    const token = await tokenOf(offer.citizenId);
    expect((await server.gql(ACCEPT, { id: other.id }, { token })).data.acceptOffer).toEqual({ __typename: "NotFoundError", code: "NOT_FOUND" });
    expect((await server.gql(ACCEPT, { id: offer.id }, { token: coordinator })).errors?.[0]?.message).toBeDefined();
    const accepted = (await server.gql(ACCEPT, { id: offer.id }, { token })).data.acceptOffer;
    expect(accepted.__typename).toBe("AcceptOfferSuccess");
    expect(accepted.data[0]).toMatchObject({ id: offer.id, status: "ACCEPTED", commitment: { status: "ACTIVE" } });
    expect(accepted.data[0].commitment.plannedMinutes).toBeGreaterThan(0);
    expect((await server.gql(ACCEPT, { id: offer.id }, { token })).data.acceptOffer).toEqual({ __typename: "ConflictError", code: "OFFER_CLOSED" });
    const commitments = await server.database.prisma.commitment.count({
      where: { citizenId: offer.citizenId, occurrenceId: offer.occurrenceId, status: "ACTIVE" },
    });
    expect(commitments).toBe(1);
    const mine = (await server.gql(`query { myCommitments { id status } }`, {}, { token })).data.myCommitments;
    expect(mine.map((c: any) => c.id)).toContain(accepted.data[0].commitment.id);
  });

  it("accepts a whole series of a recurring task at once, all or nothing", async () => {
    const prisma = server.database.prisma;
    // Two more dates of one continuity task for one eligible citizen, offered directly.
    const run = await prisma.matchingRun.findFirstOrThrow({ where: { publishedAt: { not: null } } });
    const pairs = (run.problem as { pairs: { citizen: string; occurrence: string }[] }).pairs;
    const occurrences = await prisma.taskOccurrence.findMany({
      where: { id: { in: pairs.map((p) => p.occurrence) }, task: { continuity: true } },
      include: { task: true },
    });
    const later = async (taskId: string, after: Date) =>
      prisma.taskOccurrence.findMany({ where: { taskId, startsAt: { gt: after } }, orderBy: { startsAt: "asc" }, take: 2 });
    let chosen: { citizen: string; occurrenceIds: string[] } | undefined;
    for (const pair of pairs) {
      const occurrence = occurrences.find((o) => o.id === pair.occurrence);
      if (!occurrence || (await prisma.offer.count({ where: { citizenId: pair.citizen, occurrence: { taskId: occurrence.taskId } } })) > 0) continue;
      const next = await later(occurrence.taskId, occurrence.startsAt);
      chosen = { citizen: pair.citizen, occurrenceIds: [occurrence.id, ...next.map((o) => o.id)] };
      break;
    }
    expect(chosen).toBeDefined();
    const deadline = new Date(TEST_NOW.getTime() + 24 * HOUR);
    const made = await Promise.all(
      chosen!.occurrenceIds.map((occurrenceId) =>
        prisma.offer.create({ data: { runId: run.id, citizenId: chosen!.citizen, occurrenceId, deadline, createdAt: TEST_NOW } }),
      ),
    );
    const token = await tokenOf(chosen!.citizen);
    const mine = (await server.gql(MY_OFFERS, {}, { token })).data.myOffers.filter((o: any) => made.some((m) => m.id === o.id));
    expect(mine.every((o: any) => o.partOfSeries)).toBe(true);
    const answer = (await server.gql(ACCEPT, { id: made[0]!.id, series: true }, { token })).data.acceptOffer;
    const statuses = await prisma.offer.findMany({ where: { id: { in: made.map((m) => m.id) } } });
    if (answer.__typename === "AcceptOfferSuccess") {
      expect(answer.data.map((o: any) => o.id).sort()).toEqual(made.map((m) => m.id).sort());
      expect(statuses.every((o) => o.status === "ACCEPTED" && o.commitmentId)).toBe(true);
    } else {
      // One date breaks a rule: the typed error says which rule, and no date was accepted.
      expect(["NOT_ELIGIBLE", "OVERLAPPING_COMMITMENT", "HEADCOUNT_REACHED"]).toContain(answer.code);
      expect(statuses.every((o) => o.status === "OFFERED")).toBe(true);
      expect(await prisma.commitment.count({ where: { citizenId: chosen!.citizen, occurrenceId: { in: chosen!.occurrenceIds } } })).toBe(0);
    }
  });

  it("offers a declined seat to the next best eligible citizen, without a coordinator; a seat nobody can take is flagged", async () => {
    // The run's problem lists every eligible pair: find an offer whose seat has another candidate, and one whose has none.
    const run = await server.database.prisma.matchingRun.findFirstOrThrow({ where: { publishedAt: { not: null } } });
    const pairs = (run.problem as { pairs: { citizen: string; occurrence: string }[] }).pairs;
    const open = await server.database.prisma.offer.findMany({ where: { status: "OFFERED" }, orderBy: { id: "asc" } });
    const asked = await server.database.prisma.offer.findMany({ select: { citizenId: true, occurrenceId: true } });
    const others = (o: { citizenId: string; occurrenceId: string }) =>
      pairs.filter(
        (p) =>
          p.occurrence === o.occurrenceId && p.citizen !== o.citizenId && !asked.some((a) => a.citizenId === p.citizen && a.occurrenceId === o.occurrenceId),
      );
    // A seat with another candidate who has committed to nothing since the run and holds no open
    // offer (earlier tests accepted offers: a citizen committed since, or holding an offer at that
    // time, may no longer fit the seat, and then rightly gets no offer).
    const committed = new Set(
      (await server.database.prisma.commitment.findMany({ where: { status: "ACTIVE" }, select: { citizenId: true } })).map((c) => c.citizenId),
    );
    const free = (citizenId: string) => !committed.has(citizenId) && !open.some((o) => o.citizenId === citizenId);
    // Each seat must be free once declined: the series test above offered extra dates of a
    // recurring task directly, so a seat may hold more open offers than its headcount, and then a
    // decline frees nothing (rightly, no replacement and no flag).
    const occurrences = await server.database.prisma.taskOccurrence.findMany({
      where: { id: { in: open.map((o) => o.occurrenceId) } },
      select: {
        id: true,
        task: { select: { headcount: true } },
        _count: { select: { commitments: { where: { status: "ACTIVE" } }, offers: { where: { status: "OFFERED" } } } },
      },
    });
    const freedByDecline = new Set(occurrences.filter((o) => o._count.commitments + o._count.offers - 1 < o.task.headcount).map((o) => o.id));
    const withCandidate = open.find((o) => freedByDecline.has(o.occurrenceId) && others(o).some((p) => free(p.citizen)))!;
    // And a seat only its offered citizen could take: once they decline, the search counts them
    // as already asked.
    const withNone = open.find((o) => freedByDecline.has(o.occurrenceId) && pairs.filter((p) => p.occurrence === o.occurrenceId).length === 1)!;
    expect(withCandidate).toBeDefined();
    expect(withNone).toBeDefined();

    const token = await tokenOf(withCandidate.citizenId);
    const declined = (await server.gql(DECLINE, { id: withCandidate.id, r: "Ho un altro impegno" }, { token })).data.declineOffer;
    expect(declined).toEqual({ __typename: "Offer", id: withCandidate.id, status: "DECLINED", declineReason: "Ho un altro impegno" });
    expect((await server.gql(DECLINE, { id: withCandidate.id }, { token })).data.declineOffer).toEqual({ __typename: "ConflictError", code: "OFFER_CLOSED" });
    const replacement = await server.waitFor("a replacement offer", async () => {
      const found = (await offersOf(withCandidate.occurrenceId)).find((o) => o.source === "REPLACEMENT");
      if (found) return found;
      // Should the search find nobody, say why rather than time out.
      const unfilled = await server.database.prisma.notification.findFirst({
        where: { kind: "SEAT_UNFILLED", key: { startsWith: `seat-unfilled:${withCandidate.occurrenceId}:` } },
      });
      if (unfilled) throw new Error(`the seat was flagged unfilled instead: ${JSON.stringify(unfilled.params)}`);
      return undefined;
    });
    expect(others(withCandidate).map((p) => p.citizen)).toContain(replacement.citizenId);
    expect(replacement).toMatchObject({ status: "OFFERED", runId: null });
    expect(replacement.deadline.getTime()).toBeLessThanOrEqual(TEST_NOW.getTime() + 24 * HOUR);
    const theirs = (await server.gql(MY_OFFERS, {}, { token: await tokenOf(replacement.citizenId) })).data.myOffers;
    expect(theirs.find((o: any) => o.id === replacement.id)).toMatchObject({ source: "REPLACEMENT", status: "OFFERED" });

    await server.gql(DECLINE, { id: withNone.id }, { token: await tokenOf(withNone.citizenId) });
    const coordinatorUser = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "coordinatrice.grosseto@legami.demo" } });
    const flag = await server.waitFor("the coordinators to be told", () =>
      server.database.prisma.notification.findFirst({
        where: { kind: "SEAT_UNFILLED", userId: coordinatorUser.id, key: { startsWith: `seat-unfilled:${withNone.occurrenceId}:` } },
      }),
    );
    const inbox = (await server.gql(INBOX, {}, { token: coordinator, lang: "en" })).data.myNotifications;
    expect(inbox.find((n: any) => n.id === flag.id).body).toMatch(
      /no eligible citizen is available\. No eligible citizen: (.+; )?1 were already asked(; .+)?\./,
    );
    expect(await server.database.prisma.offer.count({ where: { occurrenceId: withNone.occurrenceId, source: "REPLACEMENT" } })).toBe(0);
  });

  it("keeps the jobs of an answer whose process stopped before handing them over, for the next relay", async () => {
    const prisma = server.database.prisma;
    const [toDecline, toAccept] = await prisma.offer.findMany({
      where: { status: "OFFERED", occurrence: { startsAt: { gt: new Date(TEST_NOW.getTime() + 2 * 24 * HOUR) } } },
      orderBy: { id: "desc" },
      take: 2,
    });
    // As if the process died right after each commit: nothing is handed over from here.
    await server.relay.stop();
    try {
      expect((await server.gql(DECLINE, { id: toDecline!.id }, { token: await tokenOf(toDecline!.citizenId) })).data.declineOffer.status).toBe("DECLINED");
      const accepted = (await server.gql(ACCEPT, { id: toAccept!.id, series: false }, { token: await tokenOf(toAccept!.citizenId) })).data.acceptOffer;
      const staged = (await prisma.outboxJob.findMany()).map((row) => row.payload);
      expect(staged).toContainEqual({ kind: "fill-seats", occurrenceId: toDecline!.occurrenceId });
      if (accepted.__typename === "AcceptOfferSuccess")
        expect(staged).toContainEqual({ kind: "commitment-reminder", commitmentId: accepted.data[0].commitment.id });
      else expect(accepted.code).toBeDefined();
    } finally {
      // Another process's relay (here: this one started again) hands them over.
      server.relay.start();
    }
    await server.waitFor("the outbox to be relayed", async () => (await prisma.outboxJob.count()) === 0);
    await server.jobsIdle();
  });

  it("expires an unanswered offer at its deadline and offers the seat again; a stopped worker loses nothing", async () => {
    const offer = await server.database.prisma.offer.findFirstOrThrow({ where: { status: "OFFERED", source: "RUN" }, orderBy: { deadline: "asc" } });
    // The worker is stopped before the deadline and started again after it.
    await server.stopEventJobs();
    server.setNow(new Date(offer.deadline.getTime() + 1000), { flowing: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await server.database.prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe("OFFERED");
    await server.startEventJobs();
    await server.waitFor(
      "the offer to expire",
      async () => (await server.database.prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).status === "EXPIRED",
    );
    // Reconciling again (a second worker starting) changes nothing and duplicates nothing.
    await server.reconcile();
    const notes = await server.database.prisma.notification.count({ where: { key: `offer-expired:${offer.id}` } });
    expect(notes).toBe(1);
    const open = await server.database.prisma.offer.groupBy({ by: ["citizenId", "occurrenceId"], where: { status: "OFFERED" }, _count: true });
    expect(open.every((g) => g._count === 1)).toBe(true);
    const occurrence = await server.database.prisma.taskOccurrence.findUniqueOrThrow({ where: { id: offer.occurrenceId }, include: { task: true } });
    const active = await server.database.prisma.commitment.count({ where: { occurrenceId: offer.occurrenceId, status: "ACTIVE" } });
    const stillOpen = await server.database.prisma.offer.count({ where: { occurrenceId: offer.occurrenceId, status: "OFFERED" } });
    expect(active + stillOpen).toBeLessThanOrEqual(occurrence.task.headcount);
    server.setNow(TEST_NOW);
  });

  it("expires an offer whose deadline job was lost, on the next sweep, once, however many processes sweep", async () => {
    const prisma = server.database.prisma;
    const offer = await prisma.offer.findFirstOrThrow({ where: { status: "OFFERED" }, orderBy: { deadline: "asc" } });
    // Its job gone (failed through an outage, or never handed over): only the database knows it is due.
    await server.stopEventJobs();
    server.setNow(new Date(offer.deadline.getTime() + 1000));
    try {
      const found = await Promise.all([expireOverdue(server.deps), expireOverdue(server.deps)]);
      expect(found[0]).toBeGreaterThanOrEqual(1);
      expect((await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe("EXPIRED");
      expect(await prisma.notification.count({ where: { key: `offer-expired:${offer.id}` } })).toBe(1);
      expect(await expireOverdue(server.deps)).toBe(0);
    } finally {
      server.setNow(TEST_NOW);
      await server.startEventJobs();
    }
  });

  it("reminds a citizen a day before a commitment, and refills the seat when they withdraw", async () => {
    const commitment = await server.database.prisma.commitment.findFirstOrThrow({
      where: { status: "ACTIVE", offer: { isNot: null } },
      include: { occurrence: true },
    });
    const token = await tokenOf(commitment.citizenId);
    // The clock moves to just before the reminder is due; the reminder job fires on its own.
    server.setNow(new Date(commitment.occurrence.startsAt.getTime() - 24 * HOUR - 400), { flowing: true });
    await server.reconcile();
    const reminder = await server.waitFor("the reminder", () =>
      server.database.prisma.notification.findFirst({ where: { kind: "COMMITMENT_REMINDER", key: { startsWith: `commitment-reminder:${commitment.id}` } } }),
    );
    const inbox = (await server.gql(INBOX, {}, { token, lang: "it" })).data.myNotifications;
    expect(inbox.find((n: any) => n.id === reminder.id).title).toMatch(/^Domani: /);

    expect((await server.gql(WITHDRAW, { id: commitment.id }, { token })).data.withdrawCommitment).toEqual({
      __typename: "Commitment",
      id: commitment.id,
      status: "WITHDRAWN",
    });
    await server.waitFor("a fill-seats job", async () =>
      server.eventsProcessed.some((j) => j.kind === "fill-seats" && j.occurrenceId === commitment.occurrenceId),
    );
    const offers = await offersOf(commitment.occurrenceId);
    expect(offers.filter((o) => o.status === "OFFERED" && o.citizenId === commitment.citizenId)).toHaveLength(0);
    server.setNow(TEST_NOW);
  });

  it("reminds a citizen of an offer about to expire, once", async () => {
    const offer = await server.database.prisma.offer.findFirstOrThrow({ where: { status: "OFFERED" }, orderBy: { deadline: "desc" } });
    server.setNow(new Date(offer.deadline.getTime() - 12 * HOUR - 400), { flowing: true });
    await server.reconcile();
    await server.waitFor("the offer reminder", () => server.database.prisma.notification.findFirst({ where: { key: `offer-expiring:${offer.id}` } }));
    await server.reconcile();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await server.database.prisma.notification.count({ where: { key: `offer-expiring:${offer.id}` } })).toBe(1);
    const inbox = (await server.gql(INBOX, {}, { token: await tokenOf(offer.citizenId), lang: "it" })).data.myNotifications;
    expect(inbox.find((n: any) => n.kind === "OFFER_EXPIRING").title).toMatch(/^Proposta in scadenza: /);
    server.setNow(TEST_NOW);
  });

  it("lets a coordinator cancel an occurrence: commitments released, offers withdrawn, citizens told", async () => {
    // The first open offer its citizen can still accept (earlier tests committed some citizens
    // elsewhere; a refused accept changes nothing).
    const open = await server.database.prisma.offer.findMany({ where: { status: "OFFERED" }, orderBy: { id: "desc" } });
    let accepted: any;
    for (const offer of open) {
      accepted = (await server.gql(ACCEPT, { id: offer.id }, { token: await tokenOf(offer.citizenId) })).data.acceptOffer;
      if (accepted.__typename === "AcceptOfferSuccess") break;
    }
    expect(accepted.__typename).toBe("AcceptOfferSuccess");
    const commitment = await server.database.prisma.commitment.findUniqueOrThrow({ where: { id: accepted.data[0].commitment.id } });
    expect((await server.gql(CANCEL, { id: commitment.occurrenceId, r: "x" }, { token: coordinator })).data.cancelOccurrence).toEqual({
      __typename: "InputError",
      code: "INVALID_RANGE",
    });
    const other = await server.login("coordinator@other.demo");
    expect((await server.gql(CANCEL, { id: commitment.occurrenceId, r: "Sciopero dei trasporti" }, { token: other })).data.cancelOccurrence).toEqual({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
    });
    // The citizen follows their inbox live while the coordinator cancels.
    const live = followInbox(await tokenOf(commitment.citizenId));
    await new Promise((resolve) => setTimeout(resolve, 700));
    const cancelled = (await server.gql(CANCEL, { id: commitment.occurrenceId, r: "Sciopero dei trasporti" }, { token: coordinator })).data.cancelOccurrence;
    expect(await live.first).toMatchObject({ kind: "COMMITMENT_CANCELLED", title: expect.stringMatching(/^Cancelled: /) });
    live.stop();
    expect(cancelled).toEqual({ __typename: "TaskOccurrence", id: commitment.occurrenceId, status: "CANCELLED" });
    expect((await server.database.prisma.commitment.findUniqueOrThrow({ where: { id: commitment.id } })).status).toBe("CANCELLED");
    expect(await server.database.prisma.offer.count({ where: { occurrenceId: commitment.occurrenceId, status: "OFFERED" } })).toBe(0);
    const token = await tokenOf(commitment.citizenId);
    const inbox = (await server.gql(INBOX, {}, { token, lang: "en" })).data.myNotifications;
    expect(inbox.find((n: any) => n.kind === "COMMITMENT_CANCELLED").body).toMatch(/Reason: Sciopero dei trasporti\./);
    expect((await server.gql(CANCEL, { id: commitment.occurrenceId, r: "again" }, { token: coordinator })).data.cancelOccurrence).toEqual({
      __typename: "ConflictError",
      code: "ILLEGAL_TRANSITION",
    });
  });

  it("prepares next week's draft run on the weekly schedule and tells the coordinators", async () => {
    const ran = server.eventsProcessed.length;
    await server.deps.jobs.schedule({ kind: "weekly-draft" });
    const coordinatorUser = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "coordinatrice.grosseto@legami.demo" } });
    await server.waitFor("the draft notification", () =>
      server.database.prisma.notification.findFirst({ where: { kind: "DRAFT_RUN_READY", userId: coordinatorUser.id, key: { contains: ":2026-11-23:" } } }),
    );
    await server.waitFor("the weekly-draft job to finish", async () => server.eventsProcessed.slice(ran).some((j) => j.kind === "weekly-draft"));
    await server.jobsIdle();
    // The newest run of next week is the draft (or the identical earlier one, if nothing changed), solved.
    const newest = await server.database.prisma.matchingRun.findFirstOrThrow({
      where: { territoryId, weekStart: new Date("2026-11-23T00:00:00Z") },
      orderBy: { createdAt: "desc" },
    });
    expect(newest.status).toBe("DONE");
    const inbox = (await server.gql(INBOX, {}, { token: coordinator, lang: "it" })).data.myNotifications;
    expect(inbox.find((n: any) => n.kind === "DRAFT_RUN_READY").title).toMatch(/^Bozza di abbinamento per la settimana del 23 nov/);
  });

  // Last: the clock jumps months ahead, and the scan also expires every offer still open.
  it("warns citizens and coordinators 30 days before a pact ends, once per pact", async () => {
    const pact = await server.database.prisma.collaborationPact.findFirstOrThrow({
      where: { status: "ACTIVE" },
      include: { citizens: { include: { citizen: true } } },
      orderBy: { endDate: "asc" },
    });
    server.setNow(new Date(pact.endDate.getTime() - 10 * 24 * HOUR));
    for (let i = 0; i < 2; i++) {
      const before = server.eventsProcessed.filter((j) => j.kind === "daily-scan").length;
      await server.deps.jobs.schedule({ kind: "daily-scan" });
      await server.waitFor("the daily scan", async () => server.eventsProcessed.filter((j) => j.kind === "daily-scan").length > before);
    }
    const warnings = await server.database.prisma.notification.findMany({ where: { kind: "PACT_EXPIRING", key: { startsWith: `pact-expiring:${pact.id}:` } } });
    const citizenUsers = pact.citizens.flatMap((c) => (c.citizen.userId ? [c.citizen.userId] : []));
    for (const userId of citizenUsers) expect(warnings.filter((w) => w.userId === userId)).toHaveLength(1);
    const coordinatorUser = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "coordinatrice.grosseto@legami.demo" } });
    expect(warnings.filter((w) => w.userId === coordinatorUser.id)).toHaveLength(1);
    // The pact's title is read from the pact when shown, not stored in the notification.
    expect(JSON.stringify(warnings.map((w) => w.params))).not.toContain(pact.title);
    const inbox = (await server.gql(INBOX, {}, { token: coordinator, lang: "it" })).data.myNotifications;
    const shown = inbox.filter((n: any) => n.kind === "PACT_EXPIRING");
    expect(shown.length).toBeGreaterThan(0);
    for (const n of shown) {
      const row = await server.database.prisma.notification.findUniqueOrThrow({ where: { id: n.id } });
      const title = (await server.database.prisma.collaborationPact.findUniqueOrThrow({ where: { id: (row.params as { pactId: string }).pactId } })).title;
      expect(n.title).toBe(`Patto in scadenza: ${title}`);
    }
    server.setNow(TEST_NOW);
  });

  it("never puts a task's staff-written title or description, or the family's name, in any notification", async () => {
    const stored = await server.database.prisma.notification.findMany();
    const kinds = new Set(stored.map((n) => n.kind));
    // Every kind about an occurrence was written by the tests above.
    for (const kind of ["OFFER_RECEIVED", "OFFER_EXPIRING", "OFFER_EXPIRED", "COMMITMENT_REMINDER", "COMMITMENT_CANCELLED", "SEAT_UNFILLED"])
      expect(kinds).toContain(kind);
    const leaks: string[] = [];
    for (const n of stored) {
      const texts = [
        JSON.stringify(n.params),
        ...(["it", "en"] as const).flatMap((lang) => Object.values(renderNotification(n.kind, n.params as Record<string, string>, lang))),
      ];
      for (const word of new Set(STAFF_WORDS)) if (texts.some((t) => t.includes(word))) leaks.push(`${n.kind}: ${word}`);
    }
    expect(leaks).toEqual([]);
  });
});
