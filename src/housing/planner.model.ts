// The shared-housing planner: from a house's spaces, households and activities, the dated
// occurrences of a period and the rotas. Pure: no database, no GraphQL.
//
// Two stages, each a 0-1 program solved through the solver interface (binary-program.ts):
//   1. Times (time-indexed): every occurrence of every activity gets at most one start among its
//      candidate starts (every slot of its window that passes the hard rules below); a space holds
//      one activity at a time, a household is in one activity at a time, occurrences of the same
//      activity keep their minimum spacing. Placing an occurrence dominates the objective;
//      preferred windows and stability against the previous plan are soft.
//   2. Rotas: each placed occurrence of a rota activity gets its duty households among those
//      present and free then. Each household's duties stay within one of its fair share (the
//      duties of each occurrence split among the households living there that day, so move-ins
//      and move-outs count pro rata; earlier periods count too), and nobody takes the same duty
//      twice in a row where it can be avoided. Both are soft with
//      heavy weights, so a plan always comes out and any excess is reported.
//
// Simplification, on purpose: rota activities are not planned at the same time as one another or
// as activities every household attends, so a duty household is never needed in two places.
import { localRangesOn, type Availability, type WeeklyWindow } from "../time/availability";
import { addDays, localDateOf as dateOf, localMinuteOf as minuteOf, mondayOf, weekdayOf } from "../time/local-time";
import { localStart } from "../time/recurrence";
import { solveBinaryProgram, type BinaryRow } from "../solver/binary-program";

export interface Space {
  id: string;
  /** Weekly opening hours (local time); an activity fits entirely inside one window. */
  opening: WeeklyWindow[];
}

export interface Household {
  id: string;
  /** ISO dates: present from moveIn (inclusive) to moveOut (exclusive); open-ended when absent. */
  moveIn?: string | null;
  moveOut?: string | null;
  /**
   * When the household is busy (work shifts, school hours, courses): weekly windows, plus dated
   * exceptions: UNAVAILABLE adds busy time (away for a weekend), AVAILABLE frees time the weekly
   * windows would take (a day off).
   */
  busy: Availability;
}

export type Frequency = { kind: "WEEKLY"; everyWeeks: number } | { kind: "TIMES"; times: number };

export interface Activity {
  id: string;
  /** Null for an activity outside the common spaces. */
  spaceId: string | null;
  durationMinutes: number;
  /** ALL: every household present must attend; ROTA: the duty households; or the ids that must attend. */
  attendance: "ALL" | "ROTA" | string[];
  /** Households on duty per occurrence (ROTA only). */
  householdsPerTurn?: number;
  frequency: Frequency;
  /** Preferred weekdays and local time window (soft). */
  preferred?: { weekdays?: number[]; startMinute: number; endMinute: number } | null;
  /** Minimum hours between two occurrences' starts. */
  minSpacingHours?: number;
}

export interface PlannerInput {
  /** ISO dates: the period is [from, to). */
  from: string;
  to: string;
  slotMinutes?: number;
  /** Daily quiet hours in local minutes; may wrap midnight (22:00-07:00 is 1320-420). */
  quietHours: { startMinute: number; endMinute: number };
  spaces: Space[];
  households: Household[];
  activities: Activity[];
  /** Occurrences the tutor pinned (an instant each): kept where they are if the rules allow. */
  pinned?: { activityId: string; start: number }[];
  /** Starts of the last published plan, for stability. */
  previous?: { activityId: string; start: number }[];
  /** Duties and fair shares of earlier periods, per rota activity and household. */
  rotaHistory?: Record<string, Record<string, { duties: number; share: number }>>;
  /** Per rota activity, the households on the last duty before the period. */
  lastDuty?: Record<string, string[]>;
  timeLimitSeconds?: number;
}

/** The hard rules a start can break, one named check each (see `candidateReasons`). */
export type PlacementReason = "OUTSIDE_PERIOD" | "OUTSIDE_OPENING_HOURS" | "QUIET_HOURS" | "ATTENDEE_ABSENT" | "ATTENDEE_BUSY" | "TOO_FEW_FREE_FOR_ROTA";

