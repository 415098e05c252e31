// Personal data only to those who may read it, on every path: generated from the schema. For each
// role, every root query is called with real ids of other people's objects (the role matrix's),
// selecting every field marked personal at every depth the schema allows (no type twice on a
// path); in the answer, each personal field of each object is checked against the rule, stated
// here again from the data: a person's own data; administrators; coordinators of the person's
// territory; tutors of the person's house (households); residents of the house (how households
// are named). Refused means null with FORBIDDEN at that path; allowed means no such error. A
// new personal field is covered without a change here; a new type with personal fields fails
// until its subject is said below.
import { getNamedType, isLeafType, isNonNullType, isObjectType, isUnionType, type GraphQLObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERSONAL_EXTENSION } from "../src/graphql/personal";
import { schema } from "../src/graphql/schema";
import { literal, value } from "./helpers/operations";
import { prepareMatrix, ROLES, type MatrixRole } from "./helpers/role-matrix-setup";
import { startTestServer, TEST_NOW, type TestServer } from "./helpers/server";

const MAX_DEPTH = 7;

let server: TestServer;
let matrix: Awaited<ReturnType<typeof prepareMatrix>>;

/** What the rule needs to know of each role's viewer. */
interface ViewerFacts {
  role: MatrixRole;
  userId: string;
  citizenId: string | null;
  territoryId: string | null;
  tutorHouses: Set<string>;
  residentHouses: Set<string>;
}

type Subject =
  | { kind: "citizen"; citizenIds: string[]; territoryId: string | null }
  | { kind: "user"; userId: string; territoryId: string | null }
  | { kind: "household"; houseIds: string[]; territoryId: string | null; contactUserIds: string[] }
  | { kind: "staff"; territoryId: string | null; houseIds: string[] }
  | { kind: "house"; houseIds: string[]; territoryId: string | null };

/** The rule, restated: who may read data about a subject. */
function allowed(viewer: ViewerFacts | null, subject: Subject): boolean {
  if (!viewer) return false;
  if (viewer.role === "ADMIN") return true;
  if (viewer.role === "COORDINATOR" || viewer.role === "OTHER_COORDINATOR") return viewer.territoryId === subject.territoryId;
  const any = (houses: string[], of: Set<string>) => houses.some((h) => of.has(h));
  switch (subject.kind) {
    case "citizen":
      return viewer.citizenId !== null && subject.citizenIds.includes(viewer.citizenId);
    case "user":
      return viewer.userId === subject.userId;
    case "household":
      return (
        (viewer.role === "TUTOR" && any(subject.houseIds, viewer.tutorHouses)) || (viewer.role === "RESIDENT" && subject.contactUserIds.includes(viewer.userId))
      );
    case "staff":
      return viewer.role === "TUTOR" && any(subject.houseIds, viewer.tutorHouses);
    case "house":
      return (
        (viewer.role === "TUTOR" && any(subject.houseIds, viewer.tutorHouses)) || (viewer.role === "RESIDENT" && any(subject.houseIds, viewer.residentHouses))
      );
  }
}

interface Facts {
  viewers: Record<MatrixRole, ViewerFacts | null>;
  citizenTerritory: Map<string, string>;
  userTerritory: Map<string, string | null>;
  family: Map<string, { territoryId: string; houseIds: string[]; contactUserIds: string[] }>;
  household: Map<string, { houseId: string; contactUserId: string | null; familyId: string }>;
  houseTerritory: Map<string, string>;
  task: Map<string, { territoryId: string; familyId: string }>;
  occurrenceTask: Map<string, string>;
  housingOccurrenceHouse: Map<string, string>;
  pactCitizens: Map<string, string[]>;
}

let facts: Facts;

