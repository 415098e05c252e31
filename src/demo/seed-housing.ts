// The demo's shared housing: two houses (Grosseto and Follonica) of four households each, with
// their common spaces, quiet hours, the households' work and school hours, a resident account per
// household, the housing tutor, the activities a tutor plans, and a cultural mediator enrolled in
// the register for the mediation sessions. No randomness: the rest of the demo is unchanged.
import type { DateTime } from "luxon";
import { toDbDate } from "../db/dates";
import type { Prisma } from "../generated/prisma/client";
import type { HousingActivityKind, HousingAttendance } from "../generated/prisma/enums";
import type { WeeklyWindow } from "../time/availability";

type Tx = Prisma.TransactionClient;

const days = (weekdays: number[], from: string, to: string): WeeklyWindow[] => {
  const minute = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return weekdays.map((weekday) => ({ weekday, startMinute: minute(from), endMinute: minute(to) }));
};
const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

interface DemoHousehold {
  family: string;
  /** Days from today (negative: already there). */
  moveIn: number;
  moveOut?: number;
  busy: WeeklyWindow[];
}

interface DemoActivity {
  kind: HousingActivityKind;
  name: string;
  space: string | null;
  minutes: number;
  attendance: HousingAttendance;
  listed?: string[];
  perTurn?: number;
  weekly?: number;
  times?: number;
  weekdays?: number[];
  window?: [string, string];
  spacingHours?: number;
  language?: string;
}

const HOUSES: { name: string; town: string; address: string; households: DemoHousehold[]; activities: DemoActivity[] }[] = [
  {
    name: "Casa Comune Ximenes",
    town: "053011",
    address: "Via Ximenes 12, Grosseto",
    households: [
      { family: "El Amrani", moveIn: -180, busy: [...days(WEEKDAYS, "07:00", "16:00")] }, // factory day shift
      { family: "Diallo", moveIn: -150, busy: [...days(WEEKDAYS, "06:00", "14:00"), ...days([6], "06:00", "12:00")] }, // early shifts
      { family: "Hossain", moveIn: -90, busy: [...days(WEEKDAYS, "09:00", "13:00"), ...days([2, 4], "14:00", "17:00")] }, // Italian course, school run
      { family: "Tesfaye", moveIn: 16, busy: [...days(WEEKDAYS, "08:00", "17:00")] }, // moves in in two weeks
    ],
    activities: [
      {
        kind: "HOUSE_MEETING",
        name: "Riunione di casa",
        space: "Soggiorno",
        minutes: 90,
        attendance: "ALL",
        weekly: 2,
        weekdays: [7],
        window: ["17:00", "20:00"],
      },
      {
        kind: "SHARED_MEAL",
        name: "Cena condivisa",
        space: "Cucina",
        minutes: 120,
        attendance: "ROTA",
        perTurn: 2,
        times: 6,
        window: ["18:30", "21:30"],
        spacingHours: 72,
      },
      {
        kind: "CHORE",
        name: "Pulizia degli spazi comuni",
        space: null,
        minutes: 60,
        attendance: "ROTA",
        perTurn: 1,
        weekly: 1,
        weekdays: [6, 7],
        window: ["09:00", "13:00"],
        spacingHours: 96,
      },
      {
        kind: "ITALIAN_CONVERSATION",
        name: "Conversazione in italiano",
        space: "Soggiorno",
        minutes: 60,
        attendance: "LISTED",
        listed: ["El Amrani", "Hossain"],
        weekly: 1,
        weekdays: [2, 4],
        window: ["18:00", "20:00"],
      },
      {
        kind: "WELCOME",
        name: "Accoglienza del nuovo nucleo",
        space: "Soggiorno",
        minutes: 90,
        attendance: "LISTED",
        listed: ["Tesfaye"],
        times: 1,
        weekdays: [6, 7],
        window: ["10:00", "19:00"],
      },
      {
        kind: "MEDIATION",
        name: "Mediazione sulla convivenza",
        space: "Soggiorno",
        minutes: 90,
        attendance: "LISTED",
        listed: ["El Amrani", "Diallo"],
        times: 1,
        weekdays: WEEKDAYS,
        window: ["17:00", "20:00"],
        language: "fr",
      },
    ],
  },
  {
    name: "Casa Condivisa Follonica",
    town: "053009",
    address: "Via Roma 40, Follonica",
    households: [
      { family: "Kovalenko", moveIn: -200, busy: [...days(WEEKDAYS, "08:30", "14:30")] }, // part-time job
      { family: "Okafor", moveIn: -120, busy: [...days([1, 2, 3, 4, 5, 6], "14:00", "20:00")] }, // afternoon shifts
      { family: "Ndiaye", moveIn: -60, busy: [...days(WEEKDAYS, "07:30", "15:30")] },
      { family: "Bensaid", moveIn: -240, moveOut: 45, busy: [...days(WEEKDAYS, "08:00", "12:00")] }, // moves out in six weeks
    ],
    activities: [
      {
        kind: "HOUSE_MEETING",
        name: "Riunione di casa",
        space: "Sala comune",
        minutes: 90,
        attendance: "ALL",
        weekly: 2,
        weekdays: [7],
        window: ["10:00", "13:00"],
      },
      {
        kind: "SHARED_MEAL",
        name: "Pranzo della domenica",
        space: "Cucina",
        minutes: 120,
        attendance: "ROTA",
        perTurn: 2,
        weekly: 1,
        weekdays: [7],
        window: ["12:00", "15:00"],
      },
      {
        kind: "CHORE",
        name: "Turno lavanderia e rifiuti",
        space: "Lavanderia",
        minutes: 60,
        attendance: "ROTA",
        perTurn: 1,
        weekly: 1,
        window: ["20:30", "21:30"],
        spacingHours: 96,
      },
      {
        kind: "ITALIAN_CONVERSATION",
        name: "Conversazione in italiano",
        space: "Sala comune",
        minutes: 60,
        attendance: "LISTED",
        listed: ["Kovalenko", "Ndiaye"],
        weekly: 1,
        weekdays: [3],
        window: ["17:00", "19:00"],
      },
      {
        kind: "FREE",
        name: "Orto condiviso",
        space: "Giardino",
        minutes: 120,
        attendance: "LISTED",
        listed: [],
        weekly: 1,
        weekdays: [6],
        window: ["09:00", "12:00"],
      },
    ],
  },
];