/** What a move can clash with among the other occurrences of the plan (see `explainMove`). */
export type ClashReason = "SPACE_DOUBLE_BOOKED" | "HOUSEHOLD_DOUBLE_BOOKED" | "DUTIES_CLASH" | "TOO_CLOSE_TO_SAME_ACTIVITY";

export interface PlannedOccurrence {
  activityId: string;
  /** Which occurrence of the activity in the period (0, 1, ...). */
  index: number;
  start: number;
  end: number;
  spaceId: string | null;
  /** Duty households (ROTA activities). */
  duty: string[];
  pinned: boolean;
}

export interface Unplaced {
  activityId: string;
  index: number;
  windowFrom: string;
  windowTo: string;
  /** How many candidate starts each rule removed. */
  reasonCounts: Partial<Record<PlacementReason, number>>;
  /** Starts that passed every rule but clashed with other occurrences (space, attendees, spacing). */
  clashing: number;
}

export interface RotaBalance {
  activityId: string;
  householdId: string;
  /** Duties including earlier periods. */
  duties: number;
  /** Fair share including earlier periods. */
  share: number;
}

export interface Plan {
  occurrences: PlannedOccurrence[];
  unplaced: Unplaced[];
  /** Pinned starts that break a hard rule, with the rules (they are not kept). */
  pinViolations: { activityId: string; start: number; reasons: PlacementReason[] }[];
  rotaBalance: RotaBalance[];
  /** Per rota activity: times a household is on the same duty twice in a row. */
  repeatedDuties: Record<string, number>;
  optimal: boolean;
}

const MINUTE = 60_000;
/** Longest minimum spacing an activity may ask for: four weeks. */
export const MAX_SPACING_HOURS = 24 * 28;
const DAY_MINUTES = 1440;
const PLACE = 1000;
const PREFERRED = 20;
const STABLE = 10;
const ROTA_ROOM = 5;

interface Instance {
  activity: Activity;
  index: number;
  from: string;
  to: string;
}

/** The occurrences an activity needs in the period, each with the window it must fall in. */
export function instancesOf(activity: Activity, from: string, to: string): Instance[] {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
  const instances: Instance[] = [];
  if (activity.frequency.kind === "WEEKLY") {
    const step = 7 * Math.max(1, activity.frequency.everyWeeks);
    // Windows follow calendar weeks: the first runs from `from` to the end of its week.
    const firstMonday = mondayOf(from);
    for (let start = firstMonday, index = 0; start < to; start = addDays(start, step), index++) {
      const windowFrom = start < from ? from : start;
      const end = addDays(start, step);
      instances.push({ activity, index, from: windowFrom, to: end > to ? to : end });
    }
  } else {
    const times = Math.max(0, activity.frequency.times);
    for (let index = 0; index < times; index++) {
      const a = Math.floor((index * days) / times);
      const b = Math.floor(((index + 1) * days) / times);
      if (b > a) instances.push({ activity, index, from: addDays(from, a), to: addDays(from, b) });
    }
  }
  return instances;
}

/** Rule: a household lives in the house from its move-in day up to, not including, its move-out day. */
export function livesInHouseOn(household: { moveIn?: string | null; moveOut?: string | null }, date: string): boolean {
  return (!household.moveIn || household.moveIn <= date) && (!household.moveOut || date < household.moveOut);
}

/** Rule: a household lives in the house some day of [from, to), by livesInHouseOn. */
export function livesInHouseDuring(household: { moveIn?: string | null; moveOut?: string | null }, from: string, to: string): boolean {
  return (!household.moveIn || household.moveIn < to) && (!household.moveOut || household.moveOut > from);
}

const present = livesInHouseOn;

const busyCache = new WeakMap<Household, Map<string, [number, number][]>>();

/** The household's busy local minutes on a date (the availability module, read the other way round). */
function busyRangesOn(household: Household, date: string): [number, number][] {
  let cache = busyCache.get(household);
  if (!cache) busyCache.set(household, (cache = new Map()));
  let ranges = cache.get(date);
  if (!ranges) {
    const swapped = household.busy.exceptions.map((x) => ({ ...x, kind: x.kind === "UNAVAILABLE" ? ("AVAILABLE" as const) : ("UNAVAILABLE" as const) }));
    ranges = localRangesOn({ windows: household.busy.windows, exceptions: swapped }, date);
    cache.set(date, ranges);
  }
  return ranges;
}

