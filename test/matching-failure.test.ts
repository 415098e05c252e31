// A matching run that cannot be solved as asked ends FAILED with a reason the coordinator can act
// on, in their language: here, pinned assignments that break a rule together.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server";

let server: TestServer;
let coordinator: string;
let territoryId: string;
const WEEK = "2026-11-23";
const START = `mutation($t: ID!, $w: Date!) { startMatchingRun(territoryId: $t, weekStart: $w) { __typename ... on MatchingRun { id } } }`;
const RUN = `query($id: ID!) { matchingRun(id: $id) { __typename ... on MatchingRun { id status phase error failureCode stoppedBy objective } } }`;
const DECIDE = `mutation($o: ID!, $c: ID!, $d: MatchingDecisionKind) { decideMatchingPair(occurrenceId: $o, citizenId: $c, decision: $d) { __typename } }`;

async function runWeek(): Promise<any> {
  const started = await server.gql(START, { t: territoryId, w: WEEK }, { token: coordinator });
  await server.jobsIdle();
  return (await server.gql(RUN, { id: started.data.startMatchingRun.id }, { token: coordinator, lang: "it" })).data.matchingRun;
}

beforeAll(async () => {
  server = await startTestServer();
  coordinator = await server.login("coordinatrice.grosseto@legami.demo");
  territoryId = (await server.database.prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } })).id;
});

afterAll(async () => {
  await server?.close();
});

describe("a run that cannot be solved as asked", () => {
  let first: any;

  it("runs the week", async () => {
    first = await runWeek();
    expect(first).toMatchObject({ status: "DONE", failureCode: null, error: null });
    expect(["OPTIMAL", "WORK_LIMIT"]).toContain(first.stoppedBy);
  });

  it("fails a run whose pins cannot all be kept together, and says which in the coordinator's words", async () => {
    // An occurrence with more eligible citizens than seats, from the first run's own input.
    const row = await server.database.prisma.matchingRun.findUniqueOrThrow({ where: { id: first.id } });
    const problem = row.problem as { occurrences: { id: string; headcount: number }[]; pairs: { citizen: string; occurrence: string }[] };
    const occurrence = problem.occurrences.find((o) => o.headcount >= 1 && problem.pairs.filter((p) => p.occurrence === o.id).length > o.headcount)!;
    const pinned = problem.pairs.filter((p) => p.occurrence === occurrence.id).slice(0, occurrence.headcount + 1);
    for (const p of pinned) await server.gql(DECIDE, { o: p.occurrence, c: p.citizen, d: "PIN" }, { token: coordinator });
    try {
      const failed = await runWeek();
      expect(failed).toMatchObject({ status: "FAILED", phase: "failed", failureCode: "PINS_CANNOT_ALL_BE_KEPT", stoppedBy: null, objective: null });
      const names = await server.database.prisma.citizen.findMany({ where: { id: { in: pinned.map((p) => p.citizen) } } });
      const task = await server.database.prisma.taskOccurrence.findUniqueOrThrow({ where: { id: occurrence.id }, include: { task: true } });
      expect(failed.error).toMatch(
        /^Le assegnazioni fissate non si possono rispettare tutte insieme: .+ ha meno posti dei cittadini fissati \(.+\)\. Togliere o cambiare/,
      );
      expect(failed.error).toContain(task.task.title);
      for (const c of names) expect(failed.error).toContain(`${c.firstName} ${c.lastName}`);
      const english = (
        await server.gql(`query($id: ID!) { matchingRun(id: $id) { ... on MatchingRun { error } } }`, { id: failed.id }, { token: coordinator, lang: "en" })
      ).data.matchingRun.error;
      expect(english).toMatch(/^The pinned assignments cannot all be kept together: .+ has fewer seats than the citizens pinned on it/);
    } finally {
      for (const p of pinned) await server.gql(DECIDE, { o: p.occurrence, c: p.citizen, d: null }, { token: coordinator });
    }
    // Without the pins the week runs again.
    expect((await runWeek()).status).toBe("DONE");
  });
});
