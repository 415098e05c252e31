// The people and the objects of the role matrix: one of each role, and real ids of objects that
// belong to somebody else (another citizen's offer, commitment and pact; a family; the shared
// house the resident does not live in; another territory's coordinator), so every check is also
// a check against guessing ids (IDOR).
import { randomUUID } from "node:crypto";
import { DEMO_PASSWORD } from "../../src/demo/seed";
import type { TestServer } from "./server";

export const ROLES = ["ANONYMOUS", "CITIZEN", "RESIDENT", "TUTOR", "COORDINATOR", "OTHER_COORDINATOR", "ADMIN"] as const;
export type MatrixRole = (typeof ROLES)[number];

const HOUSING_OCCURRENCE_FIELDS = new Set(["moveHousingOccurrence", "pinHousingOccurrence", "recordHousingOccurrence"]);

export async function prepareMatrix(server: TestServer) {
  const prisma = server.database.prisma;
  const territory = await prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } });
  const coordinator = await server.login("coordinatrice.grosseto@legami.demo");
  const tutor = await server.login("tutor.abitare@legami.demo");
  const run = (
    await server.gql(
      `mutation($t: ID!) { startMatchingRun(territoryId: $t, weekStart: "2026-11-23") { ... on MatchingRun { id } } }`,
      { t: territory.id },
      { token: coordinator },
    )
  ).data.startMatchingRun;
  await server.jobsIdle();
  await server.gql(`mutation($id: ID!) { publishMatchingRun(runId: $id, responseHours: 48) { __typename } }`, { id: run.id }, { token: coordinator });
  const offers = await prisma.offer.findMany({ where: { runId: run.id }, orderBy: { id: "asc" }, include: { citizen: { include: { user: true } } } });
  // Citizen A signs in; citizen B owns the objects A must not reach.
  const a = offers[0]!.citizen;
  const bOffer = offers.find((o) => o.citizenId !== a.id)!;
  const b = bOffer.citizen;
  const bToken = await server.login(b.user!.email, DEMO_PASSWORD);
  const accepted = (
    await server.gql(
      `mutation($id: ID!) { acceptOffer(offerId: $id) { ... on AcceptOfferSuccess { data { commitment { id } } } } }`,
      { id: bOffer.id },
      { token: bToken },
    )
  ).data.acceptOffer;
  const bOpenOffer = await prisma.offer.findFirst({ where: { citizenId: b.id, status: "OFFERED" } });
  const follonica = await prisma.house.findFirstOrThrow({ where: { name: "Casa Condivisa Follonica" }, include: { households: true, activities: true } });
  const plan = (
    await server.gql(
      `mutation($h: ID!) { planHousePeriod(houseId: $h, from: "2026-12-01", to: "2026-12-08") { ... on HousePlan { id occurrences { id } } } }`,
      { h: follonica.id },
      { token: tutor },
    )
  ).data.planHousePeriod;
  const family = await prisma.family.findFirstOrThrow({
    where: { referenceName: "Popescu" },
    include: { plans: { include: { microProjects: { include: { tasks: { include: { occurrences: true } } } } } } },
  });
  const project = family.plans[0]!.microProjects[0]!;
  const task = project.tasks[0]!;
  const pact = await prisma.pactCitizen.findFirstOrThrow({ where: { citizenId: b.id } });
  const users = await prisma.user.findMany({ where: { role: { in: ["TUTOR", "RESIDENT", "COORDINATOR"] } } });

  const tokens: Record<MatrixRole, string | undefined> = {
    ANONYMOUS: undefined,
    CITIZEN: await server.login(a.user!.email, DEMO_PASSWORD),
    RESIDENT: await server.login("residente.elamrani@legami.demo"),
    TUTOR: tutor,
    COORDINATOR: coordinator,
    OTHER_COORDINATOR: await server.login("coordinator@other.demo"),
    ADMIN: await server.login("admin@legami.demo"),
  };

  const byArg: Record<string, string> = {
    citizenId: b.id,
    citizenIds: b.id,
    familyId: family.id,
    houseId: follonica.id,
    householdId: follonica.households[0]!.id,
    offerId: (bOpenOffer ?? bOffer).id,
    commitmentId: accepted.data[0].commitment.id,
    pactId: pact.pactId,
    runId: run.id,
    activityId: follonica.activities[0]!.id,
    taskId: task.id,
    microProjectId: project.id,
    territoryId: territory.id,
    municipalityId: follonica.municipalityId,
    municipalityIds: follonica.municipalityId,
    homeMunicipalityId: follonica.municipalityId,
    contactUserId: users.find((u) => u.role === "RESIDENT")!.id,
    coordinatorId: users.find((u) => u.role === "COORDINATOR")!.id,
    tutorIds: users.find((u) => u.role === "TUTOR")!.id,
  };
  const byFieldId: Record<string, string> = {
    citizen: b.id,
    family: family.id,
    house: follonica.id,
    housePlan: plan.id,
    matchingRun: run.id,
    pact: pact.pactId,
    task: task.id,
    occurrenceView: task.occurrences[0]!.id,
  };
  /** The id for an argument of a field. */
  const idFor = (field: string) => (arg: string) => {
    if (arg === "id") return byFieldId[field] ?? randomUUID();
    if (arg === "occurrenceId") return HOUSING_OCCURRENCE_FIELDS.has(field) ? plan.occurrences[0].id : task.occurrences[0]!.id;
    if (arg === "planId") return field === "createMicroProject" ? family.plans[0]!.id : plan.id;
    return byArg[arg] ?? randomUUID();
  };
  return { tokens, idFor };
}
