// An exact branch and bound for small components, in JavaScript: HiGHS needs about 8 ms for
// even a six-pair MIP (its set-up, not its search), so a week with thousands of small
// components would spend seconds on overhead alone. Pure.
import { fairnessPenalty, pairGroups, type Component } from "./model";
import { fitsCapacity } from "./problem";

export interface SmallSearchResult {
  chosen: boolean[];
  value: number;
  nodes: number;
}

/**
 * The optimum of a small component by depth-first search over its pairs, best score first:
 * each pair in or out, within seats, capacities and conflict groups, pinned pairs always in.
 * A branch is cut when its value plus, for every occurrence, the best positive scores of the
 * pairs still to decide (as many as seats are left) cannot beat the best found: fairness only
 * lowers a value, so the cut never loses the optimum. Returns null past `maxNodes` nodes.
 */
export function searchSmallComponent(component: Component, maxNodes: number): SmallSearchResult | null {
  const n = component.pairs.length;
  const order = Array.from(component.pairs.keys()).sort(
    (a, b) => Number(component.pairs[b]!.fixed) - Number(component.pairs[a]!.fixed) || component.pairs[b]!.score - component.pairs[a]!.score || a - b,
  );
  const { offsets, groups } = pairGroups(component);
  const seats = new Int32Array(component.occurrenceIds.length);
  const loads = new Float64Array(component.citizenIds.length);
  const taken = new Int32Array(component.conflictGroups.length);
  const on = new Array<boolean>(n).fill(false);
  let best = null as boolean[] | null;
  let bestValue = Number.NEGATIVE_INFINITY;
  let nodes = 0;
  const blocked = (i: number) => {
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) if (taken[groups[k]!]! > 0) return true;
    return false;
  };
  const mark = (i: number, delta: number) => {
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) taken[groups[k]!]! += delta;
  };
  // The most the pairs from position `from` on can add: per occurrence, its best positive scores up to the seats left.
  const room = new Int32Array(component.occurrenceIds.length);
  const optimistic = (from: number) => {
    for (let o = 0; o < room.length; o++) room[o] = component.headcount[o]! - seats[o]!;
    let sum = 0;
    for (let k = from; k < n; k++) {
      const p = component.pairs[order[k]!]!;
      if (p.score > 0 && room[p.occurrence]! > 0) {
        sum += p.score;
        room[p.occurrence]! -= 1;
      }
    }
    return sum;
  };
  const search = (k: number, value: number): boolean => {
    if (++nodes > maxNodes) return false;
    if (k === n) {
      if (value > bestValue) {
        bestValue = value;
        best = [...on];
      }
      return true;
    }
    if (value + optimistic(k) <= bestValue) return true;
    const i = order[k]!;
    const p = component.pairs[i]!;
    if (seats[p.occurrence]! < component.headcount[p.occurrence]! && fitsCapacity(loads[p.citizen]! + p.load, component.capacity[p.citizen]!) && !blocked(i)) {
      const gain = p.score - (fairnessPenalty(loads[p.citizen]! + p.load, component.fairness) - fairnessPenalty(loads[p.citizen]!, component.fairness));
      seats[p.occurrence]! += 1;
      loads[p.citizen]! += p.load;
      mark(i, 1);
      on[i] = true;
      const complete = search(k + 1, value + gain);
      on[i] = false;
      mark(i, -1);
      loads[p.citizen]! -= p.load;
      seats[p.occurrence]! -= 1;
      if (!complete) return false;
    } else if (p.fixed) return true; // a pinned pair that cannot be kept here: no solution on this branch
    if (p.fixed) return true;
    return search(k + 1, value);
  };
  if (!search(0, 0) || !best) return null;
  return { chosen: best, value: bestValue, nodes };
}
