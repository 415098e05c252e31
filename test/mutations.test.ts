// Nothing a client sends ends in "Unexpected error", and an error writes nothing: generated from
// the schema. Every mutation is called with every field of its payload selected, at every depth
// (no type twice on a path), as an administrator with real ids of other people's objects; then
// with a hostile value in each argument and each field of its inputs in turn (control
// characters, a NUL, lone surrogates, text far too long, extreme numbers, dates out of range,
// ids that are not ids). An answer may be a typed error or a GraphQL error with a code; it may
// never be INTERNAL_SERVER_ERROR, and when it is an error the audit log (every write to a domain
// table, with the request's id) holds nothing of that request.
import { getNamedType, isNonNullType, isObjectType, isUnionType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Context } from "../src/graphql/context";
import { reread, rereadMany } from "../src/graphql/payload";
import { schema } from "../src/graphql/schema";
import { documentFor, HOSTILE, positions, value, withValue as placed } from "./helpers/operations";
import { prepareMatrix } from "./helpers/role-matrix-setup";
import { startTestServer, type TestServer } from "./helpers/server";

let server: TestServer;
let matrix: Awaited<ReturnType<typeof prepareMatrix>>;

/** Rows the request wrote: the audit log records every write to a domain table with the request's id (jobs it set off write under their own). */
const writtenBy = async (requestId: string) => {
  const [row] = await server.database.prisma.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM "AuditLog" WHERE "requestId" = $1 AND "tableName" <> 'LoginThrottle'`,
    requestId,
  );
  return Number(row!.n);
};
let requests = 0;
const nextRequestId = () => `mutations-test-${++requests}`;

const isError = (answer: any, field: string) => Boolean(answer.errors?.length) || /Error$/.test(answer.data?.[field]?.__typename ?? "");

beforeAll(async () => {
  server = await startTestServer();
  matrix = await prepareMatrix(server);
});

afterAll(async () => {
  await server?.close();
});

// Erasing people and publishing would change what later calls find: they come last.
const LAST = new Set(["eraseCitizen", "eraseFamily", "publishRegulation"]);
const mutations = () =>
  Object.values(schema.getMutationType()!.getFields()).sort((a, b) => Number(LAST.has(a.name)) - Number(LAST.has(b.name)) || a.name.localeCompare(b.name));

describe("mutations", { timeout: 600_000 }, () => {
  it("answer every nested field of their payloads, never Unexpected error, and write nothing when they refuse", async () => {
    const unexpected: string[] = [];
    const succeeded = new Set<string>();
    for (const field of mutations()) {
      const ids = matrix.idFor(field.name);
      const document = documentFor(field, ids);
      const variables = Object.fromEntries(field.args.filter((a) => isNonNullType(a.type)).map((a) => [a.name, value(a.type, a.name, ids)]));
      for (const role of ["ADMIN", "COORDINATOR"] as const) {
        const requestId = nextRequestId();
        const answer: any = await server.gql(document, variables, { token: matrix.tokens[role], requestId });
        const internal = (answer.errors ?? []).filter((e: any) => e.extensions?.code === "INTERNAL_SERVER_ERROR" || e.message === "Unexpected error.");
        if (internal.length > 0) unexpected.push(`${role} ${field.name}: ${internal[0].path?.join(".")}`);
        if (!isError(answer, field.name)) succeeded.add(field.name);
        if (isError(answer, field.name)) {
          const written = await writtenBy(requestId);
          if (written !== 0)
            unexpected.push(
              `${role} ${field.name} refused (${answer.data?.[field.name]?.__typename ?? answer.errors?.[0]?.extensions?.code}), yet wrote ${written} rows`,
            );
        }
      }
    }
    expect(unexpected).toEqual([]);
    console.log(`succeeded: ${[...succeeded].sort().join(" ")}`);
  });

  it("answer every nested field of the payload after they succeed (the review's cases and more)", async () => {
    const prisma = server.database.prisma;
    const admin = matrix.tokens.ADMIN!;
    const coordinator = matrix.tokens.COORDINATOR!;
    const territory = await prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } });
    const municipality = await prisma.municipality.findFirstOrThrow({ where: { territoryId: territory.id }, orderBy: { name: "asc" } });
    const enrolled = await prisma.citizen.findMany({
      where: { status: "ENROLLED", homeMunicipality: { territoryId: territory.id } },
      orderBy: { email: "asc" },
    });
    // An occurrence and a citizen eligible for it, as the API itself says.
    const occurrences = await prisma.taskOccurrence.findMany({
      where: { startsAt: { gt: new Date("2026-11-24") }, status: "OPEN" },
      orderBy: { startsAt: "asc" },
      take: 40,
    });
    let assignable: { o: string; c: string } | null = null;
    for (const o of occurrences) {
      for (const c of enrolled) {
        const answer = await server.gql(
          `query($c: ID!, $o: ID!) { eligibility(citizenId: $c, occurrenceId: $o) { ... on Eligibility { eligible } } }`,
          { c: c.id, o: o.id },
          { token: coordinator },
        );
        if (answer.data?.eligibility?.eligible) {
          assignable = { o: o.id, c: c.id };
          break;
        }
      }
      if (assignable) break;
    }
    expect(assignable).not.toBeNull();
    const plan = await prisma.autonomyPlan.findFirstOrThrow({ include: { microProjects: true } });
    const pactInput = (citizenIds: string[]) => ({
      title: "Patto di prova",
      objectives: "Aiuto compiti",
      rolesAndCommitments: "Insieme",
      formsOfSupport: "Formazione",
      monitoringAndReporting: "Mensile",
      suspensionAndTermination: "Con preavviso",
      activityKinds: ["HOMEWORK_HELP"],
      municipalityIds: [municipality.id],
      citizenIds,
      startDate: "2030-01-01",
      endDate: "2030-06-30",
      hourBudgetHours: 20,
      insurancePolicy: "POL-9",
      insuranceFrom: "2030-01-01",
      insuranceTo: "2030-06-30",
    });
    const field = (name: string) => schema.getMutationType()!.getFields()[name]!;
    // Some calls select only __typename: a payload's reread must still work when the client selects nothing of the row.
    const run = async (name: string, variables: Record<string, unknown>, token = admin, selection: "full" | "typename" = "full") => {
      const answer: any = await server.gql(documentFor(field(name), matrix.idFor(name), selection === "full" ? "all" : "typename"), variables, { token });
      expect(answer.errors ?? [], `${name}: ${JSON.stringify(answer.errors?.[0])}`).toEqual([]);
      expect(answer.data[name].__typename, `${name}: ${JSON.stringify(answer.data[name]).slice(0, 200)}`).not.toMatch(/Error$/);
      return answer.data[name];
    };
    await run("assignCitizen", { occurrenceId: assignable!.o, citizenId: assignable!.c }, coordinator, "typename");
    const pact = await run("proposePact", { input: pactInput(enrolled.slice(0, 2).map((c) => c.id)) });
    await run("changePactStatus", { pactId: pact.id, to: "UNDER_REVIEW", reason: "Da rivedere" });
    await run("changePactStatus", { pactId: pact.id, to: "ACTIVE", reason: "Firmato" });
    await run("renewPact", { pactId: pact.id, startDate: "2030-07-01", endDate: "2030-12-31", hourBudgetHours: 10 });
    const family = await run("createFamily", {
      referenceName: "Famiglia di prova",
      municipalityId: municipality.id,
      languages: ["ar"],
      members: [{ firstName: "Amal", isMinor: true, birthYear: 2016 }],
    });
    const newPlan = await run("createAutonomyPlan", { familyId: family.id, goals: [{ area: "LANGUAGE", description: "Italiano A2" }] });
    await run("createMicroProject", { planId: newPlan.id, title: "Compiti", goal: "Compiti ogni settimana", startDate: "2026-12-01", endDate: "2027-06-30" });
    await run("createCitizen", {
      input: {
        firstName: "Nuova",
        lastName: "Volontaria",
        email: "nuova.volontaria@example.org",
        birthDate: "1990-05-01",
        homeMunicipalityId: municipality.id,
        weeklyHourLimit: 4,
        maxTravelMinutes: 30,
      },
    });
    await run("recordTraining", { citizenId: enrolled[0]!.id, courseCode: "REGULATION_BASICS", completedOn: "2026-11-01" }, admin, "typename");
    await run("recordCriminalRecordCheck", { citizenId: enrolled[0]!.id, checkedOn: "2026-11-01", expiresOn: "2027-11-01" });
    await run(
      "setCitizenLanguages",
      {
        citizenId: enrolled[0]!.id,
        languages: [
          { languageCode: "it", level: "NATIVE" },
          { languageCode: "fr", level: "B2" },
        ],
      },
      admin,
      "typename",
    );
    await run("updateCitizenProfile", { citizenId: enrolled[0]!.id, input: { phone: "+39 333 000 0000" } });
    await run("createSkill", { code: "STORYTELLING", nameIt: "Lettura ad alta voce", nameEn: "Reading aloud", activityKinds: ["HOMEWORK_HELP"] });
    void plan;
  });

  it("read a payload again even when the field's query selects nothing of the row", async () => {
    // Pothos hands a payload's resolver `select: {}` when the client asks only for __typename of
    // a type whose fields declare selections (Offer); Prisma refuses an empty select.
    const context = { prisma: server.database.prisma } as unknown as Context;
    const offers = await server.database.prisma.offer.findMany({ take: 2, orderBy: { id: "asc" } });
    expect(offers.length).toBe(2);
    expect((await rereadMany({ select: {} }, context, "Offer", offers)).map((o) => o.id)).toEqual(offers.map((o) => o.id));
    expect((await reread({ select: {} }, context, "Offer", offers[0]!)).id).toBe(offers[0]!.id);
    expect((await reread({ include: { commitment: true } }, context, "Offer", offers[0]!)).status).toBe(offers[0]!.status);
  });

  it("refuse hostile values in every argument with a code, and write nothing then", async () => {
    const problems: string[] = [];
    let calls = 0;
    for (const field of mutations()) {
      const ids = matrix.idFor(field.name);
      const required = field.args.filter((a) => isNonNullType(a.type));
      const defs = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(", ");
      const call = field.args.map((a) => `${a.name}: $${a.name}`).join(", ");
      const named = getNamedType(field.type);
      const selection = isUnionType(named) ? "{ __typename ... on Error { code } }" : isObjectType(named) ? "{ __typename }" : "";
      const document = `mutation(${defs}) { ${field.name}(${call}) ${selection} }`;
      const base = Object.fromEntries(required.map((a) => [a.name, value(a.type, a.name, ids)]));
      for (const { path, scalar } of positions(field)) {
        for (const hostile of HOSTILE[scalar] ?? []) {
          const variables = placed(base, field, path, hostile, ids);
          const requestId = nextRequestId();
          const answer: any = await server.gql(document, variables, { token: matrix.tokens.ADMIN, requestId });
          calls += 1;
          const internal = (answer.errors ?? []).find((e: any) => e.extensions?.code === "INTERNAL_SERVER_ERROR" || e.message === "Unexpected error.");
          const label = `${field.name}(${path.join(".")} = ${JSON.stringify(hostile).slice(0, 30)})`;
          if (internal) problems.push(`${label}: Unexpected error`);
          else if (answer.errors?.length && answer.errors.some((e: any) => !e.extensions?.code))
            problems.push(`${label}: an error without a code: ${answer.errors[0].message.slice(0, 80)}`);
          if (isError(answer, field.name) && (await writtenBy(requestId)) !== 0) problems.push(`${label}: refused, yet wrote`);
        }
      }
    }
    expect(calls).toBeGreaterThan(500);
    expect(problems.slice(0, 40)).toEqual([]);
  });
});
