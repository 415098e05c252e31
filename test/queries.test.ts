// No N+1 in the main lists: the number of SQL statements a list costs does not grow with its
// length (fields computed per item are batched per request).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statementsExecuted } from "../src/db/audit";
import { startTestServer, type TestServer } from "./helpers/server";

let server: TestServer;
let coordinator: string;

beforeAll(async () => {
  server = await startTestServer();
  coordinator = await server.login("coordinatrice.grosseto@legami.demo");
});

afterAll(async () => {
  await server?.close();
});

/** SQL statements one GraphQL request costs (the token is resolved once per request too). */
async function cost(query: string, variables: Record<string, unknown> = {}, token = coordinator) {
  const before = statementsExecuted();
  const result = await server.gql(query, variables, { token });
  expect(result.errors).toBeUndefined();
  return { statements: statementsExecuted() - before, data: result.data };
}

describe("statements per list", () => {
  it("the register: a page of 50 citizens costs what a page of 5 costs", async () => {
    const CITIZENS = `query($n: Int!) { citizens(first: $n) { edges { node { id enrolmentRequirementsMissing languages { languageCode } skills { level } } } } }`;
    const small = await cost(CITIZENS, { n: 5 });
    const large = await cost(CITIZENS, { n: 50 });
    expect(large.data.citizens.edges).toHaveLength(50);
    expect(large.statements).toBe(small.statements);
  });

  it("pacts with their hours: all of them cost what one citizen's cost", async () => {
    const PACTS = `query($c: ID) { pacts(citizenId: $c) { id hours { plannedMinutes usedMinutes remainingBudgetMinutes } } }`;
    const citizen = await server.database.prisma.pactCitizen.findFirstOrThrow();
    const one = await cost(PACTS, { c: citizen.citizenId });
    const all = await cost(PACTS, {});
    expect(all.data.pacts.length).toBeGreaterThan(20);
    expect(all.statements).toBe(one.statements);
  });

  it("shared houses with their households: two houses cost what one costs", async () => {
    const tutor = await server.login("tutor.abitare@legami.demo");
    const houses = await cost(`{ houses { id households { id name } } }`, {}, tutor);
    expect(houses.data.houses).toHaveLength(2);
    const one = await cost(`query($id: ID!) { house(id: $id) { ... on House { id households { id name } } } }`, { id: houses.data.houses[0].id }, tutor);
    // The single house is checked for access first (two statements more); the list is not.
    expect(houses.statements).toBeLessThanOrEqual(one.statements);
  });
});
