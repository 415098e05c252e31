// Greedy baseline, the guaranteed fallback: best pair first (pinned pairs before all), taken
// when it keeps every constraint and adds value net of the fairness penalty. Pure, milliseconds.
// Exact when a component has a single occurrence (each citizen then has one pair).
import { fairnessPenalty, pairGroups, type Component } from "./model";
import { fitsCapacity } from "./problem";

/** With `prefer`, those pairs are taken first (when they fit): a repair of a partial solution. */
export function greedy(component: Component, prefer?: boolean[]): boolean[] {
  const chosen = new Array<boolean>(component.pairs.length).fill(false);
  const loads = new Array<number>(component.citizenIds.length).fill(0);
  const seats = new Array<number>(component.occurrenceIds.length).fill(0);
  const { offsets, groups } = pairGroups(component);
  const groupTaken = new Uint8Array(component.conflictGroups.length);
  // Value of a pair on its own: its score less the fairness penalty of its load alone.
  const alone = component.pairs.map((p) => p.score - fairnessPenalty(p.load, component.fairness));
  const rank = Int8Array.from(component.pairs, (p, i) => (p.fixed ? 2 : prefer?.[i] ? 1 : 0));
  const order = Array.from(component.pairs.keys()).sort((a, b) => rank[b]! - rank[a]! || alone[b]! - alone[a]! || a - b);
  for (const i of order) {
    const p = component.pairs[i]!;
    if (seats[p.occurrence]! >= component.headcount[p.occurrence]!) continue;
    if (!fitsCapacity(loads[p.citizen]! + p.load, component.capacity[p.citizen]!)) continue;
    let blocked = false;
    for (let k = offsets[i]!; k < offsets[i + 1]! && !blocked; k++) blocked = groupTaken[groups[k]!] === 1;
    if (blocked) continue;
    const marginal = p.score - (fairnessPenalty(loads[p.citizen]! + p.load, component.fairness) - fairnessPenalty(loads[p.citizen]!, component.fairness));
    if (!p.fixed && !prefer?.[i] && marginal <= 0) continue;
    chosen[i] = true;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) groupTaken[groups[k]!] = 1;
    loads[p.citizen]! += p.load;
    seats[p.occurrence]! += 1;
  }
  return chosen;
}

/**
 * A valid upper bound without solving: each occurrence earns at most its best `headcount`
 * positive scores (fairness only lowers the objective).
 */
export function simpleBound(component: Component): number {
  const byOccurrence = new Map<number, number[]>();
  for (const p of component.pairs) {
    const list = byOccurrence.get(p.occurrence);
    if (list) list.push(p.score);
    else byOccurrence.set(p.occurrence, [p.score]);
  }
  let bound = 0;
  for (const [o, scores] of byOccurrence) {
    bound += scores
      .filter((s) => s > 0)
      .sort((a, b) => b - a)
      .slice(0, component.headcount[o])
      .reduce((sum, s) => sum + s, 0);
  }
  return bound;
}

/**
 * Fills empty seats by moving one assignment: a citizen who cannot take an empty seat as things
 * are (no minutes left, or a conflict) may give up one of their assignments to another citizen
 * who can take it, when the exchange raises the objective, fairness included. Best exchange per
 * seat, passes until nothing improves (at most `maxPasses`). Returns the improved choice and
 * the pair visits spent. A local search that the greedy and an LP rounding miss on tight
 * capacities (measured on generalised assignment instances: it places the jobs a rounding
 * leaves out). Every move keeps every constraint.
 */
export function improveByMoves(component: Component, start: boolean[], maxPasses = 3): { chosen: boolean[]; visits: number } {
  const chosen = [...start];
  const { offsets, groups } = pairGroups(component);
  const loads = new Float64Array(component.citizenIds.length);
  const seats = new Int32Array(component.occurrenceIds.length);
  const taken = new Int32Array(component.conflictGroups.length);
  const pairsOfCitizen: number[][] = component.citizenIds.map(() => []);
  const pairsOfOccurrence: number[][] = component.occurrenceIds.map(() => []);
  component.pairs.forEach((p, i) => {
    pairsOfCitizen[p.citizen]!.push(i);
    pairsOfOccurrence[p.occurrence]!.push(i);
    if (!chosen[i]) return;
    loads[p.citizen]! += p.load;
    seats[p.occurrence]! += 1;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) taken[groups[k]!]! += 1;
  });
  const penalty = (load: number) => fairnessPenalty(load, component.fairness);
  // Whether pair i's groups are free once pair `without` (of the same citizen, or -1) is removed.
  const groupsFree = (i: number, without: number) => {
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
      const g = groups[k]!;
      let holders = taken[g]!;
      if (without >= 0) for (let m = offsets[without]!; m < offsets[without + 1]!; m++) if (groups[m] === g) holders -= 1;
      if (holders > 0) return false;
    }
    return true;
  };
  const set = (i: number, on: boolean) => {
    const p = component.pairs[i]!;
    const d = on ? 1 : -1;
    chosen[i] = on;
    loads[p.citizen]! += d * p.load;
    seats[p.occurrence]! += d;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) taken[groups[k]!]! += d;
  };
  let visits = 0;
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    for (let o = 0; o < component.occurrenceIds.length; o++) {
      if (seats[o]! >= component.headcount[o]!) continue;
      let best: { gain: number; insert: number; out: number; into: number } | null = null;
      for (const i of pairsOfOccurrence[o]!) {
        if (chosen[i]) continue;
        const p = component.pairs[i]!;
        const c = p.citizen;
        const here = component.capacity[c]!;
        // Straight in, when it fits now (the greedy may have judged it not worth it).
        if (fitsCapacity(loads[c]! + p.load, here) && groupsFree(i, -1)) {
          const gain = p.score - (penalty(loads[c]! + p.load) - penalty(loads[c]!));
          visits += 1;
          if (gain > 1e-9 && (!best || gain > best.gain)) best = { gain, insert: i, out: -1, into: -1 };
          continue;
        }
        // Or in, once one of the citizen's assignments goes to someone else.
        for (const j of pairsOfCitizen[c]!) {
          if (!chosen[j] || component.pairs[j]!.fixed) continue;
          const q = component.pairs[j]!;
          const loadAfter = loads[c]! - q.load + p.load;
          if (!fitsCapacity(loadAfter, here) || !groupsFree(i, j)) continue;
          for (const k of pairsOfOccurrence[q.occurrence]!) {
            visits += 1;
            const r = component.pairs[k]!;
            if (chosen[k] || r.citizen === c || !fitsCapacity(loads[r.citizen]! + r.load, component.capacity[r.citizen]!) || !groupsFree(k, -1)) continue;
            const gain =
              p.score - q.score + r.score - (penalty(loadAfter) - penalty(loads[c]!)) - (penalty(loads[r.citizen]! + r.load) - penalty(loads[r.citizen]!));
            if (gain > 1e-9 && (!best || gain > best.gain)) best = { gain, insert: i, out: j, into: k };
          }
        }
      }
      if (!best) continue;
      if (best.out >= 0) {
        set(best.out, false);
        set(best.into, true);
      }
      set(best.insert, true);
      improved = true;
    }
    if (!improved) break;
  }
  return { chosen, visits };
}
