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
