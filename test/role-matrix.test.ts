// Data minimisation by role, as a matrix: every root query and mutation, for every role, called
// with real ids of objects that belong to somebody else (another citizen's offer, commitment and
// pact; a family; the shared house the resident does not live in; the first territory's objects
// for the other territory's coordinator). "-" means the call must be refused (UNAUTHENTICATED,
// FORBIDDEN, or NOT_FOUND, which is how objects outside one's sight answer, so ids cannot be
// probed); "+" means the call gets through (it may still end with a typed error about its input or
// the object's state). A new root field fails the test until it is classified here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../src/graphql/schema";
import { documentFor, operationFor, rootFields } from "./helpers/operations";
import { prepareMatrix, ROLES } from "./helpers/role-matrix-setup";
import { startTestServer, type TestServer } from "./helpers/server";

//                        roles: ANONYMOUS CITIZEN RESIDENT TUTOR COORDINATOR OTHER_COORDINATOR ADMIN
const QUERIES: Record<string, string> = {
  auditLog: "------+",
  citizen: "----+-+",
  citizens: "----+++",
  eligibility: "----+-+",
  exportMyData: "-++++++",
  families: "----+++",
  family: "----+-+",
  hoursLedger: "-+--+++",
  house: "---++-+",
  houseCalendar: "---++-+",
  housePlan: "---++-+",
  houseRotaBalance: "---++-+",
  houses: "-++++++",
  matchingRun: "----+-+",
  matchingRuns: "----+++",
  me: "+++++++",
  municipalities: "+++++++",
  myCitizenProfile: "-++++++",
  myCommitments: "-+-----",
  myHoursStatement: "-+-----",
  myHousehold: "--+----",
  myNotifications: "-++++++",
  myOffers: "-+-----",
  myPacts: "-+-----",
  occurrenceView: "-+-++-+",
  occurrences: "----+++",
  pact: "----+-+",
  pacts: "----+++",
  programmeReport: "----+-+",
  regulation: "-++++++",
  skills: "+++++++",
  task: "----+-+",
  territories: "+++++++",
  trainingCourses: "+++++++",
};

const MUTATIONS: Record<string, string> = {
  login: "+++++++",
  registerCitizen: "+++++++",
  acceptOffer: "-------",
  addHousehold: "---++-+",
  assignCitizen: "----+-+",
  cancelOccurrence: "----+-+",
  cancelTask: "----+-+",
  changeEnrolmentStatus: "----+-+",
  changePactStatus: "----+-+",
  confirmHours: "----+-+",
  correctHours: "----+-+",
  createAutonomyPlan: "----+-+",
  createCalendarFeed: "-+-----",
  createCitizen: "----+-+",
  createFamily: "----+-+",
  createHouse: "----+-+",
  createHouseCalendarFeed: "---++-+",
  createHouseholdCalendarFeed: "---++-+",
  createHousingActivity: "---++-+",
  createMicroProject: "----+-+",
  createSkill: "----+++",
  createTask: "----+-+",
  decideMatchingPair: "----+-+",
  declineOffer: "-------",
  eraseCitizen: "------+",
  eraseFamily: "------+",
  logHours: "-------",
  markNotificationsRead: "-++++++",
  moveHousingOccurrence: "---++-+",
  pinHousingOccurrence: "---++-+",
  planHousePeriod: "---++-+",
  proposePact: "----+-+",
  publishHousePlan: "---++-+",
  publishMatchingRun: "----+-+",
  publishRegulation: "------+",
  recordCriminalRecordCheck: "----+-+",
  recordHousingOccurrence: "---++-+",
  recordInsuranceCover: "----+-+",
  recordTraining: "----+-+",
  renewPact: "----+-+",
  replanHousePlan: "---++-+",
  revokeCalendarFeeds: "-+-----",
  setCitizenAvailability: "----+-+",
  setCitizenLanguages: "----+-+",
  setCitizenSkills: "----+-+",
  setHousingActivityActive: "---++-+",
  setSkillActive: "----+++",
  startMatchingRun: "----+-+",
  updateCitizenProfile: "----+-+",
  updateHousehold: "---++-+",
  verifyCitizenSkill: "----+-+",
  withdrawCommitment: "----+-+",
};

