// The only file of the citizens area that talks to Prisma.
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { EnrolmentStatus } from "../generated/prisma/enums";
import { fromDbDate } from "../db/dates";
import { regulationInForce } from "../regulation/regulation.service";
import type { Availability } from "../time/availability";

export type Tx = Prisma.TransactionClient;
export type Db = PrismaClient;

export interface CitizenScope {
  id: string;
  userId: string | null;
  status: EnrolmentStatus;
  territoryId: string;
}

/** Loads what access checks need, locking the row for the rest of the transaction. */
export async function lockCitizen(tx: Tx, id: string): Promise<CitizenScope | null> {
  const rows = await tx.$queryRaw<{ id: string; userId: string | null; status: EnrolmentStatus; territoryId: string }[]>`
    SELECT c."id", c."userId", c."status"::text AS "status", m."territoryId"
    FROM "Citizen" c JOIN "Municipality" m ON m."id" = c."homeMunicipalityId"
    WHERE c."id" = ${id}
    FOR UPDATE OF c`;
  return rows[0] ?? null;
}

export async function findCitizenScope(db: Db | Tx, id: string): Promise<CitizenScope | null> {
  const row = await db.citizen.findUnique({
    where: { id },
    select: { id: true, userId: true, status: true, homeMunicipality: { select: { territoryId: true } } },
  });
  return row ? { id: row.id, userId: row.userId, status: row.status, territoryId: row.homeMunicipality.territoryId } : null;
}

export function findMunicipality(db: Db | Tx, id: string) {
  return db.municipality.findUnique({ where: { id }, select: { id: true, territoryId: true } });
}

export function findSkillsByCode(db: Db | Tx, codes: string[]) {
  return db.skill.findMany({ where: { code: { in: codes } }, select: { id: true, code: true, active: true } });
}

export function findCourseByCode(db: Db | Tx, code: string) {
  return db.trainingCourse.findUnique({ where: { code } });
}

export async function emailInUse(db: Db | Tx, email: string, exceptCitizenId?: string): Promise<boolean> {
  const [user, citizen] = await Promise.all([
    db.user.findUnique({ where: { email }, select: { id: true, citizen: { select: { id: true } } } }),
    db.citizen.findUnique({ where: { email }, select: { id: true } }),
  ]);
  if (citizen && citizen.id !== exceptCitizenId) return true;
  return Boolean(user && user.citizen?.id !== exceptCitizenId);
}

export function availabilityFromRows(rows: {
  availabilityWindows: { weekday: number; startMinute: number; endMinute: number }[];
  availabilityExceptions: { kind: "UNAVAILABLE" | "AVAILABLE"; fromDate: Date; toDate: Date; startMinute: number | null; endMinute: number | null }[];
}): Availability {
  return {
    windows: rows.availabilityWindows.map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute })),
    exceptions: rows.availabilityExceptions.map((x) => ({
      kind: x.kind,
      fromDate: fromDbDate(x.fromDate),
      toDate: fromDbDate(x.toDate),
      startMinute: x.startMinute,
      endMinute: x.endMinute,
    })),
  };
}

export async function loadEnrolmentRecords(db: Db | Tx, citizenId: string, today: string) {
  return (await loadEnrolmentRecordsMany(db, [citizenId], today))[0]!;
}

/** The same records for many citizens at once (one query per kind of record). */
export async function loadEnrolmentRecordsMany(db: Db | Tx, citizenIds: readonly string[], today: string) {
  const minimumAge = (await regulationInForce(db, today))?.minimumAge ?? null;
  const births = await db.citizen.findMany({ where: { id: { in: [...citizenIds] } }, select: { id: true, birthDate: true } });
  const requiredCourses = await db.trainingCourse.findMany({ where: { requiredForEnrolment: true }, select: { code: true }, orderBy: { code: "asc" } });
  const trainings = await db.trainingRecord.findMany({
    where: { citizenId: { in: [...citizenIds] } },
    select: { citizenId: true, completedOn: true, expiresOn: true, course: { select: { code: true } } },
  });
  const insurances = await db.insuranceCover.findMany({
    where: { citizenId: { in: [...citizenIds] } },
    select: { citizenId: true, validFrom: true, validTo: true },
  });
  return citizenIds.map((id) => ({
    birthDate: fromDbDate(births.find((b) => b.id === id)?.birthDate ?? new Date(0)),
    minimumAge,
    requiredCourses,
    trainings: trainings
      .filter((t) => t.citizenId === id)
      .map((t) => ({ courseCode: t.course.code, completedOn: fromDbDate(t.completedOn), expiresOn: t.expiresOn ? fromDbDate(t.expiresOn) : null })),
    insurances: insurances.filter((i) => i.citizenId === id).map((i) => ({ validFrom: fromDbDate(i.validFrom), validTo: fromDbDate(i.validTo) })),
  }));
}

export interface CitizenFilter {
  municipalityId?: string | null;
  skillCode?: string | null;
  minSkillLevel?: number | null;
  languageCode?: string | null;
  status?: EnrolmentStatus | null;
}

/** The register rows a viewer may see, narrowed by the filter. */
export function citizenWhere(territoryId: string | null, filter: CitizenFilter | null | undefined): Prisma.CitizenWhereInput {
  const where: Prisma.CitizenWhereInput[] = [];
  if (territoryId !== null) where.push({ homeMunicipality: { territoryId } });
  if (filter?.municipalityId) where.push({ homeMunicipalityId: filter.municipalityId });
  if (filter?.status) where.push({ status: filter.status });
  if (filter?.skillCode) where.push({ skills: { some: { skill: { code: filter.skillCode }, level: { gte: filter.minSkillLevel ?? 1 } } } });
  if (filter?.languageCode) where.push({ languages: { some: { languageCode: filter.languageCode.toLowerCase() } } });
  return { AND: where };
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
