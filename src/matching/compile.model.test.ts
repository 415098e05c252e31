// The compiler and the explanations on a small week: who is eligible, how pairs score by term,
// which occurrences conflict, and why seats stay empty.
import { describe, expect, it } from "vitest";
import type { RegulatedContext } from "../eligibility/eligibility.model";
import { solveMatching } from "../solver/solve";
import { compileWeek, pairKey, withoutStability, type CompileInput } from "./compile.model";
import { explainWeek } from "./explain.model";
import { citizen, H, occurrence, TUESDAY } from "../../test/helpers/week";

const travel = (from: string, to: string) => (from === to ? 0 : 40);
const context = (): RegulatedContext => ({
  regulation: {
    minimumAge: 18,
    maxWeeklyHours: 10,
    trainingByActivityKind: {},
    minorsCourseIds: ["safeguarding"],
    minorsRequireCriminalRecordCheck: true,
    travelCountsAsHours: true,
  },
  pacts: [
    {
      id: "pact",
      status: "ACTIVE",
      activityKinds: ["HOMEWORK_HELP"],
      municipalityIds: ["grosseto", "follonica"],
      startDate: "2026-01-01",
      endDate: "2027-12-31",
      budgetMinutes: 6000,
      usedMinutes: 0,
      requiredCourseIds: [],
    },
  ],
  travelMinutes: travel,
  weekCommittedMinutes: 0,
});

function input(overrides: Partial<CompileInput> = {}): CompileInput {
  return {
    citizens: [
      citizen("anna", { preferredActivityKinds: ["HOMEWORK_HELP"], languages: [{ languageCode: "ar", level: "B2" }] }),
      citizen("bruno", { skills: [] }),
      citizen("carla", { status: "APPLICANT" }),
    ],
    occurrences: [
      occurrence("early", 0, { preferredLanguages: ["ar"], continuity: true }),
      occurrence("late", 1),
      occurrence("follonica", 4, { municipalityId: "follonica" }),
    ],
    contextOf: () => context(),
    previousAssignees: new Map([["task-early", new Set(["anna"])]]),
    previousProposal: new Set(),
    pinned: [],
    excluded: [],
    ...overrides,
  };
}

