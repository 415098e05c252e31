// Who may read a person's data: the one rule every personal field of the schema goes through
// (src/graphql/personal.ts declares the fields). Pure.
//
// A person's data is for the person; for administrators; for the coordinators of the person's
// territory; and, for a household of a shared house, for the tutors assigned to that house.
// Anyone else reaches at most a display name (the fields left public on each type).
import { coordinatesTerritory } from "./access";
import type { Viewer } from "./viewer";

/** Whom a piece of data is about. */
export type Subject =
  /** Active citizens (a register entry, commitments, hours, offers; a pact's history is its citizens'). */
  | { kind: "citizen"; citizenIds: readonly string[]; territoryId: string | null }
  /** A household of a shared house, and the family it is (names, members, busy times). */
  | { kind: "household"; houseIds: readonly string[]; territoryId: string | null; contactUserIds: readonly string[] }
  /** An account (its email, language, territory). */
  | { kind: "user"; userId: string; territoryId: string | null }
  /** Staff-only records of a territory (a task's title and description, who is committed to it), and the tutors of the houses given. */
  | { kind: "territory"; territoryId: string | null; houseIds?: readonly string[] }
  /** How a household is named in its house: for everyone who lives or works there. */
  | { kind: "house"; houseIds: readonly string[]; territoryId: string | null };

/** What the rule needs to know of the viewer beyond the token: the houses a tutor is assigned to. */
export interface ViewerReach {
  tutorHouseIds: ReadonlySet<string>;
  /** The houses where the viewer's household lives (residents). */
  residentHouseIds: ReadonlySet<string>;
}

/** Personal data is for the person, administrators, the coordinators of their territory and the tutors of their house. */
export function maySeePersonalData(viewer: Viewer | null, subject: Subject, reach: ViewerReach): boolean {
  if (!viewer) return false;
  if (viewer.role === "ADMIN") return true;
  if (viewer.role === "COORDINATOR") return coordinatesTerritory(viewer, subject.territoryId);
  switch (subject.kind) {
    case "citizen":
      return viewer.role === "CITIZEN" && viewer.citizenId !== null && subject.citizenIds.includes(viewer.citizenId);
    case "user":
      return viewer.userId === subject.userId;
    case "household":
      return (
        (viewer.role === "TUTOR" && subject.houseIds.some((h) => reach.tutorHouseIds.has(h))) ||
        (viewer.role === "RESIDENT" && subject.contactUserIds.includes(viewer.userId))
      );
    case "territory":
      return viewer.role === "TUTOR" && (subject.houseIds ?? []).some((h) => reach.tutorHouseIds.has(h));
    case "house":
      return subject.houseIds.some(
        (h) => (viewer.role === "TUTOR" && reach.tutorHouseIds.has(h)) || (viewer.role === "RESIDENT" && reach.residentHouseIds.has(h)),
      );
  }
}

/** "Anna R.": how a person is named to those who may not read their data. */
export function displayNameOf(firstName: string, lastName: string): string {
  const initial = lastName.trim().charAt(0);
  return initial ? `${firstName.trim()} ${initial.toUpperCase()}.` : firstName.trim();
}