/** Whether the household is busy at some moment of [startMinute, endMinute) on a date (wall-clock time). */
function busyAt(household: Household, date: string, startMinute: number, endMinute: number): boolean {
  return busyRangesOn(household, date).some(([a, b]) => a < endMinute && startMinute < b);
}

function inQuietHours(quiet: PlannerInput["quietHours"], startMinute: number, endMinute: number): boolean {
  const overlaps = (a: number, b: number) => startMinute < b && a < endMinute;
  return quiet.startMinute <= quiet.endMinute
    ? overlaps(quiet.startMinute, quiet.endMinute)
    : overlaps(quiet.startMinute, DAY_MINUTES) || overlaps(0, quiet.endMinute);
}

/** Households that must attend an activity on a date (ROTA: none fixed yet). */
function requiredOn(activity: Activity, households: Household[], date: string): Household[] {
  if (activity.attendance === "ROTA") return [];
  const ids = activity.attendance === "ALL" ? null : new Set(activity.attendance);
  return households.filter((h) => (ids ? ids.has(h.id) : present(h, date)));
}

/** One start of an activity being checked: a local date and minute, and the minute it ends. */
export interface StartAt {
  date: string;
  minute: number;
  end: number;
}

/** A hard rule of a single start: the reason given when it is broken, the rule in one line, and the check. */
export interface StartRule {
  reason: PlacementReason;
  rule: string;
  broken(input: PlannerInput, activity: Activity, at: StartAt): boolean;
}

/** Rule: an occurrence starts and ends inside the period, on one day. */
export function outsidePeriod(input: PlannerInput, _activity: Activity, at: StartAt): boolean {
  return at.date < input.from || at.date >= input.to || at.end > DAY_MINUTES;
}

/** Rule: an occurrence in a space fits inside one of its opening windows that weekday. */
export function outsideOpeningHours(input: PlannerInput, activity: Activity, at: StartAt): boolean {
  const space = input.spaces.find((s) => s.id === activity.spaceId);
  return Boolean(space && !space.opening.some((w) => w.weekday === weekdayOf(at.date) && w.startMinute <= at.minute && at.end <= w.endMinute));
}

/** Rule: nothing overlaps the house's quiet hours (which may run past midnight). */
export function duringQuietHours(input: PlannerInput, _activity: Activity, at: StartAt): boolean {
  return inQuietHours(input.quietHours, at.minute, at.end);
}

/** Rule: every household an activity names lives in the house that day. */
export function attendeeAbsent(input: PlannerInput, activity: Activity, at: StartAt): boolean {
  return Array.isArray(activity.attendance) && requiredOn(activity, input.households, at.date).some((h) => !present(h, at.date));
}

/** Rule: every household that must attend is free then (its weekly busy times and exceptions). */
export function attendeeBusy(input: PlannerInput, activity: Activity, at: StartAt): boolean {
  return requiredOn(activity, input.households, at.date).some((h) => present(h, at.date) && busyAt(h, at.date, at.minute, at.end));
}

/** Rule: a rota's turn has at least as many free households as it takes. */
export function tooFewFreeForRota(input: PlannerInput, activity: Activity, at: StartAt): boolean {
  return activity.attendance === "ROTA" && freeHouseholds(input, at.date, at.minute, activity.durationMinutes) < (activity.householdsPerTurn ?? 1);
}

/**
 * Every hard rule of a single start, in the order their reasons are reported. The planner keeps
 * only starts that break none, and a tutor's move and pin are checked against the same list.
 * (Rules between occurrences, such as a space or a household in two places, are explainMove's
 * and the planner's resource rows.)
 */
export const START_RULES: readonly StartRule[] = [
  { reason: "OUTSIDE_PERIOD", rule: "inside the period, on one day", broken: outsidePeriod },
  { reason: "OUTSIDE_OPENING_HOURS", rule: "inside the space's opening hours", broken: outsideOpeningHours },
  { reason: "QUIET_HOURS", rule: "outside the house's quiet hours", broken: duringQuietHours },
  { reason: "ATTENDEE_ABSENT", rule: "every named household lives in the house that day", broken: attendeeAbsent },
  { reason: "ATTENDEE_BUSY", rule: "every household that must attend is free", broken: attendeeBusy },
  { reason: "TOO_FEW_FREE_FOR_ROTA", rule: "enough free households for a rota's turn", broken: tooFewFreeForRota },
];

