// The Lagrangian bound: each citizen's problem against brute force, and the bound never below the
// proven optimum, nor above the LP bound it starts from.
import { describe, expect, it } from "vitest";
import { seededRandom } from "../random";
import { solveWithHighs } from "./highs-backend";
import { generateInstance } from "./instances";
import { bestChoiceOfCitizen, lagrangianBound } from "./lagrangian";
import { decompose, fairnessPenalty, type Component } from "./model";
import { solveMatching } from "./solve";

/** One citizen with `n` pairs on as many occurrences, random conflicts, maybe a pinned pair. */
function oneCitizen(seed: number, n: number): Component {
  const random = seededRandom(seed);
  const pairs = Array.from({ length: n }, (_, o) => ({ citizen: 0, occurrence: o, score: random.int(-20, 120), load: random.pick([30, 60, 90, 120]), fixed: false }));
  if (random.chance(0.3)) pairs[random.int(0, n - 1)]!.fixed = true;
  const conflictGroups: number[][] = [];
  for (let g = 0; g < random.int(0, 4); g++) {
    const members = [...new Set(Array.from({ length: random.int(2, 3) }, () => random.int(0, n - 1)))].sort((a, b) => a - b);
    if (members.length > 1) conflictGroups.push(members);
  }
  return {
    citizenIds: ["c"],
    occurrenceIds: pairs.map((_, o) => `o${o}`),
    capacity: [random.pick([90, 180, 240, 360])],
    headcount: pairs.map(() => 1),
    pairs,
    conflictGroups,
    fairness: random.chance(0.5) ? [{ aboveMinutes: 60, weightPerMinute: 0.3 }, { aboveMinutes: 180, weightPerMinute: 0.5 }] : [],
  };
}

function bruteForceCitizen(component: Component): number {
  let best = Number.NEGATIVE_INFINITY;
  const n = component.pairs.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    const chosen = (i: number) => (mask & (1 << i)) !== 0;
    if (component.pairs.some((p, i) => p.fixed && !chosen(i))) continue;
    if (component.conflictGroups.some((group) => group.filter(chosen).length > 1)) continue;
    const load = component.pairs.reduce((sum, p, i) => sum + (chosen(i) ? p.load : 0), 0);
    if (load > component.capacity[0]!) continue;
    best = Math.max(best, component.pairs.reduce((sum, p, i) => sum + (chosen(i) ? p.score : 0), 0) - fairnessPenalty(load, component.fairness));
  }
  return best;
}

describe("Lagrangian bound", () => {
  it("solves each citizen's own problem exactly (capacity, conflicts, pinned pairs, fairness)", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const component = oneCitizen(seed, 4 + (seed % 9));
      const exact = bruteForceCitizen(component);
      if (!Number.isFinite(exact)) continue; // a pinned pair over capacity: no valid choice
      const items = { pairs: component.pairs.map((_, i) => i), conflicts: component.pairs.map(() => [] as number[]) };
      for (const group of component.conflictGroups) for (const a of group) for (const b of group) if (a !== b) items.conflicts[a]!.push(b);
      const choice = bestChoiceOfCitizen(component, items, 0, (i) => component.pairs[i]!.score);
      expect(choice.exact).toBe(true);
      expect(choice.value, `seed ${seed}`).toBeCloseTo(exact, 9);
    }
  });

  it("is never below the proven optimum, and at the LP's seat prices never above the LP bound", async () => {
    for (const seed of [1, 2, 3]) {
      const problem = generateInstance("M", seed);
      const optimum = (await solveMatching({ ...problem, options: { backend: "highs", decompose: false } })).objective;
      const [component] = decompose({ ...problem, options: { decompose: false } });
      const lp = await solveWithHighs(component!, { relax: true, timeLimitSeconds: 10, relativeGap: 1e-6 });
      const fromLp = lagrangianBound(component!, { prices: lp.seatPrices, incumbent: optimum, timeLimitMs: 5_000 });
      expect(fromLp.bound).toBeGreaterThanOrEqual(optimum - 1e-6);
      expect(fromLp.bound).toBeLessThanOrEqual(lp.bound + 1e-6);
      // From zero prices too, after however many steps: still a valid bound.
      const fromZero = lagrangianBound(component!, { incumbent: optimum, timeLimitMs: 5_000, maxIterations: 20 });
      expect(fromZero.bound).toBeGreaterThanOrEqual(optimum - 1e-6);
    }
  });
});
