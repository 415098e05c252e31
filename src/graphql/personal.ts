// Personal fields: each is declared with `personal(subjectOf)`, which marks it in the schema
// (the `personal` extension, which test/personal-data.test.ts walks from every role's root
// fields) and checks it with the one rule of src/auth/personal.ts. A field the caller may not
// read answers null with a FORBIDDEN error at its path; the rest of the object still answers.
// The subjects are found with per-request loaders, so a list costs a fixed number of queries.
import { maySeePersonalData, type Subject, type ViewerReach } from "../auth/personal";
import type { Context } from "./context";
import { loaderFor } from "./loaders";

/** The schema extension that marks a field as personal data. */
export const PERSONAL_EXTENSION = "personal";

type MaybePromise<T> = T | Promise<T>;

/** The houses the viewer reaches as a tutor (assigned) and as a resident (their household's), loaded once per request. */
export async function reachOf(context: Context): Promise<ViewerReach> {
  const viewer = context.viewer;
  if (!viewer || (viewer.role !== "TUTOR" && viewer.role !== "RESIDENT")) return { tutorHouseIds: new Set(), residentHouseIds: new Set() };
  const loader = loaderFor<string, { tutorHouseIds: Set<string>; residentHouseIds: Set<string> }>(context, "viewerReach", async (ids) => {
    const [tutors, households] = await Promise.all([
      context.prisma.houseTutor.findMany({ where: { userId: { in: [...ids] } }, select: { userId: true, houseId: true } }),
      context.prisma.household.findMany({ where: { contactUserId: { in: [...ids] } }, select: { contactUserId: true, houseId: true } }),
    ]);
    return ids.map((id) => ({
      tutorHouseIds: new Set(tutors.filter((t) => t.userId === id).map((t) => t.houseId)),
      residentHouseIds: new Set(households.filter((h) => h.contactUserId === id).map((h) => h.houseId)),
    }));
  });
  return loader.load(viewer.userId);
}

/** Field options of a personal field: the subject it is about decides who reads it. */
export function personal<Parent>(subjectOf: (parent: Parent, context: Context) => MaybePromise<Subject>) {
  return {
    nullable: true as const,
    extensions: { [PERSONAL_EXTENSION]: true },
    authScopes: async (parent: Parent, _args: unknown, context: Context) =>
      maySeePersonalData(context.viewer, await subjectOf(parent, context), await reachOf(context)),
  };
}

// --- subjects, found by per-request loaders -------------------------------------------------

const byIds = <V>(context: Context, name: string, load: (ids: string[]) => Promise<Map<string, V>>, fallback: V) =>
  loaderFor<string, V>(context, name, async (ids) => {
    const found = await load([...ids]);
    return ids.map((id) => found.get(id) ?? fallback);
  });

/** The territory of a citizen (their home municipality's). */
export function citizenTerritory(context: Context, citizenId: string): Promise<string | null> {
  return byIds<string | null>(
    context,
    "citizenTerritory",
    async (ids) =>
      new Map(
        (await context.prisma.citizen.findMany({ where: { id: { in: ids } }, select: { id: true, homeMunicipality: { select: { territoryId: true } } } })).map(
          (c) => [c.id, c.homeMunicipality.territoryId],
        ),
      ),
    null,
  ).load(citizenId);
}

/** A citizen's data: theirs, and their territory's staff. */
export async function citizenSubject(context: Context, citizenIds: string | readonly string[]): Promise<Subject> {
  const ids = typeof citizenIds === "string" ? [citizenIds] : citizenIds;
  const territories = await Promise.all(ids.map((id) => citizenTerritory(context, id)));
  // A subject of several citizens (a pact's history) is one territory's.
  return { kind: "citizen", citizenIds: ids, territoryId: territories[0] ?? null };
}

/** Where a family lives in shared housing: the houses, their territory, the households' contacts. */
export function familySubject(context: Context, familyId: string): Promise<Subject> {
  return byIds<Subject>(
    context,
    "familySubject",
    async (ids) => {
      const families = await context.prisma.family.findMany({
        where: { id: { in: ids } },
        select: { id: true, municipality: { select: { territoryId: true } }, households: { select: { houseId: true, contactUserId: true } } },
      });
      return new Map(
        families.map((f) => [
          f.id,
          {
            kind: "household",
            houseIds: f.households.map((h) => h.houseId),
            territoryId: f.municipality.territoryId,
            contactUserIds: f.households.flatMap((h) => (h.contactUserId ? [h.contactUserId] : [])),
          } satisfies Subject,
        ]),
      );
    },
    { kind: "territory", territoryId: null },
  ).load(familyId);
}

/** A house's territory. */
export function houseTerritory(context: Context, houseId: string): Promise<string | null> {
  return byIds<string | null>(
    context,
    "houseTerritory",
    async (ids) =>
      new Map((await context.prisma.house.findMany({ where: { id: { in: ids } }, select: { id: true, territoryId: true } })).map((h) => [h.id, h.territoryId])),
    null,
  ).load(houseId);
}

/** A household's data (busy times): the household's contact, the house's tutors, the territory's staff. */
export async function householdSubject(context: Context, household: { houseId: string; contactUserId: string | null }): Promise<Subject> {
  return {
    kind: "household",
    houseIds: [household.houseId],
    territoryId: await houseTerritory(context, household.houseId),
    contactUserIds: household.contactUserId ? [household.contactUserId] : [],
  };
}

/** Records kept for staff (and the tutors of the houses given): a task's title and description, a house's notes. */
export async function staffSubject(territoryId: string | null, houseIds: readonly string[] = []): Promise<Subject> {
  return { kind: "territory", territoryId, houseIds };
}

/** The houses where a family lives (for a task of that family: its tutors may read it). */
export function familyHouses(context: Context, familyId: string | null): Promise<readonly string[]> {
  if (!familyId) return Promise.resolve([]);
  return byIds<string[]>(
    context,
    "familyHouses",
    async (ids) => {
      const rows = await context.prisma.household.findMany({ where: { familyId: { in: ids } }, select: { familyId: true, houseId: true } });
      const map = new Map<string, string[]>();
      for (const r of rows) map.set(r.familyId, [...(map.get(r.familyId) ?? []), r.houseId]);
      return map;
    },
    [],
  ).load(familyId);
}