/** The rules of START_RULES one start (a local date and minute) breaks; empty: it fits. */
export function candidateReasons(input: PlannerInput, activity: Activity, date: string, minute: number): PlacementReason[] {
  const at = { date, minute, end: minute + activity.durationMinutes };
  return START_RULES.filter((r) => r.broken(input, activity, at)).map((r) => r.reason);
}

function freeHouseholds(input: PlannerInput, date: string, minute: number, duration: number): number {
  return freeHouseholdIds(input, date, minute, duration).length;
}

function freeHouseholdIds(input: PlannerInput, date: string, minute: number, duration: number): string[] {
  return input.households.filter((h) => present(h, date) && !busyAt(h, date, minute, minute + duration)).map((h) => h.id);
}

interface Candidate {
  instance: number;
  date: string;
  minute: number;
  start: number;
  end: number;
}

export async function planHouse(input: PlannerInput): Promise<Plan> {
  const slot = input.slotMinutes ?? 30;
  const instances = input.activities.flatMap((a) => instancesOf(a, input.from, input.to));
  const candidates: Candidate[] = [];
  const rejected = instances.map(() => ({}) as Partial<Record<PlacementReason, number>>);
  const pinnedLeft = [...(input.pinned ?? [])];
  const pinViolations: Plan["pinViolations"] = [];
  const fixed = new Map<number, 0 | 1>();

  instances.forEach((instance, i) => {
    const activity = instance.activity;
    // A pin inside this instance's window fixes it there, if it keeps the rules.
    const pinIndex = pinnedLeft.findIndex((p) => p.activityId === activity.id && dateOf(p.start) >= instance.from && dateOf(p.start) < instance.to);
    const pin = pinIndex >= 0 ? pinnedLeft.splice(pinIndex, 1)[0] : undefined;
    for (let date = instance.from; date < instance.to; date = addDays(date, 1)) {
      for (let minute = 0; minute + activity.durationMinutes <= DAY_MINUTES; minute += slot) {
        const reasons = candidateReasons(input, activity, date, minute);
        if (reasons.length > 0) {
          for (const r of reasons) rejected[i]![r] = (rejected[i]![r] ?? 0) + 1;
          continue;
        }
        const start = localStart(date, minute);
        candidates.push({ instance: i, date, minute, start, end: start + activity.durationMinutes * MINUTE });
      }
    }
    if (pin) {
      const at = candidates.findIndex((c) => c.instance === i && c.start === pin.start);
      if (at >= 0) fixed.set(at, 1);
      else pinViolations.push({ activityId: activity.id, start: pin.start, reasons: explainStart(input, activity, pin.start) });
    }
  });
  for (const pin of pinnedLeft) {
    const activity = input.activities.find((a) => a.id === pin.activityId);
    pinViolations.push({ activityId: pin.activityId, start: pin.start, reasons: activity ? explainStart(input, activity, pin.start) : ["OUTSIDE_PERIOD"] });
  }

  // --- stage 1: times --------------------------------------------------------------------------
  const periodStart = localStart(input.from, 0);
  const slotOf = (instant: number) => Math.floor((instant - periodStart) / (slot * MINUTE));
  const previous = new Set((input.previous ?? []).map((p) => `${p.activityId}|${p.start}`));
  const objective = candidates.map((c, k) => {
    const activity = instances[c.instance]!.activity;
    const preferred = activity.preferred;
    const inPreferred =
      preferred &&
      (!preferred.weekdays || preferred.weekdays.includes(weekdayOf(c.date))) &&
      preferred.startMinute <= c.minute &&
      c.minute + activity.durationMinutes <= preferred.endMinute;
    // A tiny preference for earlier starts makes ties deterministic and plans readable.
    // A rota is easier to share fairly at times when more households are free.
    const roomForRota =
      activity.attendance === "ROTA" ? ROTA_ROOM * (freeHouseholds(input, c.date, c.minute, activity.durationMinutes) - (activity.householdsPerTurn ?? 1)) : 0;
    return PLACE + (inPreferred ? PREFERRED : 0) + (previous.has(`${activity.id}|${c.start}`) ? STABLE : 0) + roomForRota - k * 1e-7;
  });
  const rows: BinaryRow[] = [];
  const byInstance = new Map<number, number[]>();
  candidates.forEach((c, k) => {
    const list = byInstance.get(c.instance);
    if (list) list.push(k);
    else byInstance.set(c.instance, [k]);
  });
  // oneStartPerOccurrence: an occurrence happens at most once.
  for (const vars of byInstance.values()) rows.push({ vars, upper: 1 });
  // Resources busy per slot: spaces, households required, and the rota/ALL exclusivity.
  const usage = new Map<string, number[]>();
  const use = (resource: string, c: Candidate, k: number) => {
    for (let s = slotOf(c.start); s < slotOf(c.end - 1) + 1; s++) {
      const key = `${resource}|${s}`;
      const list = usage.get(key);
      if (list) list.push(k);
      else usage.set(key, [k]);
    }
  };
  candidates.forEach((c, k) => {
    const activity = instances[c.instance]!.activity;
    // spaceNotDoubleBooked
    if (activity.spaceId) use(`space:${activity.spaceId}`, c, k);
    // householdInOnePlace
    for (const h of requiredOn(activity, input.households, c.date)) use(`household:${h.id}`, c, k);
    // dutiesNeverClash: rotas and all-house activities never overlap (see the header).
    if (houseWide(activity)) use("house", c, k);
  });
  for (const vars of usage.values()) if (vars.length > 1) rows.push({ vars, upper: 1 });
  // rotaKeepsItsHouseholds: an activity with required households and a rota turn at the same
  // time cannot both be planned if the turn would be left with too few free households. (Rota
  // turns exclude each other per slot, so one row per slot and such activity covers every pair.)
  const slotsOf = (c: Candidate) => Array.from({ length: slotOf(c.end - 1) - slotOf(c.start) + 1 }, (_, i) => slotOf(c.start) + i);
  const rotaBySlot = new Map<number, { k: number; free: string[]; perTurn: number }[]>();
  candidates.forEach((c, k) => {
    const activity = instances[c.instance]!.activity;
    if (activity.attendance !== "ROTA") return;
    const entry = { k, free: freeHouseholdIds(input, c.date, c.minute, activity.durationMinutes), perTurn: activity.householdsPerTurn ?? 1 };
    for (const s of slotsOf(c)) {
      const list = rotaBySlot.get(s);
      if (list) list.push(entry);
      else rotaBySlot.set(s, [entry]);
    }
  });
  candidates.forEach((c, k) => {
    const activity = instances[c.instance]!.activity;
    if (activity.attendance === "ROTA" || activity.attendance === "ALL") return;
    const required = new Set(requiredOn(activity, input.households, c.date).map((h) => h.id));
    if (required.size === 0) return;
    for (const s of slotsOf(c)) {
      const starved = (rotaBySlot.get(s) ?? []).filter((r) => r.free.filter((h) => !required.has(h)).length < r.perTurn).map((r) => r.k);
      if (starved.length > 0) rows.push({ vars: [k, ...starved], upper: 1 });
    }
  });
  // minimumSpacing: two occurrences of an activity start at least minSpacingHours apart.
  for (const activity of input.activities) {
    const spacing = (activity.minSpacingHours ?? 0) * 60 * MINUTE;
    if (spacing <= 0) continue;
    const own = candidates
      .map((c, k) => ({ c, k }))
      .filter(({ c }) => instances[c.instance]!.activity === activity)
      .sort((a, b) => a.c.start - b.c.start);
    // Every set of starts within one spacing of each other is a clique: at most one of it.
    for (let a = 0; a < own.length; a++) {
      const window = [own[a]!.k];
      for (let b = a + 1; b < own.length && own[b]!.c.start - own[a]!.c.start < spacing; b++) window.push(own[b]!.k);
      if (window.length > 1 && new Set(window.map((k) => candidates[k]!.instance)).size > 1) rows.push({ vars: window, upper: 1 });
    }
  }
  // Stage 1 then stage 2. When a rota leaves a household a turn or more short of its share
  // (its turns fell at times it is busy), stage 1 is solved again asking, softly, for enough of
  // the rota's turns at times that household is free to reach its share (rotaTurnsWhenFree); a
  // few rounds at most, and the fairest plan wins.
  const needs = new Map<string, Map<string, number>>();
  const freeAt = new Map<number, Set<string>>();
  const freeOf = (k: number) => {
    let free = freeAt.get(k);
    if (!free) {
      const c = candidates[k]!;
      freeAt.set(k, (free = new Set(freeHouseholdIds(input, c.date, c.minute, instances[c.instance]!.activity.durationMinutes))));
    }
    return free;
  };
  let best: Plan | null = null;
  for (let round = 0; round < FAIRNESS_ROUNDS; round++) {
    const program = { objective: [...objective], rows: [...rows] };
    for (const [activityId, households] of needs) {
      for (const [householdId, need] of households) {
        const vars = candidates.flatMap((c, k) => (instances[c.instance]!.activity.id === activityId && freeOf(k).has(householdId) ? [k] : []));
        const slack = Array.from({ length: need }, () => program.objective.push(-FAIRNESS_PENALTY) - 1);
        program.rows.push({ vars: [...vars, ...slack], lower: need });
      }
    }
    const times = await solveBinaryProgram({ ...program, fixed, timeLimitSeconds: input.timeLimitSeconds ?? 10 });
    if (!times.values) throw new Error("the planner found no plan (pinned occurrences contradict each other)");
    const chosen = candidates.filter((_, k) => times.values![k]);
    const placedInstances = new Set(chosen.map((c) => c.instance));
    const unplaced: Unplaced[] = instances.flatMap((instance, i) =>
      placedInstances.has(i)
        ? []
        : [
            {
              activityId: instance.activity.id,
              index: instance.index,
              windowFrom: instance.from,
              windowTo: instance.to,
              reasonCounts: rejected[i]!,
              clashing: byInstance.get(i)?.length ?? 0,
            },
          ],
    );

    // --- stage 2: rotas ------------------------------------------------------------------------
    const occurrences: PlannedOccurrence[] = chosen
      .map((c) => ({
        activityId: instances[c.instance]!.activity.id,
        index: instances[c.instance]!.index,
        start: c.start,
        end: c.end,
        spaceId: instances[c.instance]!.activity.spaceId,
        duty: [] as string[],
        pinned: [...fixed.keys()].some((k) => candidates[k] === c),
      }))
      .sort((a, b) => a.start - b.start || a.activityId.localeCompare(b.activityId));
    const { balance, repeated, optimal } = await assignRotas(input, occurrences);
    const plan: Plan = { occurrences, unplaced, pinViolations, rotaBalance: balance, repeatedDuties: repeated, optimal: times.optimal && optimal };
    if (!best || unfairness(plan) < unfairness(best) || (unfairness(plan) === unfairness(best) && plan.unplaced.length < best.unplaced.length)) best = plan;
    const short = balance.filter((b) => b.share - b.duties >= 1);
    if (short.length === 0 || plan.unplaced.length > best.unplaced.length) break;
    for (const b of short) {
      // Fewest turns in this period for |turns - share| < 1, earlier periods counted.
      const need = Math.floor(b.share + 1e-9) - (input.rotaHistory?.[b.activityId]?.[b.householdId]?.duties ?? 0);
      const perActivity = needs.get(b.activityId) ?? new Map<string, number>();
      perActivity.set(b.householdId, Math.max(perActivity.get(b.householdId) ?? 0, need));
      needs.set(b.activityId, perActivity);
    }
  }
  return best!;
}