async function readFacts(): Promise<Facts> {
  const prisma = server.database.prisma;
  const [citizens, users, families, households, houses, tutors, tasks, occurrences, housingOccurrences, pactCitizens] = await Promise.all([
    prisma.citizen.findMany({ select: { id: true, userId: true, homeMunicipality: { select: { territoryId: true } } } }),
    prisma.user.findMany({ select: { id: true, email: true, territoryId: true, citizen: { select: { id: true } } } }),
    prisma.family.findMany({
      select: { id: true, municipality: { select: { territoryId: true } }, households: { select: { houseId: true, contactUserId: true } } },
    }),
    prisma.household.findMany({ select: { id: true, houseId: true, contactUserId: true, familyId: true } }),
    prisma.house.findMany({ select: { id: true, territoryId: true } }),
    prisma.houseTutor.findMany(),
    prisma.task.findMany({ select: { id: true, territoryId: true, familyId: true } }),
    prisma.taskOccurrence.findMany({ select: { id: true, taskId: true } }),
    prisma.housingOccurrence.findMany({ select: { id: true, plan: { select: { houseId: true } } } }),
    prisma.pactCitizen.findMany(),
  ]);
  const viewerOf = async (role: MatrixRole): Promise<ViewerFacts | null> => {
    const token = matrix.tokens[role];
    if (!token) return null;
    const me = (await server.gql(`{ me { id } }`, {}, { token })).data.me;
    const user = users.find((u) => u.id === me.id)!;
    return {
      role,
      userId: user.id,
      citizenId: user.citizen?.id ?? null,
      territoryId: user.territoryId,
      tutorHouses: new Set(tutors.filter((t) => t.userId === user.id).map((t) => t.houseId)),
      residentHouses: new Set(households.filter((h) => h.contactUserId === user.id).map((h) => h.houseId)),
    };
  };
  const viewers = Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, await viewerOf(role)]))) as Facts["viewers"];
  const pacts = new Map<string, string[]>();
  for (const p of pactCitizens) pacts.set(p.pactId, [...(pacts.get(p.pactId) ?? []), p.citizenId]);
  return {
    viewers,
    citizenTerritory: new Map(citizens.map((c) => [c.id, c.homeMunicipality.territoryId])),
    userTerritory: new Map(users.map((u) => [u.id, u.territoryId])),
    family: new Map(
      families.map((f) => [
        f.id,
        {
          territoryId: f.municipality.territoryId,
          houseIds: f.households.map((h) => h.houseId),
          contactUserIds: f.households.flatMap((h) => (h.contactUserId ? [h.contactUserId] : [])),
        },
      ]),
    ),
    household: new Map(households.map((h) => [h.id, h])),
    houseTerritory: new Map(houses.map((h) => [h.id, h.territoryId])),
    task: new Map(tasks.map((t) => [t.id, t])),
    occurrenceTask: new Map(occurrences.map((o) => [o.id, o.taskId])),
    housingOccurrenceHouse: new Map(housingOccurrences.map((o) => [o.id, o.plan.houseId])),
    pactCitizens: pacts,
  };
}

type Ancestors = { type: string; value: Record<string, any> }[];

const citizen = (ids: string[]): Subject => ({ kind: "citizen", citizenIds: ids, territoryId: facts.citizenTerritory.get(ids[0]!) ?? null });
const familySubject = (id: string): Subject => {
  const f = facts.family.get(id)!;
  return { kind: "household", houseIds: f.houseIds, territoryId: f.territoryId, contactUserIds: f.contactUserIds };
};
const nearest = (ancestors: Ancestors, type: string) => [...ancestors].reverse().find((a) => a.type === type)?.value;

