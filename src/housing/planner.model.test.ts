// The shared-housing planner on a house of four households over a month that crosses the spring
// daylight-saving change: every hard rule checked independently on the plan, rota fairness
// within one (pro rata for a household moving in), pins kept or explained, stability on a
// re-plan, and the fairness bound held over three consecutive months.
import { beforeAll, describe, expect, it } from "vitest";
import { checkHardRules, local } from "../../test/helpers/housing-rules";
import {
  attendeeAbsent,
  attendeeBusy,
  candidateReasons,
  duringQuietHours,
  explainMove,
  livesInHouseDuring,
  livesInHouseOn,
  outsideOpeningHours,
  outsidePeriod,
  planHouse,
  START_RULES,
  tooFewFreeForRota,
  type Activity,
  type Household,
  type Plan,
  type PlannerInput,
} from "./planner.model";

const every = (weekdays: number[], startMinute: number, endMinute: number) => weekdays.map((weekday) => ({ weekday, startMinute, endMinute }));
const WEEKDAYS = [1, 2, 3, 4, 5];
const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];

const households: Household[] = [
  { id: "h1", busy: { windows: every(WEEKDAYS, 8 * 60, 17 * 60), exceptions: [] } }, // office hours
  { id: "h2", busy: { windows: every(WEEKDAYS, 8 * 60, 13 * 60), exceptions: [] } }, // school hours
  { id: "h3", busy: { windows: every(WEEKDAYS, 6 * 60, 14 * 60), exceptions: [{ kind: "UNAVAILABLE", fromDate: "2027-03-20", toDate: "2027-03-21" }] } }, // early shifts, a weekend away
  { id: "h4", moveIn: "2027-03-29", busy: { windows: [], exceptions: [] } }, // moves in half-way
];

const activities: Activity[] = [
  {
    id: "meeting",
    spaceId: "living",
    durationMinutes: 90,
    attendance: "ALL",
    frequency: { kind: "WEEKLY", everyWeeks: 2 },
    preferred: { weekdays: [7], startMinute: 17 * 60, endMinute: 20 * 60 },
  },
  {
    id: "meal",
    spaceId: "kitchen",
    durationMinutes: 120,
    attendance: "ROTA",
    householdsPerTurn: 2,
    frequency: { kind: "TIMES", times: 8 },
    preferred: { startMinute: 19 * 60, endMinute: 21 * 60 },
    minSpacingHours: 48,
  },
  {
    id: "cleaning",
    spaceId: null,
    durationMinutes: 60,
    attendance: "ROTA",
    householdsPerTurn: 1,
    frequency: { kind: "WEEKLY", everyWeeks: 1 },
    minSpacingHours: 72,
  },
  {
    id: "italian",
    spaceId: "living",
    durationMinutes: 60,
    attendance: ["h1", "h2"],
    frequency: { kind: "WEEKLY", everyWeeks: 1 },
    preferred: { weekdays: [2, 4], startMinute: 18 * 60, endMinute: 20 * 60 },
  },
];

function house(from: string, to: string, extra: Partial<PlannerInput> = {}): PlannerInput {
  return {
    from,
    to,
    slotMinutes: 60,
    quietHours: { startMinute: 22 * 60, endMinute: 7 * 60 },
    spaces: [
      { id: "kitchen", opening: every(ALL_DAYS, 7 * 60, 22 * 60) },
      { id: "living", opening: every(ALL_DAYS, 9 * 60, 22 * 60) },
    ],
    households,
    activities,
    ...extra,
  };
}

describe("who lives in the house", () => {
  const h = { moveIn: "2027-03-10", moveOut: "2027-03-20" };
  it("livesInHouseOn: from the move-in day up to, not including, the move-out day", () => {
    expect([livesInHouseOn(h, "2027-03-09"), livesInHouseOn(h, "2027-03-10"), livesInHouseOn(h, "2027-03-19"), livesInHouseOn(h, "2027-03-20")]).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(livesInHouseOn({}, "2027-01-01")).toBe(true);
  });
  it("livesInHouseDuring: some day of [from, to)", () => {
    expect(livesInHouseDuring(h, "2027-03-01", "2027-03-10")).toBe(false); // to is excluded
    expect(livesInHouseDuring(h, "2027-03-01", "2027-03-11")).toBe(true);
    expect(livesInHouseDuring(h, "2027-03-19", "2027-04-01")).toBe(true);
    expect(livesInHouseDuring(h, "2027-03-20", "2027-04-01")).toBe(false);
  });
});