const SPACES = {
  "053011": [
    { name: "Cucina", capacity: 12, opening: days(EVERY_DAY, "07:00", "22:00") },
    { name: "Soggiorno", capacity: 20, opening: days(EVERY_DAY, "09:00", "22:00") },
    { name: "Lavanderia", capacity: 3, opening: days(EVERY_DAY, "08:00", "21:00") },
  ],
  "053009": [
    { name: "Cucina", capacity: 10, opening: days(EVERY_DAY, "07:00", "22:00") },
    { name: "Sala comune", capacity: 18, opening: days(EVERY_DAY, "09:00", "22:00") },
    { name: "Lavanderia", capacity: 2, opening: days(EVERY_DAY, "07:00", "22:00") },
    { name: "Giardino", capacity: 15, opening: days(EVERY_DAY, "08:00", "20:00") },
  ],
} as Record<string, { name: string; capacity: number; opening: WeeklyWindow[] }[]>;

const slug = (text: string) =>
  text
    .toLowerCase()
    .normalize("NFD")
    .replace(/[^a-z]/g, "");

/** Creates the houses, their households with a resident account each, and a cultural mediator. */
export async function seedHousing(tx: Tx, options: { territoryId: string; today: DateTime; adminId: string; passwordHash: string }): Promise<void> {
  const { territoryId, today, adminId, passwordHash } = options;
  const tutor = await tx.user.findFirstOrThrow({ where: { role: "TUTOR", territoryId } });
  const date = (offset: number) => toDbDate(today.plus({ days: offset }).toISODate()!);

  for (const spec of HOUSES) {
    const municipality = await tx.municipality.findUniqueOrThrow({ where: { istatCode: spec.town } });
    const house = await tx.house.create({
      data: {
        territoryId,
        name: spec.name,
        municipalityId: municipality.id,
        address: spec.address,
        quietStartMinute: 22 * 60,
        quietEndMinute: 7 * 60,
        spaces: { create: SPACES[spec.town]!.map((s) => ({ ...s, opening: s.opening as unknown as Prisma.InputJsonValue })) },
        tutors: { create: [{ userId: tutor.id }] },
      },
      include: { spaces: true },
    });
    const households = new Map<string, string>();
    for (const h of spec.households) {
      const family = await tx.family.findFirstOrThrow({ where: { territoryId, referenceName: h.family } });
      const email = `residente.${slug(h.family)}@legami.demo`;
      const contact = await tx.user.create({ data: { email, passwordHash, role: "RESIDENT", locale: "IT", displayName: `Nucleo ${h.family}` } });
      const household = await tx.household.create({
        data: {
          houseId: house.id,
          familyId: family.id,
          moveIn: date(h.moveIn),
          moveOut: h.moveOut === undefined ? null : date(h.moveOut),
          busy: { windows: h.busy, exceptions: [] } as unknown as Prisma.InputJsonValue,
          contactUserId: contact.id,
        },
      });
      households.set(h.family, household.id);
    }
    const minute = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
    for (const a of spec.activities) {
      await tx.housingActivity.create({
        data: {
          houseId: house.id,
          kind: a.kind,
          name: a.name,
          spaceId: a.space ? house.spaces.find((s) => s.name === a.space)!.id : null,
          durationMinutes: a.minutes,
          attendance: a.attendance,
          householdIds: (a.listed ?? []).map((name) => households.get(name)!),
          householdsPerTurn: a.perTurn ?? 1,
          frequency: a.times ? "TIMES" : "WEEKLY",
          everyWeeks: a.weekly ?? 1,
          times: a.times ?? 0,
          preferredWeekdays: a.weekdays ?? [],
          preferredStartMinute: a.window ? minute(a.window[0]) : null,
          preferredEndMinute: a.window ? minute(a.window[1]) : null,
          minSpacingHours: a.spacingHours ?? 0,
          mediationLanguage: a.language ?? null,
        },
      });
    }
  }

  await seedMediator(tx, { territoryId, today, adminId, passwordHash });
}