/** Rounds of stage 1 and 2 at most when a rota comes out unfair (see planHouse). */
const FAIRNESS_ROUNDS = 3;
/** Per rota turn a household cannot take: more than a preferred window, far less than placing an occurrence. */
const FAIRNESS_PENALTY = 60;

/** How far a plan's rotas are from fair: the turns beyond one of each share, summed. */
function unfairness(plan: Plan): number {
  return plan.rotaBalance.reduce((sum, b) => sum + Math.max(0, Math.abs(b.duties - b.share) - 1 + 1e-9), 0);
}

/** The rules a start breaks, for a pin or a move the tutor asks for. */
export function explainStart(input: PlannerInput, activity: Activity, start: number): PlacementReason[] {
  if (localStart(dateOf(start), minuteOf(start)) !== start) return ["OUTSIDE_PERIOD"];
  return candidateReasons(input, activity, dateOf(start), minuteOf(start));
}

/** The households an occurrence needs: its duty for a rota, else those required on its date. */
function attendeesOf(input: PlannerInput, o: { activityId: string; start: number; duty: string[] }): string[] {
  const activity = input.activities.find((a) => a.id === o.activityId);
  if (!activity) return [];
  return activity.attendance === "ROTA" ? o.duty : requiredOn(activity, input.households, dateOf(o.start)).map((h) => h.id);
}

