// Seeded synthetic weeks of a 20-municipality territory, at the problem level, for benchmarks
// and tests: citizens with skills, languages, availability blocks and an hour capacity;
// occurrences of 1-3 hours with headcount 1-2; eligible pairs where skill, language, distance
// and availability agree; one conflict group per maximal set of overlapping occurrences per
// citizen (with travel between the places). Pure and deterministic.
import { seededRandom } from "../random";
import type { MatchingProblem } from "./problem";

export const SIZES = {
  S: { citizens: 60, occurrences: 30 },
  M: { citizens: 300, occurrences: 150 },
  L: { citizens: 1500, occurrences: 800 },
  XL: { citizens: 6000, occurrences: 3000 },
  /** About 600,000 pairs: for the budget and memory checks of the benchmark. */
  XXL: { citizens: 15000, occurrences: 6000 },
} as const;

export type SizeName = keyof typeof SIZES;

const SKILLS = 14;
const LANGUAGES = 8;
const MINUTE = 60_000;
const WEEK_START = Date.parse("2026-11-30T00:00:00+01:00");

export function generateInstance(size: SizeName, seed = 1): MatchingProblem {
  const random = seededRandom(seed * 7919 + size.length);
  const { citizens: nc, occurrences: no } = SIZES[size];
  const towns = Array.from({ length: 20 }, () => ({ x: random.next() * 60, y: random.next() * 50 }));
  const travel = (a: number, b: number) => (a === b ? 0 : Math.round(((Math.hypot(towns[a]!.x - towns[b]!.x, towns[a]!.y - towns[b]!.y) * 1.4) / 55) * 60) + 5);
  const citizens = Array.from({ length: nc }, (_, i) => ({
    id: `c${String(i).padStart(5, "0")}`,
    town: random.int(0, 19),
    skills: new Set(Array.from({ length: random.int(2, 4) }, () => random.int(0, SKILLS - 1))),
    languages: new Set([0, ...Array.from({ length: random.int(0, 2) }, () => random.int(1, LANGUAGES - 1))]),
    maxTravel: random.pick([20, 30, 45, 60]),
    capacity: random.pick([2, 3, 4, 6, 8]) * 60,
    // Two to four blocks a week: [day, fromMinute, toMinute].
    blocks: Array.from({ length: random.int(2, 4) }, () => {
      const from = random.pick([8, 9, 14, 15, 16, 17]) * 60;
      return [random.int(0, 6), from, from + random.pick([3, 4, 5]) * 60] as const;
    }),
  }));
  const occurrences = Array.from({ length: no }, (_, i) => {
    const day = random.int(0, 6);
    const start = random.pick([9, 10, 14, 15, 16, 17, 18]) * 60 + random.pick([0, 30]);
    const duration = random.pick([60, 90, 120, 180]);
    return {
      id: `o${String(i).padStart(5, "0")}`,
      town: random.int(0, 19),
      skill: random.int(0, SKILLS - 1),
      language: random.chance(0.25) ? random.int(1, LANGUAGES - 1) : null,
      day,
      start,
      end: start + duration,
      duration,
      headcount: random.chance(0.2) ? 2 : 1,
      priority: random.int(1, 5),
      continuityWith: random.chance(0.15) ? random.int(0, nc - 1) : -1,
    };
  });

  const pairs: MatchingProblem["pairs"] = [];
  const byCitizen = new Map<number, number[]>();
  citizens.forEach((c, ci) => {
    occurrences.forEach((o, oi) => {
      if (!c.skills.has(o.skill)) return;
      if (o.language !== null && !c.languages.has(o.language)) return;
      const t = travel(c.town, o.town);
      if (t > c.maxTravel) return;
      if (!c.blocks.some(([d, from, to]) => d === o.day && from <= o.start && o.end <= to)) return;
      const load = o.duration + 2 * t;
      if (load > c.capacity) return;
      const score = 1000 + 20 * o.priority + (60 - t) + (o.continuityWith === ci ? 80 : 0) + (ci % 7);
      pairs.push({ citizen: c.id, occurrence: o.id, score, loadMinutes: load });
      byCitizen.set(ci, [...(byCitizen.get(ci) ?? []), oi]);
    });
  });

  // Maximal sets of pairwise-overlapping occurrences per citizen (travel between places included).
  const conflicts: NonNullable<MatchingProblem["conflicts"]> = [];
  for (const [ci, list] of byCitizen) {
    const sorted = [...list].sort((a, b) => occurrences[a]!.day * 1440 + occurrences[a]!.start - (occurrences[b]!.day * 1440 + occurrences[b]!.start));
    const overlap = (a: number, b: number) => {
      const x = occurrences[a]!;
      const y = occurrences[b]!;
      if (x.day !== y.day) return false;
      const gap = travel(x.town, y.town);
      return x.start < y.end + gap && y.start < x.end + gap;
    };
    const groups: number[][] = [];
    for (const o of sorted) {
      const open = groups.filter((g) => g.every((m) => overlap(m, o)));
      if (open.length > 0) for (const g of open) g.push(o);
      else {
        const partial = sorted.filter((m) => m !== o && overlap(m, o) && sorted.indexOf(m) < sorted.indexOf(o));
        groups.push([...partial, o]);
      }
    }
    for (const g of groups) if (g.length > 1) conflicts.push({ citizen: citizens[ci]!.id, occurrences: g.map((o) => occurrences[o]!.id) });
  }

  return {
    citizens: citizens.map((c) => ({ id: c.id, capacityMinutes: c.capacity })),
    occurrences: occurrences.map((o) => ({
      id: o.id,
      headcount: o.headcount,
      start: new Date(WEEK_START + (o.day * 1440 + o.start) * MINUTE).toISOString(),
      end: new Date(WEEK_START + (o.day * 1440 + o.end) * MINUTE).toISOString(),
    })),
    pairs,
    conflicts,
    fairness: [
      { aboveMinutes: 120, weightPerMinute: 0.05 },
      { aboveMinutes: 240, weightPerMinute: 0.15 },
    ],
  };
}