describe("compiler", () => {
  it("keeps eligible pairs only, with their load and score by named term", () => {
    const compiled = compileWeek(input());
    expect(compiled.problem.pairs.map((p) => pairKey(p.citizen, p.occurrence)).sort()).toEqual(["anna|early", "anna|follonica", "anna|late"]);
    expect(compiled.breakdown.get("anna|early")).toEqual({
      seatFilled: 1000,
      priority: 60,
      skillLevel: 30,
      languageFluency: 10,
      continuity: 80,
      shortTravel: 60,
      preference: 25,
      stability: 0,
    });
    // Follonica is 40 minutes away and the regulation counts travel both ways.
    expect(compiled.problem.pairs.find((p) => p.occurrence === "follonica")!.loadMinutes).toBe(90 + 80);
    expect(compiled.problem.citizens).toEqual([{ id: "anna", capacityMinutes: 240 }]);
    expect(compiled.excludedReasons.get("early")).toEqual({ MISSING_SKILL: 1, NOT_ENROLLED: 1 });
  });

  it("hashes a re-run like a first run: without its stability term the problem is the one compiled with no previous proposal", () => {
    const first = compileWeek(input());
    const rerun = compileWeek(input({ previousProposal: new Set(["anna|early", "anna|late"]) }));
    expect(rerun.problem).not.toEqual(first.problem);
    expect(JSON.stringify(withoutStability(rerun))).toBe(JSON.stringify(first.problem));
  });

  it("groups occurrences that overlap for one person, counting the trip between places", () => {
    const compiled = compileWeek(input());
    // 16:00-17:30 and 17:00-18:30 overlap; 20:00 in Follonica is 40 minutes after 18:30 in Grosseto: no overlap.
    expect(compiled.problem.conflicts).toEqual([{ citizen: "anna", occurrences: ["early", "late"] }]);
    const tight = compileWeek(input({ occurrences: [occurrence("early", 0), occurrence("follonica", 1.9, { municipalityId: "follonica" })] }));
    expect(tight.problem.conflicts).toEqual([{ citizen: "anna", occurrences: ["early", "follonica"] }]);
  });

  it("never proposes anything overlapping an accepted commitment, travel included", () => {
    // Anna is committed 18:45-19:15 in Follonica: the 17:00-18:30 occurrence in Grosseto leaves 15 minutes for a
    // 40-minute trip; 20:00 in Follonica itself is fine.
    const busy = [{ start: TUESDAY + 2.75 * H, end: TUESDAY + 3.25 * H, municipalityId: "follonica" }];
    const compiled = compileWeek(input({ citizens: [citizen("anna", { busy })] }));
    expect(compiled.problem.pairs.map((p) => p.occurrence)).toEqual(["early", "follonica"]);
    expect(compiled.excludedReasons.get("late")).toEqual({ BUSY_WITH_COMMITMENT: 1 });
  });

  it("holds the time of an offer awaiting an answer, travel included, but not against its own occurrence", () => {
    // Anna holds an open offer 18:45-19:15 in Follonica: the 17:00-18:30 occurrence in Grosseto
    // leaves 15 minutes for a 40-minute trip; 16:00 ends in time, and Follonica at 20:00 is fine.
    const offered = [{ occurrenceId: "other", start: TUESDAY + 2.75 * H, end: TUESDAY + 3.25 * H, municipalityId: "follonica" }];
    const compiled = compileWeek(input({ citizens: [citizen("anna", { offered })] }));
    expect(compiled.problem.pairs.map((p) => p.occurrence)).toEqual(["early", "follonica"]);
    expect(compiled.excludedReasons.get("late")).toEqual({ BUSY_WITH_OFFER: 1 });
    // An offer for the occurrence itself is not a clash with it (asking twice is another rule).
    const own = compileWeek(
      input({ citizens: [citizen("anna", { offered: [{ occurrenceId: "late", start: TUESDAY + H, end: TUESDAY + 2.5 * H, municipalityId: "grosseto" }] })] }),
    );
    expect(own.problem.pairs.map((p) => p.occurrence)).toContain("late");
    expect(own.excludedReasons.get("early")).toEqual({ BUSY_WITH_OFFER: 1 });
  });

  it("never asks a citizen twice for one occurrence, and says so", () => {
    const compiled = compileWeek(
      input({ citizens: [citizen("anna", { asked: new Set(["early"]) }), citizen("bruno", { skills: [], asked: new Set(["early"]) })] }),
    );
    expect(compiled.problem.pairs.map((p) => pairKey(p.citizen, p.occurrence))).toEqual(["anna|follonica", "anna|late"]);
    // Counted once per citizen, beside any other reason they have.
    expect(compiled.excludedReasons.get("early")).toEqual({ ALREADY_ASKED: 2, MISSING_SKILL: 1 });
    // A pin on such a pair is dropped and explained, not forced.
    const pinned = compileWeek(input({ citizens: [citizen("anna", { asked: new Set(["early"]) })], pinned: [{ citizen: "anna", occurrence: "early" }] }));
    expect(pinned.problem.fixed).toEqual([]);
    expect(pinned.ineligiblePins).toEqual([{ citizen: "anna", occurrence: "early", reasons: ["ALREADY_ASKED"] }]);
  });

  it("gives each citizen the hours left under the tightest of their limit, the regulation's and the pact's budget", () => {
    const limited = (over: Partial<RegulatedContext>) =>
      compileWeek(input({ citizens: [citizen("anna")], contextOf: () => ({ ...context(), ...over }) })).problem.citizens[0]!.capacityMinutes;
    expect(limited({})).toBe(240);
    expect(limited({ weekCommittedMinutes: 60 })).toBe(180);
    expect(limited({ regulation: { ...context().regulation, maxWeeklyHours: 3 } })).toBe(180);
    expect(limited({ pacts: [{ ...context().pacts[0]!, usedMinutes: 6000 - 200 }] })).toBe(200);
  });

  it("turns pins and exclusions into fixed and forbidden pairs, and reports pins that are not eligible", () => {
    const compiled = compileWeek(
      input({
        pinned: [
          { citizen: "anna", occurrence: "late" },
          { citizen: "bruno", occurrence: "late" },
        ],
        excluded: [{ citizen: "anna", occurrence: "early" }],
      }),
    );
    expect(compiled.problem.fixed).toEqual([{ citizen: "anna", occurrence: "late" }]);
    expect(compiled.problem.forbidden).toEqual([{ citizen: "anna", occurrence: "early" }]);
    expect(compiled.ineligiblePins).toEqual([{ citizen: "bruno", occurrence: "late", reasons: ["MISSING_SKILL"] }]);
  });

  it("explains each assignment by term and each empty seat by its cause", async () => {
    const compiled = compileWeek(
      input({ occurrences: [...input().occurrences, occurrence("transport", 2, { activityKind: "TRANSPORT", requiredSkillId: "driving" })] }),
    );
    const solution = await solveMatching(compiled.problem);
    const { assignments, gaps } = explainWeek(compiled, solution);
    // Anna can do one of the two overlapping occurrences (continuity makes it the early one); her
    // 4 hours cannot also hold Follonica (90 minutes plus 80 of travel).
    expect(assignments.map((a) => a.occurrence).sort()).toEqual(["early"]);
    expect(gaps.find((g) => g.occurrence === "follonica")).toMatchObject({
      kind: "ELIGIBLE_CITIZENS_USED_ELSEWHERE",
      eligible: [{ citizen: "anna", reason: "NO_HOURS_LEFT", assignedTo: ["early"] }],
    });
    expect(assignments.find((a) => a.occurrence === "early")!.terms.continuity).toBe(80);
    const late = gaps.find((g) => g.occurrence === "late")!;
    expect(late).toMatchObject({
      kind: "ELIGIBLE_CITIZENS_USED_ELSEWHERE",
      unfilledSeats: 1,
      eligible: [{ citizen: "anna", reason: "OVERLAPS_ASSIGNMENT", assignedTo: ["early"] }],
    });
    const transport = gaps.find((g) => g.occurrence === "transport")!;
    expect(transport).toMatchObject({ kind: "NO_ELIGIBLE_CITIZEN", unfilledSeats: 1 });
    expect(transport.reasonCounts).toMatchObject({ MISSING_SKILL: 3, PACT_ACTIVITY_NOT_COVERED: 3 });
  });
});