describe("the hard rules of a single start, each on its own", () => {
  const input = house("2027-03-15", "2027-04-12");
  const [meeting, meal, cleaning, italian] = activities as [Activity, Activity, Activity, Activity];
  const at = (date: string, hour: number, activity: Activity) => ({ date, minute: hour * 60, end: hour * 60 + activity.durationMinutes });
  const MONDAY = "2027-03-15";

  it("outsidePeriod: inside the period, on one day", () => {
    expect(outsidePeriod(input, meeting, at("2027-03-14", 18, meeting))).toBe(true);
    expect(outsidePeriod(input, meeting, at("2027-04-12", 18, meeting))).toBe(true);
    expect(outsidePeriod(input, meeting, at(MONDAY, 23, meeting))).toBe(true); // ends past midnight
    expect(outsidePeriod(input, meeting, at(MONDAY, 18, meeting))).toBe(false);
  });

  it("outsideOpeningHours: inside the space's opening window that weekday; no space, no window", () => {
    expect(outsideOpeningHours(input, meeting, at(MONDAY, 8, meeting))).toBe(true); // the living room opens at 9
    expect(outsideOpeningHours(input, meeting, at(MONDAY, 21, meeting))).toBe(true); // 21:00-22:30, it closes at 22
    expect(outsideOpeningHours(input, meeting, at(MONDAY, 18, meeting))).toBe(false);
    expect(outsideOpeningHours(input, cleaning, at(MONDAY, 6, cleaning))).toBe(false);
  });

  it("duringQuietHours: outside the quiet hours, which run past midnight", () => {
    expect(duringQuietHours(input, cleaning, at(MONDAY, 22, cleaning))).toBe(true);
    expect(duringQuietHours(input, cleaning, at(MONDAY, 6, cleaning))).toBe(true);
    expect(duringQuietHours(input, cleaning, at(MONDAY, 21, cleaning))).toBe(false); // ends at 22:00 sharp
  });

  it("attendeeAbsent: every named household lives in the house that day", () => {
    const movedOut = house("2027-03-15", "2027-04-12", { households: households.map((h) => (h.id === "h1" ? { ...h, moveOut: "2027-03-17" } : h)) });
    expect(attendeeAbsent(movedOut, italian, at("2027-03-18", 18, italian))).toBe(true);
    expect(attendeeAbsent(movedOut, italian, at("2027-03-16", 18, italian))).toBe(false);
    expect(attendeeAbsent(movedOut, meeting, at("2027-03-18", 18, meeting))).toBe(false); // ALL: those who live there
  });

  it("attendeeBusy: every household that must attend is free", () => {
    expect(attendeeBusy(input, italian, at(MONDAY, 10, italian))).toBe(true); // h1 at the office
    expect(attendeeBusy(input, italian, at(MONDAY, 18, italian))).toBe(false);
    expect(attendeeBusy(input, meal, at(MONDAY, 10, meal))).toBe(false); // a rota names nobody in advance
  });

  it("tooFewFreeForRota: as many free households as a turn takes", () => {
    expect(tooFewFreeForRota(input, meal, at(MONDAY, 10, meal))).toBe(true); // all three at work or school, h4 not yet in
    expect(tooFewFreeForRota(input, meal, at(MONDAY, 19, meal))).toBe(false);
    expect(tooFewFreeForRota(input, italian, at(MONDAY, 10, italian))).toBe(false); // not a rota
  });

  it("lists every reason once, and a start reports the rules it breaks in that order", () => {
    expect(new Set(START_RULES.map((r) => r.reason)).size).toBe(START_RULES.length);
    expect(candidateReasons(input, meal, MONDAY, 6 * 60)).toEqual(["OUTSIDE_OPENING_HOURS", "QUIET_HOURS"]);
    expect(candidateReasons(input, meal, MONDAY, 7 * 60)).toEqual(["TOO_FEW_FREE_FOR_ROTA"]); // h1 from 8, h2 from 8, h3 from 6
    expect(candidateReasons(input, meal, MONDAY, 19 * 60)).toEqual([]);
  });
});