/** Whom each type's personal fields are about, from the answer (and its ancestors) and the data. */
const SUBJECTS: Record<string, (object: Record<string, any>, ancestors: Ancestors, field: string) => Subject> = {
  Citizen: (c) => citizen([c.id]),
  User: (u) => ({ kind: "user", userId: u.id, territoryId: facts.userTerritory.get(u.id) ?? null }),
  Family: (f) => familySubject(f.id),
  FamilyMember: (_m, ancestors) => familySubject(nearest(ancestors, "Family")!.id),
  Task: (t) => {
    const task = facts.task.get(t.id)!;
    return { kind: "staff", territoryId: task.territoryId, houseIds: facts.family.get(task.familyId)?.houseIds ?? [] };
  },
  TaskOccurrence: (o) => ({ kind: "staff", territoryId: facts.task.get(facts.occurrenceTask.get(o.id)!)!.territoryId, houseIds: [] }),
  Commitment: (c) => citizen([c.citizenId]),
  HoursEntry: (_e, ancestors) => citizen([nearest(ancestors, "Commitment")!.citizenId]),
  Offer: (o) => citizen([o.citizenId]),
  PactEvent: (_e, ancestors) => citizen(facts.pactCitizens.get(nearest(ancestors, "CollaborationPact")!.id)!),
  Household: (h, _a, field) => {
    const household = facts.household.get(h.id)!;
    const territoryId = facts.houseTerritory.get(household.houseId)!;
    if (field === "busy" || field === "familyId")
      return { kind: "household", houseIds: [household.houseId], territoryId, contactUserIds: household.contactUserId ? [household.contactUserId] : [] };
    return { kind: "house", houseIds: [household.houseId], territoryId };
  },
  House: (h) => ({ kind: "house", houseIds: [h.id], territoryId: facts.houseTerritory.get(h.id)! }),
  HousingOccurrence: (o) => {
    const houseId = facts.housingOccurrenceHouse.get(o.id)!;
    return { kind: "staff", territoryId: facts.houseTerritory.get(houseId)!, houseIds: [houseId] };
  },
};

/**
 * The fields these types show to anyone who reaches the object: everything else on them must be
 * marked personal. A field added to one of these types fails here until it is classified.
 */
const PUBLIC_FIELDS: Record<string, string[]> = {
  Citizen: ["displayName", "id"],
  User: ["displayName", "id", "role"],
  Family: ["id"],
  FamilyMember: ["id"],
  Task: ["activityKind", "durationMinutes", "id", "scheduleKind", "startTime", "status"],
  TaskOccurrence: ["endsAt", "id", "localDate", "startsAt", "status", "task"],
  Commitment: ["citizenId", "id", "occurrence", "pactId"],
  HoursEntry: ["at", "id", "kind", "minutes", "refersToId"],
  Offer: ["citizenId", "id", "occurrence", "occurrenceId", "partOfSeries", "source"],
  PactEvent: ["at", "fromStatus", "id", "toStatus"],
  Household: ["id"],
  House: ["activities", "households", "id", "municipality", "name", "plans", "quietHours", "spaces", "tutors"],
  HousingOccurrence: ["activity", "attendance", "duty", "endsAt", "id", "pinned", "recordedAt", "startsAt", "status"],
};

const isPersonal = (type: GraphQLObjectType, field: string) => Boolean(type.getFields()[field]!.extensions?.[PERSONAL_EXTENSION]);

/** The selection of every personal field (and the ids the subjects are read from) under `type`, no type twice on a path. */
function selectionOf(type: GraphQLObjectType, ids: (arg: string) => string, depth: number, path: Set<string>): string {
  const parts = ["__typename"];
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    const args = field.args.filter((a) => isNonNullType(a.type));
    const call = args.length ? `(${args.map((a) => `${a.name}: ${literal(a.type, value(a.type, a.name, ids))}`).join(", ")})` : "";
    if (isLeafType(named)) {
      if (isPersonal(type, field.name) || field.name === "id" || field.name.endsWith("Id")) parts.push(`${field.name}${call}`);
      continue;
    }
    if (depth >= MAX_DEPTH) continue;
    const members = isUnionType(named) ? named.getTypes() : isObjectType(named) ? [named] : [];
    const inner = members
      .filter((m) => !path.has(m.name))
      .map((m) => {
        const sub = selectionOf(m, ids, depth + 1, new Set([...path, m.name]));
        return isUnionType(named) ? `... on ${m.name} { ${sub} }` : sub;
      })
      .filter((s) => s.includes(" "));
    // A personal object is selected even when nothing under it is: the field itself is checked.
    if (inner.length > 0 || isPersonal(type, field.name)) parts.push(`${field.name}${call} { __typename ${inner.join(" ")} }`);
  }
  return parts.join(" ");
}

interface Checked {
  allowed: number;
  refused: number;
}