/** Activities that take the whole house's attention: rotas and those everyone attends. */
const houseWide = (activity: Activity) => activity.attendance === "ROTA" || activity.attendance === "ALL";

/**
 * Why an occurrence cannot move to a start, against the same rules the planner keeps: the rules
 * of the start itself (`explainStart`), its duty households free then, and no clash with the
 * plan's other occurrences (a space or a household in two places, two house-wide activities at
 * once, two occurrences of an activity closer than its spacing). Empty: the move is allowed.
 */
export function explainMove(
  input: PlannerInput,
  others: { id: string; activityId: string; start: number; end: number; duty: string[] }[],
  moving: { id: string; activityId: string; duty: string[] },
  start: number,
): (PlacementReason | ClashReason)[] {
  const activity = input.activities.find((a) => a.id === moving.activityId);
  if (!activity) return ["OUTSIDE_PERIOD"];
  const reasons: (PlacementReason | ClashReason)[] = explainStart(input, activity, start);
  const end = start + activity.durationMinutes * MINUTE;
  const date = dateOf(start);
  const minute = minuteOf(start);
  if (activity.attendance === "ROTA") {
    const duty = moving.duty.map((id) => input.households.find((h) => h.id === id));
    if (duty.some((h) => !h || !present(h, date) || busyAt(h, date, minute, minute + activity.durationMinutes))) reasons.push("ATTENDEE_BUSY");
  }
  const mine = attendeesOf(input, { activityId: activity.id, start, duty: moving.duty });
  const spacing = (activity.minSpacingHours ?? 0) * 60 * MINUTE;
  for (const other of others) {
    if (other.id === moving.id) continue;
    const otherActivity = input.activities.find((a) => a.id === other.activityId);
    if (!otherActivity) continue;
    if (otherActivity.id === activity.id && Math.abs(other.start - start) < spacing) reasons.push("TOO_CLOSE_TO_SAME_ACTIVITY");
    if (!(other.start < end && start < other.end)) continue;
    if (activity.spaceId && otherActivity.spaceId === activity.spaceId) reasons.push("SPACE_DOUBLE_BOOKED");
    if (houseWide(activity) && houseWide(otherActivity)) reasons.push("DUTIES_CLASH");
    const theirs = attendeesOf(input, other);
    if (mine.some((h) => theirs.includes(h))) reasons.push("HOUSEHOLD_DOUBLE_BOOKED");
  }
  return [...new Set(reasons)];
}