describe("shared-housing planner", () => {
  const input = house("2027-03-15", "2027-04-12");
  // The month's plan, made once for the tests that read it (each stands alone, in any order).
  let plan: Plan;
  beforeAll(async () => {
    plan = await planHouse(input);
  });

  it("places every occurrence of a month within every hard rule, across the DST change", async () => {
    expect(plan.unplaced).toEqual([]);
    expect(plan.occurrences.filter((o) => o.activityId === "meeting")).toHaveLength(2);
    expect(plan.occurrences.filter((o) => o.activityId === "meal")).toHaveLength(8);
    expect(plan.occurrences.filter((o) => o.activityId === "cleaning")).toHaveLength(4);
    checkHardRules(input, plan);
    // Meals keep their preferred local evening on both sides of 28 March.
    const meals = plan.occurrences.filter((o) => o.activityId === "meal").map((o) => local(o.start));
    expect(meals.some((m) => m.date < "2027-03-28") && meals.some((m) => m.date > "2027-03-28")).toBe(true);
    for (const m of meals) expect(m.minute >= 19 * 60 && m.minute + 120 <= 21 * 60).toBe(true);
  });

  it("shares rota duties within one of each household's fair share, pro rata to presence", () => {
    for (const b of plan.rotaBalance) expect(Math.abs(b.duties - b.share), `${b.activityId} ${b.householdId}`).toBeLessThan(1);
    const mealShares = plan.rotaBalance.filter((b) => b.activityId === "meal");
    expect(mealShares.find((b) => b.householdId === "h4")!.share).toBeLessThan(mealShares.find((b) => b.householdId === "h1")!.share);
    // Never the same household twice in a row where it can be avoided: cleaning (one household a
    // turn, three or four free) never repeats; a meal (two a turn) repeats only when fewer than
    // four households are free across two consecutive meals.
    expect(plan.repeatedDuties.cleaning).toBe(0);
    const meals = plan.occurrences.filter((o) => o.activityId === "meal");
    const freeAt = (o: (typeof meals)[number]) => {
      const { date, minute } = local(o.start);
      return input.households
        .filter(
          (h) =>
            (!h.moveIn || h.moveIn <= date) &&
            !h.busy.windows.some((w) => w.weekday === local(o.start).weekday && w.startMinute < minute + 120 && minute < w.endMinute) &&
            !h.busy.exceptions.some((x) => x.fromDate <= date && date <= x.toDate),
        )
        .map((h) => h.id);
    };
    const unavoidable = meals.slice(1).filter((o, i) => new Set([...freeAt(meals[i]!), ...freeAt(o)]).size < 4).length;
    expect(plan.repeatedDuties.meal).toBeLessThanOrEqual(unavoidable);
  });

  it("keeps a pinned occurrence, explains a pin that breaks a rule, and changes nothing else on a re-plan", async () => {
    const quiet = Date.parse("2027-03-16T22:30:00+01:00"); // a Tuesday, in quiet hours
    const replanned = await planHouse({
      ...input,
      previous: plan.occurrences.map((o) => ({ activityId: o.activityId, start: o.start })),
      pinned: [{ activityId: "italian", start: quiet }],
    });
    expect(replanned.pinViolations).toEqual([
      { activityId: "italian", start: quiet, reasons: expect.arrayContaining(["QUIET_HOURS", "OUTSIDE_OPENING_HOURS"]) },
    ]);
    // Stability: the same starts as the published plan.
    expect(replanned.occurrences.map((o) => `${o.activityId}@${o.start}`).sort()).toEqual(plan.occurrences.map((o) => `${o.activityId}@${o.start}`).sort());
    // A valid pin is kept where the tutor put it.
    const validPin = plan.occurrences.find((o) => o.activityId === "italian")!;
    const pinned = await planHouse({ ...input, pinned: [{ activityId: "italian", start: validPin.start }] });
    expect(pinned.occurrences.find((o) => o.start === validPin.start && o.activityId === "italian")?.pinned).toBe(true);
    checkHardRules(input, pinned);
  });

  it("checks a move against the same rules and the plan's other occurrences", () => {
    const scheduled = plan.occurrences.map((o, i) => ({ ...o, id: String(i) }));
    const find = (activityId: string, n = 0) => scheduled.filter((o) => o.activityId === activityId)[n]!;
    const italian = find("italian");
    const meeting = find("meeting");
    const meal = find("meal");
    const cleaning = find("cleaning");
    // Where it already is: allowed.
    expect(explainMove(input, scheduled, italian, italian.start)).toEqual([]);
    // Onto the house meeting: same room, same households.
    expect(explainMove(input, scheduled, italian, meeting.start)).toEqual(expect.arrayContaining(["SPACE_DOUBLE_BOOKED", "HOUSEHOLD_DOUBLE_BOOKED"]));
    // A cleaning turn onto a shared meal: two rotas at once.
    expect(explainMove(input, scheduled, cleaning, meal.start)).toContain("DUTIES_CLASH");
    // A meal one day after another meal: closer than its 48 hours.
    expect(explainMove(input, scheduled, find("meal", 1), meal.start + 24 * 3_600_000)).toContain("TOO_CLOSE_TO_SAME_ACTIVITY");
    // A meal moved to a weekday morning: its duty households are at work or school.
    const monday = Date.parse("2027-03-22T09:00:00+01:00");
    expect(explainMove(input, scheduled, meal, monday)).toContain("ATTENDEE_BUSY");
  });

  it("moves rota turns to times a short household is free rather than leave it under its share", async () => {
    // h3 works every evening but Sunday; meals prefer weekday evenings. Turns only at preferred
    // times would leave h3 with none of its two; fairness wins over the preference.
    const evenings = house("2027-03-01", "2027-03-22", {
      households: [
        { id: "h1", busy: { windows: [], exceptions: [] } },
        { id: "h2", busy: { windows: [], exceptions: [] } },
        { id: "h3", busy: { windows: every([1, 2, 3, 4, 5, 6], 16 * 60, 23 * 60), exceptions: [] } },
      ],
      activities: [
        {
          id: "meal",
          spaceId: "kitchen",
          durationMinutes: 120,
          attendance: "ROTA",
          householdsPerTurn: 1,
          frequency: { kind: "TIMES", times: 6 },
          preferred: { weekdays: WEEKDAYS, startMinute: 19 * 60, endMinute: 21 * 60 },
        },
      ],
    });
    const result = await planHouse(evenings);
    checkHardRules(evenings, result);
    for (const b of result.rotaBalance) expect(Math.abs(b.duties - b.share), b.householdId).toBeLessThan(1);
    expect(result.rotaBalance.find((b) => b.householdId === "h3")!.duties).toBe(2);
    // The rest keep their preferred weekday evenings.
    const preferred = result.occurrences.filter((o) => WEEKDAYS.includes(local(o.start).weekday) && local(o.start).minute >= 19 * 60);
    expect(preferred.length).toBeGreaterThanOrEqual(4);
  });

  it("says why an occurrence cannot be placed", async () => {
    const impossible: Activity = {
      id: "late",
      spaceId: "living",
      durationMinutes: 60,
      attendance: "ALL",
      frequency: { kind: "TIMES", times: 1 },
      preferred: null,
    };
    // Everyone busy all day every day: nothing fits.
    const busyHouse = house("2027-03-15", "2027-03-22", {
      activities: [impossible],
      households: households.map((h) => ({ ...h, busy: { windows: every(ALL_DAYS, 0, 1440), exceptions: [] } })),
    });
    const result = await planHouse(busyHouse);
    expect(result.occurrences).toEqual([]);
    expect(result.unplaced).toHaveLength(1);
    expect(result.unplaced[0]!.reasonCounts.ATTENDEE_BUSY).toBeGreaterThan(0);
    expect(result.unplaced[0]!.clashing).toBe(0);
  });

  it("holds the fairness bound over three consecutive months, counting earlier duties", async () => {
    const months = [
      ["2027-03-01", "2027-03-29"],
      ["2027-03-29", "2027-04-26"],
      ["2027-04-26", "2027-05-24"],
    ] as const;
    let history: NonNullable<PlannerInput["rotaHistory"]> = {};
    let lastDuty: NonNullable<PlannerInput["lastDuty"]> = {};
    for (const [from, to] of months) {
      const month = house(from, to, { rotaHistory: history, lastDuty });
      const result = await planHouse(month);
      checkHardRules(month, result);
      for (const b of result.rotaBalance) expect(Math.abs(b.duties - b.share), `${from} ${b.activityId} ${b.householdId}`).toBeLessThan(1);
      history = {};
      for (const b of result.rotaBalance) (history[b.activityId] ??= {})[b.householdId] = { duties: b.duties, share: b.share };
      // Nobody opens a month with the duty they closed the last one with (cleaning: one of three or four free).
      const cleaning = result.occurrences.filter((o) => o.activityId === "cleaning");
      if (lastDuty.cleaning) expect(cleaning[0]!.duty.filter((h) => lastDuty.cleaning!.includes(h))).toEqual([]);
      lastDuty = { cleaning: cleaning.at(-1)!.duty, meal: result.occurrences.filter((o) => o.activityId === "meal").at(-1)!.duty };
    }
  });
});