/** Walks an answer along its types; calls `check` for each personal field of each object. */
function walk(
  type: GraphQLObjectType,
  object: Record<string, any>,
  path: (string | number)[],
  ancestors: Ancestors,
  check: (type: GraphQLObjectType, field: string, object: Record<string, any>, path: string, ancestors: Ancestors) => void,
) {
  const actual = object.__typename ? (schema.getType(object.__typename) as GraphQLObjectType) : type;
  const here = [...ancestors, { type: actual.name, value: object }];
  for (const [name, v] of Object.entries(object)) {
    if (name === "__typename") continue;
    const field = actual.getFields()[name];
    if (!field) continue;
    if (isPersonal(actual, name)) check(actual, name, object, [...path, name].join("."), here);
    const named = getNamedType(field.type);
    if (v === null || isLeafType(named)) continue;
    const next = (item: Record<string, any>, at: (string | number)[]) =>
      walk(isObjectType(named) ? named : (schema.getType(item.__typename) as GraphQLObjectType), item, at, here, check);
    if (Array.isArray(v))
      v.forEach((item, k) => {
        if (item) next(item, [...path, name, k]);
      });
    else next(v, [...path, name]);
  }
}

beforeAll(async () => {
  server = await startTestServer({ limits: { maxDepth: 40, maxTokens: 200_000, maxCost: 1e12, maxAliases: 100, maxDirectives: 100, maxBodyBytes: 5_000_000 } });
  matrix = await prepareMatrix(server);
  // A pact proposed for two citizens: each sees the other's display name only, even before signing.
  const a = (await server.gql(`{ me { citizen { id } } }`, {}, { token: matrix.tokens.CITIZEN })).data.me.citizen.id;
  const b = matrix.idFor("citizen")("id");
  const proposed = await server.gql(
    `mutation($c: [ID!]!, $m: [ID!]!) { proposePact(input: { title: "Doposcuola insieme", objectives: "Aiuto compiti", rolesAndCommitments: "Insieme", formsOfSupport: "Formazione", monitoringAndReporting: "Mensile", suspensionAndTermination: "Con preavviso", activityKinds: [HOMEWORK_HELP], municipalityIds: $m, citizenIds: $c, startDate: "2029-01-01", endDate: "2029-06-30", hourBudgetHours: 50, insurancePolicy: "POL-1", insuranceFrom: "2029-01-01", insuranceTo: "2029-06-30" }) { __typename ... on Error { code message } } }`,
    { c: [a, b], m: [matrix.idFor("")("municipalityId")] },
    { token: matrix.tokens.COORDINATOR },
  );
  expect(proposed.data.proposePact.__typename, JSON.stringify(proposed.data)).toBe("CollaborationPact");
  // Hours logged on the other citizen's commitment, with a note: ledger lines to reach.
  const commitmentId = matrix.idFor("logHours")("commitmentId");
  const commitment = await server.database.prisma.commitment.findUniqueOrThrow({
    where: { id: commitmentId },
    include: { occurrence: true, citizen: { include: { user: true } } },
  });
  server.setNow(new Date(commitment.occurrence.endsAt.getTime() + 3_600_000));
  try {
    const logged = await server.gql(
      `mutation($c: ID!) { logHours(commitmentId: $c, minutes: 60, note: "Abbiamo letto insieme") { __typename ... on Error { code } } }`,
      { c: commitmentId },
      { token: await server.login(commitment.citizen.user!.email) },
    );
    expect(logged.data.logHours.__typename).not.toMatch(/Error$/);
  } finally {
    server.setNow(TEST_NOW);
  }
  facts = await readFacts();
});

afterAll(async () => {
  await server?.close();
});