let server: TestServer;
let matrix: Awaited<ReturnType<typeof prepareMatrix>>;

beforeAll(async () => {
  server = await startTestServer();
  matrix = await prepareMatrix(server);
});

afterAll(async () => {
  await server?.close();
});

/** "-" when the call was refused, "+" when it got through. */
async function outcome(kind: "query" | "mutation", field: string, role: (typeof ROLES)[number]): Promise<string> {
  const { query, variables } = operationFor(kind, field, matrix.idFor(field));
  const result = await server.gql(query, variables, { token: matrix.tokens[role] });
  const code = result.errors?.[0]?.extensions?.code;
  const typename = result.data?.[field]?.__typename;
  if (code === "UNAUTHENTICATED" || code === "FORBIDDEN" || code === "NOT_FOUND") return "-";
  if (typename === "ForbiddenError" || typename === "NotFoundError") return "-";
  // A town outside the caller's territory is unknown to them, as an object outside their sight.
  if (typename === "InputError" && result.data[field].code === "UNKNOWN_MUNICIPALITY") return "-";
  // Any other bad input means the placeholders never reached the access check: the cell would prove nothing.
  if (typename === "InputError")
    throw new Error(`${kind} ${field} as ${role}: the placeholder input is refused (${result.data[field].code} at ${result.data[field].field?.join(".")})`);
  if (result.errors) throw new Error(`${kind} ${field} as ${role}: ${result.errors[0]!.message}`);
  return "+";
}

/** Codes a nested field may answer with: a typed refusal (or a limit), never an unexpected error. */
const NESTED_CODES = new Set(["FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED", "QUERY_TOO_COMPLEX", "OPERATION_TIMEOUT"]);

describe("role matrix", { timeout: 180_000 }, () => {
  it("follows the nested fields of every query a role is let through: each answers or refuses, typed", async () => {
    const problems: string[] = [];
    let cells = 0;
    let refusedWhole = 0;
    for (const [field, row] of Object.entries(QUERIES).sort()) {
      const definition = schema.getQueryType()!.getFields()[field]!;
      for (const [i, role] of ROLES.entries()) {
        if (row[i] !== "+") continue;
        const { variables } = operationFor("query", field, matrix.idFor(field));
        const result = await server.gql(documentFor(definition, matrix.idFor(field), "all", "query", 3), variables, { token: matrix.tokens[role] });
        cells += 1;
        // A document refused as a whole (too costly) reads nothing: counted, so the walk cannot pass on refusals alone.
        if (result.data == null || result.errors?.some((e) => e.extensions?.code === "QUERY_TOO_COMPLEX")) refusedWhole += 1;
        for (const error of result.errors ?? []) {
          const code = String(error.extensions?.code ?? "none");
          if (!NESTED_CODES.has(code))
            problems.push(`${field} as ${role} at ${(error as { path?: unknown[] }).path?.join(".") ?? "-"}: ${code} ${error.message}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(cells).toBeGreaterThan(50);
    expect(refusedWhole, `${refusedWhole} of ${cells} documents refused whole`).toBeLessThan(cells / 4);
  });

  for (const [kind, table] of [
    ["query", QUERIES],
    ["mutation", MUTATIONS],
  ] as const) {
    it(`classifies every root ${kind}`, () => {
      expect(Object.keys(table).sort()).toEqual(rootFields(kind));
    });
    it(`refuses and allows every root ${kind} as classified, for every role`, async () => {
      const seen: Record<string, string> = {};
      for (const field of Object.keys(table).sort()) {
        let row = "";
        for (const role of ROLES) row += await outcome(kind, field, role);
        seen[field] = row;
      }
      expect(seen).toEqual(Object.fromEntries(Object.entries(table).sort()));
    });
  }
});