/**
 * Each household's fair share of one rota occurrence: its households on duty split equally among
 * the households living in the house that day. Summed over occurrences this counts move-ins and
 * move-outs pro rata, and it can be recomputed from the published plans at any time (the rota
 * balance over months uses it too).
 */
export function dutyShares(households: Pick<Household, "id" | "moveIn" | "moveOut">[], date: string, perTurn: number): Map<string, number> {
  const living = households.filter((h) => present(h, date));
  return new Map(living.map((h) => [h.id, perTurn / living.length]));
}

async function assignRotas(input: PlannerInput, occurrences: PlannedOccurrence[]) {
  const balance: RotaBalance[] = [];
  const repeated: Record<string, number> = {};
  let optimal = true;
  for (const activity of input.activities.filter((a) => a.attendance === "ROTA")) {
    const own = occurrences.filter((o) => o.activityId === activity.id);
    const perTurn = activity.householdsPerTurn ?? 1;
    const history = input.rotaHistory?.[activity.id] ?? {};
    // Fair share of each household: earlier periods plus each occurrence's duties split among
    // the households living there that day.
    const share = input.households.map((h) => history[h.id]?.share ?? 0);
    for (const o of own) {
      const shares = dutyShares(input.households, dateOf(o.start), perTurn);
      input.households.forEach((h, i) => {
        share[i]! += shares.get(h.id) ?? 0;
      });
    }
    const before = input.households.map((h) => history[h.id]?.duties ?? 0);

    // Variables: y(o, h) for the households free at o (not busy, not required elsewhere then),
    // then slack binaries.
    const vars: { o: number; h: number }[] = [];
    own.forEach((o, oi) => {
      const engaged = new Set(occurrences.filter((p) => p !== o && p.start < o.end && o.start < p.end).flatMap((p) => attendeesOf(input, p)));
      input.households.forEach((h, hi) => {
        const date = dateOf(o.start);
        const minute = minuteOf(o.start);
        if (present(h, date) && !engaged.has(h.id) && !busyAt(h, date, minute, minute + (o.end - o.start) / MINUTE)) vars.push({ o: oi, h: hi });
      });
    });
    const objective: number[] = vars.map(() => 0);
    const rows: BinaryRow[] = [];
    const addSlack = (weight: number) => {
      objective.push(-weight);
      return objective.length - 1;
    };
    // dutyFilled: each occurrence gets its households on duty (a missing one costs a lot).
    own.forEach((_, oi) => {
      const here = vars
        .map((v, k) => ({ v, k }))
        .filter(({ v }) => v.o === oi)
        .map(({ k }) => k);
      const missing = Array.from({ length: perTurn }, () => addSlack(10_000));
      rows.push({ vars: [...here, ...missing], lower: perTurn, upper: perTurn });
    });
    // fairShare: duties so far plus these within one of the share (over by one or two costs, beyond much more).
    input.households.forEach((_, hi) => {
      const mine = vars
        .map((v, k) => ({ v, k }))
        .filter(({ v }) => v.h === hi)
        .map(({ k }) => k);
      const upper = Math.ceil(share[hi]! - 1e-9) - before[hi]!;
      const lower = Math.floor(share[hi]! + 1e-9) - before[hi]!;
      // As many slack units as there are duties, so a plan always exists; each beyond the first costs ten times more.
      const room = own.length * perTurn + 1;
      const over = Array.from({ length: room }, (_, j) => addSlack(j === 0 ? 300 : 3000));
      const under = Array.from({ length: room }, (_, j) => addSlack(j === 0 ? 300 : 3000));
      rows.push({ vars: [...mine, ...over], coefs: [...mine.map(() => 1), ...over.map(() => -1)], upper });
      rows.push({ vars: [...mine, ...under], coefs: [...mine.map(() => 1), ...under.map(() => 1)], lower });
    });
    // notTwiceInARow: the same household on two consecutive occurrences costs something,
    // counting the last duty of the period before.
    const repeats: number[] = [];
    const last = new Set(input.lastDuty?.[activity.id] ?? []);
    if (own.length > 0) {
      vars.forEach((v, k) => {
        if (v.o !== 0 || !last.has(input.households[v.h]!.id)) return;
        const z = addSlack(50);
        repeats.push(z);
        rows.push({ vars: [k, z], coefs: [1, -1], upper: 0 });
      });
    }
    for (let oi = 0; oi + 1 < own.length; oi++) {
      input.households.forEach((_, hi) => {
        const a = vars.findIndex((v) => v.o === oi && v.h === hi);
        const b = vars.findIndex((v) => v.o === oi + 1 && v.h === hi);
        if (a < 0 || b < 0) return;
        const z = addSlack(50);
        repeats.push(z);
        rows.push({ vars: [a, b, z], coefs: [1, 1, -1], upper: 1 });
      });
    }
    const result = await solveBinaryProgram({ objective, rows, timeLimitSeconds: input.timeLimitSeconds ?? 10 });
    if (!result.values) throw new Error(`no rota for ${activity.id}`);
    optimal &&= result.optimal;
    vars.forEach((v, k) => {
      if (result.values![k]) own[v.o]!.duty.push(input.households[v.h]!.id);
    });
    for (const o of own) o.duty.sort();
    repeated[activity.id] = repeats.filter((z) => result.values![z]).length;
    input.households.forEach((h, hi) => {
      balance.push({ activityId: activity.id, householdId: h.id, duties: before[hi]! + own.filter((o) => o.duty.includes(h.id)).length, share: share[hi]! });
    });
  }
  return { balance, repeated, optimal };
}
