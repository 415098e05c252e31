// The weekly matching of the demo territory from GraphQL: run, review, pin, exclude, re-run;
// every proposed pair checked against the hard constraints.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordStatements } from "../src/db/audit";
import { startMatchingRun } from "../src/matching/matching.service";
import { startTestServer, type TestServer } from "./helpers/server";

let server: TestServer;
let coordinator: string;
let territoryId: string;
const WEEK = "2026-11-23";

const RUN_FIELDS = `id status phase error failureCode stoppedBy previousRunId inputVersion objective bound gap fillRate filledSeats totalSeats totalMinutes hoursSpreadMinutes componentsTotal
  assignments { citizen { id weeklyHourLimit homeMunicipality { id } } occurrence { id startsAt endsAt task { headcount municipality { id } } } score loadMinutes terms { term name points } }
  unfilledSeats { occurrence { id } seats kind message reasonCounts { code count } eligibleElsewhere { citizenId reason assignedTo } }
  ineligiblePins`;
const START = `mutation($t: ID!, $w: Date!) { startMatchingRun(territoryId: $t, weekStart: $w) { __typename ... on MatchingRun { id status } ... on Error { errorCode: code } } }`;
const RUN = `query($id: ID!) { matchingRun(id: $id) { __typename ... on MatchingRun { ${RUN_FIELDS} } } }`;
const DECIDE = `mutation($o: ID!, $c: ID!, $d: MatchingDecisionKind) { decideMatchingPair(occurrenceId: $o, citizenId: $c, decision: $d) { __typename ... on DecideMatchingPairSuccess { data } ... on Error { errorCode: code } } }`;

async function runWeek(): Promise<any> {
  const started = await server.gql(START, { t: territoryId, w: WEEK }, { token: coordinator });
  expect(started.data.startMatchingRun.__typename).toBe("MatchingRun");
  await server.jobsIdle();
  const run = await server.gql(RUN, { id: started.data.startMatchingRun.id }, { token: coordinator, lang: "it" });
  expect(run.errors).toBeUndefined();
  return run.data.matchingRun;
}

beforeAll(async () => {
  server = await startTestServer();
  coordinator = await server.login("coordinatrice.grosseto@legami.demo");
  territoryId = (await server.database.prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } })).id;
});

afterAll(async () => {
  await server?.close();
});