describe("explanations in words", () => {
  it("says why a seat is empty, in Italian and English", async () => {
    const { gapMessage } = await import("../i18n/explanations");
    const gap = {
      occurrence: "o",
      unfilledSeats: 1,
      kind: "NO_ELIGIBLE_CITIZEN" as const,
      reasonCounts: { MISSING_SKILL: 9, PACT_MUNICIPALITY_NOT_COVERED: 3 },
      eligible: [],
    };
    expect(gapMessage(gap, "en")).toBe("No eligible citizen: 9 lack the skill; 3 have no pact covering the municipality.");
    expect(gapMessage(gap, "it")).toBe("Nessun cittadino idoneo: 9 senza la competenza; 3 senza patto che copra il comune.");
    const busy = {
      occurrence: "o",
      unfilledSeats: 1,
      kind: "ELIGIBLE_CITIZENS_USED_ELSEWHERE" as const,
      reasonCounts: {},
      eligible: [{ citizen: "anna", reason: "OVERLAPS_ASSIGNMENT" as const, assignedTo: ["early"] }],
    };
    expect(gapMessage(busy, "en", (id) => (id === "anna" ? "Anna R." : "homework Tue 16:00"))).toBe(
      "The eligible citizens are used elsewhere: Anna R.: busy at the same time with homework Tue 16:00.",
    );
  });
});
