// One person in two places: whether two occurrences overlap once the trip between them is
// counted. The matcher's conflicts and a commitment made by hand (the ledger) ask the same rule.

/** An occurrence as a person lives it: when, and where (null: remote). */
export interface Placed {
  start: number;
  end: number;
  municipalityId: string | null;
}

/** Rule: two occurrences overlap for one person when either begins before the other ends plus the trip from it. */
export function overlapsWithTravel(a: Placed, b: Placed, travelMinutes: (from: string, to: string) => number | undefined): boolean {
  return (
    a.start < b.end + tripMinutes(b.municipalityId, a.municipalityId, travelMinutes) * 60_000 &&
    b.start < a.end + tripMinutes(a.municipalityId, b.municipalityId, travelMinutes) * 60_000
  );
}

/** Minutes from one place to another, 0 for remote tasks, the same town or an unknown route. */
export function tripMinutes(from: string | null, to: string | null, travelMinutes: (from: string, to: string) => number | undefined): number {
  return from === null || to === null || from === to ? 0 : (travelMinutes(from, to) ?? 0);
}