describe("personal data on every path", { timeout: 600_000 }, () => {
  it("every type with personal fields has its subject said here", () => {
    const typesWithPersonal = Object.values(schema.getTypeMap())
      .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith("__"))
      .filter((t) => Object.keys(t.getFields()).some((f) => isPersonal(t, f)))
      .map((t) => t.name)
      .sort();
    expect(typesWithPersonal).toEqual(Object.keys(SUBJECTS).sort());
  });

  it("marks personal every field of those types but the few shown to anyone", () => {
    const publicNow = Object.fromEntries(
      Object.keys(PUBLIC_FIELDS).map((name) => [
        name,
        Object.keys((schema.getType(name) as GraphQLObjectType).getFields())
          .filter((f) => !isPersonal(schema.getType(name) as GraphQLObjectType, f))
          .sort(),
      ]),
    );
    expect(publicNow).toEqual(Object.fromEntries(Object.entries(PUBLIC_FIELDS).map(([k, v]) => [k, [...v].sort()])));
    expect(Object.keys(PUBLIC_FIELDS).sort()).toEqual(Object.keys(SUBJECTS).sort());
  });

  it("answers each personal field to exactly those the rule allows, for every role and root query", async () => {
    const query = schema.getQueryType()!;
    const reached = new Map<string, Checked>();
    const wrong: string[] = [];
    for (const role of ROLES) {
      const viewer = facts.viewers[role];
      for (const field of Object.values(query.getFields())) {
        const ids = matrix.idFor(field.name);
        const named = getNamedType(field.type);
        if (isLeafType(named)) continue;
        const args = field.args.filter((a) => isNonNullType(a.type));
        const call = args.length ? `(${args.map((a) => `${a.name}: ${literal(a.type, value(a.type, a.name, ids))}`).join(", ")})` : "";
        const members = isUnionType(named) ? named.getTypes() : [named as GraphQLObjectType];
        const inner = members
          .map((m) => (isUnionType(named) ? `... on ${m.name} { ${selectionOf(m, ids, 1, new Set([m.name]))} }` : selectionOf(m, ids, 1, new Set([m.name]))))
          .join(" ");
        const document = `{ ${field.name}${call} { __typename ${inner} } }`;
        const result = await server.gql(document, {}, { token: matrix.tokens[role] });
        const forbidden = new Set((result.errors ?? []).filter((e: any) => e.extensions?.code === "FORBIDDEN").map((e: any) => (e.path ?? []).join(".")));
        const unexpected = (result.errors ?? []).filter((e: any) => !["FORBIDDEN", "UNAUTHENTICATED", "NOT_FOUND"].includes(e.extensions?.code));
        expect(unexpected, `${role} ${field.name}: ${JSON.stringify(unexpected.slice(0, 2))}`).toEqual([]);
        const root = result.data?.[field.name];
        if (!root) continue;
        const check = (type: GraphQLObjectType, name: string, object: Record<string, any>, path: string, ancestors: Ancestors) => {
          const subjectOf = SUBJECTS[type.name];
          if (!subjectOf) throw new Error(`no subject for ${type.name}`);
          const may = allowed(viewer, subjectOf(object, ancestors, name));
          const refused = forbidden.has(path);
          const key = `${type.name}.${name}`;
          const count = reached.get(key) ?? { allowed: 0, refused: 0 };
          if (may) count.allowed += 1;
          else count.refused += 1;
          reached.set(key, count);
          if (may && refused) wrong.push(`${role} was refused ${key} at ${path}`);
          if (!may && (!refused || object[name] !== null)) wrong.push(`${role} read ${key} at ${path}: ${JSON.stringify(object[name]).slice(0, 80)}`);
        };
        const items = Array.isArray(root) ? root : [root];
        items.forEach((item: any, k: number) => {
          if (item)
            walk(
              isObjectType(named) ? named : (schema.getType(item.__typename) as GraphQLObjectType),
              item,
              Array.isArray(root) ? [field.name, k] : [field.name],
              [],
              check,
            );
        });
      }
    }
    expect(wrong.slice(0, 30)).toEqual([]);
    // Every personal field was reached by some role on some path (most are refused to someone
    // there; those reached only from staff-only roots are refused at the root).
    const personalFields = Object.values(schema.getTypeMap())
      .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith("__"))
      .flatMap((t) =>
        Object.keys(t.getFields())
          .filter((f) => isPersonal(t, f))
          .map((f) => `${t.name}.${f}`),
      );
    const unreached = personalFields.filter((f) => !reached.has(f));
    expect(unreached).toEqual([]);
    const refusedSomewhere = personalFields.filter((f) => (reached.get(f)?.refused ?? 0) > 0);
    expect(refusedSomewhere.length).toBeGreaterThan(20);
  });
});