/** A cultural mediator in the register, with a signed pact for mediation in the two houses' towns. */
async function seedMediator(tx: Tx, options: { territoryId: string; today: DateTime; adminId: string; passwordHash: string }): Promise<void> {
  const { territoryId, today, adminId, passwordHash } = options;
  const email = "leila.haddad@example.org";
  const grosseto = await tx.municipality.findUniqueOrThrow({ where: { istatCode: "053011" } });
  const follonica = await tx.municipality.findUniqueOrThrow({ where: { istatCode: "053009" } });
  const skill = await tx.skill.findUniqueOrThrow({ where: { code: "CULTURAL_MEDIATION" } });
  const basics = await tx.trainingCourse.findUniqueOrThrow({ where: { code: "REGULATION_BASICS" } });
  const coordinator = await tx.user.findFirstOrThrow({ where: { role: "COORDINATOR", territoryId }, orderBy: { email: "asc" } });
  const user = await tx.user.create({ data: { email, passwordHash, role: "CITIZEN", locale: "IT", displayName: "Leila Haddad" } });
  const year = today.year;
  const citizen = await tx.citizen.create({
    data: {
      userId: user.id,
      firstName: "Leila",
      lastName: "Haddad",
      email,
      birthDate: toDbDate(`${year - 41}-05-14`),
      homeMunicipalityId: grosseto.id,
      weeklyHourLimit: 8,
      maxTravelMinutes: 60,
      preferredActivityKinds: ["CULTURAL_MEDIATION"],
      status: "ENROLLED",
      languages: {
        create: [
          { languageCode: "it", level: "C2" },
          { languageCode: "ar", level: "NATIVE" },
          { languageCode: "fr", level: "C1" },
        ],
      },
      skills: { create: [{ skillId: skill.id, level: 3, verified: true, verifiedById: coordinator.id, verifiedAt: today.minus({ months: 3 }).toJSDate() }] },
      availabilityWindows: { create: [...days(WEEKDAYS, "15:00", "21:00"), ...days([6], "09:00", "13:00")] },
      trainingRecords: { create: [{ courseId: basics.id, completedOn: toDbDate(today.minus({ months: 6 }).toISODate()!), recordedById: adminId }] },
      insuranceCovers: {
        create: [
          {
            policyNumber: `COESO-RCT-${year}-MED1`,
            insurer: "Polizza RCT volontari CoeSo SdS",
            validFrom: toDbDate(`${year}-01-01`),
            validTo: toDbDate(`${year + 1}-12-31`),
            recordedById: adminId,
          },
        ],
      },
      enrolmentEvents: {
        create: [
          { fromStatus: null, toStatus: "ENROLLED", byUserId: adminId, reason: "mediatrice culturale del progetto", at: today.minus({ months: 6 }).toJSDate() },
        ],
      },
    },
  });
  await tx.collaborationPact.create({
    data: {
      territoryId,
      title: "Patto di collaborazione - Leila Haddad (mediazione nelle case condivise)",
      objectives: "Mediazione culturale per la convivenza nelle case condivise del progetto",
      activityKinds: ["CULTURAL_MEDIATION"],
      municipalityIds: [grosseto.id, follonica.id],
      startDate: toDbDate(`${year}-01-01`),
      endDate: toDbDate(`${year + 1}-12-31`),
      hourBudgetMinutes: 100 * 60,
      rolesAndCommitments: "La mediatrice conduce le sessioni richieste dai tutor abitativi",
      insurancePolicy: "Polizza RCT volontari CoeSo SdS",
      insuranceFrom: toDbDate(`${year}-01-01`),
      insuranceTo: toDbDate(`${year + 1}-12-31`),
      requiredCourseIds: [],
      formsOfSupport: "Supervisione, rimborso spese di viaggio",
      monitoringAndReporting: "Registro delle ore",
      suspensionAndTermination: "Su richiesta o per gravi inadempienze",
      status: "ACTIVE",
      signedById: coordinator.id,
      signedAt: today.minus({ months: 5 }).toJSDate(),
      createdById: coordinator.id,
      citizens: { create: { citizenId: citizen.id } },
      events: { create: [{ fromStatus: null, toStatus: "ACTIVE", byUserId: coordinator.id, at: today.minus({ months: 5 }).toJSDate() }] },
    },
  });
}
