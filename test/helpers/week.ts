// A small territory week as the repository loads it (WeekData): three citizens, three
// occurrences in two municipalities, one pact each, travel between the two towns; and the
// citizen and occurrence builders the compiler's tests share.
import type { MatchingCitizen, MatchingOccurrence } from "../../src/matching/compile.model";
import type { WeekData } from "../../src/matching/week.model";

export const H = 3_600_000;
export const TUESDAY = Date.parse("2026-12-01T15:00:00Z"); // 16:00 in Rome

export const citizen = (id: string, overrides: Partial<MatchingCitizen> = {}): MatchingCitizen => ({
  id,
  status: "ENROLLED",
  birthDate: "1980-01-01",
  homeMunicipalityId: "grosseto",
  weeklyHourLimit: 4,
  maxTravelMinutes: 45,
  skills: [{ skillId: "homework", level: 3 }],
  languages: [{ languageCode: "it", level: "NATIVE" }],
  availability: { windows: [{ weekday: 2, startMinute: 9 * 60, endMinute: 22 * 60 }], exceptions: [] },
  trainings: [{ courseId: "safeguarding", completedOn: "2026-01-01", expiresOn: null }],
  criminalRecordChecks: [{ checkedOn: "2026-01-01", expiresOn: "2027-01-01" }],
  insurances: [{ validFrom: "2026-01-01", validTo: "2027-12-31" }],
  preferredActivityKinds: [],
  ...overrides,
});

export const occurrence = (id: string, startOffsetHours: number, overrides: Partial<MatchingOccurrence> = {}): MatchingOccurrence => ({
  id,
  taskId: `task-${id}`,
  localDate: "2026-12-01",
  start: TUESDAY + startOffsetHours * H,
  end: TUESDAY + (startOffsetHours + 1.5) * H,
  activityKind: "HOMEWORK_HELP",
  municipalityId: "grosseto",
  requiredSkillId: "homework",
  minSkillLevel: 1,
  requiredLanguages: [],
  minLanguageLevel: "B1",
  involvesMinors: true,
  requiredCourseIds: [],
  headcount: 1,
  priority: 3,
  preferredLanguages: [],
  continuity: false,
  ...overrides,
});

export function sampleWeek(overrides: Partial<WeekData> = {}): WeekData {
  const citizens = [citizen("anna", { preferredActivityKinds: ["HOMEWORK_HELP"] }), citizen("bruno"), citizen("carla", { homeMunicipalityId: "follonica" })];
  const pact = (id: string) => ({
    id,
    status: "ACTIVE",
    activityKinds: ["HOMEWORK_HELP"],
    municipalityIds: ["grosseto", "follonica"],
    startDate: "2026-01-01",
    endDate: "2027-12-31",
    budgetMinutes: 6000,
    usedMinutes: 0,
    requiredCourseIds: [],
  });
  return {
    citizens,
    occurrences: [
      occurrence("early", 0, { continuity: true }),
      occurrence("late", 1, { headcount: 2 }),
      occurrence("follonica", 4, { municipalityId: "follonica" }),
    ],
    previousAssignees: new Map([["task-early", new Set(["bruno"])]]),
    travel: new Map([
      ["grosseto", new Map([["follonica", 40]])],
      ["follonica", new Map([["grosseto", 40]])],
    ]),
    committedMinutes: new Map([["anna", 60]]),
    pactsOf: new Map(citizens.map((c) => [c.id, [pact(`pact-${c.id}`)]])),
    regulation: {
      minimumAge: 18,
      maxWeeklyHours: 10,
      trainingByActivityKind: {},
      minorsCourseIds: ["safeguarding"],
      minorsRequireCriminalRecordCheck: true,
      travelCountsAsHours: true,
    },
    ...overrides,
  };
}