describe("weekly matching", () => {
  let first: any;

  it("matches the demo week: a proven proposal whose every pair keeps every hard constraint", async () => {
    first = await runWeek();
    expect(first).toMatchObject({ status: "DONE", phase: "done", previousRunId: null });
    // The job went through the configured runner: BullMQ when REDIS_URL is set, else in process.
    expect(server.jobsProcessed[server.queueKind]).toBe(1);
    expect(server.jobsProcessed[server.queueKind === "redis" ? "in-process" : "redis"]).toBe(0);
    expect(first.filledSeats).toBeGreaterThan(10);
    expect(first.fillRate).toBeGreaterThan(0);
    expect(first.fillRate).toBeLessThanOrEqual(1);
    expect(first.gap).toBeLessThan(1e-4);
    expect(first.objective).toBeLessThanOrEqual(first.bound + 1e-6);

    const perOccurrence = new Map<string, number>();
    const perCitizen = new Map<string, any[]>();
    for (const a of first.assignments) {
      // Eligibility, checked by the same rules the API answers with.
      const check = await server.gql(
        `query($c: ID!, $o: ID!) { eligibility(citizenId: $c, occurrenceId: $o) { ... on Eligibility { eligible reasons { code } } } }`,
        { c: a.citizen.id, o: a.occurrence.id },
        { token: coordinator },
      );
      expect(check.data.eligibility, `${a.citizen.id} ${a.occurrence.id}`).toMatchObject({ eligible: true });
      perOccurrence.set(a.occurrence.id, (perOccurrence.get(a.occurrence.id) ?? 0) + 1);
      perCitizen.set(a.citizen.id, [...(perCitizen.get(a.citizen.id) ?? []), a]);
      expect(a.terms.find((t: any) => t.term === "seatFilled")).toEqual({ term: "seatFilled", name: "posto coperto", points: 1000 });
      expect(a.terms.reduce((s: number, t: any) => s + t.points, 0)).toBeCloseTo(a.score, 6);
    }
    // Headcount.
    for (const a of first.assignments) expect(perOccurrence.get(a.occurrence.id)).toBeLessThanOrEqual(a.occurrence.task.headcount);
    const travel = await server.database.prisma.travelTime.findMany();
    const minutes = (from: string | undefined, to: string | undefined) =>
      !from || !to || from === to ? 0 : travel.find((t) => t.fromId === from && t.toId === to)!.minutes;
    for (const list of perCitizen.values()) {
      // Weekly limit.
      expect(list.reduce((s, a) => s + a.loadMinutes, 0)).toBeLessThanOrEqual(list[0].citizen.weeklyHourLimit * 60);
      // No two overlapping occurrences, travel between them included.
      for (const a of list)
        for (const b of list) {
          if (a === b) continue;
          const gap = minutes(a.occurrence.task.municipality?.id, b.occurrence.task.municipality?.id) * 60_000;
          const overlap =
            Date.parse(a.occurrence.startsAt) < Date.parse(b.occurrence.endsAt) + gap &&
            Date.parse(b.occurrence.startsAt) < Date.parse(a.occurrence.endsAt) + gap;
          expect(overlap).toBe(false);
        }
    }
    // Every empty seat says why, in the caller's language.
    expect(first.unfilledSeats.length).toBeGreaterThan(0);
    for (const gap of first.unfilledSeats) {
      expect(gap.message).toMatch(/^(Nessun cittadino idoneo: |I cittadini idonei sono impegnati altrove: )/);
      if (gap.kind === "NO_ELIGIBLE_CITIZEN") expect(gap.reasonCounts.length).toBeGreaterThan(0);
      else expect(gap.eligibleElsewhere.length).toBeGreaterThan(0);
    }
    expect(first.filledSeats + first.unfilledSeats.reduce((s: number, g: any) => s + g.seats, 0)).toBe(first.totalSeats);
  });

  it("shows a run from its summary: no statement reads the compiled input, and the figures are the input's", async () => {
    const statements: string[] = [];
    recordStatements((query) => statements.push(query.sql));
    let again: any;
    try {
      again = (await server.gql(RUN, { id: first.id }, { token: coordinator, lang: "it" })).data.matchingRun;
    } finally {
      recordStatements(null);
    }
    expect(statements.some((sql) => sql.includes('"MatchingRun"'))).toBe(true);
    expect(statements.filter((sql) => sql.includes('"problem"') || sql.includes('"compiled"'))).toEqual([]);
    expect(again).toEqual(first);
    // The same figures, computed here from the stored input.
    const row = await server.database.prisma.matchingRun.findUniqueOrThrow({ where: { id: first.id } });
    const problem = row.problem as { occurrences: { headcount: number }[]; pairs: { citizen: string; occurrence: string; loadMinutes: number }[] };
    expect(first.totalSeats).toBe(problem.occurrences.reduce((s, o) => s + o.headcount, 0));
    const minutes = new Map(problem.pairs.map((p) => [`${p.citizen}|${p.occurrence}`, p.loadMinutes]));
    for (const a of first.assignments) expect(a.loadMinutes).toBe(minutes.get(`${a.citizen.id}|${a.occurrence.id}`));
    expect(first.totalMinutes).toBe(first.assignments.reduce((s: number, a: { loadMinutes: number }) => s + a.loadMinutes, 0));
  });

  it("gives the same proposal for the same input, taken over without solving again", async () => {
    const solvesBefore = server.solves();
    const again = await runWeek();
    expect(again.id).not.toBe(first.id);
    expect(again.status).toBe("DONE");
    expect(again.inputVersion).toBe(first.inputVersion);
    expect(again.previousRunId).toBe(first.id);
    expect(again.assignments).toEqual(first.assignments);
    expect(again.objective).toBe(first.objective);
    expect(server.solves()).toBe(solvesBefore);
  });

  it("queues one run, not two, when a coordinator starts the week again before it has begun", async () => {
    const coordinatorUser = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "coordinatrice.grosseto@legami.demo" } });
    const context = {
      prisma: server.database.prisma,
      viewer: { userId: coordinatorUser.id, role: coordinatorUser.role, territoryId, citizenId: null, locale: coordinatorUser.locale },
      now: () => new Date(),
      // Jobs that are never handed over (until the relay's next pass): the run stays queued.
      jobs: { ...server.deps.jobs, handOver: async () => {} },
    };
    const runsBefore = await server.database.prisma.matchingRun.count({ where: { territoryId } });
    const one = await startMatchingRun(context, territoryId, WEEK);
    const two = await startMatchingRun(context, territoryId, WEEK);
    expect(two.id).toBe(one.id);
    expect(one.status).toBe("QUEUED");
    expect(one.inputVersion).toBeNull();
    expect(await server.database.prisma.matchingRun.count({ where: { territoryId } })).toBe(runsBefore + 1);
    // Relayed to the real runner, it compiles and answers like any run.
    await server.jobsIdle();
    const done = await server.database.prisma.matchingRun.findUniqueOrThrow({ where: { id: one.id } });
    expect(done.status).toBe("DONE");
    expect(done.inputVersion).toBe(first.inputVersion);
  });

  it("keeps a pinned pair and never proposes an excluded one on a re-run, weighting stability", async () => {
    const kept = first.assignments[0];
    const excluded = first.assignments[1];
    expect(
      (await server.gql(DECIDE, { o: excluded.occurrence.id, c: excluded.citizen.id, d: "EXCLUDE" }, { token: coordinator })).data.decideMatchingPair,
    ).toEqual({ __typename: "DecideMatchingPairSuccess", data: WEEK });
    // Pin an eligible citizen left out of a seat, if the week has one.
    const elsewhere = first.unfilledSeats.find(
      (g: any) => g.kind === "ELIGIBLE_CITIZENS_USED_ELSEWHERE" && g.eligibleElsewhere.some((e: any) => e.reason !== "OVERLAPS_ASSIGNMENT"),
    );
    const pin = elsewhere
      ? { occurrence: elsewhere.occurrence.id, citizen: elsewhere.eligibleElsewhere.find((e: any) => e.reason !== "OVERLAPS_ASSIGNMENT").citizenId }
      : { occurrence: kept.occurrence.id, citizen: kept.citizen.id };
    await server.gql(DECIDE, { o: pin.occurrence, c: pin.citizen, d: "PIN" }, { token: coordinator });

    const newestDone = await server.database.prisma.matchingRun.findFirstOrThrow({ where: { territoryId, status: "DONE" }, orderBy: { createdAt: "desc" } });
    const second = await runWeek();
    expect(second.id).not.toBe(first.id);
    expect(second.inputVersion).not.toBe(first.inputVersion);
    // Stability is weighed against the newest proposal of the week.
    expect(second.previousRunId).toBe(newestDone.id);
    const pairs = second.assignments.map((a: any) => `${a.citizen.id}|${a.occurrence.id}`);
    expect(pairs).toContain(`${pin.citizen}|${pin.occurrence}`);
    expect(pairs).not.toContain(`${excluded.citizen.id}|${excluded.occurrence.id}`);
    const stable = second.assignments.filter((a: any) => a.terms.find((t: any) => t.term === "stability").points > 0);
    expect(stable.length).toBeGreaterThan(0);

    // Clearing the decisions makes the next run free again.
    await server.gql(DECIDE, { o: excluded.occurrence.id, c: excluded.citizen.id, d: null }, { token: coordinator });
    await server.gql(DECIDE, { o: pin.occurrence, c: pin.citizen, d: null }, { token: coordinator });
    const decisions = await server.database.prisma.matchingDecision.count();
    expect(decisions).toBe(0);
  });

  it("streams a run's progress over Server-Sent Events until it is done", async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${coordinator}` },
      body: JSON.stringify({
        query: `subscription($id: ID!) { matchingRunProgress(id: $id) { status phase componentsSolved componentsTotal } }`,
        variables: { id: first.id },
      }),
    });
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const text = await response.text();
    const events = text
      .split("\n")
      .filter((line) => line.startsWith("data: ") && line.includes("matchingRunProgress"))
      .map((line) => JSON.parse(line.slice(6)).data.matchingRunProgress);
    expect(events.at(-1)).toEqual({ status: "DONE", phase: "done", componentsSolved: first.componentsTotal, componentsTotal: first.componentsTotal });
    const anonymous = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ query: `subscription($id: ID!) { matchingRunProgress(id: $id) { status } }`, variables: { id: first.id } }),
    });
    expect(await anonymous.text()).toContain("UNAUTHENTICATED");
  });

  it("publishes the newest run as offers with deadlines, once", async () => {
    const runs = await server.gql(
      `query($t: ID!, $w: Date!) { matchingRuns(territoryId: $t, weekStart: $w) { id status } }`,
      { t: territoryId, w: WEEK },
      { token: coordinator },
    );
    const [newest, older] = runs.data.matchingRuns;
    const PUBLISH = `mutation($id: ID!) { publishMatchingRun(runId: $id, responseHours: 48) { __typename ... on MatchingRun { publishedAt filledSeats offers { citizenId occurrenceId status deadline } assignments { citizen { id } occurrence { id startsAt } } } ... on Error { errorCode: code } } }`;
    expect((await server.gql(PUBLISH, { id: older.id }, { token: coordinator })).data.publishMatchingRun).toEqual({
      __typename: "ConflictError",
      errorCode: "STALE_RUN",
    });
    const published = (await server.gql(PUBLISH, { id: newest.id }, { token: coordinator })).data.publishMatchingRun;
    expect(published.publishedAt).toBe("2026-11-22T10:00:00.000+01:00");
    expect(published.offers).toHaveLength(published.filledSeats);
    const startOf = new Map(published.assignments.map((a: any) => [`${a.citizen.id}|${a.occurrence.id}`, Date.parse(a.occurrence.startsAt)]));
    for (const offer of published.offers) {
      const start = startOf.get(`${offer.citizenId}|${offer.occurrenceId}`) as number;
      expect(offer.status).toBe("OFFERED");
      // 48 hours from now, but never after the occurrence starts.
      expect(Date.parse(offer.deadline)).toBe(Math.min(Date.parse("2026-11-24T10:00:00+01:00"), start));
    }
    expect((await server.gql(PUBLISH, { id: newest.id }, { token: coordinator })).data.publishMatchingRun).toEqual({
      __typename: "ConflictError",
      errorCode: "ILLEGAL_TRANSITION",
    });
  });

  it("refuses a week that does not start on Monday, other territories and non-staff", async () => {
    const tuesday = await server.gql(START, { t: territoryId, w: "2026-11-24" }, { token: coordinator });
    expect(tuesday.data.startMatchingRun).toEqual({ __typename: "InputError", errorCode: "INVALID_DATE" });
    const other = await server.login(server.other.coordinatorEmail);
    const foreign = await server.gql(START, { t: territoryId, w: WEEK }, { token: other });
    expect(foreign.data.startMatchingRun).toEqual({ __typename: "NotFoundError", errorCode: "NOT_FOUND" });
    const foreignRun = await server.gql(`query($id: ID!) { matchingRun(id: $id) { __typename } }`, { id: first.id }, { token: other });
    expect(foreignRun.data.matchingRun.__typename).toBe("NotFoundError");
    const citizen = await server.login("valentina.lorenzini@example.org");
    expect((await server.gql(START, { t: territoryId, w: WEEK }, { token: citizen })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
